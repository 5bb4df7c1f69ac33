"""templates/static/ → content-hashed asset names; templates/goc-trang/ → files kept as they are at the site root."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.content import walk_project_folder
from sitegen.errors import Diagnostics, Problem

STATIC_DIR = "templates/static"
PASSTHROUGH_DIR = "templates/goc-trang"
OUTPUT_PREFIX = "static"
# Files whose names other sites or browsers ask for by name keep their names.
_UNHASHED = {"favicon.ico", "robots.txt"}
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)|@import\s+(["'])([^"']+)\3""", re.IGNORECASE)


@dataclass(frozen=True)
class Asset:
    """One static file: where it is, the site path it is published at and its content's digest."""

    source: Path
    name: str  # relative to templates/static, posix
    site_path: str  # "static/css/site.1a2b3c4d.css"
    digest: str
    data: bytes | None = None  # the bytes to publish when they differ from the file (CSS with hashed urls)


@dataclass(frozen=True)
class AssetManifest:
    """Every static file by its name under templates/static, and the files kept at the site root."""

    assets: dict[str, Asset]
    passthrough: dict[str, Asset]  # site path → file of templates/goc-trang
    problems: tuple[Problem, ...] = ()

    def site_path(self, name: str) -> str | None:
        """Published path of a static file, or None when there is no such file."""
        asset = self.assets.get(name.lstrip("/"))
        return asset.site_path if asset else None


def scan_assets(root: Path) -> AssetManifest:
    """Hash every file under templates/static; rewrite the urls in CSS to the hashed names."""
    diagnostics = Diagnostics()
    files = {relative.removeprefix(STATIC_DIR + "/"): Path(path)
             for path, relative in walk_project_folder(root, STATIC_DIR, diagnostics)}
    assets: dict[str, Asset] = {}
    for name, path in files.items():
        if not name.lower().endswith(".css"):
            data = path.read_bytes()
            assets[name] = Asset(path, name, f"{OUTPUT_PREFIX}/{_hashed_name(name, data)}", _digest(data))
    for name, path in files.items():
        if name.lower().endswith(".css"):
            data = _rewrite_css(name, path.read_text(encoding="utf-8-sig", errors="replace"), assets, diagnostics)
            assets[name] = Asset(path, name, f"{OUTPUT_PREFIX}/{_hashed_name(name, data)}", _digest(data), data)
    passthrough: dict[str, Asset] = {}
    for found, relative in walk_project_folder(root, PASSTHROUGH_DIR, diagnostics, keep_hidden=True):
        site_path = relative.removeprefix(PASSTHROUGH_DIR + "/")
        path = Path(found)
        passthrough[site_path] = Asset(path, site_path, site_path, _digest(path.read_bytes()))
    return AssetManifest(dict(sorted(assets.items())), dict(sorted(passthrough.items())), diagnostics.problems)


def _rewrite_css(name: str, text: str, assets: dict[str, Asset], diagnostics: Diagnostics) -> bytes:
    """url(…) of a static file → its hashed name; url() of another site → an error (no outside requests)."""
    shown = f"{STATIC_DIR}/{name}"
    folder = posixpath.dirname(name)

    def replace(match: re.Match[str]) -> str:
        url = (match.group(2) or match.group(4) or "").strip()
        line = text.count("\n", 0, match.start()) + 1
        if url.startswith(("data:", "#")):
            return match.group(0)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.IGNORECASE):
            diagnostics.error(shown, line, f"CSS tải '{url}' từ trang web khác; trang không được gửi yêu cầu ra "
                                           "ngoài: hãy chép tệp vào templates/static/ rồi dùng đường dẫn tương đối")
            return match.group(0)
        path = url.split("#", 1)[0].split("?", 1)[0]
        target = posixpath.normpath(posixpath.join(folder, path))
        asset = assets.get(target)
        if asset is None:
            what = "tệp CSS khác (hãy gộp vào một tệp)" if path.lower().endswith(".css") else "tệp không có"
            diagnostics.error(shown, line, f"CSS dùng '{url}' nhưng đó là {what} trong templates/static/")
            return match.group(0)
        relative = posixpath.relpath(asset.site_path.removeprefix(OUTPUT_PREFIX + "/"), folder or ".")
        return f'url("{relative}")'

    return _CSS_URL.sub(replace, text).encode("utf-8")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _hashed_name(name: str, data: bytes) -> str:
    if PurePosixPath(name).name in _UNHASHED:
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    pure = PurePosixPath(name)
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))
