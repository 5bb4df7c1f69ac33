"""`serve`: a live preview on 127.0.0.1 that rebuilds what changed on every save and reloads the open pages."""

# The preview is built, drafts and scheduled posts included, into .sitegen-preview/, never into output/, with
# the build state kept in memory from one save to the next (and in .cache/preview-… for the next start). Pages
# are served under the configured sub-path with the site's own 404 page, exactly as published, plus the
# livereload.js tag.
#
# livereload's own watcher drops a reload that comes within three seconds of the previous one
# (`LiveReloadHandler.poll_tasks`, `reload_time`). We only use its browser side (livereload.js and the
# WebSocket handler) and call `reload_waiters` ourselves after each build, so every save is answered.

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import mimetypes
import signal
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, netutil, web
from tornado.ioloop import IOLoop

from sitegen.build_report import changed_files
from sitegen.config import load_settings
from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.lock import LockBusy
from sitegen.model import BuildOptions
from sitegen.output import check_output_location, file_name_for
from sitegen.pipeline import BuildReport, build
from sitegen.preview_page import decorate, overlay, waiting_page
from sitegen.state import BuildState
from sitegen.text import VIETNAM_TZ, format_number
from sitegen.urls import base_path
from sitegen.watch import Snapshot, take_snapshot, wait_for_changes

PREVIEW_DIR = ".sitegen-preview"
_BARE_404 = '<!doctype html><html lang="vi"><title>404</title><h1>Không tìm thấy trang</h1></html>'.encode()
PORTS_TRIED = 20  # the port asked for, then the next ones while they are taken
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
          ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".svg": "image/svg+xml", ".webp": "image/webp", ".avif": "image/avif", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf", ".ico": "image/x-icon",
          ".webmanifest": "application/manifest+json"}


@dataclass(frozen=True)
class Outcome:
    """One preview build: its report, or the problems that stopped it."""

    report: BuildReport | None
    problems: tuple[Problem, ...] = ()
    internal: bool = False  # a bug of ours rather than a mistake in the files
    base_path: str = "/"


@dataclass
class _Shown:
    """What the server shows; changed only on the server's thread."""

    folder: Path
    port: int
    base_path: str
    built: bool = False
    overlay: str | None = None


