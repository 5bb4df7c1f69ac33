"""templates/static/ → a manifest of content-hashed asset names for long-lived caching."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

STATIC_DIR = "templates/static"
OUTPUT_PREFIX = "static"
# Files whose names other sites or browsers ask for by name keep their names.
_UNHASHED = {"favicon.ico", "robots.txt"}


@dataclass(frozen=True)
class Asset:
    """One static file: where it is and the site path it is published at."""

    source: Path
    name: str  # relative to templates/static, posix
    site_path: str  # "static/css/site.1a2b3c4d.css"


@dataclass(frozen=True)
class AssetManifest:
    """Every static file by its name under templates/static."""

    assets: dict[str, Asset]

    def site_path(self, name: str) -> str | None:
        """Published path of a static file, or None when there is no such file."""
        asset = self.assets.get(name.lstrip("/"))
        return asset.site_path if asset else None


def scan_assets(root: Path) -> AssetManifest:
    """Hash every file under templates/static (hidden files skipped)."""
    static = root / STATIC_DIR
    assets: dict[str, Asset] = {}
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            relative = path.relative_to(static)
            if path.is_dir() or any(part.startswith(".") for part in relative.parts):
                continue
            name = relative.as_posix()
            assets[name] = Asset(path, name, f"{OUTPUT_PREFIX}/{_hashed_name(name, path)}")
    return AssetManifest(assets)


def _hashed_name(name: str, path: Path) -> str:
    if PurePosixPath(name).name in _UNHASHED:
        return name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    pure = PurePosixPath(name)
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))
