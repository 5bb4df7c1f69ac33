"""Helpers for tests: small fixture sites in tmp dirs, builds, the CLI, parsed HTML."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup

from sitegen.model import BuildOptions
from sitegen.pipeline import BuildReport, build
from sitegen.text import VIETNAM_TZ

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=VIETNAM_TZ)

CONFIG = """\
site:
  title: "Trang thử nghiệm “Vì người nghèo”"
  short_title: "Thử nghiệm"
  description: "Trang dùng cho kiểm thử."
  base_url: "https://portal.example/vi-nguoi-ngheo/"
  per_page: {per_page}
agency:
  name: "Thanh tra tỉnh Đắk Nông"
  place: "Đắk Nông"
sections:
  - id: tuyen-truyen
    title: "Tuyên truyền"
  - id: dien-hinh
    title: "Điển hình tiên tiến"
  - id: tin-hoat-dong
    title: "Tin hoạt động"
"""


def post(title: str, date: str = "2024-01-30 09:00", body: str = "Nội dung bài viết.",
         **extra: object) -> str:
    """Markdown source of a post with front matter."""
    lines = ["---", f'title: "{title}"', f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    lines += ["---", "", body, ""]
    return "\n".join(lines)


def make_site(root: Path, files: dict[str, str | bytes], config: str | None = None,
              per_page: int = 10) -> Path:
    """A project folder with the repository's templates, a config and the given content files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
    (root / "site_data.yaml").write_text(config if config is not None else CONFIG.format(per_page=per_page),
                                         encoding="utf-8")
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def copy_sample_site(root: Path) -> Path:
    """A copy of the shipped sample site (content, templates, config), without output/."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site_data.yaml", root / "site_data.yaml")
    return root


def build_at(root: Path, **options: object) -> BuildReport:
    """Build a fixture site into root/output with a fixed 'now'."""
    settings = {"root": root, "output": root / "output", "now": NOW}
    settings.update(options)
    return build(BuildOptions(**settings))  # type: ignore[arg-type]


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python build.py … --root root` as staff would, capturing output as UTF-8."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args, "--root", str(root)],
        capture_output=True, text=True, encoding="utf-8", errors="replace", env=environment,
        timeout=120, check=False,
    )


def html_at(root: Path, site_path: str) -> BeautifulSoup:
    """Parse a built page: "" → output/index.html, "x/" → output/x/index.html."""
    relative = site_path + "index.html" if site_path.endswith("/") or not site_path else site_path
    return BeautifulSoup((root / "output" / relative).read_text(encoding="utf-8"), "lxml")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to prove a folder did not change."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def jpeg(width: int = 1200, height: int = 800, colour: tuple[int, int, int] = (164, 22, 26)) -> bytes:
    """A real JPEG photo of the given size, as a phone would save it."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()
