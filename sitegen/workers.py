"""Worker processes with a deadline per task: a file that takes too long cannot stall the build."""

# A task runs in a worker process; the build waits for it at most `deadline` seconds, then stops that
# process and starts a fresh one, so a pathological post (Python-Markdown can take minutes on a long
# run of "[") costs one located error instead of the whole build. Each worker receives a shared
# context once (for example the table that links are resolved against), then small tasks.
#
# On Linux a build with no other thread forks its workers (milliseconds; the modules are already
# loaded). Where threads run (the preview server) workers come from a "forkserver", a clean process
# that has the modules imported, so no thread or lock of the build is copied. Windows and macOS spawn.

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

DEFAULT_DEADLINE = 10.0  # seconds a single file may take
_PRELOAD = ["sitegen.markup"]
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


@dataclass(frozen=True)
class TaskFailed:
    """A task that did not finish: "timeout" (past the deadline), "crash" (its process died) or "error" (it raised)."""

    reason: str
    seconds: float


def worker_count(tasks: int) -> int:
    """How many processes pay for `tasks` tasks: one per core, never more than the tasks."""
    return max(1, min(os.cpu_count() or 1, tasks))


def _context() -> Any:
    """fork where it is safe (Linux, one thread: milliseconds, the modules already loaded); else a fork server
    (threads running, as in serve); spawn on Windows and macOS."""
    if sys.platform == "win32" or sys.platform == "darwin":  # pragma: no cover - no safe fork there
        return multiprocessing.get_context("spawn")
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start processes without re-running the caller's script in them.

    multiprocessing imports the main script again in a new process (as __mp_main__) when it can find
    it; a script without an `if __name__ == "__main__":` guard would then build again, recursively.
    The workers need nothing from it, so it is hidden while they start.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {name: getattr(main, name) for name in ("__file__", "__spec__") if hasattr(main, name)}
    try:
        main.__spec__ = None  # type: ignore[assignment]
        if hasattr(main, "__file__"):
            del main.__file__
        yield
    finally:
        for name, value in saved.items():
            setattr(main, name, value)


def die_with_parent(parent: int) -> None:
    """In a forked worker: end as soon as the process that started it (`parent`, its pid; 0: not forked) ends.

    A forked worker holds copies of the build's open files, the project lock among them, and of the
    other workers' pipes (so it would never see its own pipe close). One left running after its build
    was killed (kill, a closed console, a time limit) would keep every later build waiting.
    """
    if not parent:  # started fresh (spawn, fork server): it holds none of the build's files
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the line above took effect
        os._exit(0)


def _serve(connection: Connection, function: Callable[[Any, Any], Any], parent: int) -> None:
    """A worker's loop: ("context", value) sets the shared context, ("task", key, value) runs one task."""
    die_with_parent(parent)
    shared = None
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message[0] == "stop":
            return
        if message[0] == "context":
            shared = message[1]
            continue
        _, key, task = message
        try:
            result = function(task, shared)
        except Exception:  # a task's own bug must not print a traceback or stop the build
            result = TaskFailed("error", 0.0)
        connection.send((key, result))


@dataclass
class _Worker:
    process: Any
    connection: Connection
    key: str | None = None
    started: float = 0.0


class WorkerPool:
    """A fixed number of worker processes running `function(task, context)`; use as a context manager."""

    def __init__(self, function: Callable[[Any, Any], Any], processes: int, deadline: float = DEFAULT_DEADLINE) -> None:
        self._function = function
        self._size = max(1, processes)
        self._deadline = deadline
        self._context_value: Any = None
        self._mp = _context()
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        self._workers = [self._start() for _ in range(self._size)]
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        parent, child = self._mp.Pipe(duplex=True)
        forked = self._mp.get_start_method() == "fork"
        process = self._mp.Process(target=_serve, args=(child, self._function, os.getpid() if forked else 0),
                                   daemon=True)
        with _main_module_hidden():
            process.start()
        child.close()
        worker = _Worker(process, parent)
        if self._context_value is not None:
            parent.send(("context", self._context_value))
        return worker

    def set_context(self, value: Any) -> None:
        """The shared context every task of the following `run` receives."""
        self._context_value = value
        for worker in self._workers:
            worker.connection.send(("context", value))

    def run(self, tasks: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
        """Yield (key, result or TaskFailed) for every task, in the order they finish."""
        pending = iter(tasks)
        busy: dict[Connection, _Worker] = {}
        idle = list(self._workers)
        exhausted = False
        while True:
            while idle and not exhausted:
                item = next(pending, None)
                if item is None:
                    exhausted = True
                    break
                worker = idle.pop()
                worker.key, worker.started = item[0], time.monotonic()
                worker.connection.send(("task", item[0], item[1]))
                busy[worker.connection] = worker
            if not busy:
                return
            now = time.monotonic()
            timeout = max(0.0, min(w.started + self._deadline for w in busy.values()) - now)
            for connection in wait(list(busy), timeout=timeout):
                worker = busy.pop(connection)  # type: ignore[arg-type]
                try:
                    key, result = worker.connection.recv()
                except (EOFError, OSError):
                    yield worker.key or "", TaskFailed("crash", time.monotonic() - worker.started)
                    worker = self._replace(worker)
                else:
                    yield key, result
                idle.append(worker)
            now = time.monotonic()
            for connection, worker in list(busy.items()):
                if now - worker.started >= self._deadline:
                    del busy[connection]
                    yield worker.key or "", TaskFailed("timeout", now - worker.started)
                    idle.append(self._replace(worker))

    def _replace(self, worker: _Worker) -> _Worker:
        """Stop a stuck or dead worker and start a fresh one in its place."""
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        fresh = self._start()
        self._workers = [fresh if w is worker else w for w in self._workers]
        return fresh

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            with contextlib.suppress(OSError, ValueError):
                worker.connection.send(("stop",))
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=2)
            worker.connection.close()
        self._workers = []
