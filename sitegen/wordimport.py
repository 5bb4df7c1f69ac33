"""Word .docx → a draft post with its images; default section: documents if it has an official header, else posts."""

# Which section a document goes to when --section is not given:
#   1. the first section of kind "documents", when the document carries the official header of
#      Nghị định 30/2020 completely enough to fill number, doc_type, issued and issuer;
#   2. otherwise the first section of kind "posts" (then the first section of any kind).
# The summary printed after an import says which section was chosen and why.

from __future__ import annotations

import hashlib
import html
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from sitegen.config import load_settings
from sitegen.content import load_content
from sitegen.docx_reader import (
    Block,
    DocxContent,
    Inline,
    LineBreak,
    Link,
    NoteMark,
    Paragraph,
    Picture,
    Table,
    Text,
    WordImage,
    read_docx,
)
from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.kinds import parse_document_number
from sitegen.model import Agency, Settings
from sitegen.post_writer import PostExists, free_name, post_path, post_slug, post_text, shown_path, taken, write_post
from sitegen.text import ALT_PLACEHOLDER, VIETNAM_TZ, citation_key, fold, format_date_short, slugify

TABLE_LABEL = "Bảng (cuộn ngang nếu màn hình hẹp)"  # as sitegen.markup labels the tables it wraps
HEADER_SPAN = 12  # blocks at the top where the official header is looked for
SIGNER_SPAN = 10  # blocks at the end where the signer's block is looked for


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote and what staff should know about it."""

    post: str  # project-relative posix path of the new post
    images: tuple[str, ...]  # project-relative posix paths of the pictures written beside it
    summary: tuple[str, ...]  # Vietnamese lines for the console
    warnings: tuple[Problem, ...]


# --- the official header of Nghị định 30/2020 (Phụ lục I) ---------------------------------------

_NUMBER_LINE = re.compile(r"^\s*số\s*[:.]?\s*(\S.*)$", re.IGNORECASE)
_SUBJECT_LINE = re.compile(r"^\s*v/v\s*[:.]?\s*(\S.*)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\s*(?:(?P<place>[^\W\d_][^,\n]{0,60}?)\s*,\s*)?ngày\s+(?P<day>\d{1,2})\s+tháng\s+"
                        r"(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})\s*\.?\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s\-_=*~.·•–—‾]{3,}$")
_SIGN_PREFIX = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*", re.IGNORECASE)
_NOTE_LINE = re.compile(r"^\s*\(.*\)\s*$")  # "(Đã ký)", "(Ký, ghi rõ họ tên)"
_RECIPIENTS = re.compile(r"^\s*nơi\s+nhận\s*:", re.IGNORECASE)
_ADMIN_UNITS = ("tỉnh", "huyện", "xã", "thành phố", "thị xã", "quận", "phường", "thị trấn")
_PROPER = {"chính phủ": "Chính phủ", "quốc hội": "Quốc hội", "việt nam": "Việt Nam", "ủy ban": "Ủy ban",
           "uỷ ban": "Uỷ ban", "hội đồng": "Hội đồng"}
_ABBREVIATIONS = {"ubnd": "Ủy ban nhân dân", "hđnd": "Hội đồng nhân dân"}
DOCUMENT_TYPES = ("Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo",
                  "Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo", "Biên bản",
                  "Tờ trình", "Hợp đồng", "Công văn", "Công điện", "Bản ghi nhớ", "Bản thỏa thuận", "Giấy mời",
                  "Giấy giới thiệu", "Giấy ủy quyền", "Luật", "Pháp lệnh", "Nghị định", "Thông tư",
                  "Thông tư liên tịch", "Lệnh")
_TYPE_BY_FOLD = {fold(name): name for name in DOCUMENT_TYPES}
# Abbreviations of document types in the notation (Nghị định 30/2020, Phụ lục III): 417/KH-UBND is a Kế hoạch.
_TYPE_BY_NOTATION = {"NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
                     "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình",
                     "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo",
                     "BB": "Biên bản", "TTr": "Tờ trình", "HĐ": "Hợp đồng", "CĐ": "Công điện", "GN": "Bản ghi nhớ",
                     "TTh": "Bản thỏa thuận", "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GUQ": "Giấy ủy quyền",
                     "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch"}


@dataclass(frozen=True)
class DateLine:
    """A "Đắk Nông, ngày 18 tháng 7 năm 2022" line."""

    day: date
    text: str


@dataclass(frozen=True)
class OfficialHeader:
    """What the header and signer's block of an administrative document say."""

    number: str = ""  # "417/KH-UBND"
    doc_type: str = ""
    issued: DateLine | None = None
    issuer: str = ""
    subject: str = ""  # trích yếu
    signer: str = ""
    level: str = ""  # "Cơ quan" or "Trung ương" when the issuer tells; "" leaves the default
    header_end: int = 0  # top-level blocks [0, header_end) are the header, document type and subject
    signer_blocks: tuple[int, ...] = ()  # top-level blocks of the recipients and signer's block

    def missing(self) -> list[str]:
        """Vietnamese names of the required document fields not found."""
        wanted = [(self.number, "số, ký hiệu (dòng “Số: 417/KH-UBND”)"),
                  (self.issued, "ngày ban hành (dòng “Đắk Nông, ngày 18 tháng 7 năm 2022”)"),
                  (self.doc_type, "loại văn bản (dòng “KẾ HOẠCH”, “QUYẾT ĐỊNH”… dưới phần đầu)"),
                  (self.issuer, "cơ quan ban hành (góc trên bên trái)")]
        return [name for value, name in wanted if not value]


@dataclass(frozen=True)
class _Line:
    """A paragraph with where it is: top-level block index and a column id (same column of a table)."""

    block: int
    column: tuple[int, int] | None
    paragraph: Paragraph

    @property
    def text(self) -> str:
        return " ".join(self.paragraph.text.split())


def _lines(blocks: Sequence[Block], start: int = 0) -> Iterator[_Line]:
    for offset, block in enumerate(blocks):
        index = start + offset
        if isinstance(block, Paragraph):
            yield _Line(index, None, block)
        else:
            for row in block.rows:
                for column, cell in enumerate(row):
                    for paragraph in _paragraphs(cell.blocks):
                        yield _Line(index, (index, column), paragraph)


