"""Reading a Word .docx safely into plain blocks, images and what could not be read (the only importer of mammoth)."""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import mammoth.docx
from mammoth import documents

from sitegen.errors import BuildFailed, Problem
from sitegen.text import detect_legacy_encoding

MAX_DOCX_BYTES = 200 * 1024 * 1024  # a report full of phone photos stays well below
MAX_ENTRIES = 10_000
MAX_XML_BYTES = 32 * 1024 * 1024  # per XML part, uncompressed; a 500-page report is about 10 MB
MAX_PART_BYTES = 64 * 1024 * 1024  # per image or other part, uncompressed
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all parts together, uncompressed
WEB_IMAGE_TYPES = ("jpg", "png", "gif", "webp")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and password-protected .docx
_SAVE_AS_DOCX = ("hãy mở tệp bằng Word, chọn Tệp → Lưu thành (Save As) → kiểu “Tài liệu Word (*.docx)”, rồi nhập "
                 "tệp .docx đó")
_UNIKEY = ("tài liệu có vẻ được gõ bằng bảng mã cũ {source} (phông {fonts}), không phải Unicode. Hãy chuyển mã "
           "bằng Unikey: mở tài liệu trong Word, chọn hết (Ctrl+A), sao chép (Ctrl+C); mở Unikey → Công cụ "
           "(Ctrl+Shift+F6), chọn nguồn {source}, đích Unicode, bấm “Chuyển mã”; dán lại vào Word (Ctrl+V), đổi "
           "phông sang Times New Roman, lưu rồi nhập lại")
_HEADING_STYLE = re.compile(r"^(?:heading|tiêu đề)\s*(\d)$")
_LIST_STYLE_LEVEL = re.compile(r"^list (?:bullet|number|continue|paragraph)\s*(\d)$")
_W_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                 "http://purl.oclc.org/ooxml/wordprocessingml/main")


# --- what a document is read into ------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A piece of text with the emphasis Word gave it (fonts, sizes and colours are dropped)."""

    text: str
    bold: bool = False
    italic: bool = False
    script: str = ""  # "sup" or "sub" for superscript (m²) and subscript


@dataclass(frozen=True)
class Link:
    """A hyperlink: an address, or "" for a link to a place inside the document (a bookmark)."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Picture:
    """Where a picture sits in the text: an index into DocxContent.images."""

    index: int


@dataclass(frozen=True)
class NoteMark:
    """A footnote or endnote reference: a key into DocxContent.notes."""

    key: str


@dataclass(frozen=True)
class LineBreak:
    """A manual line break inside a paragraph (Shift+Enter)."""


Inline = Text | Link | Picture | NoteMark | LineBreak


@dataclass(frozen=True)
class Paragraph:
    """One Word paragraph: its text, its style name (lower case) and its list level, if numbered."""

    inlines: tuple[Inline, ...]
    style: str = ""
    list_level: int | None = None  # 0 = top level of a Word bulleted or numbered list
    ordered: bool = False
    centered: bool = False
    indent: int = 0  # left indent in twentieths of a point, as Word stores it

    @property
    def text(self) -> str:
        """The paragraph's plain text (links' text included, pictures and notes left out)."""
        return "".join(_plain(self.inlines))

    @property
    def heading_level(self) -> int | None:
        """1 for Word's "Heading 1" style, 2 for "Heading 2" …; 0 for "Title"; None otherwise."""
        if self.style == "title":
            return 0
        match = _HEADING_STYLE.match(self.style)
        return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Cell:
    """A table cell and how many columns and rows it spans (merged cells)."""

    blocks: tuple[Block, ...]
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Table:
    """A Word table: rows of cells; header_rows = rows Word repeats at the top of each page."""

    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0


Block = Paragraph | Table


@dataclass(frozen=True)
class WordImage:
    """A picture of the document: its bytes and web file type, or why it cannot be used."""

    data: bytes
    extension: str  # one of WEB_IMAGE_TYPES, or "" when the picture cannot go on a web page
    alt: str  # Word's description (alt text), or its title; may be empty
    where: str  # near which text it is, for messages
    number: int  # its place among the document's pictures, 1-based
    problem: str = ""  # Vietnamese reason when extension is ""


