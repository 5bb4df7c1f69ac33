"""Support for the browser and HTML-validity tests (no pytest in here).

* `SiteServer`: the built site served over HTTP on 127.0.0.1 under a portal-like sub-path, with
  the site's own 404.html returned (status 404) for every missing path.
* `find_chromium` / `CHROMIUM_ARGS`: the system Chromium that Playwright drives.
* `axe_script` / `vnu_jar` / `find_java` / `run_vnu`: the npm-installed checkers (`npm ci`).
* `representative_pages`: one page of each kind in a built site, for the checks to visit.

Missing tools raise `BrowserToolError` with instructions, so tests fail loudly instead of skipping.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"

SUB_PATH = "/vi-nguoi-ngheo/"
"""Where the site is mounted on the test server, as on a province portal."""

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

TIMEOUT_MS = 10_000
"""Playwright's wait for any one step of a browser test."""


class BrowserToolError(RuntimeError):
    """A tool the browser tests need (Chromium, Java, npm packages) is missing."""


# --- tools ------------------------------------------------------------------------------


def find_chromium() -> str:
    """The Chromium/Chrome executable: $CHROMIUM_PATH, else the first of CHROMIUM_NAMES on PATH."""
    configured = os.environ.get("CHROMIUM_PATH", "").strip()
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured
        raise BrowserToolError(f"CHROMIUM_PATH={configured!r} is not an executable file.")
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserToolError(
        "No Chromium found for the browser tests. Install it (Debian/Ubuntu: `sudo apt-get install "
        "chromium`) or point CHROMIUM_PATH at a Chromium/Chrome executable. "
        f"Looked for {', '.join(CHROMIUM_NAMES)} on PATH. (Do not use `playwright install`; the tests "
        "drive the system browser.)"
    )


def _node_file(relative: str, package: str) -> Path:
    path = NODE_MODULES / relative
    if not path.is_file():
        raise BrowserToolError(
            f"{path} is missing: the {package} npm package is not installed. "
            f"Run `npm ci` in {REPO} (needs Node.js and npm)."
        )
    return path


def axe_script() -> Path:
    """axe-core's browser bundle, from node_modules."""
    return _node_file("axe-core/axe.min.js", "axe-core")


def vnu_jar() -> Path:
    """The Nu HTML Checker jar, from node_modules."""
    return _node_file("vnu-jar/build/dist/vnu.jar", "vnu-jar")


def find_java() -> str:
    """A `java` executable (JAVA_HOME first, then PATH) to run the Nu HTML Checker."""
    java_home = os.environ.get("JAVA_HOME", "").strip()
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("java")
    if found:
        return found
    raise BrowserToolError(
        "No `java` found for the Nu HTML Checker. Install a Java runtime, version 11 or newer "
        "(Debian/Ubuntu: `sudo apt-get install default-jre-headless`), or set JAVA_HOME."
    )


@dataclass(frozen=True)
class VnuMessage:
    """One message from the Nu HTML Checker."""

    file: str
    line: int | None
    column: int | None
    kind: str
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line if self.line is not None else '?'}"
        if self.column is not None:
            where += f":{self.column}"
        extract = " ".join(self.extract.split())
        return f"{where}: {self.kind}: {self.message}" + (f"  [{extract}]" if extract else "")


def run_vnu(files: list[Path], relative_to: Path | None = None, timeout: float = 120) -> list[VnuMessage]:
    """Check the files with one `java -jar vnu.jar --errors-only --format json` run; its messages."""
    command = [find_java(), "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
               *(str(f) for f in files)]
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                            timeout=timeout, check=False)
    # vnu writes the JSON report to stderr; exit status 1 only means "errors found".
    report = (result.stderr or result.stdout).strip()
    try:
        data = json.loads(report)
    except json.JSONDecodeError as error:
        raise BrowserToolError(
            f"The Nu HTML Checker did not produce a JSON report (exit {result.returncode}):\n"
            f"{result.stderr}\n{result.stdout}"
        ) from error
    messages = []
    for item in data.get("messages", []):
        url = item.get("url", "")
        name = unquote(url.removeprefix("file:"))
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                name = Path(name).resolve().relative_to(relative_to.resolve()).as_posix()
        kind = item.get("type", "")
        if item.get("subType"):
            kind += f"/{item['subType']}"
        messages.append(VnuMessage(name, item.get("lastLine"), item.get("firstColumn"), kind,
                                   item.get("message", ""), item.get("extract", "")))
    return messages


# --- pages ------------------------------------------------------------------------------


def _first(paths: list[Path], what: str) -> Path:
    if not paths:
        raise AssertionError(f"The built sample site has no {what}; the browser tests need one.")
    return paths[0]


