"""Frozen values of publishing: targets from site_data.yaml, manifests, and the protocol a target speaks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

TARGET_KINDS = {"folder": "thư mục (ổ mạng hoặc thư mục của máy chủ web)", "sftp": "máy chủ SFTP"}
DEFAULT_KEEP_ARCHIVES = 5
DEFAULT_SFTP_PORT = 22


@dataclass(frozen=True)
class PublishTarget:
    """One place the site is delivered to, as configured (never with a secret in it)."""

    name: str
    kind: str  # a key of TARGET_KINDS
    path: str  # folder target: a local path (relative = inside the project); sftp: the remote folder
    host: str = ""
    port: int = DEFAULT_SFTP_PORT
    user: str = ""
    key_file: str = ""  # optional private key file; "~" is the user's home folder
    password_env: str = ""  # optional name of the environment variable holding the password
    fingerprint: str = ""  # optional pinned host key, "SHA256:…" as `ssh-keygen -lf` prints it
    source: str = "site_data.yaml"
    line: int | None = None

    def folder(self, root: Path) -> Path:
        """A folder target's folder: absolute, or relative to the project; "~" expanded."""
        path = Path(self.path).expanduser()
        return path if path.is_absolute() else root / path

    @property
    def address(self) -> str:
        """Where the target is, as staff recognise it."""
        if self.kind == "sftp":
            port = f":{self.port}" if self.port != DEFAULT_SFTP_PORT else ""
            return f"sftp://{self.user}@{self.host}{port}{'' if self.path.startswith('/') else '/'}{self.path}"
        return self.path


@dataclass(frozen=True)
class PublishSettings:
    """The `publish:` part of site_data.yaml."""

    targets: tuple[PublishTarget, ...] = ()
    keep_archives: int = DEFAULT_KEEP_ARCHIVES


@dataclass(frozen=True)
class FileEntry:
    """One file of a published site: path inside the site (with "/"), size in bytes, SHA-256 in hex."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """Every file of one release of the site, by path."""

    files: Mapping[str, FileEntry] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[FileEntry]) -> Manifest:
        """A manifest of these entries, sorted by path."""
        return cls({entry.path: entry for entry in sorted(entries, key=lambda e: e.path)})

    @property
    def total_bytes(self) -> int:
        """Size of all files together."""
        return sum(entry.size for entry in self.files.values())


class TargetError(Exception):
    """A target could not do what was asked; carries the Vietnamese explanation for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Target(Protocol):
    """A folder the site lives in, local or remote; every path is relative to it and uses "/".

    Every method raises TargetError (in Vietnamese) when the target fails.
    """

    def list_files(self, folder: str = "") -> dict[str, int]:
        """Every file under `folder` (recursively) with its size; {} when the folder does not exist."""
        ...

    def read_bytes(self, path: str) -> bytes | None:
        """A small file's bytes, or None when it does not exist."""
        ...

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write a small file whole: under a temporary name first, then renamed into place."""
        ...

    def upload(self, source: Path, path: str, sent: Callable[[int], None]) -> str:
        """Copy a local file to `path` (via `path`.part, renamed when complete); return its SHA-256 as read.

        `sent` is told the number of bytes of each piece as it goes.
        """
        ...

    def move(self, source: str, path: str) -> None:
        """Rename `source` to `path`, replacing any file there in one step; parent folders are made."""
        ...

    def remove(self, path: str) -> None:
        """Delete a file; a missing file is fine."""
        ...

    def remove_empty_folders(self, folders: Iterable[str]) -> None:
        """Delete these folders where they are empty, deepest first; others are left alone."""
        ...

    def create_new(self, path: str, data: bytes) -> bool:
        """Create a file that must not exist yet (atomically); False when it already exists."""
        ...

    def modified(self, path: str) -> float | None:
        """A file's modification time by the target's own clock (seconds since 1970), or None."""
        ...

    def close(self) -> None:
        """Let go of the connection, if any."""
        ...
