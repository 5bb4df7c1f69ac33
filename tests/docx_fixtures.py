"""Word documents for the import tests, made with python-docx plus the raw XML it has no API for.

`WordDoc` builds a .docx the way staff's files look: Word headings, real multi-level numbering,
typed "•"/"-"/"1." paragraphs, merged cells, pictures with and without a description, footnotes,
hyperlinks, tracked changes, comments, text boxes, SmartArt and EMF pictures. `official_plan`
writes a Kế hoạch with the header and signer's block of Nghị định 30/2020. `write_odt` writes a
small OpenDocument text for the LibreOffice round trip. `rezip` edits the parts of a saved file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from PIL import Image

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (f'xmlns:w="{W}" xmlns:r="{R}" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:o="urn:schemas-microsoft-com:office:office"')
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
BULLETS, NUMBERS = 901, 902  # numbering ids this module defines


def jpeg_bytes(colour: tuple[int, int, int] = (164, 22, 26), size: tuple[int, int] = (640, 400)) -> bytes:
    """A real JPEG photo."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def png_bytes(colour: tuple[int, int, int] = (20, 90, 160), size: tuple[int, int] = (300, 200)) -> bytes:
    """A real PNG picture."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def emf_bytes() -> bytes:
    """The start of an Enhanced Metafile (what Word keeps for pasted charts and clip art)."""
    header = bytearray(88)
    header[0:4] = (1).to_bytes(4, "little")
    header[4:8] = (88).to_bytes(4, "little")
    header[40:44] = b" EMF"
    return bytes(header)


class WordDoc:
    """A python-docx document with helpers for what staff's documents contain."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self._notes: list[str] = []
        self._numbering_added = False
        self._picture_ids = 100

    # text
    def heading(self, text: str, level: int = 1) -> Paragraph:
        return self.doc.add_heading(text, level)

    def para(self, *parts: str | tuple[str, str], centered: bool = False) -> Paragraph:
        """A paragraph of runs: "text", ("text", "b"), ("text", "i"), ("text", "bi")."""
        paragraph = self.doc.add_paragraph()
        for part in parts:
            text, flags = (part, "") if isinstance(part, str) else part
            run = paragraph.add_run(text)
            run.bold = "b" in flags or None
            run.italic = "i" in flags or None
        if centered:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def formatted(self, text: str) -> Paragraph:
        """A paragraph with direct formatting (font, size, colour) that the import must drop."""
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text)
        run.font.name = "Arial"
        run.font.size = Pt(15)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        return paragraph

    def typed(self, text: str, indent_pt: float = 0) -> Paragraph:
        """A paragraph with a typed marker ("• …", "- …", "1. …"), optionally indented."""
        paragraph = self.doc.add_paragraph(text)
        if indent_pt:
            paragraph.paragraph_format.left_indent = Pt(indent_pt)
        return paragraph

    def item(self, text: str, level: int = 0, ordered: bool = False) -> Paragraph:
        """A paragraph of a real Word list (numbering), at a level (Tab in Word)."""
        self._add_numbering()
        paragraph = self.doc.add_paragraph(text, style="List Paragraph")
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="{NUMBERS if ordered else BULLETS}"/></w:numPr>'))
        return paragraph

    def _add_numbering(self) -> None:
        if self._numbering_added:
            return
        numbering = self.doc.part.numbering_part.element
        for abstract, fmt in ((BULLETS, "bullet"), (NUMBERS, "decimal")):
            levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                             f'<w:lvlText w:val="{"•" if fmt == "bullet" else f"%{i + 1}."}"/>'
                             f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
                             for i in range(3))
            numbering.insert(0, parse_xml(f'<w:abstractNum {NS} w:abstractNumId="{abstract}">{levels}'
                                          '</w:abstractNum>'))
            numbering.append(parse_xml(f'<w:num {NS} w:numId="{abstract}"><w:abstractNumId w:val="{abstract}"/>'
                                       '</w:num>'))
        self._numbering_added = True

    # inline things
    def link(self, paragraph: Paragraph, url: str, text: str) -> None:
        r_id = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        paragraph._p.append(parse_xml(f'<w:hyperlink {NS} r:id="{r_id}"><w:r><w:t xml:space="preserve">{text}'
                                      '</w:t></w:r></w:hyperlink>'))

    def anchor_link(self, paragraph: Paragraph, anchor: str, text: str) -> None:
        paragraph._p.append(parse_xml(f'<w:hyperlink {NS} w:anchor="{anchor}"><w:r><w:t>{text}</w:t></w:r>'
                                      '</w:hyperlink>'))

    def note(self, paragraph: Paragraph, text: str) -> None:
        """A footnote reference at the end of the paragraph, with its text."""
        self._notes.append(text)
        paragraph._p.append(parse_xml(f'<w:r {NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                      f'<w:footnoteReference w:id="{len(self._notes)}"/></w:r>'))

    def picture(self, data: bytes, description: str | None = None, paragraph: Paragraph | None = None) -> None:
        paragraph = paragraph or self.doc.add_paragraph()
        shape = paragraph.add_run().add_picture(io.BytesIO(data), width=docx.shared.Cm(8))
        if description is not None:
            shape._inline.docPr.set("descr", description)

    def raw_picture(self, data: bytes, extension: str, content_type: str, description: str = "",
                    paragraph: Paragraph | None = None) -> None:
        """A picture in a format python-docx will not insert (EMF, WMF)."""
        self._picture_ids += 1
        part = Part(PackURI(f"/word/media/raw{self._picture_ids}.{extension}"), content_type, data,
                    self.doc.part.package)
        r_id = self.doc.part.relate_to(part, RT.IMAGE)
        paragraph = paragraph or self.doc.add_paragraph()
        paragraph._p.append(parse_xml(self._drawing(f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="x"/>'
                                                    f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
                                                    f'<a:blip r:embed="{r_id}"/></pic:blipFill><pic:spPr/>'
                                                    '</pic:pic>', "http://schemas.openxmlformats.org/"
                                                    "drawingml/2006/picture", description)))

    def linked_picture(self, target: str, paragraph: Paragraph | None = None) -> None:
        """A picture Word only links to (Insert → Picture → Link to file): not inside the .docx."""
        r_id = self.doc.part.relate_to(target, RT.IMAGE, is_external=True)
        paragraph = paragraph or self.doc.add_paragraph()
        paragraph._p.append(parse_xml(self._drawing(f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="x"/>'
                                                    f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
                                                    f'<a:blip r:link="{r_id}"/></pic:blipFill><pic:spPr/>'
                                                    '</pic:pic>', "http://schemas.openxmlformats.org/"
                                                    "drawingml/2006/picture", "")))

    def _drawing(self, graphic: str, uri: str, description: str) -> str:
        self._picture_ids += 1
        return (f'<w:r {NS}><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
                f'<wp:docPr id="{self._picture_ids}" name="Shape {self._picture_ids}" descr="{description}"/>'
                f'<a:graphic><a:graphicData uri="{uri}">{graphic}</a:graphicData></a:graphic></wp:inline>'
                '</w:drawing></w:r>')

    def smartart(self, paragraph: Paragraph) -> None:
        paragraph._p.append(parse_xml(self._drawing(
            '<dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
            'r:dm="rId90" r:lo="rId91" r:qs="rId92" r:cs="rId93"/>',
            "http://schemas.openxmlformats.org/drawingml/2006/diagram", "")))

    def text_box(self, paragraph: Paragraph, text: str, with_fallback: bool = True) -> None:
        """A text box as Word 2010+ saves it (new shape plus old VML copy), or without the old copy."""
        content = f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
        modern = (f'<w:drawing><wp:anchor><wp:extent cx="914400" cy="457200"/><wp:docPr id="77" name="Text Box 1"/>'
                  '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
                  f'<wps:wsp><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>'
                  '</wp:anchor></w:drawing>')
        if with_fallback:
            xml = (f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps">{modern}</mc:Choice><mc:Fallback>'
                   f'<w:pict><v:rect><v:textbox>{content}</v:textbox></v:rect></w:pict></mc:Fallback>'
                   '</mc:AlternateContent></w:r>')
        else:
            xml = f'<w:r {NS}>{modern}</w:r>'
        paragraph._p.append(parse_xml(xml))

    def tracked(self, paragraph: Paragraph, inserted: str, deleted: str) -> None:
        """Track Changes left in the file: an insertion and a deletion not yet accepted."""
        paragraph._p.append(parse_xml(f'<w:ins {NS} w:id="501" w:author="Phòng Nghiệp vụ" '
                                      f'w:date="2024-01-02T08:00:00Z"><w:r><w:t xml:space="preserve">{inserted}'
                                      '</w:t></w:r></w:ins>'))
        paragraph._p.append(parse_xml(f'<w:del {NS} w:id="502" w:author="Phòng Nghiệp vụ" '
                                      f'w:date="2024-01-02T08:00:00Z"><w:r><w:delText>{deleted}</w:delText></w:r>'
                                      '</w:del>'))

    def embedded_object(self, paragraph: Paragraph) -> None:
        paragraph._p.append(parse_xml(f'<w:r {NS}><w:object><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" '
                                      'ShapeID="_x0000_i1025" DrawAspect="Content" ObjectID="_1"/></w:object></w:r>'))

    # tables
    def table(self, rows: list[list[str]]) -> docx.table.Table:
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        return table

    def save(self, path: Path) -> Path:
        if self._notes:
            notes = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve">'
                            f' {text}</w:t></w:r></w:p></w:footnote>' for i, text in enumerate(self._notes, start=1))
            blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NS}>'
                    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                    f'</w:r></w:p></w:footnote>{notes}</w:footnotes>').encode()
            part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, blob, self.doc.part.package)
            self.doc.part.relate_to(part, RT.FOOTNOTES)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.doc.save(str(path))
        return path