def _paragraphs(blocks: Iterable[Block]) -> Iterator[Paragraph]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        else:
            for row in block.rows:
                for cell in row:
                    yield from _paragraphs(cell.blocks)


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_national_line(text: str) -> bool:
    folded = fold(text)
    return folded.startswith("cong hoa xa hoi chu nghia") or ("doc lap" in folded and "hanh phuc" in folded)


def find_date_line(paragraphs: Iterable[Paragraph]) -> DateLine | None:
    """The first paragraph that is only a place-and-date line, as a date."""
    for paragraph in paragraphs:
        text = " ".join(paragraph.text.split())
        match = _DATE_LINE.match(text)
        if match:
            try:
                return DateLine(date(int(match["year"]), int(match["month"]), int(match["day"])), text)
            except ValueError:
                continue
    return None


def proper_case(text: str, position: bool = False) -> str:
    """An all-caps name as in running text: "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG" → "Ủy ban nhân dân tỉnh Đắk Nông"."""
    if not _is_caps(text):
        return text
    words = text.lower().split()
    words = [_ABBREVIATIONS.get(w, w) for w in words]
    words = " ".join(words).split()
    result = list(words)
    for index, word in enumerate(words):
        pair = " ".join(words[index:index + 2])
        if pair in _PROPER:
            result[index], result[index + 1] = _PROPER[pair].split()
        if (pair in _ADMIN_UNITS or word in _ADMIN_UNITS) and pair != "xã hội":
            after = index + (2 if pair in _ADMIN_UNITS else 1)
            result[after:] = [w[:1].upper() + w[1:] for w in result[after:]]
            break
    if position:  # "PHÓ CHÁNH THANH TRA" → "Phó Chánh Thanh tra"
        for index, word in enumerate(words[:-1]):
            if word in ("phó", "quyền", "chánh"):
                result[index + 1] = result[index + 1][:1].upper() + result[index + 1][1:]
    result[0] = result[0][:1].upper() + result[0][1:]
    return " ".join(result)


def _issuer(lines: list[_Line], agency: Agency) -> str:
    names = [line.text for line in lines
             if line.text and _is_caps(line.text) and not _is_national_line(line.text)
             and not _SEPARATOR.match(line.text)]
    if not names:
        return ""
    last = names[-1]
    if len(names) > 1 and any(fold(last).startswith(fold(unit) + " ") for unit in _ADMIN_UNITS):
        last = f"{names[-2]} {last}"  # "ỦY BAN NHÂN DÂN" / "TỈNH ĐẮK NÔNG" is one name on two lines
    issuer = proper_case(last)
    for known in (agency.name, agency.parent):
        if known and (fold(known) == fold(issuer) or fold(known).startswith(fold(issuer) + " ")):
            return known
    return issuer


def _level(issuer: str, agency: Agency) -> str:
    folded = fold(issuer)
    if agency.name and folded == fold(agency.name):
        return "Cơ quan"
    if folded.startswith(("thu tuong", "chinh phu", "quoc hoi", "bo ")):
        return "Trung ương"
    return ""


def _subject_text(text: str) -> str:
    text = re.sub(r"^(?:v/v|về việc)\s*[:.]?\s*", "", text, flags=re.IGNORECASE).strip()
    return text[:1].upper() + text[1:]


def find_official_header(blocks: Sequence[Block], agency: Agency) -> OfficialHeader | None:
    """The fields of the official header and signer's block, or None when there is no "Số: …" line."""
    top = list(_lines(blocks[:HEADER_SPAN]))
    number_at = next((i for i, line in enumerate(top) if _number_of(line.text)), None)
    if number_at is None:
        return None
    number_line = top[number_at]
    number = _number_of(number_line.text)
    same_column = [line for line in top[:number_at] if line.column == number_line.column]
    issuer = _issuer(same_column, agency)
    dated = find_date_line(line.paragraph for line in top)
    subject = ""
    for line in top[number_at + 1:]:
        if line.column == number_line.column and (match := _SUBJECT_LINE.match(line.text)):
            subject = _subject_text(match.group(1))
    header_end = max([line.block for line in top[:number_at + 1]] + [_index_of(top, dated)]) + 1
    doc_type, subject_from_title, header_end = _type_and_subject(blocks, header_end)
    parsed = parse_document_number(number)
    abbreviation = parsed.notation.split("-")[0] if parsed else ""
    doc_type = doc_type or _TYPE_BY_NOTATION.get(abbreviation, "") or ("Công văn" if subject else "")
    signer, signer_blocks = _signer(blocks)
    return OfficialHeader(number=number, doc_type=doc_type, issued=dated, issuer=issuer,
                          subject=subject_from_title or subject, signer=signer, level=_level(issuer, agency),
                          header_end=header_end, signer_blocks=signer_blocks)


def _number_of(text: str) -> str:
    match = _NUMBER_LINE.match(text)
    if not match:
        return ""
    candidate = re.sub(r"\s*/\s*", "/", match.group(1)).split()[0].rstrip(".,;:")
    return candidate if parse_document_number(candidate) else ""


def _index_of(top: list[_Line], dated: DateLine | None) -> int:
    if dated is None:
        return 0
    return next((line.block for line in top if line.text == dated.text), 0)


def _type_and_subject(blocks: Sequence[Block], start: int) -> tuple[str, str, int]:
    """The "KẾ HOẠCH" line after the header and the subject lines under it; and where the body starts."""
    index = start
    while index < len(blocks) and _blank_or_separator(blocks[index]):
        index += 1
    if index >= len(blocks) or not isinstance(blocks[index], Paragraph):
        return "", "", start
    type_text = " ".join(blocks[index].text.split()).rstrip(":")
    doc_type = _TYPE_BY_FOLD.get(fold(type_text))
    if doc_type is None:
        return "", "", start
    index += 1
    subject: list[str] = []
    while index < len(blocks) and len(subject) < 3:
        block = blocks[index]
        if not isinstance(block, Paragraph) or _SEPARATOR.match(block.text.strip() or "---"):
            break
        text = " ".join(block.text.split())
        if _is_caps(text) or (subject and not block.centered):
            break
        subject.append(text)
        index += 1
        if not block.centered:
            break
    while index < len(blocks) and _blank_or_separator(blocks[index]):
        index += 1
    return doc_type, _subject_text(" ".join(subject)), index


