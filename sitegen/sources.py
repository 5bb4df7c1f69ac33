"""Reading staff files as text: BOM, UTF-16, CRLF, NFC, and refusing legacy encodings."""

from __future__ import annotations

import codecs
from pathlib import Path

from sitegen.errors import BuildFailed, Problem
from sitegen.text import detect_legacy_encoding, normalize_text

_CONVERT_HINT = ("hãy mở tệp bằng Unikey (Công cụ chuyển mã, Ctrl+Shift+F6), chọn nguồn {source}, "
                 "đích Unicode, chuyển mã rồi lưu lại dạng UTF-8")


def read_source_text(path: Path, shown_as: str) -> str:
    """Text of a staff file, NFC with LF; raises BuildFailed with a hint when unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BuildFailed([Problem(shown_as, None, f"không đọc được tệp ({error.strerror})")]) from None
    return decode_source(raw, shown_as)


def decode_source(raw: bytes, shown_as: str) -> str:
    """Decode bytes as UTF-8 (BOM optional) or UTF-16 with BOM; refuse TCVN3/VNI text."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16")
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
    legacy = detect_legacy_encoding(text)
    if legacy:
        raise BuildFailed([_legacy_problem(shown_as, None, legacy)])
    return normalize_text(text)


def _legacy_problem(shown_as: str, line: int | None, legacy: str) -> Problem:
    source = "TCVN3 (ABC)" if legacy == "TCVN3" else "VNI Windows"
    return Problem(shown_as, line,
                   f"tệp có vẻ được gõ bằng bảng mã cũ {source}, không phải Unicode; "
                   + _CONVERT_HINT.format(source=source))
