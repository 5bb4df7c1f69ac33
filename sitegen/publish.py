"""Publishing a built site: manifest, release archive, resumable uploads that never leave a page without its files."""

# How a target is updated ("in place", the site folder itself is the live site):
#
# 1. Stage: every new or changed file is uploaded into <target>/.sitegen-publish/incoming/, each under a
#    name made of its path and hash, written as "<name>.part" and renamed when complete. Nothing a
#    reader sees changes; a cut here leaves the previous release live, and the next run keeps every
#    complete staged file and uploads only the rest.
# 2. Place: .sitegen-publish/pending.json records the new manifest, then each staged file is renamed
#    over its final path (one atomic step per file, no half files): assets first (static/, media/,
#    data), then new pages, then changed pages, then the home page, feeds, sitemap and the search
#    index, whose manifest comes last. A page is never placed before what it links to; pages already
#    on the server only link to files that are still there. A cut here leaves such a consistent mix.
# 3. Remove the files of deleted pages (only files an earlier publish put there), write
#    .sitegen-publish/manifest.json, and drop pending.json.
#
# A lock file, .sitegen-publish/lock.json, created exclusively on the target, keeps two publishers
# (from two machines) apart. Release folders switched by a symlink are not used: portal servers are
# often Windows/IIS or shared folders, and pointing the web root at a link needs the portal's
# administrator; staging plus ordered renames gives the same guarantee to readers everywhere.

from __future__ import annotations

import contextlib
import errno
import getpass
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import sys
import time
import traceback
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sitegen.errors import BuildFailed, Problem
from sitegen.lock import WORK_DIR, LockBusy, project_lock
from sitegen.output import MARKER
from sitegen.publish_model import FileEntry, Manifest, PublishSettings, PublishTarget, Target, TargetError
from sitegen.search import SEARCH_DIR
from sitegen.sftp import connect_sftp
from sitegen.text import VIETNAM_TZ, format_file_size, format_iso, format_number, slugify

STATE_DIR = ".sitegen-publish"
MANIFEST_FILE = f"{STATE_DIR}/manifest.json"
PENDING_FILE = f"{STATE_DIR}/pending.json"
LOCK_FILE = f"{STATE_DIR}/lock.json"
INCOMING_DIR = f"{STATE_DIR}/incoming"
ARCHIVE_DIR = "dist"
MANIFEST_FORMAT = 1
STALE_LOCK_SECONDS = 600.0  # a lock not refreshed for this long belongs to a publisher that died
REFRESH_SECONDS = 30.0  # how often a running publisher refreshes its lock
MAX_LISTED = 100  # files listed by --dry-run before "… và N tệp khác"
SERVER_FILES = frozenset({".htaccess", "web.config"})  # may sit in a target before its first publish
_SEARCH_MANIFEST = f"{SEARCH_DIR}/chi-muc.json"
_STORED = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".woff", ".woff2", ".zip", ".gz", ".br", ".mp4",
                     ".mp3", ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods"})
_CHUNK = 1024 * 1024
_PROTECTED = ("content", "templates", "output", "sitegen", "tests", ".git", WORK_DIR, ARCHIVE_DIR)


@dataclass(frozen=True)
class Progress:
    """Where an upload stands, for a progress bar."""

    target: str
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int


@dataclass(frozen=True)
class TargetReport:
    """What one target received (or, with --dry-run, would receive)."""

    name: str
    address: str
    sent: tuple[str, ...]
    sent_bytes: int
    removed: tuple[str, ...]
    unchanged: int
    resumed: int  # files already staged by an interrupted publish, not sent again
    seconds: float
    trusted: str = ""  # "SHA256:…" of a host key trusted during this run


@dataclass(frozen=True)
class PublishReport:
    """What a publish did."""

    files: int
    total_bytes: int
    archive: Path | None
    pruned: tuple[Path, ...]
    targets: tuple[TargetReport, ...]
    dry_run: bool
    seconds: float


# --- manifests ---------------------------------------------------------------------------