def _blank_or_separator(block: Block) -> bool:
    """An empty paragraph, or one that only draws a line ("-----", "* * *")."""
    if not isinstance(block, Paragraph) or any(isinstance(i, (Picture, NoteMark)) for i in _flat(block.inlines)):
        return False
    text = block.text.strip()
    return not text or bool(_SEPARATOR.match(text))


_NAME_WORD = re.compile(r"^[^\W\d_][^\s\d_]*$")


def _is_person_name(text: str) -> bool:
    words = text.split()
    return (2 <= len(words) <= 6 and not _is_caps(text) and not any(c in text for c in ",:;()")
            and all(_NAME_WORD.match(w) and w[0].isupper() for w in words))


def _signer(blocks: Sequence[Block]) -> tuple[str, tuple[int, ...]]:
    """ "PHÓ CHỦ TỊCH" over "Tôn Thị Ngọc Hạnh" → ("Phó Chủ tịch Tôn Thị Ngọc Hạnh", its blocks)."""
    start = max(0, len(blocks) - SIGNER_SPAN)
    tail = list(_lines(blocks[start:], start))
    for name_at in range(len(tail) - 1, -1, -1):
        name_line = tail[name_at]
        if not _is_person_name(name_line.text):
            continue
        positions: list[_Line] = []
        for line in reversed(tail[:name_at]):
            if line.column != name_line.column or (not line.text or _NOTE_LINE.match(line.text)):
                continue
            if not _is_caps(line.text):
                break
            positions.insert(0, line)
            if len(positions) == 3:
                break
        if not positions:
            continue
        plain = [p.text for p in positions if not _SIGN_PREFIX.match(p.text)]
        if plain:  # "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH": the person signs as the last line says
            position = plain[-1]
        else:  # only "Q. CHÁNH THANH TRA": Q. is "Quyền" (acting)
            last = positions[-1].text
            prefix = _SIGN_PREFIX.match(last)
            acting = "QUYỀN " if prefix and prefix.group(1).upper() == "Q" else ""
            position = acting + _SIGN_PREFIX.sub("", last)
        first_block = positions[0].block
        if name_line.column is None:
            recipients = [line.block for line in tail if line.column is None and line.block < first_block
                          and _RECIPIENTS.match(line.text)]
            first_block = recipients[-1] if recipients else first_block
        return f"{proper_case(position, position=True)} {name_line.text}", tuple(range(first_block,
                                                                                       name_line.block + 1))
    return "", ()


# --- choosing the section, the title and the date ------------------------------------------------


@dataclass(frozen=True)
class _Target:
    id: str
    kind: str
    title: str
    reason: str


def choose_section(settings: Settings, wanted: str | None, header: OfficialHeader | None) -> _Target:
    """The section named by --section (id or title), else the default described at the top of this module."""
    choices = [(s.id, s.kind, s.title) for s in settings.sections]
    choices.append((settings.pages_folder, "pages", "Trang đứng riêng"))
    if wanted and wanted.strip():
        key = wanted.strip().strip("/\\")
        key = key.removeprefix("content/").removeprefix("content\\")
        for section_id, kind, title in choices:
            if key == section_id or slugify(key) == section_id or fold(key) == fold(title):
                return _Target(section_id, kind, title, "theo --section")
        listed = ", ".join(f"{section_id} ({title})" for section_id, _, title in choices)
        raise BuildFailed([Problem("--section", None, f"không có chuyên mục '{wanted}'; chọn một trong: {listed}")])
    complete = header is not None and not header.missing()
    documents = [c for c in choices if c[1] == "documents"]
    if complete and documents:
        section_id, kind, title = documents[0]
        return _Target(section_id, kind, title, "vì tài liệu có phần đầu văn bản hành chính (số, ký hiệu và ngày "
                                                "ban hành); chọn chuyên mục khác bằng --section")
    posts = [c for c in choices if c[1] == "posts"] or [c for c in choices if c[1] != "pages"]
    if not posts:
        raise BuildFailed([Problem("site_data.yaml", None, "chưa khai báo chuyên mục nào (sections) để nhập bài vào")])
    section_id, kind, title = posts[0]
    why = "chuyên mục tin bài đầu tiên trong site_data.yaml"
    if header is not None and documents:
        why += (f"; tài liệu có phần đầu văn bản nhưng thiếu {', '.join(header.missing())} nên không nhập vào "
                f"chuyên mục văn bản")
    return _Target(section_id, kind, title, why + "; chọn chuyên mục khác bằng --section")


def _first_content(blocks: Sequence[Block]) -> int | None:
    return next((i for i, b in enumerate(blocks) if not _blank_or_separator(b)), None)


def choose_title(blocks: Sequence[Block], content: DocxContent, header: OfficialHeader | None,
                 given: str | None, file_name: str) -> tuple[str, str, int | None]:
    """(title, where it came from, index of a top-level heading block to leave out of the body)."""
    if given and given.strip():
        return " ".join(given.split()), "--title", None
    if header is not None and header.subject:
        return header.subject, "trích yếu của văn bản", None
    first = _first_content(blocks)
    styled = next((i for i, b in enumerate(blocks[:HEADER_SPAN])
                   if isinstance(b, Paragraph) and b.heading_level == 0 and b.text.strip()), None)
    if styled is None and first is not None and isinstance(blocks[first], Paragraph) \
            and blocks[first].heading_level is not None:
        styled = first
    if styled is not None:
        return " ".join(blocks[styled].text.split()), "tiêu đề đầu tiên của tài liệu", styled
    if content.title_property:
        return content.title_property, "thuộc tính Title của tài liệu (Tệp → Thông tin)", None
    heading = next((p for p in _paragraphs(blocks) if p.heading_level is not None and p.text.strip()), None)
    if heading is not None:
        return " ".join(heading.text.split()), "tiêu đề mục đầu tiên của tài liệu", None
    stem = " ".join(file_name.replace("_", " ").split())
    return stem, "tên tệp (tài liệu không có tiêu đề; nên đặt lại bằng --title)", None