@dataclass(frozen=True)
class Finding:
    """Something the import could not convert (or moved), and near which text it was."""

    what: str
    where: str


@dataclass(frozen=True)
class DocxContent:
    """Everything read from one .docx."""

    blocks: tuple[Block, ...]
    notes: Mapping[str, tuple[Block, ...]]
    images: tuple[WordImage, ...]
    findings: tuple[Finding, ...]
    tracked_changes: int = 0
    first_change: str = ""  # near which text the first tracked change is
    title_property: str = ""  # File → Info → Properties → Title


def _plain(inlines: Iterable[Inline]) -> Iterator[str]:
    for item in inlines:
        if isinstance(item, Text):
            yield item.text
        elif isinstance(item, Link):
            yield from _plain(item.children)
        elif isinstance(item, LineBreak):
            yield " "


def snippet(text: str, words: int = 8) -> str:
    """A short quote of a paragraph for messages: “Ban Thi đua tổ chức…”."""
    parts = text.split()
    short = " ".join(parts[:words])
    return f"“{short}…”" if len(parts) > words else f"“{short}”"


# --- reading ----------------------------------------------------------------------------


def read_docx(path: Path, shown_as: str) -> DocxContent:
    """Read a .docx; raise BuildFailed with a plain Vietnamese reason when it cannot or must not be read."""
    raw = _read_bytes(path, shown_as)
    with _open_archive(raw, path, shown_as) as archive:
        _check_parts(archive, shown_as)
        try:
            result = mammoth.docx.read(io.BytesIO(raw), external_file_access=False)
            walker = _Walker(result.value)
            blocks = walker.blocks(result.value.children)
            title = _title_property(archive)
            scan = _scan_document_xml(archive)
        except Exception as error:  # broken XML, missing parts and references, nesting too deep to walk
            raise BuildFailed([_problem(shown_as, "tệp .docx bị hỏng, không đọc được nội dung "
                                                  f"({type(error).__name__}); {_SAVE_AS_DOCX}")]) from None
    all_text = "\n".join(walker.texts)
    legacy = detect_legacy_encoding(all_text)
    if legacy:
        source, fonts = ("TCVN3 (ABC)", ".VnTime, .VnArial…") if legacy == "TCVN3" else ("VNI Windows", "VNI-Times…")
        raise BuildFailed([_problem(shown_as, _UNIKEY.format(source=source, fonts=fonts))])
    if not all_text.strip() and not walker.images:
        raise BuildFailed([_problem(shown_as, "tài liệu không có chữ hay ảnh nào để nhập")])
    findings = scan.findings(all_text)
    return DocxContent(blocks=blocks, notes=walker.notes, images=tuple(walker.images), findings=tuple(findings),
                       tracked_changes=scan.changes, first_change=scan.first_change, title_property=title)


def _problem(shown_as: str, message: str) -> Problem:
    return Problem(shown_as, None, message)


def _read_bytes(path: Path, shown_as: str) -> bytes:
    if path.is_dir():
        raise BuildFailed([_problem(shown_as, "đây là thư mục, không phải tệp Word (.docx)")])
    try:
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            raise BuildFailed([_problem(shown_as, f"tệp quá lớn ({size // (1024 * 1024)} MB, tối đa "
                                                  f"{MAX_DOCX_BYTES // (1024 * 1024)} MB); hãy nén ảnh trong Word "
                                                  "(chọn một ảnh → Định dạng ảnh → Nén ảnh) rồi lưu lại")])
        return path.read_bytes()
    except FileNotFoundError:
        raise BuildFailed([_problem(shown_as, "không tìm thấy tệp này (kiểm tra tên và thư mục; tên có dấu "
                                              "cách thì đặt trong ngoặc kép)")]) from None
    except OSError as error:
        raise BuildFailed([_problem(shown_as, f"không đọc được tệp ({error.strerror or error}); nếu tệp đang mở "
                                              "trong Word, hãy đóng lại rồi chạy lại")]) from None