def site_manifest(built: Path) -> Manifest:
    """Path, size and SHA-256 of every file of a built site (the build's marker file is not part of it)."""
    entries = []
    for path in sorted(built.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        relative = path.relative_to(built).as_posix()
        if relative == MARKER or relative.startswith(f"{STATE_DIR}/"):
            continue
        digest = hashlib.sha256()
        with path.open("rb") as source:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
        entries.append(FileEntry(relative, path.stat().st_size, digest.hexdigest()))
    return Manifest.of(entries)


def manifest_json(manifest: Manifest, site_name: str, now: datetime) -> bytes:
    """The manifest as kept on targets and in archives: UTF-8 JSON, one file per line of the list."""
    files = ",\n".join("    " + json.dumps({"path": e.path, "size": e.size, "sha256": e.sha256}, ensure_ascii=False)
                       for e in manifest.files.values())
    head = json.dumps({"format": MANIFEST_FORMAT, "site": site_name, "created": format_iso(now)},
                      ensure_ascii=False)[:-1]
    return f'{head}, "files": [\n{files}\n]}}\n'.encode()


def parse_manifest(data: bytes | None) -> Manifest | None:
    """A manifest read back from a target or an archive; None when missing or not one of ours.

    Every path is checked: a manifest on a server is not trusted to name files outside the site.
    """
    if data is None:
        return None
    try:
        value = json.loads(data.decode("utf-8"))
        if value.get("format") != MANIFEST_FORMAT:
            return None
        entries = [FileEntry(str(item["path"]), int(item["size"]), str(item["sha256"])) for item in value["files"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not all(_safe_path(e.path) and re.fullmatch(r"[0-9a-f]{64}", e.sha256) for e in entries):
        return None
    return Manifest.of(entries)


def _safe_path(path: str) -> bool:
    """A path a manifest may name: inside the site, and not the publisher's own folder."""
    return _inside(path) and path.split("/")[0] != STATE_DIR


def _inside(path: str) -> bool:
    """A relative path with "/" that stays inside the folder it is relative to."""
    parts = path.split("/")
    return bool(path) and not (path.startswith("/") or "\\" in path or "\x00" in path or ":" in parts[0]
                               or any(part in ("", ".", "..") for part in parts))


# --- the release archive -------------------------------------------------------------------


def write_archive(root: Path, built: Path, manifest: Manifest, site_name: str, now: datetime,
                  keep: int) -> tuple[Path, tuple[Path, ...]]:
    """dist/<site>-<YYYYMMDD-HHMM>.zip with the site and .sitegen-publish/manifest.json; keep the newest `keep`.

    Unpacked on the server as it is, the archive is also what `publish` expects to find there.
    """
    folder = root / ARCHIVE_DIR
    slug = slugify(site_name) or "trang"
    final = folder / f"{slug}-{now:%Y%m%d-%H%M}.zip"
    temporary = folder / f".{final.name}.tmp-{secrets.token_hex(4)}"
    stamp = now.timetuple()[:6]
    try:
        folder.mkdir(exist_ok=True)
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for entry in manifest.files.values():
                info = zipfile.ZipInfo(entry.path, date_time=stamp)
                info.compress_type = zipfile.ZIP_STORED if Path(entry.path).suffix.lower() in _STORED \
                    else zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with (built / entry.path).open("rb") as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target, _CHUNK)
            info = zipfile.ZipInfo(MANIFEST_FILE, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, manifest_json(manifest, site_name, now))
        os.replace(temporary, final)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise BuildFailed([Problem(f"{ARCHIVE_DIR}/{final.name}", None,
                                   f"không tạo được tệp nén bản phát hành ({_local_reason(error)})")]) from None
    pattern = re.compile(rf"^{re.escape(slug)}-\d{{8}}-\d{{4}}\.zip$")
    archives = sorted(p for p in folder.iterdir() if pattern.match(p.name) and p.is_file())
    pruned = tuple(archives[:-keep]) if keep > 0 else ()
    for old in pruned:
        with contextlib.suppress(OSError):
            old.unlink()
    return final, pruned


# --- planning ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetState:
    """What a target holds: the last complete release, an unfinished one, its files, the staged uploads."""

    live: Manifest | None
    pending: Manifest | None
    files: dict[str, int]  # site files (outside .sitegen-publish/) with their sizes
    staged: dict[str, int]  # everything under .sitegen-publish/incoming/
    state_files: tuple[str, ...]  # other files under .sitegen-publish/
    has_manifest_file: bool


@dataclass(frozen=True)
class Plan:
    """What one publish does to one target."""

    send: tuple[FileEntry, ...]  # in the order files are placed
    remove: tuple[str, ...]
    unchanged: int

    @property
    def send_bytes(self) -> int:
        """Bytes of the files to send."""
        return sum(entry.size for entry in self.send)


def read_state(target: Target) -> TargetState:
    """Read a target's manifests and list its files (one walk of the folder)."""
    listing = target.list_files()
    files = {p: s for p, s in listing.items() if not p.startswith(f"{STATE_DIR}/")}
    staged = {p: s for p, s in listing.items() if p.startswith(f"{INCOMING_DIR}/")}
    others = tuple(p for p in listing if p.startswith(f"{STATE_DIR}/") and p not in staged)
    has_manifest = MANIFEST_FILE in listing
    live = parse_manifest(target.read_bytes(MANIFEST_FILE)) if has_manifest else None
    pending = parse_manifest(target.read_bytes(PENDING_FILE)) if PENDING_FILE in listing else None
    return TargetState(live, pending, files, staged, others, has_manifest)


def make_plan(local: Manifest, state: TargetState) -> Plan:
    """Send what differs from the target's manifest or is missing there; remove what only an earlier publish put there.

    After an interrupted placing step a file may hold either the old or the new content: it is
    sent again unless both releases agree on it.
    """
    live = state.live.files if state.live else {}
    pending = state.pending.files if state.pending else {}
    known = {path: entry.sha256 for path, entry in live.items()
             if path not in pending or pending[path].sha256 == entry.sha256}
    send = [entry for path, entry in local.files.items()
            if known.get(path) != entry.sha256 or state.files.get(path) != entry.size]
    owned = set(live) | set(pending)
    remove = tuple(sorted(path for path in owned if path not in local.files and path in state.files))
    ordered = sorted(send, key=lambda entry: (placing_rank(entry.path, entry.path in state.files), entry.path))
    return Plan(tuple(ordered), remove, len(local.files) - len(send))


def placing_rank(path: str, on_target: bool) -> int:
    """Placing order: assets, new pages, changed pages, home page, feeds and sitemap, search data, search manifest."""
    if path == _SEARCH_MANIFEST:
        return 6
    if path.startswith(f"{SEARCH_DIR}/") and path.endswith(".json"):
        return 5
    if path.endswith(".xml") or path == "robots.txt":
        return 4
    if path == "index.html":
        return 3
    if path.endswith(".html"):
        return 2 if on_target else 1
    return 0


def staged_name(entry: FileEntry) -> str:
    """Where a file waits on the target before it is placed: named by its path and content."""
    key = hashlib.sha256(f"{entry.path}\x00{entry.sha256}".encode()).hexdigest()[:40]
    return f"{INCOMING_DIR}/{key}"


# --- the lock on the target ------------------------------------------------------------------


@dataclass(frozen=True)
class LockOwner:
    """Who publishes: written into the target's lock file so a second publisher can say who is busy."""

    token: str
    host: str
    user: str
    project: str
    started: str

    @classmethod
    def here(cls, root: Path, now: datetime) -> LockOwner:
        """This process, publishing the project at `root`."""
        try:
            user = getpass.getuser()
        except (OSError, KeyError):  # no login name (some service accounts)
            user = "?"
        return cls(secrets.token_hex(8), socket.gethostname(), user, str(root.resolve()),
                   now.astimezone(VIETNAM_TZ).strftime("%H:%M ngày %d/%m/%Y"))

    def to_bytes(self) -> bytes:
        """The lock file's content."""
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def parse(cls, data: bytes | None) -> LockOwner | None:
        """A lock file's owner, or None when the file is missing or damaged."""
        try:
            value = json.loads((data or b"").decode("utf-8"))
            return cls(**{key: str(value[key]) for key in ("token", "host", "user", "project", "started")})
        except (ValueError, KeyError, TypeError):
            return None


class RemoteLock:
    """The target's lock file: made with an exclusive create, refreshed while publishing, removed at the end.

    Stale rule: a lock left by this project on this machine is taken over at once (the caller holds
    the local project lock, so its writer is dead); any other lock is taken over only when the
    target's clock says it has not been refreshed for STALE_LOCK_SECONDS.
    """

    def __init__(self, target: Target, owner: LockOwner, name: str) -> None:
        self.target, self.owner, self.name = target, owner, name
        self.held = False
        self._refreshed = 0.0

    def acquire(self) -> None:
        """Take the lock, or raise TargetError saying who holds it."""
        if self.target.create_new(LOCK_FILE, self.owner.to_bytes()):
            self._took()
            return
        holder = LockOwner.parse(self.target.read_bytes(LOCK_FILE))
        if self._stale(holder):
            self.target.remove(LOCK_FILE)
            if self.target.create_new(LOCK_FILE, self.owner.to_bytes()):
                self._took()
                return
            holder = LockOwner.parse(self.target.read_bytes(LOCK_FILE))
        who = (f"máy {holder.host} (người dùng {holder.user}) đang đăng lên đây từ {holder.started}" if holder
               else "một lệnh đăng khác đang chạy")
        raise TargetError(f"{who}. Hai lệnh đăng cùng lúc sẽ làm trang lẫn lộn nên lệnh này dừng lại; hãy đợi lệnh "
                          f"kia xong rồi chạy lại. Nếu lệnh kia đã bị tắt giữa chừng, khóa ({LOCK_FILE} trên nơi đăng) "
                          f"tự hết hạn sau {round(STALE_LOCK_SECONDS / 60)} phút không hoạt động")

    def _took(self) -> None:
        self.held = True
        self._refreshed = time.monotonic()

    def _stale(self, holder: LockOwner | None) -> bool:
        if holder is not None and holder.host == self.owner.host and holder.project == self.owner.project:
            return True
        changed = self.target.modified(LOCK_FILE)
        if changed is None:
            return True  # it went away meanwhile
        probe = f"{STATE_DIR}/clock-{self.owner.token}"
        self.target.write_bytes(probe, b"")
        now = self.target.modified(probe)
        self.target.remove(probe)
        return now is not None and now - changed > STALE_LOCK_SECONDS

    def refresh(self) -> None:
        """Show the lock is alive (at most every REFRESH_SECONDS); fail if another publisher took it over."""
        if time.monotonic() - self._refreshed < REFRESH_SECONDS:
            return
        self.verify()
        self.target.write_bytes(LOCK_FILE, self.owner.to_bytes())
        self._refreshed = time.monotonic()

    def verify(self) -> None:
        """Still ours? Checked before anything a reader can see is changed."""
        holder = LockOwner.parse(self.target.read_bytes(LOCK_FILE))
        if holder is None or holder.token != self.owner.token:
            self.held = False
            raise TargetError("khóa đăng trên nơi đăng đã bị một lệnh đăng khác lấy mất (lệnh này bị coi là đã "
                              "dừng vì quá lâu không hoạt động); dừng lại để hai lệnh không ghi lẫn vào nhau. Hãy "
                              "chạy lại khi lệnh kia xong")

    def release(self) -> None:
        """Remove the lock if it is still ours."""
        if not self.held:
            return
        self.held = False
        with contextlib.suppress(TargetError):
            holder = LockOwner.parse(self.target.read_bytes(LOCK_FILE))
            if holder is not None and holder.token == self.owner.token:
                self.target.remove(LOCK_FILE)


# --- publishing to one target -----------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """What every target of one publish shares."""

    root: Path
    built: Path
    local: Manifest
    site_name: str
    now: datetime
    owner: LockOwner
    dry_run: bool
    progress: Callable[[str], None]
    bar: Callable[[Progress], None]


def publish_to(target: Target, config: PublishTarget, run: _Run) -> TargetReport:
    """Bring one open target up to the local manifest (stage, place, remove), under the target's lock."""
    started = time.monotonic()
    lock = RemoteLock(target, run.owner, config.name)
    if not run.dry_run:
        lock.acquire()
    try:
        state = read_state(target)
        _refuse_foreign(state, config)
        plan = make_plan(run.local, state)
        resumed = sum(1 for entry in plan.send if state.staged.get(staged_name(entry)) == entry.size)
        if not run.dry_run:
            _clean_state(target, state, plan)
            _stage(target, plan, state, lock, run, config)
            _place(target, plan, lock, run, state)
    finally:
        lock.release()
    return TargetReport(config.name, config.address, tuple(e.path for e in plan.send), plan.send_bytes, plan.remove,
                        plan.unchanged, resumed, time.monotonic() - started)


def _refuse_foreign(state: TargetState, config: PublishTarget) -> None:
    """A first publish only goes into an empty folder, or one holding a copy of output/ put there by hand."""
    if state.has_manifest_file or state.pending is not None or MARKER in state.files:
        return
    foreign = sorted(p for p in state.files if p not in SERVER_FILES)
    if foreign:
        examples = ", ".join(foreign[:3])
        raise TargetError(f"thư mục đích '{config.path}' đã có {len(foreign)} tệp không do lệnh publish đăng (ví dụ: "
                          f"{examples}). Để không ghi đè trang khác của cổng thông tin, lệnh dừng lại. Hãy kiểm tra "
                          f"'path' của nơi đăng, hoặc dùng một thư mục trống. Nếu đó đúng là bản trang tải lên bằng "
                          f"tay trước đây, hãy tạo một tệp trống tên {MARKER} trong thư mục đó rồi chạy lại")


def _clean_state(target: Target, state: TargetState, plan: Plan) -> None:
    """Remove what an interrupted run left and this run does not need: temporary files, stale uploads."""
    wanted = {staged_name(entry): entry.size for entry in plan.send}
    for path, size in state.staged.items():
        if wanted.get(path) != size:
            target.remove(path)
    for path in state.state_files:
        name = path.rsplit("/", 1)[-1]
        if ".tmp-" in name or name.startswith("clock-"):
            target.remove(path)


def _stage(target: Target, plan: Plan, state: TargetState, lock: RemoteLock, run: _Run,
           config: PublishTarget) -> None:
    """Upload every file to send into the staging folder (complete staged files of a cut run are kept)."""
    done_files, done_bytes = 0, 0
    total_files, total_bytes = len(plan.send), plan.send_bytes
    if total_files:
        run.progress(f"Gửi {format_number(total_files)} tệp ({_size(total_bytes)}) lên '{config.name}'…")

    def sent(count: int) -> None:
        nonlocal done_bytes
        done_bytes += count
        run.bar(Progress(config.name, done_files, total_files, done_bytes, total_bytes))
        lock.refresh()

    for entry in plan.send:
        lock.refresh()
        name = staged_name(entry)
        if state.staged.get(name) != entry.size:
            digest = target.upload(run.built / entry.path, name, sent)
            if digest != entry.sha256:
                target.remove(name)
                raise _OutputChanged(entry.path)
        else:
            done_bytes += entry.size
        done_files += 1
        run.bar(Progress(config.name, done_files, total_files, done_bytes, total_bytes))


def _place(target: Target, plan: Plan, lock: RemoteLock, run: _Run, state: TargetState) -> None:
    """Rename staged files into place in order, remove deleted files, then record the new manifest."""
    changed = bool(plan.send or plan.remove) or state.pending is not None or state.live is None \
        or dict(state.live.files) != dict(run.local.files)
    if not changed:
        return
    lock.verify()
    document = manifest_json(run.local, run.site_name, run.now)
    target.write_bytes(PENDING_FILE, document)
    for entry in plan.send:
        lock.refresh()  # before, not after: a publisher that slept past its lock must not place one more file
        target.move(staged_name(entry), entry.path)
    for path in plan.remove:
        lock.refresh()
        target.remove(path)
    target.remove_empty_folders({*_parents(plan.remove), INCOMING_DIR})
    target.write_bytes(MANIFEST_FILE, document)
    target.remove(PENDING_FILE)


def _parents(paths: Iterable[str]) -> set[str]:
    folders = set()
    for path in paths:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:index]) for index in range(1, len(parts) + 1))
    return folders