# --- Markdown --------------------------------------------------------------------------------------

_MD_ESCAPES = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
                             "{": "\\{", "}": "\\}", "<": "&lt;", "&": "&amp;"})
# Typed bullets, and the Symbol/Wingdings ones pasted from old documents (private-use code points U+F0xx).
_BULLET = re.compile(r"^\s*[•●▪■◦○·‣⁃∙◆◇►▸➢✓✔❖*+\-–—\uf0a7\uf0b7\uf0d8\uf076\uf0fc]\s+(?=\S)")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
_ORDERED_START = re.compile(r"^(\d+)\.(?=\s|$)")
_URL_SAFE = "/:?#@!$&'+,;=%~-._"
_AUTO_ALT = ("automatically generated", "tao tu dong", "tu dong tao")
_FILE_ALT = re.compile(r"^[\w\-. ()]+\.(?:jpe?g|png|gif|bmp|tiff?|emf|wmf|webp|heic)$|^(?:img|dsc|dscn|pic|"
                       r"picture|image|anh|hinh)[\s_-]*\d*$", re.IGNORECASE)


def md_escape(text: str, in_table: bool = False) -> str:
    """Text that Python-Markdown shows as written: no emphasis, links, code or HTML from it."""
    escaped = text.translate(_MD_ESCAPES)
    return escaped.replace("|", "\\|") if in_table else escaped


def _escape_line_start(text: str) -> str:
    """Keep the start of a block from reading as a heading, quote, list or code fence."""
    if text.startswith(("#", ">")) or re.match(r"^[+\-](?:\s|$)", text):
        return "\\" + text
    if text.startswith("~"):
        return "&#126;" + text[1:]
    return _ORDERED_START.sub(lambda m: f"{m.group(1)}\\.", text, count=1)


def web_href(href: str) -> str | None:
    """A link address the site may carry (http, https, mailto, tel), percent-encoded; None otherwise."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if (scheme in ("http", "https") and parts.netloc) or (scheme in ("mailto", "tel") and parts.path):
        return quote(href.strip(), safe=_URL_SAFE)
    return None


def _alt_text(image: WordImage) -> tuple[str, bool]:
    """The alt text to write and whether Word's own text was set aside (auto-generated or a file name)."""
    alt = " ".join(image.alt.split())
    if not alt:
        return ALT_PLACEHOLDER, False
    if any(marker in fold(alt) for marker in _AUTO_ALT) or _FILE_ALT.match(alt):
        return ALT_PLACEHOLDER, True
    return alt, False


@dataclass(frozen=True)
class _Item:
    level: int
    ordered: bool
    inlines: tuple[Inline, ...]
    number: int | None = None  # the number typed before the text ("2. …"), kept as the list's start


def _drop_leading(inlines: Sequence[Inline], count: int) -> tuple[Inline, ...]:
    """The inlines without their first `count` characters (a typed "• " or "1. ")."""
    result: list[Inline] = []
    for item in inlines:
        if count > 0 and isinstance(item, Text):
            if len(item.text) <= count:
                count -= len(item.text)
                continue
            item = replace(item, text=item.text[count:])
            count = 0
        elif count > 0 and isinstance(item, Link):
            length = len(Paragraph(item.children).text)
            item = Link(item.href, _drop_leading(item.children, count))
            count = max(0, count - length)
        elif count > 0 and isinstance(item, LineBreak):
            count -= 1
            continue
        result.append(item)
    return tuple(result)


def _manual_marker(paragraph: Paragraph) -> tuple[int | None, int] | None:
    """(typed number or None for a bullet, characters to drop) for a paragraph typed as "• …" or "2. …"."""
    text = paragraph.text
    if match := _BULLET.match(text):
        return None, match.end()
    if match := _NUMBERED.match(text):
        return int(match.group(1)), match.end()
    return None


def _is_list_paragraph(paragraph: Paragraph) -> bool:
    return paragraph.heading_level is None and (paragraph.list_level is not None
                                                 or _manual_marker(paragraph) is not None)


def _list_items(paragraphs: list[Paragraph]) -> list[_Item]:
    """Items of a run of list paragraphs; typed markers take their level from the paragraphs' indents."""
    manual = [_manual_marker(p) for p in paragraphs]
    indents = sorted({p.indent for p, m in zip(paragraphs, manual, strict=True) if m and p.list_level is None})
    items: list[_Item] = []
    for paragraph, marker in zip(paragraphs, manual, strict=True):
        number = None
        if paragraph.list_level is not None:
            level, ordered, inlines = paragraph.list_level, paragraph.ordered, paragraph.inlines
        else:
            assert marker is not None
            number, drop = marker
            ordered = number is not None
            level, inlines = indents.index(paragraph.indent), _drop_leading(paragraph.inlines, drop)
        top = items[-1].level + 1 if items else 0
        items.append(_Item(max(0, min(level, top)), ordered, inlines, number))
    return items


def _flat(inlines: Iterable[Inline]) -> Iterator[Inline]:
    for item in inlines:
        yield item
        if isinstance(item, Link):
            yield from _flat(item.children)


def _merge_texts(inlines: Sequence[Inline]) -> list[Inline]:
    """Word splits text into runs at random; join neighbours with the same emphasis."""
    merged: list[Inline] = []
    for item in inlines:
        last = merged[-1] if merged else None
        if isinstance(item, Text) and isinstance(last, Text) and (last.bold, last.italic, last.script) == (
                item.bold, item.italic, item.script):
            merged[-1] = replace(last, text=last.text + item.text)
        else:
            merged.append(item)
    return merged


