"""Front matter of role-model profiles and documents, and document numbers (417/KH-UBND)."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath

from sitegen.fields import FieldReader
from sitegen.model import DOCUMENT_LEVELS, PROFILE_KINDS, DocumentInfo, DocumentNumber, Profile
from sitegen.sources import ignored_name
from sitegen.text import slugify

PROFILE_KEYS = {"name", "kind", "place", "year", "achievement", "commendations", "sort_name"}
DOCUMENT_KEYS = {"doc_type", "number", "issued", "effective", "issuer", "signer", "level", "file",
                 "placeholder"}
DOCUMENT_FILE_TYPES = {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx"}

_NUMBER = re.compile(
    r"^(?P<number>\d+[A-Za-z]?)(?:/(?P<year>(?:19|20)\d{2}))?"
    r"/(?P<notation>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*)$")
_NUMBER_HINT = "ví dụ 417/KH-UBND, 666/QĐ-TTg hoặc 07/2021/NĐ-CP"


def parse_document_number(text: str) -> DocumentNumber | None:
    """Split "07/2021/NĐ-CP" into number, year and notation (case kept); None if not of that shape."""
    cleaned = re.sub(r"\s*/\s*", "/", unicodedata.normalize("NFC", text).strip())
    cleaned = cleaned.replace("Ð", "Đ").replace("ð", "đ")  # the look-alike Ð from converted old text
    match = _NUMBER.match(cleaned)
    if match is None:
        return None
    year = match["year"]
    return DocumentNumber(match["number"], int(year) if year else None, match["notation"])


def read_profile(field: FieldReader) -> Profile | None:
    """A role model's fields; problems are reported to the field's diagnostics."""
    kind_text = field.text("kind", default="Cá nhân")
    kind = slugify(kind_text)
    if kind not in PROFILE_KINDS:
        field.diagnostics.error(field.path, field.line("kind"),
                                f"'kind' phải là một trong: {', '.join(PROFILE_KINDS.values())} "
                                f"(đang là '{kind_text}')")
        kind = "ca-nhan"
    name = field.text("name", required=True)
    year = field.optional_integer("year", minimum=1990, maximum=2100)
    achievement = field.text("achievement")
    if not achievement:
        field.diagnostics.warn(field.path, field.line("achievement"),
                               "chưa có 'achievement' (thành tích trong một câu) cho thẻ trong trang điển hình")
    return Profile(name=name, kind=kind, place=field.text("place"), year=year, achievement=achievement,
                   commendations=field.text_list("commendations"), sort_name=field.text("sort_name"))


def read_document(field: FieldReader, source: str, files: Mapping[str, int]) -> DocumentInfo | None:
    """A document's fields; the attached file must be one of `files` (project path → size) under content/."""
    diagnostics = field.diagnostics
    written = field.text("number", required=True)
    number = parse_document_number(written) if written else None
    if written and number is None:
        diagnostics.error(field.path, field.line("number"),
                          f"số, ký hiệu văn bản '{written}' không đúng dạng ({_NUMBER_HINT})")
    issued = field.moment("issued", required=True, what="ngày ban hành")
    effective = field.moment("effective")
    level = slugify(field.text("level", default="tinh"))
    if level not in DOCUMENT_LEVELS:
        diagnostics.error(field.path, field.line("level"),
                          f"'level' phải là một trong: {', '.join(DOCUMENT_LEVELS.values())}")
        level = "tinh"
    file, size = _attached_file(field, source, files)
    doc_type = field.text("doc_type", required=True)
    issuer = field.text("issuer", required=True)
    if number is None or issued is None:
        return None
    return DocumentInfo(doc_type=doc_type, number=number, issued=issued, effective=effective, issuer=issuer,
                        signer=field.text("signer"), level=level, file=file, file_size=size,
                        placeholder=field.flag("placeholder"))


def _attached_file(field: FieldReader, source: str, files: Mapping[str, int]) -> tuple[str, int]:
    written = field.text("file")
    if not written:
        return "", 0
    if "\\" in written:
        field.diagnostics.error(field.path, field.line("file"),
                                f"đường dẫn tệp '{written}' dùng dấu \\; hãy dùng dấu / (ví dụ tep/ke-hoach.pdf)")
        return "", 0
    target = beside(source, written)
    if target.startswith(CONTENT_PREFIX) and any(ignored_name(p) for p in target.split("/")):
        field.diagnostics.error(field.path, field.line("file"),
                                f"'{written}' là tệp ẩn hoặc tệp tạm (tệp bắt đầu bằng '.' hay '~$', do Word tạo khi "
                                "đang mở tệp) nên không được đăng; hãy dùng tệp chính")
        return "", 0
    if PurePosixPath(target).suffix.lower() not in DOCUMENT_FILE_TYPES:
        field.diagnostics.error(field.path, field.line("file"),
                                f"tệp văn bản phải là {', '.join(sorted(DOCUMENT_FILE_TYPES))}")
        return "", 0
    if not target.startswith(CONTENT_PREFIX) or target not in files:
        field.diagnostics.error(field.path, field.line("file"),
                                f"không tìm thấy tệp '{written}' (đường dẫn tính từ thư mục của bài)")
        return "", 0
    return target, files[target]


CONTENT_PREFIX = "content/"


def beside(source: str, written: str) -> str:
    """The NFC project path of a file written relative to a post ("../tep/a.pdf" from content/x/b.md)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), unicodedata.normalize("NFC", written)))
