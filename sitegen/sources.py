"""Reading staff files as text: BOM, UTF-16, CRLF, NFC, and refusing legacy encodings."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from sitegen.errors import BuildFailed, Problem
from sitegen.text import detect_legacy_encoding, normalize_text

_NOT_TEXT = ("tệp không phải văn bản (có thể là tệp Word, ảnh hay tệp hỏng bị đặt đuôi .md); "
             "hãy lưu nội dung thành văn bản thuần UTF-8")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONVERT_HINT = ("hãy mở tệp bằng Unikey (Công cụ chuyển mã, Ctrl+Shift+F6), chọn nguồn {source}, "
                 "đích Unicode, chuyển mã rồi lưu lại dạng UTF-8")


def read_source_text(path: Path, shown_as: str) -> str:
    """Text of a staff file, NFC with LF; raises BuildFailed with a hint when unreadable."""
    try:
        raw = path.read_bytes()
    except OSError:
        raise BuildFailed([Problem(shown_as, None, "không đọc được tệp (không có quyền đọc, "
                                                   "hoặc tệp đang bị chương trình khác khóa)")]) from None
    return decode_source(raw, shown_as)


def decode_source(raw: bytes, shown_as: str) -> str:
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
    return normalize_text(text)


def _legacy_problem(shown_as: str, line: int | None, legacy: str) -> Problem:
    source = "TCVN3 (ABC)" if legacy == "TCVN3" else "VNI Windows"
    return Problem(shown_as, line,
                   f"tệp có vẻ được gõ bằng bảng mã cũ {source}, không phải Unicode; "
                   + _CONVERT_HINT.format(source=source))
