"""Reading staff files as text: BOM, UTF-16, CRLF, NFC, and refusing legacy encodings."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.text import detect_legacy_encoding, normalize_text

_NOT_TEXT = ("tệp không phải văn bản thuần (có thể là tệp Word, ảnh hay tệp hỏng bị đổi tên, hoặc có ký tự "
             "NUL); hãy mở bằng Notepad và lưu lại dạng văn bản UTF-8")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last two of every plane): never text, and
# forbidden in XML, so a feed holding one would not open in any reader.
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)) + "]")
_CONVERT_HINT = ("hãy mở tệp bằng Unikey (Công cụ chuyển mã, Ctrl+Shift+F6), chọn nguồn {source}, "
                 "đích Unicode, chuyển mã rồi lưu lại dạng UTF-8")


_IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "4913"}  # 4913: the file Vim makes to test a folder
_EDITOR_SUFFIXES = ("~", ".tmp", ".bak", ".swp", ".swx", ".swo", ".swn", ".part", ".crdownload", ".kate-swp",
                    "___jb_tmp___", "___jb_old___")


def ignored_name(name: str, keep_hidden: bool = False) -> bool:
    """Hidden files, editor backups, swap files and Office lock files ("~$…") are never content.

    `keep_hidden` lets dot-files through (.htaccess in templates/goc-trang/), the others still not.
    """
    hidden = name.startswith(".") and not (keep_hidden and name.lower() not in _IGNORED_NAMES)
    return (hidden or name.startswith(("~$", "#", ".#")) or name.lower() in _IGNORED_NAMES
            or name.endswith(_EDITOR_SUFFIXES))


def read_source_text(path: Path, shown_as: str, max_size: int | None = None,
                     diagnostics: Diagnostics | None = None) -> str:
    """Text of a staff file, NFC with LF; raises BuildFailed with a hint when unreadable."""
    try:
        if max_size is not None and path.stat().st_size > max_size:
            raise BuildFailed([Problem(shown_as, None, f"tệp quá lớn ({path.stat().st_size // 1_000_000} MB, tối đa "
                                                       f"{max_size // 1_000_000} MB); có thể đã dán nhầm cả một tệp "
                                                       "khác vào đây")])
        raw = path.read_bytes()
    except OSError:
        raise BuildFailed([Problem(shown_as, None, "không đọc được tệp (không có quyền đọc, "
                                                   "hoặc tệp đang bị chương trình khác khóa)")]) from None
    return decode_source(raw, shown_as, diagnostics)


def decode_source(raw: bytes, shown_as: str, diagnostics: Diagnostics | None = None) -> str:
    """Decode bytes as UTF-8 (BOM optional) or UTF-16 with BOM; refuse TCVN3/VNI and non-text."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise BuildFailed([Problem(shown_as, None, _NOT_TEXT)]) from None
    elif b"\x00" in raw:
        raise BuildFailed([Problem(shown_as, None, _NOT_TEXT)])
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            legacy = detect_legacy_encoding(raw.decode("cp1252", errors="replace"))
            if legacy:
                raise BuildFailed([_legacy_problem(shown_as, line, legacy)]) from None
            raise BuildFailed([Problem(
                shown_as, line,
                "tệp không phải UTF-8 (bảng mã Unicode). Hãy mở tệp và lưu lại với "
                "bảng mã UTF-8 (Notepad: Lưu thành → Mã hóa: UTF-8)")]) from None
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise BuildFailed([Problem(shown_as, line, "dòng này có ký tự điều khiển lạ (thường do dán từ "
                                                   "phần mềm khác); hãy xóa rồi gõ lại đoạn đó")])
    legacy = detect_legacy_encoding(text)
    if legacy:
        raise BuildFailed([_legacy_problem(shown_as, None, legacy)])
    odd = _NONCHARACTERS.search(text)
    if odd:
        if diagnostics is not None:
            diagnostics.warn(shown_as, text.count("\n", 0, odd.start()) + 1,
                             f"dòng này có ký tự lạ U+{ord(odd.group()):04X} (không phải chữ; thường do dán từ phần "
                             "mềm khác) nên đã bị bỏ; hãy xóa rồi gõ lại đoạn đó")
        text = _NONCHARACTERS.sub("", text)
    return normalize_text(text)


def _legacy_problem(shown_as: str, line: int | None, legacy: str) -> Problem:
    source = "TCVN3 (ABC)" if legacy == "TCVN3" else "VNI Windows"
    return Problem(shown_as, line,
                   f"tệp có vẻ được gõ bằng bảng mã cũ {source}, không phải Unicode; "
                   + _CONVERT_HINT.format(source=source))


TEMPLATES_DIR = "templates"
TEMPLATE_SUFFIXES = {".html", ".xml", ".txt", ".j2"}
_NOT_TEMPLATES = {"static", "goc-trang"}  # folders of files published as they are


def template_sources(root: Path) -> dict[str, str | None]:
    """Every template's text by name (None for one that is not UTF-8)."""
    folder = root / TEMPLATES_DIR
    sources: dict[str, str | None] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            inside = path.relative_to(folder).parts
            if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file() or inside[0] in _NOT_TEMPLATES:
                continue
            try:
                sources[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8-sig")
            except (UnicodeDecodeError, OSError):
                sources[path.relative_to(folder).as_posix()] = None
    return sources
