"""One build or publish at a time per project: an OS file lock that dies with its process."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sitegen.errors import BuildFailed, Problem
from sitegen.text import VIETNAM_TZ

WORK_DIR = ".sitegen-tmp"
"""The generator's own working folder at the project root: staging, old sites, locks. Nothing
else is ever deleted by the generator, and nothing in here belongs to anyone else."""

DEFAULT_WAIT = 60.0  # seconds a second build waits for the first before giving up
_POLL = 0.2


class LockBusy(Exception):  # noqa: N818 - an outcome staff see, not a bug
    """Another process of this project holds the lock; carries a Vietnamese problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as written in the lock file by the holder."""

    pid: int
    started: str
    what: str


def work_dir(root: Path) -> Path:
    """The generator's reserved working folder of a project (made if missing)."""
    folder = root.resolve() / WORK_DIR
    if folder.exists() and not folder.is_dir():
        raise BuildFailed([Problem(WORK_DIR, None, f"'{WORK_DIR}' phải là thư mục làm việc của trình tạo trang "
                                                   "nhưng đang là một tệp; hãy đổi tên hoặc chuyển tệp đó đi "
                                                   "(trình tạo trang không xoá tệp của ai), rồi chạy lại")])
    folder.mkdir(exist_ok=True)
    return folder


@contextlib.contextmanager
def project_lock(root: Path, name: str = "build", what: str = "dựng trang", wait: float = DEFAULT_WAIT,
                 on_wait: Callable[[Holder | None], None] | None = None) -> Iterator[None]:
    """Hold `<project>/.sitegen-tmp/<name>.lock` for the block; wait up to `wait` seconds, then refuse.

    The lock is an OS lock on an open file (flock on Linux and macOS, msvcrt on Windows), so the
    operating system releases it when the process ends in any way, `kill -9` included: a stale lock
    file never blocks anyone. The file itself stays; only the lock on it matters.
    """
    path = work_dir(root) / f"{name}.lock"
    handle = open(path, "a+b")  # noqa: SIM115 - held open for the whole block
    try:
        deadline = time.monotonic() + wait
        told = False
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                holder = _read_holder(path)
                raise LockBusy(Problem(f"{WORK_DIR}/{name}.lock", None, _busy_message(holder, what, wait)))
            if not told and on_wait is not None:
                on_wait(_read_holder(path))
                told = True
            time.sleep(_POLL)
        _write_holder(handle, what)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()


def _busy_message(holder: Holder | None, what: str, wait: float) -> str:
    who = f" (tiến trình số {holder.pid}, bắt đầu lúc {holder.started}: {holder.what})" if holder else ""
    return (f"đang có một lệnh khác {what} cho dự án này{who}; đã chờ {round(wait)} giây mà chưa xong. "
            "Hãy đợi lệnh kia chạy xong rồi thử lại (chỉ một lệnh được chạy mỗi lúc, để thư mục "
            "output/ không bị hỏng)")


def _write_holder(handle: BinaryIO, what: str) -> None:
    started = datetime.now(VIETNAM_TZ).strftime("%H:%M:%S ngày %d/%m/%Y")
    text = f"{os.getpid()}\n{started}\n{what}\n".encode()
    with contextlib.suppress(OSError):
        handle.seek(0)
        handle.truncate()
        handle.write(text)
        handle.flush()


def _read_holder(path: Path) -> Holder | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return Holder(int(lines[0]), lines[1], lines[2])
    except (OSError, ValueError, IndexError):
        return None


if sys.platform == "win32":  # pragma: no cover - exercised on staff's Windows laptops
    import msvcrt

    def _try_lock(handle: BinaryIO) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