@dataclass
class _Writer:
    """Renders blocks as Markdown (or, in tables that need it, as HTML), counting what it converts."""

    content: DocxContent
    files: dict[int, str]  # image index → "folder/anh-1.jpg"
    counts: Counter = field(default_factory=Counter)
    note_order: list[str] = field(default_factory=list)
    links_dropped: list[tuple[str, str]] = field(default_factory=list)
    alts_set_aside: int = 0
    _moved: list[int] = field(default_factory=list)

    # blocks
    def document(self, blocks: Sequence[Block]) -> str:
        chunks = self.blocks(blocks)
        done = 0
        while done < len(self.note_order):  # notes may cite further notes
            key = self.note_order[done]
            done += 1
            texts = [self.inline(p.inlines, start=True) for p in _paragraphs(self.content.notes.get(key, ()))]
            first, *rest = [t for t in texts if t] or ["…"]
            chunks.append(f"[^{done}]: {first}" + "".join(f"\n\n    {text}" for text in rest))
        return "\n\n".join(chunks) + "\n"

    def runs(self, blocks: Sequence[Block]) -> Iterator[Block | list[Paragraph]]:
        """Blocks without empty, separator and table-of-contents paragraphs; list paragraphs grouped."""
        pending: list[Paragraph] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                if _blank_or_separator(block):
                    self.counts["empty"] += 1
                    continue
                if block.style.startswith("toc"):
                    self.counts["toc"] += 1
                    continue
                if _is_list_paragraph(block):
                    if pending and (block.list_level is None) != (pending[-1].list_level is None):
                        yield pending
                        pending = []
                    pending.append(block)
                    continue
            if pending:
                yield pending
                pending = []
            if isinstance(block, Table) and len(block.rows) == 1 and len(block.rows[0]) == 1:
                yield from self.runs(block.rows[0][0].blocks)  # a one-cell table is a frame around text
                continue
            yield block
        if pending:
            yield pending

    def blocks(self, blocks: Sequence[Block]) -> list[str]:
        chunks: list[str] = []
        for run in self.runs(blocks):
            if isinstance(run, list):
                chunks.extend(self.markdown_list(_list_items(run)))
            elif isinstance(run, Paragraph):
                chunks.extend(self.paragraph(run))
            else:
                chunks.extend(self.table(run))
        return chunks

    def paragraph(self, paragraph: Paragraph) -> list[str]:
        level = paragraph.heading_level
        if level is None:
            text = self.inline(paragraph.inlines, start=True)
            return [text] if text else []
        plain = [i for i in _flat(paragraph.inlines) if isinstance(i, (Text, NoteMark))]
        text = self.inline(tuple(replace(i, bold=False, italic=False) if isinstance(i, Text) else i for i in plain))
        pictures = [self.inline((i,)) for i in _flat(paragraph.inlines) if isinstance(i, Picture)]
        if text:
            self.counts["headings"] += 1
            text = text[:-1] + "\\#" if text.endswith("#") else text
        heading = [f"{'#' * min(level + 1, 4) if level else '##'} {text}"] if text else []
        return heading + [p for p in pictures if p]

    def markdown_list(self, items: list[_Item]) -> list[str]:
        """Markdown lists, nested by four spaces; a bulleted list after a numbered one starts a new list."""
        lists: list[list[str]] = []
        kinds: list[bool] = []  # ordered or not, per list
        numbers: list[int] = []  # the running number at each level
        for item in items:
            text = self.inline(item.inlines, start=True)
            if not text:
                continue
            level = min(item.level, len(numbers)) if lists else 0
            del numbers[level + 1:]
            numbers += [0] * (level + 1 - len(numbers))
            numbers[level] += 1
            if level == 0 and (not lists or kinds[-1] != item.ordered):
                lists.append([])
                kinds.append(item.ordered)
                numbers[0] = 1
                self.counts["lists"] += 1
            if item.number is not None:  # typed "2." after a paragraph: the list starts at 2
                numbers[level] = item.number
            marker = f"{numbers[level]}." if item.ordered else "-"
            lists[-1].append(f"{'    ' * level}{marker} {text}")
            self.counts["items"] += 1
        return ["\n".join(lines) for lines in lists]

    def table(self, table: Table) -> list[str]:
        rows = [row for row in table.rows if row]
        if not rows:
            return []
        simple = len({len(row) for row in rows}) == 1 and all(
            cell.colspan == 1 and cell.rowspan == 1 and all(
                isinstance(b, Paragraph) and not _is_list_paragraph(b) for b in cell.blocks)
            for row in rows for cell in row)
        if simple:
            self.counts["tables"] += 1
            lines = []
            for index, row in enumerate(rows):
                cells = ["<br>".join(t for p in cell.blocks if (t := self.inline(p.inlines, in_table=True)))
                         for cell in row]
                lines.append("| " + " | ".join(c or " " for c in cells) + " |")
                if index == 0:
                    lines.append("|" + "|".join([" --- "] * len(row)) + "|")
            return ["\n".join(lines)]
        self.counts["html_tables"] += 1
        self._moved = []
        body = self.html_table(table)
        moved = [self.inline((Picture(index),)) for index in self._moved]
        self.counts["moved"] += len(moved)
        self._moved = []
        return [f'<div class="table-wrap" role="region" tabindex="0" aria-label="{TABLE_LABEL}">\n{body}\n</div>',
                *moved]

    # HTML, for tables with merged cells, lists or tables inside
    def html_table(self, table: Table) -> str:
        lines = ["<table>"]
        header = max(table.header_rows, 1)
        for index, row in enumerate(table.rows):
            tag = "th" if index < header else "td"
            cells = []
            for cell in row:
                spans = "".join(f' {name}="{value}"' for name, value in (("colspan", cell.colspan),
                                                                        ("rowspan", cell.rowspan)) if value > 1)
                cells.append(f"<{tag}{spans}>{self.html_blocks(cell.blocks)}</{tag}>")
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</table>")
        return "\n".join(lines)

    def html_blocks(self, blocks: Sequence[Block]) -> str:
        parts: list[str] = []
        for run in self.runs(blocks):
            if isinstance(run, list):
                parts.append(self.html_list(_list_items(run)))
            elif isinstance(run, Paragraph):
                text = self.inline(run.inlines, html_mode=True)
                if text:
                    parts.append(text)
            else:
                parts.append(self.html_table(run))
        if len(parts) == 1 and not parts[0].startswith(("<ul>", "<ol>", "<table>")):
            return parts[0]
        return "".join(p if p.startswith(("<ul>", "<ol>", "<table>")) else f"<p>{p}</p>" for p in parts)

    def html_list(self, items: list[_Item]) -> str:
        out: list[str] = []
        stack: list[str] = []
        for item in items:
            text = self.inline(item.inlines, html_mode=True)
            if not text:
                continue
            tag = "ol" if item.ordered else "ul"
            level = min(item.level, len(stack))
            while len(stack) > level + 1:
                out.append(f"</li></{stack.pop()}>")
            if len(stack) == level + 1:
                out.append("</li>")
                if stack[-1] != tag:
                    out.append(f"</{stack.pop()}>")
            if len(stack) == level:
                stack.append(tag)
                start = f' start="{item.number}"' if item.ordered and item.number not in (None, 1) else ""
                out.append(f"<{tag}{start}>")
            out.append(f"<li>{text}")
            self.counts["items"] += 1
        while stack:
            out.append(f"</li></{stack.pop()}>")
        return "".join(out)

    # inline text
    def inline(self, inlines: Sequence[Inline], start: bool = False, in_table: bool = False,
               html_mode: bool = False) -> str:
        out = ""
        items = _merge_texts(inlines)
        for item in items:
            if isinstance(item, Text):
                out += self.text(item, in_table, html_mode)
            elif isinstance(item, Link):
                out += self.link(item, in_table, html_mode)
            elif isinstance(item, Picture):
                out += self.picture(item.index, html_mode)
            elif isinstance(item, NoteMark):
                out += self.note(item.key, html_mode)
            elif isinstance(item, LineBreak):
                out += "<br>"
        out = re.sub(r"[ \t]{2,}", " ", out).strip()
        out = re.sub(r"^(?:<br>\s*)+|(?:\s*<br>)+$", "", out)
        return _escape_line_start(out) if start and not html_mode else out

    def text(self, item: Text, in_table: bool, html_mode: bool) -> str:
        """Escaped text; emphasis as **bold**/*italic* (Python-Markdown reads them even between letters)."""
        text = item.text.replace("\t", " ").replace("\n", " ")
        escaped = html.escape(text, quote=False) if html_mode else md_escape(text, in_table)
        if not (item.bold or item.italic or item.script) or not text.strip():
            return escaped
        core = escaped.strip()
        lead = escaped[:len(escaped) - len(escaped.lstrip())]
        trail = escaped[len(escaped.rstrip()):]
        if item.script:
            core = f"<{item.script}>{core}</{item.script}>"
        if html_mode or item.script:
            core = f"<em>{core}</em>" if item.italic else core
            core = f"<strong>{core}</strong>" if item.bold else core
            return f"{lead}{core}{trail}"
        marks = "***" if item.bold and item.italic else "**" if item.bold else "*"
        return f"{lead}{marks}{core}{marks}{trail}"

    def link(self, link: Link, in_table: bool, html_mode: bool) -> str:
        text = self.inline(link.children, in_table=in_table, html_mode=html_mode)
        href = web_href(link.href)
        if href is None:
            if link.href and not link.href.startswith("#"):
                self.links_dropped.append((" ".join(Paragraph(link.children).text.split()), link.href))
            return text
        if not text:
            return ""
        self.counts["links"] += 1
        if html_mode:
            return f'<a href="{html.escape(href)}">{text}</a>'
        return f"[{text}]({href})"

    def picture(self, index: int, html_mode: bool) -> str:
        image = self.content.images[index]
        if index not in self.files:
            reason = image.problem.split(":")[0].replace("--", "–")
            return f"<!-- Ảnh thứ {image.number} chưa chuyển được ({reason}); xem tóm tắt khi nhập -->"
        if html_mode:
            self._moved.append(index)
            return "(ảnh ở dưới bảng)"
        alt, set_aside = _alt_text(image)
        self.alts_set_aside += set_aside
        self.counts["pictures"] += 1
        return f"![{md_escape(alt)}]({self.files[index]})"

    def note(self, key: str, html_mode: bool) -> str:
        blocks = self.content.notes.get(key, ())
        if not any(p.text.strip() for p in _paragraphs(blocks)):
            return ""
        if html_mode:
            plain = " ".join(" ".join(p.text.split()) for p in _paragraphs(blocks))
            return f" <small>(Chú thích: {html.escape(plain, quote=False)})</small>"
        if key not in self.note_order:
            self.note_order.append(key)
            self.counts["notes"] += 1
        return f"[^{self.note_order.index(key) + 1}]"