def representative_pages(output: Path) -> dict[str, str]:
    """One page of every kind in a built site: name → path inside the site ("" is the home page).

    Picked from the output so that the checks follow the sample content when it changes.
    """
    sections = ("tuyen-truyen", "dien-hinh", "tin-hoat-dong")
    posts = sorted(
        p.parent for s in sections for p in (output / s).glob("*/index.html")
        if not p.parent.name.startswith("trang-")
    )
    with_table_and_notes = [
        p for p in posts
        if "<table" in (text := (p / "index.html").read_text(encoding="utf-8")) and 'class="footnote' in text
    ]
    post = _first(with_table_and_notes, "post with both a table and footnotes")
    tag = _first(sorted(p.parent for p in (output / "the").glob("*/index.html")), "tag page")
    year = _first(sorted(p.parent for p in (output / "luu-tru").glob("[0-9]*/index.html")), "year page")
    page_2 = output / "tin-hoat-dong" / "trang-2" / "index.html"
    if not page_2.is_file():
        raise AssertionError("The built sample site has no tin-hoat-dong/trang-2/; the tests need one.")
    return {
        "home": "",
        "section": "tuyen-truyen/",
        "section-page-2": "tin-hoat-dong/trang-2/",
        "post-table-footnotes": post.relative_to(output).as_posix() + "/",
        "gioi-thieu": "gioi-thieu/",
        "tags": "the/",
        "tag": tag.relative_to(output).as_posix() + "/",
        "year": year.relative_to(output).as_posix() + "/",
        "404": "404.html",
        "results": "ket-qua/",
        "search": "tim-kiem/",
        "gallery": "dien-hinh/",
        "gallery-filtered": "dien-hinh/loai/ca-nhan/",
        "profile": "dien-hinh/chi-doan-thanh-tra-tinh-xung-kich-vi-nguoi-ngheo/",
        "documents": "van-ban/",
        "document": "van-ban/quyet-dinh-666-qd-ttg/",
        "report": "bao-cao/tong-ket-2025/",
        "archive": "luu-tru/",
    }


def page_file(output: Path, site_path: str) -> Path:
    """The built file for a path inside the site: "" → index.html, "x/" → x/index.html."""
    return output / (site_path + "index.html" if not site_path or site_path.endswith("/") else site_path)


# --- server -----------------------------------------------------------------------------


class _PortalHandler(SimpleHTTPRequestHandler):
    """Static files like a portal's web server: no directory listings, the site's 404 page."""

    def __init__(self, *args: object, not_found_page: Path, **kwargs: object) -> None:
        self.not_found_page = not_found_page
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def list_directory(self, path: str | os.PathLike[str]):  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND or not self.not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found_page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet


class SiteServer:
    """Serve a built site at http://127.0.0.1:<free port>/vi-nguoi-ngheo/ from a copy in a work folder.

    Use as a context manager, or call start() and stop().
    """

    def __init__(self, output: Path, work_dir: Path, sub_path: str = SUB_PATH) -> None:
        if not (output / "index.html").is_file():
            raise FileNotFoundError(f"{output} does not hold a built site (no index.html).")
        self.sub_path = "/" + sub_path.strip("/") + "/"
        self.document_root = work_dir / "www"
        self.site_dir = self.document_root / self.sub_path.strip("/")
        shutil.copytree(output, self.site_dir)
        handler = partial(_PortalHandler, directory=str(self.document_root),
                          not_found_page=self.site_dir / "404.html")
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The site's root URL, ending in a slash."""
        return self.origin + self.sub_path

    def url(self, site_path: str = "") -> str:
        """Absolute URL of a path inside the site ("" is the home page)."""
        return self.base_url + site_path.lstrip("/")

    def start(self) -> SiteServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="site-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --- pages in the browser ---------------------------------------------------------------


def goto_ok(page: Page, url: str, wait_until: str = "load") -> None:
    """Open a URL and require a 200 answer."""
    response = page.goto(url, wait_until=wait_until)  # type: ignore[arg-type]
    assert response is not None, f"no response for {url}"
    assert response.status == 200, f"{url} answered {response.status}"


@dataclass
class Traffic:
    """What a page asked the network for, and what came back."""

    requests: list[str] = field(default_factory=list)
    responses: list[tuple[int, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def record(self, page: Page) -> None:
        def on_request(request: Request) -> None:
            self.requests.append(request.url)

        def on_response(response: Response) -> None:
            self.responses.append((response.status, response.url))

        def on_failed(request: Request) -> None:
            self.failures.append(f"{request.url} ({request.failure})")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", on_failed)

    def status_of(self, pattern: str) -> list[int]:
        return [status for status, url in self.responses if re.search(pattern, url)]
