"""Support for the publishing tests: a real OpenSSH server on 127.0.0.1, a site crawler, folder checks (no pytest).

Also runnable as `python -m tests.publish_support slow-publish <settings.json>`: a publisher that sends
files slowly, for the tests that kill a publish halfway.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.client import HTTPConnection
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

import lxml.html

SSHD = "/usr/sbin/sshd"
APT_LINE = "apt-get install -y --no-install-recommends openssh-server"
SUB_PATH = "/vi-nguoi-ngheo/"


class PublishToolError(RuntimeError):
    """A tool the publishing tests need is missing; says how to install it."""


def _tool(name: str) -> str:
    found = shutil.which(name) or (name if Path(name).is_file() else None)
    if not found:
        raise PublishToolError(f"{name} is needed by the publishing tests. Install Debian's OpenSSH server: "
                               f"`sudo {APT_LINE}` (it also brings ssh-keygen).")
    return found


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path, passphrase: str = "") -> Path:
    """A new ed25519 key pair at `path` (and `path`.pub), without a passphrase unless one is given."""
    command = [_tool("ssh-keygen"), "-q", "-t", "ed25519", "-N", passphrase, "-C", "sitegen-test", "-f", str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    return path


def fingerprint_of(public_key: Path) -> str:
    """SHA256 fingerprint of a public key file, as `ssh-keygen -lf` prints it."""
    result = subprocess.run([_tool("ssh-keygen"), "-lf", str(public_key)], check=True, capture_output=True,
                            text=True, timeout=30)
    return result.stdout.split()[1]


# --- the OpenSSH server -------------------------------------------------------------------


class SshServer:
    """Debian's sshd on a free 127.0.0.1 port, with a host key and an authorised client key made in `work`.

    Logs in as the user running the tests (root too: `PermitRootLogin prohibit-password`).
    """

    def __init__(self, work: Path) -> None:
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.user = getpass.getuser()
        self.port = free_port()
        self.host_key = keygen(work / "host_ed25519")
        self.client_key = keygen(work / "client_ed25519")
        self.authorized_keys = work / "authorized_keys"
        self.authorized_keys.write_text((work / "client_ed25519.pub").read_text())
        self.log = work / "sshd.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def host_fingerprint(self) -> str:
        """The fingerprint clients must see."""
        return fingerprint_of(self.host_key.with_suffix(".pub"))

    def known_hosts_line(self) -> str:
        """The line a trusting client has in known_hosts for this server."""
        kind, key = self.host_key.with_suffix(".pub").read_text().split()[:2]
        return f"[127.0.0.1]:{self.port} {kind} {key}\n"

    def start(self) -> SshServer:
        sshd = _tool(SSHD)
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation folder
        config = self.work / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {self.host_key}",
            f"AuthorizedKeysFile {self.authorized_keys}", f"PidFile {self.work / 'sshd.pid'}",
            "PermitRootLogin prohibit-password", "PubkeyAuthentication yes", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "MaxStartups 50",
            "LogLevel ERROR", "Subsystem sftp internal-sftp", ""]))
        with self.log.open("ab") as log:
            self._process = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise PublishToolError(f"sshd stopped at start:\n{self.log.read_text(errors='replace')}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1) as probe:
                if probe.recv(64).startswith(b"SSH-"):
                    return self
            time.sleep(0.05)
        self.stop()
        raise PublishToolError(f"sshd did not answer on port {self.port}:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            self._process = None

    def new_host_key(self) -> None:
        """Restart with a different host key on the same port, as a reinstalled (or impostor) server would."""
        self.stop()
        for path in (self.host_key, self.host_key.with_suffix(".pub")):
            path.unlink()
        keygen(self.host_key)
        self.start()


# --- the target as a reader sees it ---------------------------------------------------------


def files_with_hashes(folder: Path, skip_state: bool = True) -> dict[str, tuple[int, str]]:
    """Every file under a folder → (size, sha256); the publisher's own .sitegen-publish/ left out."""
    result = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not (skip_state and relative.startswith(".sitegen-publish/")):
            result[relative] = (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
    return result


class _Handler(SimpleHTTPRequestHandler):
    """Serves one folder under SUB_PATH, like a portal serving the site in a sub-folder; nothing else."""

    protocol_version = "HTTP/1.1"  # keep-alive: a crawl makes hundreds of requests
    disable_nagle_algorithm = True  # or each response waits for a delayed ACK

    def __init__(self, *args: object, site: Path, **kwargs: object) -> None:
        self.site = site
        super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        inner = path[len(SUB_PATH):]
        if not path.startswith(SUB_PATH) or ".." in inner.split("/"):
            return str(self.site / ".not-served" / "missing")
        return str(self.site / inner)

    def list_directory(self, path: str | os.PathLike[str]):  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def log_message(self, format: str, *args: object) -> None:
        pass


class StaticServer:
    """http://127.0.0.1:<port>/vi-nguoi-ngheo/ serving a folder live (no copy): what the target serves now."""

    def __init__(self, folder: Path) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, site=folder))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{SUB_PATH}"

    def __enter__(self) -> StaticServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