class _OutputChanged(Exception):  # noqa: N818 - an outcome, reported in Vietnamese
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


# --- folder targets -----------------------------------------------------------------------


class FolderTarget:
    """A site folder on this computer or on a mounted share (see sitegen.publish_model.Target)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = folder, name

    def list_files(self, folder: str = "") -> dict[str, int]:
        start = self._path(folder)
        files: dict[str, int] = {}
        if folder and not start.is_dir():
            return files
        with self._doing("đọc danh sách tệp trong", folder):
            for current, folders, names in os.walk(start, onerror=_raise):
                base = Path(current)
                folders[:] = [f for f in folders if not (base / f).is_symlink()]
                for name in names:
                    path = base / name
                    info = path.lstat()
                    if path.is_file() and not path.is_symlink():
                        files[path.relative_to(self.folder).as_posix()] = info.st_size
        return files

    def read_bytes(self, path: str) -> bytes | None:
        with self._doing("đọc", path):
            try:
                return self._path(path).read_bytes()
            except FileNotFoundError:
                return None

    def write_bytes(self, path: str, data: bytes) -> None:
        final = self._path(path)
        temporary = final.with_name(f"{final.name}.tmp-{secrets.token_hex(4)}")
        with self._doing("ghi", path):
            final.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            _retry(lambda: os.replace(temporary, final))

    def upload(self, source: Path, path: str, sent: Callable[[int], None]) -> str:
        final = self._path(path)
        part = final.with_name(final.name + ".part")
        digest = hashlib.sha256()
        with self._doing("chép", path):
            final.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as local, part.open("wb") as remote:
                while chunk := local.read(_CHUNK):
                    digest.update(chunk)
                    remote.write(chunk)
                    sent(len(chunk))
            _retry(lambda: os.replace(part, final))
        return digest.hexdigest()

    def move(self, source: str, path: str) -> None:
        final = self._path(path)
        with self._doing("đặt vào chỗ", path):
            final.parent.mkdir(parents=True, exist_ok=True)
            _retry(lambda: os.replace(self._path(source), final))

    def remove(self, path: str) -> None:
        with self._doing("xóa", path):
            _retry(lambda: self._path(path).unlink(missing_ok=True))

    def remove_empty_folders(self, folders: Iterable[str]) -> None:
        for folder in sorted({f for f in folders if f}, key=lambda f: -f.count("/")):
            with contextlib.suppress(OSError):
                self._path(folder).rmdir()

    def create_new(self, path: str, data: bytes) -> bool:
        final = self._path(path)
        with self._doing("tạo", path):
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                handle = os.open(final, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            except FileExistsError:
                return False
            with os.fdopen(handle, "wb") as file:
                file.write(data)
        return True

    def modified(self, path: str) -> float | None:
        with self._doing("đọc thông tin", path):
            try:
                return self._path(path).stat().st_mtime
            except FileNotFoundError:
                return None

    def close(self) -> None:
        return None

    def _path(self, relative: str) -> Path:
        if relative and not _inside(relative):
            raise ValueError(f"refusing a path outside the target: {relative!r}")
        return self.folder / relative if relative else self.folder

    @contextlib.contextmanager
    def _doing(self, what: str, path: str) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            shown = f"'{path}'" if path else "thư mục"
            if not self.folder.is_dir():
                raise TargetError(f"thư mục đích '{self.folder}' không còn truy cập được khi {what} {shown} (ổ mạng "
                                  f"bị ngắt?). Trang trên đó vẫn dùng được; hãy kết nối lại rồi chạy lại lệnh "
                                  f"publish để đăng tiếp") from None
            raise TargetError(f"không {what} được {shown} trong '{self.folder}' ({_local_reason(error)})") from None


def _raise(error: OSError) -> None:
    raise error


def _retry(action: Callable[[], object], attempts: int = 5) -> None:
    """Run a rename or delete, retrying briefly: on Windows a web server or a virus scanner may hold the file."""
    for attempt in range(attempts):
        try:
            action()
            return
        except PermissionError:
            if attempt == attempts - 1 or sys.platform != "win32":
                raise
            time.sleep(0.2 * (attempt + 1))


def _local_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "không có quyền ghi, hoặc tệp đang được chương trình khác mở"
    if error.errno == errno.ENOSPC:
        return "ổ đĩa đã đầy"
    if error.errno == errno.ENAMETOOLONG:
        return "tên tệp quá dài"
    return error.strerror or f"lỗi hệ thống {error.errno}"


def open_folder(config: PublishTarget, root: Path) -> FolderTarget:
    """A folder target, checked: it must exist, and must not be the project or one of its own folders."""
    folder = config.folder(root)
    try:
        resolved, project = folder.resolve(), root.resolve()
    except OSError as error:
        raise TargetError(f"không mở được thư mục '{config.path}' ({_local_reason(error)})") from None
    if resolved == project or project.is_relative_to(resolved) or (
            resolved.is_relative_to(project) and resolved.relative_to(project).parts[0] in _PROTECTED):
        raise TargetError(f"không thể đăng vào '{config.path}': đó là thư mục dự án hoặc một thư mục của dự án. "
                          f"Hãy chọn thư mục của máy chủ web hoặc ổ mạng")
    if not resolved.is_dir():
        raise TargetError(f"thư mục '{config.path}' không có (nếu là ổ mạng: đã kết nối chưa?). Lệnh không tự tạo "
                          f"thư mục để tránh đăng nhầm chỗ; hãy tạo thư mục trống đó trước")
    return FolderTarget(resolved, config.name)


# --- publishing ----------------------------------------------------------------------------


def publish_site(root: Path, built: Path, settings: PublishSettings, site_name: str, *, dry_run: bool,
                 trust_host: bool, now: datetime, progress: Callable[[str], None] | None,
                 bar: Callable[[Progress], None] | None = None) -> PublishReport:
    """Write the release archive, then bring every configured target up to the built site.

    The caller holds `project_lock(root, "publish")` (run_publish does). Raises BuildFailed, in
    Vietnamese, when a target refuses or fails; the other targets are still published.
    """
    started = time.monotonic()
    say = progress or (lambda _: None)
    root = root.resolve()
    try:
        local = site_manifest(built)
    except OSError as error:
        raise BuildFailed([Problem(_shown(root, built), None,
                                   f"không đọc được trang đã dựng ({_local_reason(error)})")]) from None
    if not local.files:
        raise BuildFailed([Problem(_shown(root, built), None, "thư mục trang đã dựng trống, không có gì để đăng")])
    archive, pruned = None, ()
    if not dry_run:
        archive, pruned = write_archive(root, built, local, site_name, now, settings.keep_archives)
        say(f"Đã tạo tệp nén bản phát hành {ARCHIVE_DIR}/{archive.name} ({format_number(len(local.files))} tệp, "
            f"{_size(archive.stat().st_size)}).")
    if not settings.targets:
        say("Chưa khai báo nơi đăng (mục publish.targets trong site_data.yaml): chỉ tạo tệp nén để gửi bộ phận "
            "quản trị cổng thông tin tải lên.")
    run = _Run(root, built, local, site_name, now, LockOwner.here(root, now), dry_run, say, bar or (lambda _: None))
    reports, problems = [], []
    for config in settings.targets:
        try:
            reports.append(_publish_one(config, run, trust_host))
        except TargetError as failure:
            problems.append(Problem(config.source, config.line, f"nơi đăng '{config.name}': {failure.message}"))
        except _OutputChanged as changed:
            problems.append(Problem(_shown(root, built / changed.path), None,
                                    "tệp này thay đổi trong lúc đang đăng (có ai vừa dựng lại trang?); trang trên "
                                    "nơi đăng chưa bị đổi gì. Hãy chạy lại lệnh publish"))
            break
    if problems:
        raise BuildFailed(problems)
    return PublishReport(len(local.files), local.total_bytes, archive, pruned, tuple(reports), dry_run,
                         time.monotonic() - started)


def _publish_one(config: PublishTarget, run: _Run, trust_host: bool) -> TargetReport:
    trusted = ""
    if config.kind == "sftp":
        run.progress(f"Kết nối tới '{config.name}' ({config.address})…")
        connected = connect_sftp(config, run.root, trust_host=trust_host)
        target: Target = connected.target
        trusted = connected.trusted
        if trusted:
            run.progress(f"Đã tin cậy máy chủ {config.host} (vân tay {trusted}) và ghi vào tệp known_hosts của dự án.")
    else:
        run.progress(f"Mở thư mục đích '{config.name}' ({config.address})…")
        target = open_folder(config, run.root)
    try:
        report = publish_to(target, config, run)
    finally:
        target.close()
    report = replace(report, trusted=trusted)
    if not run.dry_run:
        run.progress(_summary(report))
    return report


def _summary(report: TargetReport) -> str:
    if not report.sent and not report.removed:
        return (f"'{report.name}' đã là bản mới nhất: không có tệp nào phải gửi "
                f"({format_number(report.unchanged)} tệp giữ nguyên).")
    resumed = (f"; {format_number(report.resumed)} tệp đã gửi ở lần trước bị ngắt nên không gửi lại"
               if report.resumed else "")
    return (f"Đã đăng lên '{report.name}': gửi {format_number(len(report.sent))} tệp ({_size(report.sent_bytes)}), "
            f"xóa {format_number(len(report.removed))} tệp, giữ nguyên {format_number(report.unchanged)} tệp, "
            f"trong {format_number(report.seconds, 1)} giây{resumed}.")


def _size(size: int) -> str:
    return f"{format_number(size)} byte" if size < 1024 else format_file_size(size)


def _shown(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return str(path)


# --- the command ------------------------------------------------------------------------------


class Console:
    """Vietnamese output of `publish`: lines, a progress bar on a terminal only, the final summary."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        encoding = getattr(self.out, "encoding", None) or "ascii"
        try:
            "█░".encode(encoding)
            self._cells = ("█", "░")
        except (UnicodeEncodeError, LookupError):
            self._cells = ("#", "-")
        self._bar_shown = False
        self._last_bar = 0.0

    def line(self, text: str) -> None:
        """A line of progress or result."""
        self._clear_bar()
        print(text, file=self.out, flush=True)

    def bar(self, state: Progress) -> None:
        """Redraw the progress bar (terminals only; at most ten times a second)."""
        if not self.tty:
            return
        now = time.monotonic()
        finished = state.files_done >= state.files_total
        if now - self._last_bar < 0.1 and not finished:
            return
        self._last_bar = now
        share = state.bytes_done / state.bytes_total if state.bytes_total else 1.0
        width = 24
        full = min(width, round(share * width))
        cells = self._cells[0] * full + self._cells[1] * (width - full)
        text = (f"\r  {cells} {round(share * 100):3d}%  {format_number(state.files_done)}/"
                f"{format_number(state.files_total)} tệp, {_size(state.bytes_done)}/{_size(state.bytes_total)}")
        print(text.ljust(79), end="", file=self.out, flush=True)
        self._bar_shown = True

    def _clear_bar(self) -> None:
        if self._bar_shown:
            print("\r" + " " * 79 + "\r", end="", file=self.out, flush=True)
            self._bar_shown = False

    def problems(self, heading: str, problems: Iterable[Problem]) -> None:
        """A heading and one problem a line, on stderr."""
        self._clear_bar()
        print(heading, file=self.err, flush=True)
        for problem in problems:
            print(f"  {problem}", file=self.err, flush=True)

    def report(self, report: PublishReport) -> None:
        """The summary after a publish, or the lists of a dry run."""
        if report.dry_run:
            for target in report.targets:
                self._dry_run(target)
            self.line("Chạy thử (--dry-run): chưa gửi, chưa xóa, chưa tạo gì cả.")
            return
        sent = sum(len(t.sent) for t in report.targets)
        sent_bytes = sum(t.sent_bytes for t in report.targets)
        removed = sum(len(t.removed) for t in report.targets)
        if report.pruned:
            self.line(f"Đã xóa {len(report.pruned)} tệp nén cũ trong {ARCHIVE_DIR}/ (chỉ giữ các bản mới nhất).")
        if report.targets:
            self.line(f"Xong: {format_number(report.files)} tệp của trang ({_size(report.total_bytes)}); đã gửi "
                      f"{format_number(sent)} tệp ({_size(sent_bytes)}), xóa {format_number(removed)} tệp, tới "
                      f"{len(report.targets)} nơi đăng, trong {format_number(report.seconds, 1)} giây.")

    def _dry_run(self, target: TargetReport) -> None:
        self.line(f"Nơi đăng '{target.name}' ({target.address}):")
        if not target.sent and not target.removed:
            self.line(f"  đã là bản mới nhất, không có gì phải gửi ({format_number(target.unchanged)} tệp giữ nguyên).")
            return
        self.line(f"  Sẽ gửi {format_number(len(target.sent))} tệp ({_size(target.sent_bytes)}):")
        for path in target.sent[:MAX_LISTED]:
            self.line(f"    + {path}")
        if len(target.sent) > MAX_LISTED:
            self.line(f"    … và {format_number(len(target.sent) - MAX_LISTED)} tệp khác")
        self.line(f"  Sẽ xóa {format_number(len(target.removed))} tệp:")
        for path in target.removed[:MAX_LISTED]:
            self.line(f"    - {path}")
        if len(target.removed) > MAX_LISTED:
            self.line(f"    … và {format_number(len(target.removed) - MAX_LISTED)} tệp khác")
        self.line(f"  Giữ nguyên {format_number(target.unchanged)} tệp.")


