"""Writing the site: staged in .sitegen-tmp/, unchanged files linked, swapped in whole (the only writer)."""

# How a build reaches output/:
#   1. Everything is written into .sitegen-tmp/stage-<token>/, the generator's own folder (see lock.py).
#      A file whose bytes did not change since the last build is hard-linked from the live output/
#      instead of being written again, so it keeps its bytes and its time (publishing sends only the
#      difference); where links are not possible (FAT, some shares) it is copied.
#   2. output/ is renamed to .sitegen-tmp/old-<token>/, the staging folder becomes output/, and the
#      old one is deleted. The rename-aside works on Windows, where a folder cannot replace another.
#   3. output/ carries a marker listing every file the generator wrote (path, size, time, digest).
#      A file in output/ that is not on that list, or that changed since, belongs to someone else: the
#      build stops and names it instead of deleting it. Nothing outside output/ and .sitegen-tmp/ is
#      ever written, moved or deleted.
# A build that changes nothing leaves output/ exactly as it was.

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from sitegen.errors import BuildFailed, Problem
from sitegen.lock import WORK_DIR, work_dir

MARKER = ".sitegen-output"
_MARKER_HEADER = ("Thư mục này do build.py tạo ra và sẽ được thay toàn bộ ở lần dựng sau.\n"
                  "Đừng sửa tệp ở đây: hãy sửa content/, templates/ hoặc site_data.yaml.\n"
                  "Tệp cần đặt ở gốc trang (web.config, .htaccess…): để trong templates/goc-trang/.\n")
_MANIFEST_START = "--- danh sách tệp (mã, cỡ, thời gian, đường dẫn) ---"
_PROTECTED = {"content", "templates", "tests", "sitegen", ".git", ".ci", "benchmarks", "docs", WORK_DIR, ".cache"}
MAX_FOREIGN_SHOWN = 10
_SETTLE_NS = 2_000_000_000  # file-system clocks tick at up to 2 s (FAT): a change this close to a stamp may not show
T = TypeVar("T")


@dataclass(frozen=True)
class Written:
    """A file of the previous build, as the marker recorded it."""

    digest: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class OutputStamp:
    """output/ just after a build wrote it: its marker, and the time of every folder holding its files.

    Adding, removing or renaming a file changes its folder's time, and changing a file changes its own,
    so a later build can tell that output/ is as it was from one look at each (no folder is listed).
    """

    folder: str  # output/, resolved
    marker: tuple[int, int, int]  # the marker's size, modification time and inode
    files: tuple[tuple[str, int, int], ...]  # what the marker lists: path, size, modification time (ns)
    folders: tuple[tuple[str, int], ...]  # folder under output/ ("" for output/ itself) → modification time (ns)
    settled_ns: int  # a folder whose time is this or later may have changed again within one clock tick


@dataclass(frozen=True)
class WriteReport:
    """What writing did: the files of the site, and which of them were new, changed or removed."""

    output: Path
    files: int
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    warnings: tuple[Problem, ...] = ()
    stamp: OutputStamp | None = None  # output/ as it was left (None when it could not be read)
    marker_digest: str = ""  # the digest of its marker: names what output/ holds (see SiteWriter.marker_digest)

    @property
    def unchanged(self) -> bool:
        """Nothing new, changed or removed: output/ was left as it was."""
        return not (self.added or self.changed or self.removed)


def file_name_for(site_path: str) -> str:
    """Output file of a site path: "" → index.html, "x/" → x/index.html, "404.html" as is."""
    return site_path + "index.html" if site_path.endswith("/") or not site_path else site_path