@dataclass(frozen=True)
class Crawl:
    """What a crawl found: pages and files fetched, and every broken internal link with the page holding it."""

    fetched: frozenset[str]
    broken: tuple[str, ...]


_SHARED_URLS = frozenset({"og:image", "og:url", "twitter:image"})
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _links(document: lxml.html.HtmlElement) -> set[str]:
    found = set()
    for element in document.iter():
        for attribute in ("href", "src", "poster", "data", "action"):
            value = element.get(attribute)
            if value:
                found.add(value.strip())
        if element.tag == "meta" and (element.get("property") or element.get("name")) in _SHARED_URLS:
            found.add((element.get("content") or "").strip())
        srcset = element.get("srcset")
        if srcset:
            found.update(part.strip().split()[0] for part in srcset.split(",") if part.strip())
    return found


def crawl(base_url: str, production_url: str) -> Crawl:
    """Follow every internal link and resource from the home page, 404 page, sitemap, feeds and search index.

    Absolute links to the production address (canonical, og:url) are checked against the local server.
    """
    queue = [base_url, base_url + "404.html", base_url + "sitemap.xml", base_url + "feed.xml",
             base_url + "robots.txt", base_url + "tim-kiem/chi-muc.json"]
    seen: set[str] = set()
    broken: list[str] = []
    referrers: dict[str, str] = {}

    def add(link: str, page: str) -> None:
        if link.startswith(production_url):
            link = base_url + link[len(production_url):]
        url = urldefrag(urljoin(page, link)).url.split("?")[0]
        if url.startswith(base_url) and url not in seen:
            referrers.setdefault(url, page)
            queue.append(url)

    origin = urlsplit(base_url)
    connection = HTTPConnection(origin.hostname or "127.0.0.1", origin.port, timeout=10)
    try:
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            status, kind, body = _get(connection, url)
            if status == HTTPStatus.MOVED_PERMANENTLY:  # "x" → "x/"
                status, kind, body = _get(connection, url + "/")
            if status != HTTPStatus.OK:
                broken.append(f"{url} ({status}), linked from {referrers.get(url, 'the start list')}")
                continue
            _follow(url, kind, body, lambda link, page=url: add(link, page))
    finally:
        connection.close()
    return Crawl(frozenset(seen), tuple(sorted(broken)))


def _get(connection: HTTPConnection, url: str) -> tuple[int, str, bytes]:
    connection.request("GET", quote(urlsplit(url).path, safe="/%"))
    response = connection.getresponse()
    body = response.read()
    return response.status, response.headers.get_content_type(), body


def _follow(url: str, kind: str, body: bytes, add: Callable[[str], None]) -> None:
    """Hand every link a fetched file holds to `add`."""
    if kind == "text/html":
        for link in _links(lxml.html.fromstring(body)):
            add(link)
    elif kind == "text/css":
        for link in _CSS_URL.findall(body.decode("utf-8", "replace")):
            if not link.startswith("data:"):
                add(link)
    elif url.endswith(".xml"):
        for match in re.findall(rb"<loc>([^<]+)</loc>|href=\"([^\"]+)\"", body):
            add(unquote((match[0] or match[1]).decode()))
    elif url.endswith("tim-kiem/chi-muc.json"):
        manifest = json.loads(body)
        for shard in manifest["shards"]:
            add(f"chi-muc/{shard}.json")
    elif "/tim-kiem/chi-muc/" in url:  # a shard names the documents its words are in, as the browser reads them
        shard = json.loads(body)
        ids = {flat[i] for forms in shard["t"].values() for flat in forms.values() for i in range(0, len(flat), 3)}
        for doc_id in sorted(ids):
            add(f"../bai/{doc_id}.json")
    elif "/tim-kiem/bai/" in url:
        add(SUB_PATH + json.loads(body)["u"])


# --- a slow publisher, run as a child process and killed by the tests -----------------------------


def _slow_publish(settings_file: Path) -> int:
    """Publish with a pause after each file sent, so a test can kill the process halfway."""
    from datetime import datetime

    from sitegen.publish import FolderTarget, publish_site
    from sitegen.publish_model import PublishSettings, PublishTarget
    from sitegen.sftp import SftpTarget

    spec = json.loads(settings_file.read_text(encoding="utf-8"))
    delay = float(spec["delay"])
    for kind in (SftpTarget, FolderTarget):
        original = kind.upload

        def slow(self: object, source: Path, path: str, sent: object, _original: object = original) -> str:
            digest = _original(self, source, path, sent)  # type: ignore[operator]
            time.sleep(delay)
            return digest

        kind.upload = slow  # type: ignore[method-assign]
    settings = PublishSettings(tuple(PublishTarget(**target) for target in spec["targets"]), 5)
    publish_site(Path(spec["root"]), Path(spec["built"]), settings, "Vì người nghèo", dry_run=False,
                 trust_host=False, now=datetime.fromisoformat(spec["now"]), progress=print)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "slow-publish":
        sys.exit(_slow_publish(Path(sys.argv[2])))
    sys.exit("usage: python -m tests.publish_support slow-publish <settings.json>")