def _open_archive(raw: bytes, path: Path, shown_as: str) -> zipfile.ZipFile:
    """The .docx as a zip, refusing old .doc, encrypted, RTF, PDF, OpenDocument and other files by content."""
    if raw.startswith(_OLE_MAGIC):
        if path.suffix.lower() == ".doc":
            reason = "đây là tệp Word cũ (.doc), chưa nhập được trực tiếp"
        else:
            reason = "tệp có đặt mật khẩu, hoặc là tệp Word cũ (.doc) bị đổi đuôi; nếu có mật khẩu, gỡ đi trước"
        raise BuildFailed([_problem(shown_as, f"{reason}: {_SAVE_AS_DOCX}")])
    if raw.lstrip().startswith(b"{\\rtf"):
        raise BuildFailed([_problem(shown_as, f"đây là tệp RTF, không phải .docx: {_SAVE_AS_DOCX}")])
    if raw.startswith(b"%PDF"):
        raise BuildFailed([_problem(shown_as, "đây là tệp PDF; trình nhập chỉ đọc được tài liệu Word. Hãy dùng "
                                              "tệp Word gốc (.docx) của văn bản")])
    if not raw.startswith(b"PK"):
        raise BuildFailed([_problem(shown_as, f"tệp không phải tài liệu Word .docx, hoặc đã hỏng: {_SAVE_AS_DOCX}")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, RuntimeError):
        raise BuildFailed([_problem(shown_as, "tệp .docx bị hỏng (không mở được); hãy mở bằng Word (Word thường "
                                              "tự sửa được) rồi lưu lại thành .docx")]) from None
    names = set(archive.namelist())
    if "word/document.xml" not in names and not any(n.endswith("document.xml") for n in names):
        kind = _zip_kind(archive, names)
        archive.close()
        raise BuildFailed([_problem(shown_as, f"{kind}, không phải tài liệu Word (.docx); {_SAVE_AS_DOCX}")])
    return archive


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
        try:
            mimetype = archive.read("mimetype")
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
            mimetype = b""
        if b"opendocument.text" in mimetype:
            return "đây là tài liệu OpenDocument (.odt) của LibreOffice"
        return "đây là tệp OpenDocument (bảng tính hay trình chiếu)"
    if any(n.startswith("xl/") for n in names):
        return "đây là bảng tính Excel"
    if any(n.startswith("ppt/") for n in names):
        return "đây là tệp PowerPoint"
    return "đây là một tệp nén (.zip)"


def _check_parts(archive: zipfile.ZipFile, shown_as: str) -> None:
    """Refuse zip bombs and XML with DOCTYPE (entity tricks) before any part is parsed."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise BuildFailed([_problem(shown_as, f"tệp .docx có quá nhiều phần ({len(infos)}); không nhập để an toàn")])
    total = 0
    for info in infos:
        limit = MAX_XML_BYTES if info.filename.endswith((".xml", ".rels")) else MAX_PART_BYTES
        total += info.file_size
        if info.file_size > limit or total > MAX_TOTAL_BYTES:
            raise BuildFailed([_problem(shown_as, "tệp .docx có phần giải nén ra quá lớn (có thể là tệp độc hại "
                                                  "hoặc hỏng); không nhập để bảo vệ máy. Hãy mở bằng Word, lưu "
                                                  "lại rồi thử lại")])
    try:
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as stream:
                    head = stream.read(65536)
                if b"<!DOCTYPE" in head.upper() or b"<\x00!\x00D\x00O\x00C\x00" in head:
                    raise BuildFailed([_problem(shown_as, "tệp .docx có khai báo XML bất thường (DOCTYPE), không "
                                                          "do Word tạo ra; không nhập để an toàn")])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError):  # RuntimeError: a zip-encrypted part
        raise BuildFailed([_problem(shown_as, "tệp .docx bị hỏng (giải nén lỗi); hãy mở bằng Word rồi lưu lại "
                                              "thành .docx")]) from None


def _xml(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        return ET.fromstring(archive.read(name))
    except (KeyError, ET.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _title_property(archive: zipfile.ZipFile) -> str:
    """The Title of File → Info → Properties (docProps/core.xml), if filled in."""
    root = _xml(archive, "docProps/core.xml")
    if root is None:
        return ""
    for element in root:
        if _local(element.tag) == "title" and element.text:
            return " ".join(unicodedata.normalize("NFC", element.text).split())
    return ""


# --- what mammoth does not convert: found in word/document.xml ---------------------------


@dataclass
class _Scan:
    """Things found in the raw XML: tracked changes and the parts mammoth leaves out."""

    changes: int = 0
    first_change: str = ""
    found: list[Finding] = field(default_factory=list)
    text_boxes: list[tuple[str, str]] = field(default_factory=list)  # (text in the box, near)

    def findings(self, converted_text: str) -> list[Finding]:
        """The findings, with each text box said to be kept or lost (its text is in the result or not)."""
        flat = " ".join(converted_text.split())
        boxes = []
        for text, where in self.text_boxes:
            if text and " ".join(text.split()) in flat:
                boxes.append(Finding("hộp văn bản (Text Box): chữ trong hộp đã được đưa vào bài thành đoạn thường "
                                     "ngay sau đoạn này; hãy kiểm tra vị trí", where))
            else:
                boxes.append(Finding("hộp văn bản (Text Box): không đọc được chữ trong hộp; hãy chép tay vào bài",
                                     where))
        return boxes + self.found


_GRAPHIC_KINDS = {
    "diagram": "sơ đồ SmartArt: bị bỏ; hãy chụp lại thành ảnh (chuột phải → Lưu thành ảnh) và chèn ảnh",
    "chart": "biểu đồ (Chart): bị bỏ; hãy lưu biểu đồ thành ảnh hoặc ghi số liệu thành bảng",
    "chartex": "biểu đồ (Chart): bị bỏ; hãy lưu biểu đồ thành ảnh hoặc ghi số liệu thành bảng",
}


def _scan_document_xml(archive: zipfile.ZipFile) -> _Scan:
    scan = _Scan()
    root = _xml(archive, "word/document.xml")
    if root is not None:
        _scan_element(root, scan, ["đầu tài liệu"])
    return scan


def _paragraph_text(paragraph: ET.Element) -> str:
    parts: list[str] = []

    def collect(element: ET.Element) -> None:
        for child in element:
            name = _local(child.tag)
            if name in ("txbxContent", "delText", "Fallback"):
                continue
            if name == "t" and child.text:
                parts.append(child.text)
            collect(child)

    collect(paragraph)
    return unicodedata.normalize("NFC", "".join(parts))


def _box_text(box: ET.Element) -> str:
    return unicodedata.normalize("NFC", " ".join(e.text or "" for e in box.iter() if _local(e.tag) == "t"))


def _scan_element(element: ET.Element, scan: _Scan, near: list[str]) -> None:
    """Walk the XML in reading order; `near` holds the latest paragraph text as a one-item list."""
    for child in element:
        name = _local(child.tag)
        namespace = child.tag[1:].split("}", 1)[0] if isinstance(child.tag, str) and child.tag.startswith("{") else ""
        if name == "AlternateContent":  # the same thing twice (new and old form): look at the first only
            branches = list(child)
            if branches:
                _scan_element(branches[0], scan, near)
            continue
        if name == "p" and namespace in _W_NAMESPACES:
            text = _paragraph_text(child)
            if text.strip():
                near[0] = snippet(text)
        if namespace in _W_NAMESPACES and name in ("ins", "del", "moveFrom", "moveTo"):
            scan.changes += 1
            scan.first_change = scan.first_change or near[0]
        elif name == "txbxContent":
            scan.text_boxes.append((_box_text(child), near[0]))
            continue
        elif name == "commentReference":
            scan.found.append(Finding("nhận xét (Comment): bị bỏ, không đưa lên trang", near[0]))
        elif name == "object" and namespace in _W_NAMESPACES:
            program = next((e.get("ProgID", "") for e in child.iter() if _local(e.tag) == "OLEObject"), "")
            what = f"đối tượng nhúng{f' ({program})' if program else ''}"
            scan.found.append(Finding(f"{what}: bị bỏ; chỉ ảnh xem trước (nếu có) được giữ. Hãy đưa nội dung vào "
                                      "bài bằng chữ, bảng hoặc ảnh, hay đính kèm tệp gốc", near[0]))
            continue
        elif name == "altChunk":
            scan.found.append(Finding("phần nội dung nhúng (altChunk): bị bỏ; hãy chép nội dung vào tài liệu",
                                      near[0]))
        elif name in ("oMathPara", "oMath"):
            scan.found.append(Finding("công thức (Equation): bị bỏ; hãy viết lại bằng chữ hoặc chèn ảnh", near[0]))
            continue
        elif name == "graphicData":
            kind = (child.get("uri") or "").rstrip("/").rsplit("/", 1)[-1]
            if kind in _GRAPHIC_KINDS:
                scan.found.append(Finding(_GRAPHIC_KINDS[kind], near[0]))
            elif kind == "wordprocessingGroup" and any(_local(e.tag) == "pic" for e in child.iter()):
                scan.found.append(Finding("nhóm hình có ảnh (Group): bị bỏ; hãy bỏ nhóm (Ungroup) hoặc lưu ảnh "
                                          "riêng rồi chèn lại", near[0]))
        _scan_element(child, scan, near)


# --- mammoth's document → blocks ----------------------------------------------------------


class _Walker:
    """Turns mammoth's document elements into Paragraph/Table blocks, collecting images and notes."""

    def __init__(self, document: documents.Document) -> None:
        self._notes = document.notes
        self.notes: dict[str, tuple[Block, ...]] = {}
        self.images: list[WordImage] = []
        self.texts: list[str] = []
        self._near = "đầu tài liệu"

    def blocks(self, elements: Iterable[object]) -> tuple[Block, ...]:
        result: list[Block] = []
        for element in elements:
            if isinstance(element, documents.Paragraph):
                result.append(self._paragraph(element))
            elif isinstance(element, documents.Table):
                result.append(self._table(element))
            elif isinstance(element, documents.HasChildren):  # e.g. content controls around paragraphs
                result.extend(self.blocks(element.children))
        return tuple(result)

    def _paragraph(self, paragraph: documents.Paragraph) -> Paragraph:
        text = unicodedata.normalize("NFC", "".join(_mammoth_text(paragraph)))
        self.texts.append(text)
        if text.strip():
            self._near = snippet(text)
        style = (paragraph.style_name or paragraph.style_id or "").strip().lower()
        level, ordered = None, False
        if paragraph.numbering is not None:
            level = _int(paragraph.numbering.level_index)
            named = _LIST_STYLE_LEVEL.match(style)  # "List Bullet 2" is Word's second level
            level = max(level, int(named.group(1)) - 1) if named else level
            ordered = bool(paragraph.numbering.is_ordered)
        indent = paragraph.indent
        return Paragraph(
            inlines=tuple(self._inlines(paragraph.children, False, False, "")),
            style=style, list_level=level, ordered=ordered,
            centered=paragraph.alignment == "center",
            indent=_int(indent.start) + _int(indent.first_line) - _int(indent.hanging),  # where the first line starts
        )

    def _table(self, table: documents.Table) -> Table:
        rows: list[tuple[Cell, ...]] = []
        header_rows = 0
        for row in table.children:
            if not isinstance(row, documents.TableRow):
                continue
            cells = tuple(Cell(self.blocks(cell.children), max(1, _int(cell.colspan)), max(1, _int(cell.rowspan)))
                          for cell in row.children if isinstance(cell, documents.TableCell))
            if cells:
                if row.is_header and header_rows == len(rows):
                    header_rows += 1
                rows.append(cells)
        return Table(tuple(rows), header_rows)

    def _inlines(self, children: Iterable[object], bold: bool, italic: bool, script: str) -> Iterator[Inline]:
        for child in children:
            if isinstance(child, documents.Text):
                if child.value:
                    yield Text(unicodedata.normalize("NFC", child.value), bold, italic, script)
            elif isinstance(child, documents.Run):
                style = (child.style_name or "").lower()
                run_script = {"superscript": "sup", "subscript": "sub"}.get(child.vertical_alignment, "")
                yield from self._inlines(child.children, bold or child.is_bold or style in ("strong", "bold"),
                                         italic or child.is_italic or style in ("emphasis", "italic"),
                                         run_script or script)
            elif isinstance(child, documents.Hyperlink):
                href = unicodedata.normalize("NFC", (child.href or "").strip())
                yield Link(href, tuple(self._inlines(child.children, bold, italic, script)))
            elif isinstance(child, documents.Tab):
                yield Text(" ", bold, italic, script)
            elif isinstance(child, documents.Break):
                if child.break_type == "line":
                    yield LineBreak()
            elif isinstance(child, documents.Checkbox):
                yield Text("☑" if child.checked else "☐", bold, italic, script)
            elif isinstance(child, documents.Image):
                yield Picture(self._image(child))
            elif isinstance(child, documents.NoteReference):
                yield self._note(child)
            elif isinstance(child, documents.HasChildren) and not isinstance(child, (documents.Paragraph,
                                                                                      documents.Table)):
                yield from self._inlines(child.children, bold, italic, script)

    def _note(self, reference: documents.NoteReference) -> NoteMark:
        key = f"{reference.note_type}:{reference.note_id}"
        if key not in self.notes:
            self.notes[key] = ()  # a note citing itself stops here
            near = self._near
            note = self._notes.resolve(reference)
            self.notes[key] = self.blocks(note.body)
            self._near = near
        return NoteMark(key)

    def _image(self, image: documents.Image) -> int:
        alt = " ".join(unicodedata.normalize("NFC", image.alt_text or "").split())
        number = len(self.images) + 1
        try:
            with image.open() as stream:
                data = stream.read(MAX_PART_BYTES + 1)
        except Exception:  # linked (not embedded) pictures and missing parts: mammoth raises several kinds
            self.images.append(WordImage(b"", "", alt, self._near, number,
                                         "chỉ là liên kết tới tệp bên ngoài (không nằm trong tài liệu) hoặc bị thiếu: "
                                         "bị bỏ; hãy chèn ảnh vào tài liệu (Chèn → Ảnh → Từ thiết bị này)"))
            return number - 1
        kind = image_kind(data)
        if kind in WEB_IMAGE_TYPES:
            self.images.append(WordImage(data, kind, alt, self._near, number))
        else:
            name = kind or (image.content_type or "không rõ").split("/")[-1].upper()
            self.images.append(WordImage(b"", "", alt, self._near, number,
                                         f"định dạng {name}: trang web không hiển thị được, nên chưa chuyển; trong "
                                         "Word, chuột phải vào ảnh → Lưu thành ảnh (Save as Picture) dạng PNG hoặc "
                                         "JPEG, đặt vào thư mục ảnh của bài rồi thay dòng ghi chú trong bài"))
        return number - 1


def image_kind(data: bytes) -> str:
    """The file type of picture bytes: jpg/png/gif/webp for web pictures, EMF, WMF, TIFF, BMP, SVG or ""."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg" if b"\xff\xd9" in data[-65536:] else "JPEG hỏng"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png" if b"IEND" in data[-4096:] else "PNG hỏng"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[40:44] == b" EMF":
        return "EMF"
    if data.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")):
        return "WMF"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if data.startswith(b"BM"):
        return "BMP"
    if b"<svg" in data[:4096]:
        return "SVG"
    return ""


def _mammoth_text(element: object) -> Iterator[str]:
    if isinstance(element, documents.Text):
        yield element.value
    elif isinstance(element, documents.Tab):
        yield " "
    elif isinstance(element, documents.HasChildren):
        for child in element.children:
            yield from _mammoth_text(child)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