def run_publish(root: Path, *, dry_run: bool, trust_host: bool,
                build_and_check: Callable[[], tuple[Path, PublishSettings, str]],
                console: Console | None = None, debug: bool = False) -> int:
    """`python build.py publish`: lock, build and check, publish, print; 0 done, 1 refused or failed, 130 stopped."""
    console = console or Console()
    building = True
    try:
        with project_lock(root, "publish", "đăng trang",
                          on_wait=lambda _: console.line("Đang có lệnh khác chạy cho dự án này; đợi nó xong…")):
            console.line("Dựng trang với cấu hình chính thức (không có bài nháp, bài hẹn giờ) và kiểm tra toàn bộ…")
            built, settings, site_name = build_and_check()
            building = False
            report = publish_site(root, built, settings, site_name, dry_run=dry_run, trust_host=trust_host,
                                  now=datetime.now(VIETNAM_TZ), progress=console.line, bar=console.bar)
    except LockBusy as busy:
        console.problems("Không đăng được:", [busy.problem])
        return 1
    except BuildFailed as failure:
        if building:
            console.problems(f"Không đăng: trang còn {len(failure.errors)} lỗi. Trang trên cổng thông tin giữ "
                             f"nguyên; hãy sửa các lỗi rồi chạy lại.", failure.errors)
        else:
            console.problems("Đăng chưa xong:", failure.errors)
        return 1
    except KeyboardInterrupt:
        console.problems("Đã dừng giữa chừng. Trang trên nơi đăng vẫn dùng được (bản cũ, hoặc bản cũ xen bản mới "
                         "mà không thiếu tệp nào); chạy lại lệnh publish để đăng tiếp.", ())
        return 130
    except Exception as error:  # a bug of ours, not bad input: say so plainly, a traceback only with --debug
        if debug:
            traceback.print_exc(file=console.err)
        console.problems(f"Lỗi nội bộ khi đăng trang ({type(error).__name__}: {error}). Trang trên nơi đăng vẫn "
                         "dùng được; hãy báo cho người phát triển, kèm kết quả của lệnh chạy lại với --debug.", ())
        return 3
    console.report(report)
    return 0
