"""The build state kept between builds in .cache/: what each input was and gave, checked before any use."""

# One file, written whole under a temporary name and then renamed, so a build stopped while saving
# leaves the previous state or none. It starts with a header (format, a digest of the generator's
# own code and libraries, the length and a digest of what follows); anything that does not match
# (another version of the generator, a cut or corrupted file, a file that is not ours) is thrown
# away and the build starts from nothing. Nothing in it is trusted beyond what its checks prove:
# each cached result is reused only while the inputs it was made from are the same.

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import sys
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import BuildFailed, Problem

if TYPE_CHECKING:  # the state's parts, named for the reader; unpickling imports them when it needs them
    from sitegen.content import ReadPost
    from sitegen.images import ResponsiveImage
    from sitegen.listings import Links
    from sitegen.markup import PageMarkup
    from sitegen.render import TemplateFacts
    from sitegen.search import DocumentParts

CACHE_FOLDER = ".cache"  # the build state and the resized photos
STATE_FILE = ".cache/build-state.pickle"
SUMMARY_FILE = ".cache/build-summary.pickle"
# What a build with nothing to do reads (the rest is read only when there is work):
# (Only values of light modules: unpickling a template's facts would import Jinja before it is needed.)
_SUMMARY = ("inputs", "due", "warnings", "files", "held_back", "files_written", "pages_written")
_MAGIC = b"SITEGEN-STATE\n"
_FORMAT = 1
_LIBRARIES = ("Jinja2", "Markdown", "nh3", "Pillow", "PyYAML", "MarkupSafe")


@dataclass(frozen=True)
class FileDigest:
    """A file's identity: its size and time, and the digest of its bytes when they were last read."""

    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True)
class MarkupEntry:
    """A rendered body, reusable while its key matches and every link look-up answers the same."""

    key: str
    markup: PageMarkup


@dataclass(frozen=True)
class OutputEntry:
    """What one output was drawn from: its key, and what its templates read besides its view."""

    key: str
    reads: tuple[tuple[str, tuple[object, ...]], ...] = ()
    images: tuple[str, ...] = ()


@dataclass
class BuildState:
    """Everything a build remembers for the next; a fresh one is empty."""

    inputs: str = ""  # digest of every input of the last good build: equal means nothing to do
    due: datetime | None = None  # when a scheduled post becomes public (the site changes then)
    posts: dict[str, ReadPost] = field(default_factory=dict)
    markup: dict[str, MarkupEntry] = field(default_factory=dict)
    outputs: dict[str, OutputEntry] = field(default_factory=dict)
    files: dict[str, FileDigest] = field(default_factory=dict)  # attachments and photos under content/
    images: dict[tuple[str, str, tuple[float, float] | None], ResponsiveImage | str] = field(default_factory=dict)
    templates: tuple[str, TemplateFacts] | None = None
    search: dict[str, tuple[DocumentParts, bytes]] = field(default_factory=dict)  # path → parts, body's words
    links: tuple[str, Links] | None = None  # neighbours and related posts, with the shape they came from
    warnings: tuple[Problem, ...] = ()  # the last good build's warnings (a build with nothing to do repeats them)
    held_back: tuple[tuple[str, str], ...] = ()  # drafts and scheduled posts of the last build, with why
    files_written: int = 0
    pages_written: int = 0


def generator_digest() -> str:
    """A digest of the generator's own code and the libraries that shape its output."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{_FORMAT} {sys.version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    for name in _LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            hasher.update(f"{name}={importlib.metadata.version(name)}".encode())
    return hasher.hexdigest()


def check_cache_folder(root: Path) -> None:
    """Refuse to start when a file stands where the cache folder goes (nothing could be kept)."""
    if (root / CACHE_FOLDER).exists() and not (root / CACHE_FOLDER).is_dir():
        raise BuildFailed([Problem(CACHE_FOLDER, None, f"'{CACHE_FOLDER}' phải là thư mục (nơi giữ ảnh đã thu nhỏ "
                                                       "và kết quả lần dựng trước) nhưng đang là một tệp; hãy đổi "
                                                       "tên hoặc chuyển tệp đó đi, rồi chạy lại")])


def load_state(root: Path, code: str, details: bool = True) -> BuildState | None:
    """The state the last build left, or None when there is none we can trust.

    Without `details` only the small summary is read (what a build with nothing to do needs).
    """
    summary = _read(root / SUMMARY_FILE, code)
    if not isinstance(summary, dict) or not details:
        return BuildState(**{k: summary[k] for k in _SUMMARY}) if isinstance(summary, dict) else None
    rest = _read(root / STATE_FILE, code)
    if not isinstance(rest, dict) or rest.get("inputs") != summary.get("inputs"):
        return None
    return BuildState(**{k: summary[k] for k in _SUMMARY}, **{k: v for k, v in rest.items() if k != "inputs"})


def save_state(root: Path, code: str, state: BuildState) -> None:
    """Write the state for the next build (whole or not at all); a failure only costs the next build time."""
    posts = {source: replace(post, page=replace(post.page, body="")) if post.page else post
             for source, post in state.posts.items()}  # bodies are read again from content/ when needed
    details = {"inputs": state.inputs, "posts": posts, "markup": state.markup, "outputs": state.outputs,
               "images": state.images, "search": state.search, "links": state.links, "templates": state.templates}
    if _write(root / STATE_FILE, code, details):
        _write(root / SUMMARY_FILE, code, {k: getattr(state, k) for k in _SUMMARY})


def _read(path: Path, code: str) -> object:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, payload = data.partition(b"\n\n")
    try:
        magic, form, written_code, length, digest = header.split(b"\n")
        checked = hashlib.blake2b(payload, digest_size=32).hexdigest().encode()
        if (magic + b"\n" != _MAGIC or int(form) != _FORMAT or written_code.decode() != code
                or int(length) != len(payload) or checked != digest):
            return None
        return pickle.loads(payload)  # our own file, checked above; see the module comment
    except (ValueError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, IndexError):
        return None


def _write(target: Path, code: str, value: object) -> bool:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = b"\n".join([_MAGIC.rstrip(b"\n"), str(_FORMAT).encode(), code.encode(), str(len(payload)).encode(),
                         hashlib.blake2b(payload, digest_size=32).hexdigest().encode()])
    temporary = target.with_name(target.name + f".{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(header + b"\n\n" + payload)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True


def forget_state(root: Path) -> None:
    """Remove the state (build --clean)."""
    for name in (SUMMARY_FILE, STATE_FILE):
        with contextlib.suppress(OSError):
            (root / name).unlink()