def rezip(path: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          edit: dict[str, tuple[str, str]] | None = None) -> Path:
    """Rewrite a saved .docx: replace or add parts, or edit a part's text (old → new)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for name, (old, new) in (edit or {}).items():
        text = parts[name].decode("utf-8")
        assert old in text, f"{old!r} not in {name}"
        parts[name] = text.replace(old, new, 1).encode("utf-8")
    parts.update(replace or {})
    parts.update(add or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


# --- an official document (Nghị định 30/2020, Phụ lục I) ------------------------------------------

PLAN_SUBJECT = ("Tổ chức phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau” trên địa bàn tỉnh "
                "giai đoạn 2021–2025")


def _cell_lines(cell: docx.table._Cell, lines: list[tuple[str, str]]) -> None:
    cell.paragraphs[0].text = ""
    for index, (text, flags) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = "b" in flags or None
        run.italic = "i" in flags or None
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def official_plan(path: Path) -> Path:
    """Kế hoạch 417/KH-UBND as the province issued it: header table, title block, body, signer's table."""
    word = WordDoc()
    header = word.doc.add_table(rows=2, cols=2)
    _cell_lines(header.cell(0, 0), [("ỦY BAN NHÂN DÂN", "b"), ("TỈNH ĐẮK NÔNG", "b"), ("-------", "")])
    _cell_lines(header.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"), ("Độc lập - Tự do - Hạnh phúc", "b"),
                                    ("---------------", "")])
    _cell_lines(header.cell(1, 0), [("Số: 417/KH-UBND", "")])
    _cell_lines(header.cell(1, 1), [("Đắk Nông, ngày 18 tháng 7 năm 2022", "i")])
    word.para("")
    word.para(("KẾ HOẠCH", "b"), centered=True)
    word.para((PLAN_SUBJECT, "b"), centered=True)
    word.para("-----------", centered=True)
    word.para("Thực hiện Quyết định số 666/QĐ-TTg ngày 02/6/2022 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh "
              "ban hành Kế hoạch tổ chức phong trào như sau:")
    word.para(("I. MỤC ĐÍCH, YÊU CẦU", "b"))
    word.typed("1. Mục đích")
    word.typed("- Phát huy sức mạnh của cả hệ thống chính trị trong giảm nghèo bền vững;", indent_pt=18)
    word.typed("- Đẩy mạnh tuyên truyền, vận động toàn dân tham gia phong trào.", indent_pt=18)
    word.para("Các cơ quan, đơn vị triển khai nghiêm túc.")
    word.typed("2. Yêu cầu")
    word.para("Bám sát chỉ tiêu của Quyết định 666/QĐ-TTg.")
    word.para(("II. CHỈ TIÊU", "b"))
    word.para("Tỷ lệ hộ nghèo giảm bình quân trên 3 điểm phần trăm mỗi năm.")
    signer = word.doc.add_table(rows=1, cols=2)
    _cell_lines(signer.cell(0, 0), [("Nơi nhận:", "bi"), ("- Ban Thi đua - Khen thưởng Trung ương;", ""),
                                    ("- Lưu: VT, KGVX.", "")])
    _cell_lines(signer.cell(0, 1), [("KT. CHỦ TỊCH", "b"), ("PHÓ CHỦ TỊCH", "b"), ("(Đã ký)", "i"),
                                    ("Tôn Thị Ngọc Hạnh", "b")])
    return word.save(path)