@dataclass(frozen=True)
class Markdown:
    """A document body as Markdown, with what was converted and what needs a look."""

    text: str
    counts: Mapping[str, int]  # headings, lists, items, tables, html_tables, pictures, notes, links, empty, …
    links_dropped: tuple[tuple[str, str], ...]  # (link text, address) of links to files or other places
    alts_set_aside: int  # pictures whose Word description was generated by Word or was a file name


def to_markdown(content: DocxContent, blocks: Sequence[Block] | None = None,
                files: Mapping[int, str] | None = None) -> Markdown:
    """Markdown of the document's blocks (all by default); `files` maps picture index → path from the post."""
    writer = _Writer(content, dict(files or {}))
    text = writer.document(content.blocks if blocks is None else blocks)
    return Markdown(text, dict(writer.counts), tuple(writer.links_dropped), writer.alts_set_aside)


# --- the import ------------------------------------------------------------------------------------


def _image_files(images: Sequence[WordImage], folder: str) -> tuple[dict[int, str], dict[str, bytes]]:
    """Readable ASCII names, anh-1.jpg …, one file per distinct picture."""
    by_hash: dict[str, str] = {}
    names: dict[int, str] = {}
    data: dict[str, bytes] = {}
    for index, image in enumerate(images):
        if not image.extension:
            continue
        digest = hashlib.sha256(image.data).hexdigest()
        if digest not in by_hash:
            by_hash[digest] = f"anh-{len(by_hash) + 1}.{image.extension}"
            data[by_hash[digest]] = image.data
        names[index] = f"{folder}/{by_hash[digest]}"
    return names, data


