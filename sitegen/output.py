"""Writing the site: build beside output/, then swap it in whole (the only writer of files)."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import BuildFailed, Problem

MARKER = ".sitegen-output"
_MARKER_TEXT = ("Thư mục này do build.py tạo ra và sẽ được thay toàn bộ ở lần dựng sau.\n"
                "Đừng sửa tệp ở đây: hãy sửa content/, templates/ hoặc site_data.yaml.\n")
_PROTECTED = {"content", "templates", "tests", "sitegen", ".git", ".ci"}


@dataclass(frozen=True)
class WriteReport:
    """What was written: number of files and where."""

    files: int
    output: Path


def file_name_for(site_path: str) -> str:
    """Output file of a site path: "" → index.html, "x/" → x/index.html, "404.html" as is."""
    return site_path + "index.html" if site_path.endswith("/") or not site_path else site_path


def check_output_dir(root: Path, output: Path) -> None:
    """Refuse an output folder outside the project, over its sources, or holding staff files."""
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
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MARKER).is_file():
        raise BuildFailed([Problem(shown, None,
                                   "thư mục này có tệp không do build.py tạo ra; để không làm mất "
                                   "tệp của ai, trình tạo trang không ghi đè. Hãy chuyển các tệp "
                                   "đó đi nơi khác hoặc chọn thư mục xuất khác")])


def write_site(root: Path, output: Path, files: dict[str, bytes], copies: dict[str, Path]) -> WriteReport:
    """Write every file into a fresh folder beside `output`, then swap it in."""
    check_output_dir(root, output)
    output = output.resolve()
    _remove_leftovers(output)
    token = secrets.token_hex(4)
    staging = output.with_name(f"{output.name}.tmp-{token}")
    try:
        staging.mkdir(parents=True)
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        folders: set[Path] = set()
        for site_path, data in files.items():
            target = _inside(staging, file_name_for(site_path), folders)
            target.write_bytes(data)
        for site_path, source in copies.items():
            shutil.copyfile(source, _inside(staging, site_path, folders))
        _swap(staging, output, token)
    except OSError as error:
        raise BuildFailed([Problem(
            _shown(root.resolve(), output), None,
            f"không ghi được trang mới ({_reason(error)}); thư mục cũ giữ nguyên")]) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return WriteReport(len(files) + len(copies), output)


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
    return f"lỗi hệ thống {error.errno}{where}"


def _inside(folder: Path, relative: str, made: set[Path]) -> Path:
    """A path under `folder`, its parent folder made; anything that would escape is a bug, never written."""
    if relative.startswith("/") or ".." in relative.split("/") or "\\" in relative:
        raise ValueError(f"refusing to write outside the output folder: {relative}")
    target = folder / relative
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    return target


def _swap(staging: Path, output: Path, token: str) -> None:
    """Replace output/ by staging/ (rename aside, move in, delete old: works on Windows too)."""
    if not output.exists():
        os.replace(staging, output)
        return
    old = output.with_name(f"{output.name}.old-{token}")
    os.replace(output, old)
    try:
        os.replace(staging, output)
    except OSError:
        os.replace(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    """Delete staging/old folders an interrupted build left, only if they carry our marker.

    A build stopped mid-swap may have moved output/ aside: that copy is put back first.
    """
    old_sites = sorted((f for f in output.parent.glob(f"{output.name}.old-*") if (f / MARKER).is_file()),
                       key=lambda f: f.stat().st_mtime)
    if not output.exists() and old_sites:
        os.replace(old_sites[-1], output)
    for pattern in (f"{output.name}.tmp-*", f"{output.name}.old-*"):
        for folder in output.parent.glob(pattern):
            if folder.is_dir() and (folder / MARKER).is_file():
                shutil.rmtree(folder, ignore_errors=True)


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