# --- OpenDocument text for the LibreOffice round trip ----------------------------------------------

_ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="Pictures/anh.png" manifest:media-type="image/png"/>
</manifest:manifest>"""
_ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
           'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2"')
_ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_ODT_NS}><office:styles>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
   style:default-outline-level="1"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
   style:default-outline-level="2"/>
 <text:list-style style:name="Bullets">
  <text:list-level-style-bullet text:level="1" text:bullet-char="•"/>
  <text:list-level-style-bullet text:level="2" text:bullet-char="◦"/>
 </text:list-style>
 <text:list-style style:name="Numbers">
  <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
 </text:list-style>
</office:styles></office:document-styles>"""
ODT_HEADING = "Kết quả thăm hỏi dịp Tết tại Bon Jun Júh"


def write_odt(path: Path) -> Path:
    """A LibreOffice text: heading, nested bullets, a numbered list, a merged-cell table, a described picture."""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_ODT_NS}><office:automatic-styles>
 <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles><office:body><office:text>
 <text:h text:style-name="Heading_20_1" text:outline-level="1">{ODT_HEADING}</text:h>
 <text:p>Đoàn đã trao <text:span text:style-name="T1">50 suất quà</text:span> cho các hộ nghèo.</text:p>
 <text:h text:style-name="Heading_20_2" text:outline-level="2">Các hoạt động</text:h>
 <text:list text:style-name="Bullets">
  <text:list-item><text:p>Thăm hỏi hộ nghèo</text:p>
   <text:list><text:list-item><text:p>Bon Jun Júh</text:p></text:list-item>
   <text:list-item><text:p>Xã Đức Minh</text:p></text:list-item></text:list></text:list-item>
  <text:list-item><text:p>Trao quà Tết</text:p></text:list-item>
 </text:list>
 <text:list text:style-name="Numbers">
  <text:list-item><text:p>Chuẩn bị quà</text:p></text:list-item>
  <text:list-item><text:p>Tổ chức trao quà</text:p></text:list-item>
 </text:list>
 <table:table table:name="Bang1">
  <table:table-column table:number-columns-repeated="2"/>
  <table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Kết quả năm 2024</text:p>
   </table:table-cell><table:covered-table-cell/></table:table-row>
  <table:table-row><table:table-cell><text:p>Suất quà</text:p></table:table-cell>
   <table:table-cell><text:p>50</text:p></table:table-cell></table:table-row>
 </table:table>
 <text:p><draw:frame draw:name="Anh1" svg:width="6cm" svg:height="4cm" text:anchor-type="as-char">
  <draw:image xlink:href="Pictures/anh.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>
  <svg:title>Ảnh trao quà</svg:title><svg:desc>Cán bộ Thanh tra tỉnh trao quà Tết cho hộ nghèo</svg:desc>
 </draw:frame></text:p>