def _front_matter(target: _Target, title: str, header: OfficialHeader | None, dated: DateLine | None,
                  now: datetime) -> list[tuple[str, object]]:
    front: list[tuple[str, object]] = [("title", title)]
    if target.kind == "documents":
        assert header is not None and header.issued is not None
        front += [("doc_type", header.doc_type), ("number", header.number), ("issued", header.issued.day),
                  ("issuer", header.issuer)]
        front += [("signer", header.signer)] if header.signer else []
        front += [("level", header.level)] if header.level else []
    else:
        front.append(("date", dated.day if dated else now.replace(second=0, microsecond=0)))
        if target.kind == "profiles":
            front.append(("name", title))
    front.append(("draft", True))
    return front


def _guide(file_name: str, target: _Target, now: datetime) -> str:
    lines = [f"Bài nhập từ tệp Word “{file_name}” ngày {format_date_short(now)} (python build.py import).",
             "Hãy đọc lại, viết mô tả cho ảnh chưa có mô tả, rồi xóa dòng draft: true để đăng."]
    if target.kind == "documents":
        lines.append("Các mục văn bản được đọc tự động từ phần đầu và khối chữ ký: hãy đối chiếu với bản gốc; "
                     "ngày đăng là ngày ban hành (issued).")
    if target.kind == "profiles":
        lines.append("Sửa 'name' thành tên người hoặc tập thể; thêm kind, place, year, achievement nếu có.")
    return "\n".join(lines)


def _write_files(root: Path, target: _Target, slug: str, folder: str, files: dict[str, bytes],
                 front: list[tuple[str, object]], body: str, guide: str) -> tuple[Path, list[Path]]:
    """Pictures first, then the post; on any failure remove what this call created, and only that."""
    section_dir = root / "content" / target.id
    created: list[Path] = []
    made_folder: Path | None = None
    try:
        if files:
            made_folder = section_dir / folder
            made_folder.mkdir(parents=True)
            for name, data in files.items():
                with (made_folder / name).open("xb") as stream:
                    created.append(made_folder / name)
                    stream.write(data)
        post = write_post(root, target.id, slug, front, body, guide)
    except BaseException as error:
        for path in reversed(created):
            path.unlink(missing_ok=True)
        if made_folder is not None and made_folder.is_dir() and not any(made_folder.iterdir()):
            made_folder.rmdir()
        if isinstance(error, OSError):
            raise BuildFailed([Problem(shown_path(root, section_dir), None,
                                       f"không ghi được ảnh ({error.strerror or error}); kiểm tra quyền ghi và "
                                       "chỗ trống trên đĩa")]) from None
        raise
    return post, created


def _shown_docx(root: Path, docx_file: Path) -> str:
    """The .docx as staff typed it, or project-relative when it is inside the project."""
    if not docx_file.is_absolute():
        return unicodedata.normalize("NFC", docx_file.as_posix())
    return shown_path(root.resolve(), docx_file.resolve())


def import_docx(root: Path, docx_file: Path, settings: Settings, section: str | None, title: str | None,
                now: datetime) -> ImportReport:
    """Turn a .docx into a draft post in content/<section>/ with its pictures; BuildFailed when refused."""
    shown_docx = _shown_docx(root, docx_file)
    content = read_docx(docx_file, shown_docx)
    blocks = list(content.blocks)
    header = find_official_header(blocks, settings.agency)
    target = choose_section(settings, section, header)
    if target.kind == "documents":
        missing = (header or OfficialHeader()).missing()
        if missing:
            posts = next((s.id for s in settings.sections if s.kind == "posts"), "")
            hint = f", hoặc nhập vào chuyên mục tin bài (--section {posts})" if posts else ""
            raise BuildFailed([Problem(shown_docx, None, "chưa nhận ra đủ thông tin văn bản: thiếu "
                                                         f"{', '.join(missing)}; hãy kiểm tra phần đầu văn bản "
                                                         f"trong Word{hint}")])
    title_text, title_source, title_block = choose_title(blocks, content, header, title, docx_file.stem)
    dated = header.issued if header and header.issued else find_date_line(_paragraphs(blocks))
    dropped_parts = []
    if target.kind == "documents" and header is not None:
        keep = set(range(header.header_end, len(blocks))) - set(header.signer_blocks)
        blocks = [b for i, b in enumerate(blocks) if i in keep]
        dropped_parts.append("phần đầu văn bản (quốc hiệu, số, ngày, loại và trích yếu) và khối nơi nhận, chữ ký: "
                             "đã ghi vào phần đầu bài")
    elif title_block is not None:
        blocks = [b for i, b in enumerate(blocks) if i != title_block]
    by_number = target.kind == "documents" and header is not None and title_source != "--title"
    slug = post_slug(f"{header.doc_type} {header.number}" if by_number and header else title_text)
    section_dir = root / "content" / target.id
    post_file = post_path(root, target.id, slug)
    if taken(section_dir, post_file.name):
        raise PostExists([Problem(shown_path(root, post_file), None,
                                  "đã có bài này; lệnh nhập không ghi đè bài đã có. Hãy đặt tiêu đề khác bằng "
                                  "--title \"…\", hoặc chuyển tệp cũ đi nơi khác rồi chạy lại")])
    usable = any(image.extension for image in content.images)
    folder = free_name(section_dir, slug) if usable else slug
    names, files = _image_files(content.images, folder)
    markdown = to_markdown(content, blocks, names)
    body = markdown.text
    front = _front_matter(target, title_text, header, dated, now)
    guide = _guide(docx_file.name, target, now)
    post, created = _write_files(root, target, slug, folder, files, front, body, guide)
    post_shown = shown_path(root, post)
    warnings = _warnings(post_shown, shown_docx, post_text(front, body, guide), content, markdown, target)
    if target.kind == "documents" and header is not None:
        for other in _same_number(root, settings, header.number, post_shown):
            warnings.append(Problem(post_shown, None, f"đã có văn bản số {header.number} ở {other}; trước khi đăng "
                                                      "bài mới, hãy bỏ một trong hai (mỗi văn bản chỉ một bài)"))
    summary = _summary(post_shown, docx_file.name, target, title_text, title_source, dated, header, markdown,
                       [shown_path(root, p) for p in created], content, dropped_parts, warnings)
    return ImportReport(post_shown, tuple(shown_path(root, p) for p in created), tuple(summary), tuple(warnings))