class _Previewer:
    """Rebuilds the preview, keeping the build state between saves (used by the watching thread only)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.options = BuildOptions(root=root, output=root / PREVIEW_DIR, drafts=True, future=True, lock_wait=30.0,
                                    state_name="preview")  # its own kept state: a new start is quick
        self.state = BuildState()

    def rebuild(self) -> Outcome:
        try:
            report = build(self.options, state=self.state)
        except BuildFailed as failure:
            return Outcome(None, tuple(failure.errors))
        except LockBusy as busy:
            return Outcome(None, (busy.problem,))
        except Exception as error:  # a bug of ours: shown in the page, the server carries on
            return Outcome(None, (Problem("trình tạo trang", None, f"{type(error).__name__}: {error}. Hãy báo cho "
                                                                  "người phát triển; thư mục output/ không bị "
                                                                  "đụng đến."),), internal=True)
        return Outcome(report, base_path=configured_base_path(self.root))


def configured_base_path(root: Path) -> str:
    """The sub-path of base_url ("/vi-nguoi-ngheo/"), or "/" while site_data.yaml cannot be read."""
    try:
        return base_path(load_settings(root, Diagnostics()).base_url)
    except Exception:  # the build reports what is wrong with the file
        return "/"


class _PreviewHandler(web.RequestHandler):
    """The preview folder under the sub-path, as a portal would serve it, with the live-reload tag."""

    def initialize(self, shown: _Shown) -> None:
        self.shown = shown

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def head(self) -> None:
        self.get()

    def get(self) -> None:
        shown = self.shown
        if not shown.built:
            self._send(503 if shown.overlay else 200, waiting_page(shown.port, shown.overlay), ".html")
            return
        path = unquote(self.request.path)
        base = shown.base_path
        if path + "/" == base or (path == "/" and base != "/"):
            self.redirect(base)
            return
        if not path.startswith(base) or "\x00" in path or "\\" in path:
            self._not_found()
            return
        relative = path[len(base):]
        try:
            target = _inside(shown.folder, relative)
            if target is not None and target.is_dir():
                if relative and not relative.endswith("/"):
                    self.redirect(path + "/" + (f"?{self.request.query}" if self.request.query else ""))
                    return
                target = _inside(shown.folder, file_name_for(relative))
            body = target.read_bytes() if target is not None and target.is_file() else None
        except OSError:  # a name too long for the disk, a file removed while read: no such page
            body = None
        if body is None or target is None:
            self._not_found()
            return
        self._send(200, body, target.suffix.lower())

    def _not_found(self) -> None:
        page = self.shown.folder / "404.html"
        body = page.read_bytes() if page.is_file() else _BARE_404
        self._send(404, body, ".html")

    def _send(self, status: int, body: bytes, suffix: str) -> None:
        kind = _TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0] or "application/octet-stream"
        if suffix == ".html":
            body = decorate(body, self.shown.port, self.shown.overlay)
        self.set_status(status)
        self.set_header("Content-Type", kind)
        if self.request.method != "HEAD":
            self.write(body)
        else:
            self.set_header("Content-Length", str(len(body)))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish(f"Lỗi {status_code}")


def _inside(folder: Path, relative: str) -> Path | None:
    """The file of a site path, or None when the path would leave the preview folder."""
    try:
        target = (folder / relative).resolve()
    except (OSError, ValueError):
        return None
    return target if target == folder or folder in target.parents else None


def _quiet_log(handler: web.RequestHandler) -> None:
    """No access log: the console is for staff, and a 404 is not their problem."""


def _bind(host: str, port: int) -> tuple[list[socket.socket], int]:
    """Listening sockets on the port asked for or the next free one; OSError when none is free."""
    last: OSError | None = None
    for candidate in range(port, min(port + PORTS_TRIED, 65536)) if port else (0,):
        try:
            sockets = netutil.bind_sockets(candidate, address=host)
        except OSError as error:
            if error.errno == errno.EADDRNOTAVAIL or isinstance(error, socket.gaierror):
                raise
            last = error
            continue
        return sockets, sockets[0].getsockname()[1]
    raise last or OSError(errno.EADDRINUSE, "no free port")


def _say(message: str) -> None:
    print(message, flush=True)


def _clock() -> str:
    """Viet Nam time, like every other time the generator prints (scheduled posts, the lock)."""
    return datetime.now(VIETNAM_TZ).strftime("%H:%M:%S")


def _changes(report: BuildReport) -> str:
    return changed_files(report) or "không có gì thay đổi"


def _saved(paths: tuple[str, ...]) -> str:
    if not paths:
        return ""
    more = f" và {format_number(len(paths) - 1)} tệp khác" if len(paths) > 1 else ""
    return f" sau khi lưu {paths[0]}{more}"


class _Server:
    """The preview's two sides: the server thread shows, the watching thread rebuilds."""

    def __init__(self, root: Path, shown: _Shown, host: str, open_browser: bool) -> None:
        self.root = root
        self.shown = shown
        self.host = host
        self.open_browser = open_browser
        self.stop = threading.Event()
        self.loop: IOLoop | None = None
        self.builds = 0

    def watch(self) -> None:
        """The watching thread: build, then rebuild after every burst of saves, until told to stop."""
        previewer = _Previewer(self.root)
        known: Snapshot = take_snapshot(self.root)
        self._built(previewer.rebuild(), ())
        while not self.stop.is_set():
            try:
                burst = wait_for_changes(self.root, known, self.stop.wait)
                if burst is None:
                    return
                known = burst.snapshot
                outcome = previewer.rebuild()
            except Exception as error:  # never let the watching thread die with a traceback
                outcome, burst = Outcome(None, (Problem("trình tạo trang", None, f"{type(error).__name__}: "
                                                                                 f"{error}"),), internal=True), None
            self._built(outcome, burst.paths if burst else ())

    def _built(self, outcome: Outcome, paths: tuple[str, ...]) -> None:
        loop = self.loop
        if loop is None or self.stop.is_set():
            return
        with contextlib.suppress(RuntimeError):  # the server is closing
            loop.add_callback(self._show, outcome, paths)

    def _show(self, outcome: Outcome, paths: tuple[str, ...]) -> None:
        """On the server thread: show the new build (or the overlay) and reload the open pages."""
        shown, first = self.shown, self.builds == 0
        self.builds += 1
        had_overlay = shown.overlay is not None
        report = outcome.report
        if report is None:
            shown.overlay = overlay(outcome.problems, outcome.internal)
            _say(f"[{_clock()}] Chưa dựng được{_saved(paths)}: {len(outcome.problems)} lỗi "
                 "(trang đang mở hiện thông báo lỗi; sửa rồi lưu lại).")
            for problem in outcome.problems[:10]:
                _say(f"  {problem}")
        else:
            shown.overlay = None
            shown.built = True
            shown.base_path = outcome.base_path
            seconds = format_number(report.seconds, 2)
            if first:
                _say(f"Đã dựng bản xem trước: {format_number(report.pages)} trang trong {seconds} giây.")
            else:
                _say(f"[{_clock()}] Đã dựng lại{_saved(paths)}: {format_number(report.rendered)} trang vẽ lại, "
                     f"{_changes(report)} ({seconds} giây).")
            if report.warnings:
                _say(f"  Cảnh báo ({len(report.warnings)}), ví dụ: {report.warnings[0]}")
        if first:
            self._welcome()
        if not first and (report is None or had_overlay or not report.unchanged):
            LiveReloadHandler.reload_waiters("*")

    def _welcome(self) -> None:
        url = f"http://{_host_in_url(self.host)}:{self.shown.port}{self.shown.base_path}"
        _say(f"Xem trước tại: {url}")
        _say("Bản xem trước có cả bài nháp và bài hẹn giờ (có dải nhãn), dựng vào .sitegen-preview/; "
             "thư mục output/ không bị đụng đến.")
        _say("Đang theo dõi content/, templates/ và site_data.yaml: lưu tệp là trang tự tải lại. "
             "Nhấn Ctrl+C để dừng.")
        if self.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def _host_in_url(host: str) -> str:
    if host in ("0.0.0.0", "", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _silence_libraries() -> None:
    """livereload and tornado log in English, with tracebacks; the console is for staff."""
    for name in ("livereload", "tornado", "tornado.access", "tornado.application", "tornado.general"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [logging.NullHandler()]
        logger.propagate = False


def run_serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    """Serve the live preview until Ctrl+C; return the exit code (0 stopped, 1 cannot start, 2 bad port)."""
    if not 0 <= port <= 65535:
        print(f"Cổng {port} không hợp lệ: hãy chọn một số từ 1024 đến 65535, ví dụ --port 8000.", file=sys.stderr)
        return 2
    try:
        check_output_location(root, root / PREVIEW_DIR)
        sockets, bound = _bind(host, port)
    except BuildFailed as failure:
        for problem in failure.errors:
            print(f"Không mở được bản xem trước: {problem}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Không mở được máy chủ xem trước ở {host}:{port} ({error.strerror or error}). Hãy thử cổng khác, ví "
              "dụ --port 8080.", file=sys.stderr)
        return 1
    if port and bound != port:
        _say(f"Cổng {port} đang bận, dùng cổng {bound}.")
    if host not in _LOOPBACK:
        _say(f"Lưu ý: máy chủ xem trước nghe ở {host}, nên các máy khác trong mạng cũng xem được bản nháp.")
    _silence_libraries()
    shown = _Shown(folder=(root / PREVIEW_DIR).resolve(), port=bound, base_path=configured_base_path(root))
    server = _Server(root, shown, host, open_browser)
    _say("Đang dựng bản xem trước…")
    previous_term = _stop_on_terminate()
    watcher = threading.Thread(target=server.watch, name="sitegen-watch", daemon=True)
    if sys.platform == "win32":  # as livereload does: tornado's handlers want a selector loop
        asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())  # type: ignore[attr-defined]
    try:
        asyncio.run(_serve_forever(server, sockets, watcher))
    except KeyboardInterrupt:
        pass
    finally:
        server.stop.set()
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
    watcher.join(timeout=1)  # between two looks at the files it stops at once; within a build it cannot
    if watcher.is_alive():
        _say("Đang chờ lần dựng dở dang xong…")
        watcher.join(timeout=30)
    _say("Đã dừng máy chủ xem trước. Thư mục output/ không bị đụng đến.")
    return 0


async def _serve_forever(server: _Server, sockets: list[socket.socket], watcher: threading.Thread) -> None:
    LiveReloadHandler.watcher = SimpleNamespace(filepath=None)  # reload_waiters logs this attribute
    LiveReloadHandler.live_css = False  # a stylesheet save reloads the page, like any other save
    application = web.Application([
        (r"/livereload", LiveReloadHandler),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"/.*", _PreviewHandler, {"shown": server.shown}),
    ], log_function=_quiet_log, compress_response=False)
    http = httpserver.HTTPServer(application)
    http.add_sockets(sockets)
    server.loop = IOLoop.current()
    watcher.start()
    try:
        while not server.stop.is_set():
            await asyncio.sleep(0.5)  # wakes the loop so Ctrl+C is seen at once, on Windows too
    finally:
        http.stop()


def _stop_on_terminate() -> Callable[..., Any] | int | None:
    """SIGTERM (a closed terminal, a test) stops the server like Ctrl+C; the previous handler is returned."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError, AttributeError):
        return None