</office:text></office:body></office:document-content>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _ODT_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", _ODT_STYLES, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("Pictures/anh.png", png_bytes(), zipfile.ZIP_DEFLATED)
    return path


# --- a news article with everything the import converts, and what it cannot ------------------------

NEWS_TITLE = "Thăm, tặng quà Bon Jun Júh dịp Tết Giáp Thìn 2024"
NEWS_LINK = "https://thanhtra.daknong.gov.vn/tin tuc?id=1&muc=(2)"
NEWS_NOTE = "Theo Kế hoạch số 01/KH-TTr ngày 29/7/2022 của Thanh tra tỉnh."
PHOTO_ALT = "Lãnh đạo Thanh tra tỉnh trao quà Tết cho hộ nghèo ở Bon Jun Júh"
LITERAL = "Ký hiệu *sao*, _gạch_, <b>thẻ</b>, [ngoặc](x) và `mã` giữ nguyên"


def news_article(path: Path) -> Path:
    """A news article as communications staff write it in Word."""
    word = WordDoc()
    word.doc.add_heading(NEWS_TITLE, 0)
    first = word.para("Sáng 30/1, ", ("đoàn công tác", "b"), " của ", ("Thanh tra tỉnh", "i"), " đến thăm Bon "
                      "Jun Júh, xã Đức Minh. Xem thêm trên ")
    word.link(first, NEWS_LINK, "Cổng thông tin")
    word.note(first, NEWS_NOTE)
    word.para("")
    word.heading("Các hoạt động chính", 1)
    word.item("Thăm hỏi hộ nghèo")
    word.item("Bon Jun Júh", level=1)
    word.item("Thôn 4, xã Đức Minh", level=1)
    word.item("Trao quà Tết")
    word.item("Chuẩn bị danh sách", ordered=True)
    word.item("Trao quà tận tay", ordered=True)
    word.para("Các việc gõ tay trong Word:")
    word.typed("• Gói bánh chưng cùng bà con")
    word.typed("\uf0b7 Tặng sách vở cho học sinh")  # the Symbol-font bullet that old documents carry
    word.typed("- Vở viết và bút", indent_pt=36)
    word.typed("1. Họp đoàn")
    word.typed("2. Lên đường")
    word.para("-------------")
    word.formatted(LITERAL)
    word.typed("1.1. Mục con không phải danh sách")
    word.heading("Kết quả", 2)
    word.table([["Nội dung", "Số lượng"], ["Suất quà", "50"], ["Tiền mặt | chuyển khoản", "15.000.000 đồng"]])
    merged = word.table([["Năm", "Kết quả", ""], ["2024", "Hộ được thăm", "Quà"], ["", "32", "50"]])
    merged.cell(0, 1).merge(merged.cell(0, 2))
    merged.cell(1, 0).merge(merged.cell(2, 0))
    word.picture(jpeg_bytes(), PHOTO_ALT)
    word.picture(png_bytes(), None)
    word.picture(jpeg_bytes(), "Quang cảnh buổi trao quà")  # the same photo again: one file
    return word.save(path)


def difficult_article(path: Path) -> Path:
    """What the import cannot convert: tracked changes, comments, text boxes, SmartArt, objects, EMF."""
    word = WordDoc()
    word.heading("Tài liệu khó chuyển", 1)
    changed = word.para("Danh sách hộ ")
    word.tracked(changed, "đã được bổ sung", "cần loại bỏ")
    word.doc.add_comment(word.para("Đoạn có nhận xét của lãnh đạo").runs, text="Xem lại số liệu", author="Lãnh đạo")
    word.text_box(word.para("Đoạn có hộp văn bản cũ"), "Chữ trong hộp có bản cũ")
    word.text_box(word.para("Đoạn có hộp văn bản mới"), "Chữ trong hộp chỉ có bản mới", with_fallback=False)
    word.smartart(word.para("Đoạn có sơ đồ"))
    word.embedded_object(word.para("Đoạn có bảng Excel nhúng"))
    word.raw_picture(emf_bytes(), "emf", "image/x-emf", paragraph=word.para("Đoạn có ảnh EMF"))
    word.linked_picture("http://example.invalid/anh.jpg", paragraph=word.para("Đoạn có ảnh liên kết"))
    return word.save(path)