def digest_bytes(data: bytes) -> str:
    """The identity of a file's content, as the marker records it."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_file(path: Path) -> str:
    """digest_bytes of a file, read in pieces."""
    hasher = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def check_output_dir(root: Path, output: Path, stamp: OutputStamp | None = None) -> dict[str, Written]:
    """Refuse an output folder outside the project, over its sources, or holding files not ours.

    Returns what the previous build wrote there (empty for a new or empty folder). With the last build's
    `stamp`, output/ is not listed when every folder and file has the time the stamp and the marker
    record; a file system that keeps no folder times could then hide a file added since, so a caller that
    is about to replace output/ as a whole checks it again without the stamp first.
    """
    return _output_files(root, output, stamp)[1]


def _output_files(root: Path, output: Path, stamp: OutputStamp | None = None
                  ) -> tuple[dict[str, Written], dict[str, Written]]:
    """What the marker of output/ lists, and those of its files that are there as written; refused as above."""
    resolved = check_output_location(root, output)
    shown = _shown(root.resolve(), resolved)
    if not resolved.is_dir() or not any(resolved.iterdir()):
        return {}, {}
    marker = resolved / MARKER
    if not marker.is_file():
        raise BuildFailed([Problem(shown, None,
                                   "thư mục này có tệp không do build.py tạo ra; để không làm mất "
                                   "tệp của ai, trình tạo trang không ghi đè. Hãy chuyển các tệp "
                                   "đó đi nơi khác hoặc chọn thư mục xuất khác")])
    listed_files = _read_marker(marker)
    if stamp is not None and _as_stamped(resolved, stamp):
        return listed_files, listed_files
    present, foreign = _scan_output(resolved, listed_files)
    if foreign:
        listed = ", ".join(foreign[:MAX_FOREIGN_SHOWN]) + (f" và {len(foreign) - MAX_FOREIGN_SHOWN} tệp khác"
                                                           if len(foreign) > MAX_FOREIGN_SHOWN else "")
        raise BuildFailed([Problem(shown, None,
                                   f"có {len(foreign)} tệp không do build.py tạo ra hoặc đã bị sửa tay: {listed}. "
                                   "Để không làm mất tệp của ai, trình tạo trang dừng lại. Tệp cần có ở gốc trang "
                                   "(web.config, .htaccess, googleXXXX.html…) hãy đặt vào templates/goc-trang/ để "
                                   "lần dựng nào cũng có; tệp khác hãy chuyển đi nơi khác, rồi dựng lại")])
    return listed_files, {path: known for path, known in listed_files.items() if path in present}


def tidy_work_folder(root: Path, output: Path) -> None:
    """Under the build lock: finish or clear what stopped builds left in .sitegen-tmp/ (nothing else)."""
    output = check_output_location(root, output)
    work = work_dir(root)
    _finish_journal(work, output)
    _recover(work, output)


def output_intact(root: Path, output: Path, stamp: OutputStamp | None = None) -> bool:
    """output/ holds exactly what the last build wrote (nothing missing); refuses foreign files as the writer does
    (with the last build's `stamp`, as check_output_dir does)."""
    resolved = check_output_location(root, output)
    if not (resolved / MARKER).is_file():
        return False
    if stamp is not None and _as_stamped(resolved, stamp):
        return True  # the marker is as the stamp recorded it: not even read
    listed, present = _output_files(root, output)
    return len(present) == len(listed)


def stamp_output(output: Path, files: Iterable[tuple[str, int, int]]) -> OutputStamp | None:
    """The stamp of output/ as a build has just left it, holding `files` as its marker lists them (path, size,
    modification time); None when it cannot be read."""
    files = tuple(files)
    folders = {""}
    for site_file, _, _ in files:
        folder = site_file.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    base = str(output) + os.sep
    taken = time.time_ns()  # before the folders are looked at: a change after that has a time of this or later
    try:
        marker = os.stat(base + MARKER, follow_symlinks=False)
        times = tuple((folder, os.stat(base + folder, follow_symlinks=False).st_mtime_ns) for folder in sorted(folders))
    except OSError:
        return None
    return OutputStamp(str(output), (marker.st_size, marker.st_mtime_ns, marker.st_ino), files, times,
                       taken - _SETTLE_NS)


def _as_stamped(output: Path, stamp: OutputStamp) -> bool:
    """output/ is as the stamp says, by the times of its marker, folders and files; False: look properly.

    A folder whose time is too close to the stamp's to be told from a later change is listed after all.
    """
    if stamp.folder != str(output):
        return False
    base = str(output) + os.sep
    try:
        marker = os.stat(base + MARKER, follow_symlinks=False)
        if (marker.st_size, marker.st_mtime_ns, marker.st_ino) != stamp.marker:
            return False
        unsettled = []
        for folder, mtime in stamp.folders:
            info = os.stat(base + folder, follow_symlinks=False)
            if info.st_mtime_ns != mtime or not stat.S_ISDIR(info.st_mode):
                return False
            if mtime >= stamp.settled_ns:
                unsettled.append(folder)
        for site_file, size, mtime in stamp.files:
            info = os.stat(base + site_file, follow_symlinks=False)
            if info.st_size != size or info.st_mtime_ns != mtime or not stat.S_ISREG(info.st_mode):
                return False
        folders = {folder for folder, _ in stamp.folders}
        listed = {site_file for site_file, _, _ in stamp.files} if unsettled else set()
        for folder in unsettled:
            prefix = folder + "/" if folder else ""
            with os.scandir(base + folder) as entries:
                for entry in entries:
                    relative = prefix + entry.name
                    expected = folders if entry.is_dir(follow_symlinks=False) else listed
                    if relative not in expected and relative != MARKER:
                        return False
    except OSError:
        return False
    return True


def check_output_location(root: Path, output: Path) -> Path:
    """The output folder, resolved; refused when outside the project, over its sources or a file."""
    root = root.resolve()
    resolved = output.resolve()
    shown = _shown(root, resolved)
    if resolved == root or root not in resolved.parents:
        raise BuildFailed([Problem(shown, None, "thư mục xuất phải nằm bên trong thư mục dự án "
                                                "(mặc định: output/)")])
    if resolved.relative_to(root).parts[0] in _PROTECTED or resolved.name in _PROTECTED:
        raise BuildFailed([Problem(shown, None, "không thể xuất trang vào thư mục nguồn của dự án; "
                                                "hãy dùng output/")])
    if resolved.exists() and not resolved.is_dir():
        raise BuildFailed([Problem(shown, None, "đã có một tệp trùng tên thư mục xuất")])
    return resolved


def _scan_output(output: Path, listed: dict[str, Written]) -> tuple[set[str], list[str]]:
    """The listed files present as written, and the files not listed or changed since (sorted)."""
    present: set[str] = set()
    foreign: list[str] = []
    stack: list[tuple[str, str]] = [(str(output), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, relative + "/"))
                    continue
                if relative == MARKER:
                    continue
                known = listed.get(relative)
                if known is None or entry.is_symlink():
                    foreign.append(relative)
                    continue
                info = entry.stat(follow_symlinks=False)
                if (info.st_size, info.st_mtime_ns) != (known.size, known.mtime_ns) and (
                        info.st_size != known.size or digest_file(Path(entry.path)) != known.digest):
                    foreign.append(relative)
                else:
                    present.add(relative)
    return present, sorted(foreign)


def _read_marker(marker: Path) -> dict[str, Written]:
    """The file list of a marker; a marker of an older version (no list) trusts every file in the folder."""
    text = marker.read_text(encoding="utf-8", errors="replace")
    if _MANIFEST_START not in text:
        output = marker.parent
        return {p.relative_to(output).as_posix(): Written("", p.stat().st_size, p.stat().st_mtime_ns)
                for p in output.rglob("*") if p.is_file() and not p.is_symlink() and p.name != MARKER}
    written: dict[str, Written] = {}
    for line in text.split(_MANIFEST_START, 1)[1].splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit():
            written[parts[3]] = Written(parts[0], int(parts[1]), int(parts[2]))
    return written


@dataclass
class SiteWriter:
    """Collects the files of one build, then puts them in place; use as a context manager.

    A file whose content is what output/ already holds is not written at all. At commit:
    - few changes (a post edited): the changed files, already complete in the staging folder, are moved
      into output/ one by one (each move is atomic) after a journal listing them is written; a build
      stopped in the middle is finished by the next one before it does anything else;
    - many changes: the unchanged files are hard-linked into the staging folder, which then replaces
      output/ in one step (rename aside, move in, delete old: this works on Windows too).
    Leaving the block without `commit()` (an error, Ctrl+C) removes the staging folder and leaves
    output/ untouched. With the last build's `stamp`, output/ is looked at as check_output_dir says.
    """

    root: Path
    output: Path
    stamp: OutputStamp | None = None
    _previous: dict[str, Written] = field(default_factory=dict)
    marker_digest: str = ""  # of the live output/'s marker ("" when none): equal to the last build's, the
    # folder holds what that build wrote (a build into another folder between the two leaves it behind)
    _staging: Path | None = None
    _complete: bool = True
    _made: set[Path] = field(default_factory=set)
    _entries: dict[str, str] = field(default_factory=dict)  # site file → digest
    _staged: set[str] = field(default_factory=set)  # files written into staging
    _added: list[str] = field(default_factory=list)
    _changed: list[str] = field(default_factory=list)

    def __enter__(self) -> SiteWriter:
        self.output = check_output_location(self.root, self.output)
        work = work_dir(self.root)
        _finish_journal(work, self.output)
        _recover(work, self.output)
        listed, self._previous = _output_files(self.root, self.output, self.stamp)
        self._complete = len(listed) == len(self._previous)  # every file the marker lists is there as written
        with contextlib.suppress(OSError):
            self.marker_digest = digest_file(self.output / MARKER) if self._previous else ""
        self._staging = work / f"stage-{secrets.token_hex(4)}"
        self._guard(self._staging.mkdir)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._staging is not None:
            for folder in (self._staging, self._scratch_path()):
                if folder.exists():
                    _remove_tree(folder)

    def scratch(self) -> Path:
        """An empty folder of this build's own, for work files (removed with the staging folder; a stopped
        build's is cleared by the next one)."""
        folder = self._scratch_path()
        self._guard(lambda: folder.mkdir(exist_ok=True))
        return folder

    def _scratch_path(self) -> Path:
        assert self._staging is not None, "use SiteWriter as a context manager"
        return self._staging.with_name(self._staging.name + "-scratch")  # "stage-*": cleared by _recover

    def previous_digest(self, site_file: str) -> str | None:
        """The digest of what output/ holds at this path, as the last build wrote it."""
        known = self._previous.get(site_file)
        return known.digest if known else None

    def previous_files(self) -> dict[str, str]:
        """Every file of the live output/ with its digest."""
        return {path: known.digest for path, known in self._previous.items()}

    def read_previous(self, site_file: str) -> bytes | None:
        """The bytes output/ holds at this path (checked against the marker), or None."""
        known = self._previous.get(site_file)
        try:
            data = (self.output / site_file).read_bytes() if known else None
        except OSError:
            return None
        return data if data is not None and digest_bytes(data) == known.digest else None  # type: ignore[union-attr]

    def keep(self, site_file: str) -> bool:
        """Keep a file of the live output/ as it is; False when output/ does not hold it."""
        known = self._previous.get(site_file)
        if known is None or site_file in self._entries:
            return False
        self._entries[site_file] = known.digest
        return True

    def add(self, site_file: str, data: bytes) -> None:
        """A file of the site given as bytes ("tin-hoat-dong/x/index.html")."""
        self._place(site_file, digest_bytes(data), lambda target: target.write_bytes(data))

    def copy(self, site_file: str, source: Path, digest: str | None = None) -> None:
        """A file of the site copied from `source`; `digest` is its content's identity if known."""
        self._place(site_file, digest or digest_file(source), lambda target: shutil.copyfile(source, target))

    def _place(self, site_file: str, digest: str, write: Callable[[Path], object]) -> None:
        assert self._staging is not None, "use SiteWriter as a context manager"
        if site_file in self._entries:
            raise ValueError(f"written twice: {site_file}")
        known = self._previous.get(site_file)
        self._entries[site_file] = digest
        if known is not None and known.digest == digest:
            return  # output/ already holds exactly this
        target = _inside(self._staging, site_file, self._made)
        self._guard(lambda: write(target))
        self._staged.add(site_file)
        (self._changed if known is not None else self._added).append(site_file)

    def commit(self) -> WriteReport:
        """Put the new site in place (unless nothing changed) and report what changed."""
        assert self._staging is not None, "use SiteWriter as a context manager"
        removed = tuple(sorted(set(self._previous) - set(self._entries)))
        report = WriteReport(self.output, len(self._entries), tuple(self._added), tuple(self._changed), removed)
        if report.unchanged and (self.output / MARKER).is_file():
            stamp = stamp_output(self.output, sorted((site_file, known.size, known.mtime_ns)
                                                     for site_file, known in self._previous.items()))
            # A file the marker lists but that is gone: no stamp, so the next build looks again and sees it.
            return replace(report, stamp=stamp if self._complete else None, marker_digest=self.marker_digest)
        listing = self._listing()
        marker = "\n".join([_MARKER_HEADER, _MANIFEST_START, *(f"{self._entries[site_file]} {size} {mtime} {site_file}"
                                                               for site_file, size, mtime in listing)]) + "\n"
        changes = len(self._staged) + len(removed)
        in_place = self._previous and changes <= max(IN_PLACE_LIMIT, len(self._entries) // 50)
        if self.stamp is not None and (not in_place or self._unknown_in_the_way()):
            check_output_dir(self.root, self.output)  # about to replace what the stamp may not have shown: look
        if in_place:
            warnings = self._guard(lambda: self._in_place(removed, marker))
        else:
            warnings = self._guard(lambda: self._swap_whole(marker))
        return WriteReport(report.output, report.files, report.added, report.changed, removed, warnings,
                           stamp_output(self.output, listing), digest_bytes(marker.encode("utf-8")))

    def _swap_whole(self, marker: str) -> tuple[Problem, ...]:
        assert self._staging is not None
        for site_file in sorted(set(self._entries) - self._staged):
            target = _inside(self._staging, site_file, self._made)
            try:
                os.link(self.output / site_file, target)
            except OSError:
                shutil.copyfile(self.output / site_file, target)  # no hard links here (FAT, some shares)
        (self._staging / MARKER).write_bytes(marker.encode("utf-8"))  # as is: its digest names it
        token = self._staging.name.removeprefix("stage-")
        return _swap(self._staging, self.output, self._staging.parent / f"old-{token}")

    def _in_place(self, removed: tuple[str, ...], marker: str) -> tuple[Problem, ...]:
        assert self._staging is not None
        (self._staging / MARKER).write_bytes(marker.encode("utf-8"))  # as is: its digest names it
        journal = self._staging.parent / f"journal-{self._staging.name.removeprefix('stage-')}.json"
        journal.write_text(json.dumps({"staging": self._staging.name, "moves": sorted(self._staged),
                                       "removes": list(removed)}), encoding="utf-8")
        _apply_journal(journal, self.output)
        return ()

    def _unknown_in_the_way(self) -> bool:
        """Whether a new file would land on, or be written through, something the stamp does not know (a file
        or a link standing where it goes, or in a folder on its way)."""
        known = {folder for folder, _ in self.stamp.folders} if self.stamp else set()
        for site_file in self._added:
            if os.path.lexists(self.output / site_file):
                return True
            folder = site_file.rpartition("/")[0]
            while folder:
                path = self.output / folder
                if os.path.lexists(path) and (folder not in known or path.is_symlink()):
                    return True
                folder = folder.rpartition("/")[0]
        return False

    def _listing(self) -> list[tuple[str, int, int]]:
        """Every file of the new site with its size and time, as the marker lists them (with its digest)."""
        assert self._staging is not None
        listing = []
        for site_file in sorted(self._entries):
            if site_file in self._staged:
                info = (self._staging / site_file).stat()
                listing.append((site_file, info.st_size, info.st_mtime_ns))
            else:
                known = self._previous[site_file]
                listing.append((site_file, known.size, known.mtime_ns))
        return listing

    def _guard(self, action: Callable[[], T]) -> T:
        """Run a file-system step; an OSError becomes a Vietnamese message (output/ is left as it was)."""
        try:
            return action()
        except OSError as error:
            raise self.write_failure(error) from None

    def write_failure(self, error: OSError) -> BuildFailed:
        """The Vietnamese message for a file-system step of this build that failed."""
        return BuildFailed([Problem(_shown(self.root.resolve(), self.output), None,
                                    f"không ghi được trang mới ({_reason(error)}); thư mục cũ giữ nguyên")])


IN_PLACE_LIMIT = 300
"""Up to this many changed files (or 2 % of the site) are moved into output/ one by one."""


def _apply_journal(journal: Path, output: Path) -> None:
    """Move a journal's staged files into output/, delete its removed files, then drop the journal."""
    plan = json.loads(journal.read_text(encoding="utf-8"))
    staging = journal.parent / plan["staging"]
    for site_file in plan["moves"]:
        staged = staging / site_file
        if staged.exists():  # already moved by an earlier, stopped run
            target = output / site_file
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    for site_file in plan["removes"]:
        (output / site_file).unlink(missing_ok=True)
        _prune_empty(output, (output / site_file).parent)
    if (staging / MARKER).exists():
        os.replace(staging / MARKER, output / MARKER)
    journal.unlink()
    _remove_tree(staging)


def _finish_journal(work: Path, output: Path) -> None:
    """Finish what a build stopped while moving files into output/ had started."""
    for journal in sorted(work.glob("journal-*.json")):
        try:
            _apply_journal(journal, output)
        except (OSError, ValueError, KeyError):
            journal.unlink(missing_ok=True)  # unreadable: the foreign-file check below judges output/


def _prune_empty(output: Path, folder: Path) -> None:
    """Remove folders left empty by removed files, up to output/ itself."""
    while folder != output and output in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _reason(error: OSError) -> str:
    """Why writing failed, in Vietnamese, with the file concerned."""
    where = f" – {error.filename}" if error.filename else ""
    if isinstance(error, PermissionError):
        return ("không có quyền ghi, hoặc một tệp trong thư mục đang mở ở chương trình khác; hãy đóng "
                "lại rồi dựng lại" + where)
    if error.errno == errno.ENOSPC:
        return "ổ đĩa đã đầy" + where
    if error.errno == errno.ENAMETOOLONG:
        return "tên tệp quá dài" + where
    if error.errno == errno.EXDEV:
        return "thư mục xuất nằm trên ổ đĩa khác với thư mục dự án; hãy để output/ ngay trong dự án"
    return f"lỗi hệ thống {error.errno}{where}"


def _inside(folder: Path, relative: str, made: set[Path]) -> Path:
    """A path under `folder`, its parent folder made; anything that would escape is a bug, never written."""
    parts = relative.split("/")
    if relative.startswith("/") or ".." in parts or "" in parts or "\\" in relative or ":" in relative:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    target = folder / relative
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    return target


def _swap(staging: Path, output: Path, old: Path) -> tuple[Problem, ...]:
    """Replace output/ by staging/ (rename aside, move in, delete old: works on Windows too)."""
    if not output.exists():
        os.replace(staging, output)
        return ()
    os.replace(output, old)
    try:
        os.replace(staging, output)
    except OSError:
        os.replace(old, output)
        raise
    if not _remove_tree(old):
        return (Problem(f"{WORK_DIR}/{old.name}", None,
                        "không xóa được bản trang cũ (thư mục hoặc tệp chỉ đọc, hoặc đang mở ở chương trình khác); "
                        "trang mới đã dựng xong, bản cũ sẽ được xóa ở lần dựng sau"),)
    return ()


def _recover(work: Path, output: Path) -> None:
    """Under the lock: put back a site a stopped build left aside, then clear what dead builds left.

    Only .sitegen-tmp/ is touched: everything in it was made by the generator.
    """
    old_sites = sorted((f for f in work.glob("old-*") if (f / MARKER).is_file()), key=lambda f: f.stat().st_mtime_ns)
    if not output.exists() and old_sites:
        os.replace(old_sites.pop(), output)
    for folder in [*work.glob("stage-*"), *work.glob("old-*")]:
        if folder.is_dir():
            _remove_tree(folder)


def _remove_tree(folder: Path) -> bool:
    """Delete a folder of ours, making read-only entries writable first; False if something stayed."""
    def retry(function: Callable[[str], object], path: str, _: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
            os.chmod(path, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
            function(path)

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=retry)  # type: ignore[call-arg]
    else:
        shutil.rmtree(folder, onerror=retry)
    return not folder.exists()


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