def _same_number(root: Path, settings: Settings, number: str, new_post: str) -> list[str]:
    """Posts that already carry this document number (the build refuses two once both are published)."""
    pages = load_content(root, settings, Diagnostics()).pages  # their own problems are the build's to report
    return [page.source for page in pages if page.source != new_post and page.front.document is not None
            and citation_key(str(page.front.document.number)) == citation_key(number)]


def _warnings(post: str, docx: str, text: str, content: DocxContent, writer: Markdown,
              target: _Target) -> list[Problem]:
    warnings: list[Problem] = []
    if content.tracked_changes:
        warnings.append(Problem(docx, None, f"tài liệu còn {content.tracked_changes} sửa đổi đang theo dõi (Track "
                                            f"Changes), chỗ đầu tiên gần đoạn {content.first_change}: đã nhập như "
                                            "khi chấp nhận hết các sửa đổi (phần bị xóa không vào bài). Nếu chưa "
                                            "đồng ý, hãy xem lại trong Word (Xem lại → Chấp nhận / Từ chối) rồi "
                                            "nhập lại"))
    for number, line in enumerate(text.split("\n"), start=1):
        if f"![{ALT_PLACEHOLDER}](" in line:
            warnings.append(Problem(post, number, f"ảnh chưa có mô tả: thay “{ALT_PLACEHOLDER}” bằng một câu tả ảnh "
                                                  "cho người đọc bằng trình đọc màn hình"))
    if writer.alts_set_aside:
        warnings.append(Problem(post, None, f"{writer.alts_set_aside} ảnh chỉ có mô tả do Word tự tạo hoặc tên tệp; "
                                            "đã thay bằng chỗ cần viết mô tả"))
    for text_of_link, href in writer.links_dropped:
        warnings.append(Problem(post, None, f"liên kết “{text_of_link}” trỏ tới “{href}”, không phải địa chỉ web, nên "
                                            "chỉ giữ chữ; nếu là tệp, hãy đặt tệp cạnh bài và liên kết bằng tên tệp"))
    if target.kind == "profiles":
        warnings.append(Problem(post, None, "bài điển hình: 'name' đang tạm lấy theo tiêu đề; hãy sửa thành tên "
                                            "người hoặc tập thể"))
    return warnings


def _summary(post: str, file_name: str, target: _Target, title: str, title_source: str, dated: DateLine | None,
             header: OfficialHeader | None, writer: Markdown, images: list[str], content: DocxContent,
             dropped_parts: list[str], warnings: list[Problem]) -> list[str]:
    counts = Counter(writer.counts)
    lines = [f"Đã nhập “{file_name}” thành bài nháp {post}",
             f"  Chuyên mục: {target.title} ({target.id}), {target.reason}.",
             f"  Tiêu đề: “{title}” (lấy từ {title_source}).",
             f"  Ngày: {format_date_short(dated.day)} (từ dòng “{dated.text}”)." if dated else
             "  Ngày: hôm nay (tài liệu không có dòng “…, ngày … tháng … năm …”)."]
    if target.kind == "documents" and header is not None:
        signer = f"; người ký: {header.signer}" if header.signer else "; chưa nhận ra người ký"
        lines.append(f"  Văn bản: {header.doc_type} số {header.number}; cơ quan ban hành: {header.issuer}{signer}.")
    tables = counts["tables"] + counts["html_tables"]
    html_note = f" ({counts['html_tables']} bảng có ô gộp hay danh sách trong ô, viết dạng HTML)"
    converted = [(counts["headings"], f"{counts['headings']} tiêu đề mục"),
                 (counts["lists"], f"{counts['lists']} danh sách ({counts['items']} mục)"),
                 (tables, f"{tables} bảng" + (html_note if counts["html_tables"] else "")),
                 (counts["pictures"], f"{counts['pictures']} chỗ đặt ảnh"),
                 (counts["notes"], f"{counts['notes']} chú thích"), (counts["links"], f"{counts['links']} liên kết")]
    done = [text for count, text in converted if count]
    lines.append(f"  Đã chuyển: {', '.join(done) if done else 'các đoạn văn'}.")
    if images:
        folder = images[0].rsplit("/", 1)[0]
        lines.append(f"  Ảnh ({len(images)}) trong {folder}/: {', '.join(p.rsplit('/', 1)[1] for p in images)}")
    dropped = [*dropped_parts, "định dạng phông chữ, cỡ chữ, màu"]
    if counts["empty"]:
        dropped.append(f"{counts['empty']} đoạn trống hoặc đường kẻ")
    if counts["moved"]:
        dropped.append(f"chỗ của {counts['moved']} ảnh trong bảng có ô gộp (ảnh được đặt ngay dưới bảng)")
    if counts["toc"]:
        dropped.append(f"{counts['toc']} dòng mục lục của Word (trang tự tạo mục lục)")
    lines.append(f"  Đã bỏ: {'; '.join(dropped)}.")
    lost = [*(f"ảnh thứ {image.number} {image.problem} — gần đoạn {image.where}" for image in content.images
              if not image.extension),
            *(f"{finding.what} — gần đoạn {finding.where}" for finding in content.findings)]
    if lost:
        lines.append(f"Không chuyển được hoặc cần kiểm tra ({len(lost)}):")
        lines += [f"  - {item}" for item in lost]
    lines.append("Việc tiếp theo: mở bài để đọc lại" + (", sửa các cảnh báo dưới đây" if warnings else "")
                 + "; xem trước bằng “python build.py --drafts”; khi đã ổn, xóa dòng “draft: true” để đăng.")
    return lines


def run_import(root: Path, file: str, section: str | None, title: str | None) -> int:
    """The `import` command: print the summary (stdout) or the reasons it was refused (stderr); 0 or 1."""
    try:
        settings = load_settings(root, Diagnostics())
        report = import_docx(root, Path(file), settings, section, title, datetime.now(VIETNAM_TZ))
    except BuildFailed as failure:
        print(f"Không nhập được tài liệu ({len(failure.errors)} lỗi); không có tệp nào được tạo:", file=sys.stderr)
        for error in failure.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    for line in report.summary:
        print(line)
    if report.warnings:
        print(f"Cảnh báo ({len(report.warnings)}):")
        for warning in report.warnings:
            print(f"  {warning}")
    return 0
