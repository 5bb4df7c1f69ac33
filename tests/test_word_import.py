"""`python build.py import <file.docx>`: Word documents become draft posts that build and read well."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import unicodedata
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser

from sitegen import wordimport
from sitegen.config import load_settings
from sitegen.docx_reader import DocxContent, Paragraph, Text
from sitegen.errors import BuildFailed, Diagnostics
from sitegen.model import Settings
from sitegen.post_writer import PostExists, free_name, post_slug, write_post, yaml_string
from sitegen.text import ALT_PLACEHOLDER, parse_local_datetime
from sitegen.wordimport import ImportReport, import_docx, run_import, to_markdown
from sitegen.yamlsource import load_yaml
from tests.browser_support import SiteServer, run_vnu
from tests.docx_fixtures import (
    LITERAL,
    NEWS_LINK,
    NEWS_NOTE,
    NEWS_TITLE,
    ODT_HEADING,
    PHOTO_ALT,
    PLAN_SUBJECT,
    WordDoc,
    difficult_article,
    jpeg_bytes,
    news_article,
    official_plan,
    png_bytes,
    rezip,
    write_odt,
)
from tests.sitebuilder import CONFIG, NOW, build_at, html_at, make_site, snapshot

DOCUMENTS_CONFIG = CONFIG.format(per_page=10) + '  - id: van-ban\n    title: "Văn bản"\n    kind: documents\n'


def project(root: Path, config: str = DOCUMENTS_CONFIG) -> tuple[Path, Settings]:
    make_site(root, {}, config)
    return root, load_settings(root, Diagnostics())


def do_import(root: Path, settings: Settings, file: Path, section: str | None = None,
              title: str | None = None) -> ImportReport:
    return import_docx(root, file, settings, section, title, NOW)


def refusal(root: Path, settings: Settings, file: Path, section: str | None = None) -> str:
    before = snapshot(root / "content") if (root / "content").exists() else {}
    with pytest.raises(BuildFailed) as caught:
        do_import(root, settings, file, section)
    after = snapshot(root / "content") if (root / "content").exists() else {}
    assert after == before, "a refused import must not leave files behind"
    return "\n".join(str(e) for e in caught.value.errors)


def front_matter(path: Path) -> dict[str, object]:
    lines = path.read_text(encoding="utf-8").split("\n")
    closing = lines.index("---", 1)
    return dict(load_yaml("\n".join(lines[1:closing]), path.name, first_line=2))


def prose(root: Path, site_path: str) -> Tag:
    body = html_at(root, site_path).select_one(".prose")
    assert body is not None, f"{site_path} has no post body"
    return body


def words(text: str) -> str:
    return " ".join(text.split())


# --- the post writer --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_yaml_strings_read_back_exactly(text: str) -> None:
    # Catches quotes, backslashes, control characters, U+2028 or BOMs that break the YAML or change the text.
    loaded = load_yaml(f"title: {yaml_string(text)}", "x.md")
    assert loaded["title"] == unicodedata.normalize("NFC", text)


def test_written_post_reads_back_with_its_values(tmp_path: Path) -> None:
    # Catches dates in another form, bools as strings, lists not as flow sequences, a guide that is not a comment.
    front = (("title", "Đắk Nông: “Vì người nghèo” #1"), ("date", datetime(2024, 1, 30, 9, 0)),
             ("issued", date(2022, 7, 18)), ("tags", ["Tết", "Bon Jun Júh"]), ("draft", True), ("year", 2024))
    path = write_post(tmp_path, "tin-hoat-dong", "bai", front, "Nội dung.\n", guide="Dòng một\nDòng hai: có dấu")
    assert path == tmp_path / "content" / "tin-hoat-dong" / "bai.md"
    text = path.read_text(encoding="utf-8")
    assert "\ndate: 2024-01-30 09:00\n" in text and "\nissued: 2022-07-18\n" in text
    assert text.startswith("---\n# Dòng một\n# Dòng hai: có dấu\n")
    values = front_matter(path)
    assert values["title"] == "Đắk Nông: “Vì người nghèo” #1"
    assert parse_local_datetime(values["date"]) == datetime(2024, 1, 30, 9, 0, tzinfo=NOW.tzinfo)
    assert values["tags"] == ["Tết", "Bon Jun Júh"] and values["draft"] is True and values["year"] == 2024
    assert text.endswith("---\n\nNội dung.\n")


def test_write_post_never_overwrites(tmp_path: Path) -> None:
    # Catches opening with "w", and a check that misses a name differing only in case (one file on Windows).
    folder = tmp_path / "content" / "tin-hoat-dong"
    folder.mkdir(parents=True)
    (folder / "Bai.md").write_text("của cán bộ", encoding="utf-8")
    with pytest.raises(PostExists) as caught:
        write_post(tmp_path, "tin-hoat-dong", "bai", (("title", "Mới"),), "Mới")
    assert "không ghi đè" in str(caught.value.errors[0])
    assert (folder / "Bai.md").read_text(encoding="utf-8") == "của cán bộ"
    assert sorted(p.name for p in folder.iterdir()) == ["Bai.md"]


def test_slugs_are_ascii_never_empty_never_devices(tmp_path: Path) -> None:
    # Catches the NFKD shortcut (đ lost), an empty file name for an emoji title, a "con.md" Windows cannot create.
    assert post_slug("Thăm, tặng quà Bon Jun Júh dịp Tết") == "tham-tang-qua-bon-jun-juh-dip-tet"
    assert post_slug("Đắk R'Lấp") == "dak-rlap"
    assert post_slug("🎉 !!!") == "bai-viet"
    assert post_slug("CON") == "con-"
    (tmp_path / "anh").mkdir()
    (tmp_path / "ANH-2").mkdir()
    assert free_name(tmp_path, "anh") == "anh-3"
    assert free_name(tmp_path, "nul") == "nul-"
    with pytest.raises(ValueError):
        write_post(tmp_path, "tin-hoat-dong", "../ra-ngoai", (("title", "x"),), "x")


# --- refusals -----------------------------------------------------------------------------------------


def _old_doc(folder: Path) -> Path:
    path = folder / "ke-hoach.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return path


def _encrypted(folder: Path) -> Path:
    path = folder / "co-mat-khau.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return path


def _renamed_text(folder: Path) -> Path:
    path = folder / "ghi-chu.docx"
    path.write_text("Chỉ là văn bản thường", encoding="utf-8")
    return path


def _truncated(folder: Path) -> Path:
    whole = news_article(folder / "nguyen.docx").read_bytes()
    path = folder / "hong.docx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _odt(folder: Path) -> Path:
    return write_odt(folder / "van-ban.odt")


def _pdf(folder: Path) -> Path:
    path = folder / "van-ban.docx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    return path


def _missing(folder: Path) -> Path:
    return folder / "khong-co.docx"


def _empty(folder: Path) -> Path:
    word = WordDoc()
    word.para("   ")
    return word.save(folder / "trong.docx")


def _nested_too_deep(folder: Path) -> Path:
    inner = "<w:p><w:r><w:t>ô</w:t></w:r></w:p>"
    for _ in range(300):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    path = news_article(folder / "long-nhau.docx")
    return rezip(path, edit={"word/document.xml": ("<w:sectPr", inner + "<w:sectPr")})


@pytest.mark.parametrize(("make", "expected"), [
    (_old_doc, "tệp Word cũ (.doc)"),
    (_encrypted, "mật khẩu"),
    (_renamed_text, "không phải tài liệu Word .docx"),
    (_truncated, "bị hỏng"),
    (_odt, "OpenDocument (.odt)"),
    (_pdf, "tệp PDF"),
    (_missing, "không tìm thấy tệp"),
    (_empty, "không có chữ hay ảnh"),
    (_nested_too_deep, "bị hỏng"),
], ids=["doc", "encrypted", "not-a-zip", "truncated", "odt", "pdf", "missing", "empty", "nested-300-deep"])
def test_files_that_are_not_docx_are_refused_with_what_to_do(tmp_path: Path, make, expected: str) -> None:
    # Catches a traceback or a generic error where staff need "save it as .docx" (or the real reason).
    root, config = project(tmp_path / "site")
    message = refusal(root, config, make(tmp_path))
    assert expected in message
    if expected not in ("không tìm thấy tệp", "không có chữ hay ảnh"):
        assert ".docx" in message


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    # Catches reading parts whatever their size: 70 MB of zeros packs to about 70 kB.
    root, config = project(tmp_path / "site")
    path = news_article(tmp_path / "bom.docx")
    rezip(path, add={"word/media/bom.bin": bytes(70 * 1024 * 1024)})
    assert path.stat().st_size < 2 * 1024 * 1024
    assert "quá lớn" in refusal(root, config, path)


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    # Catches parsing a DOCTYPE (billion laughs, external entities): Word never writes one.
    root, config = project(tmp_path / "site")
    path = news_article(tmp_path / "thuc-the.docx")
    bomb = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rezip(path, edit={"word/document.xml": ("<w:document", bomb + "<w:document")})
    assert "DOCTYPE" in refusal(root, config, path)


@pytest.mark.parametrize(("text", "source"), [
    ("§¾k N«ng, ng­êi nghÌo vµ c¸c hé nghÌo", "TCVN3"),
    ("Ñaék Noâng, ngöôøi ngheøo vaø caùc hoä ngheøo", "VNI"),
])
def test_legacy_font_encodings_are_refused_with_the_unikey_hint(tmp_path: Path, text: str, source: str) -> None:
    # Catches importing mojibake ("§¾k N«ng") as if it were text.
    root, config = project(tmp_path / "site")
    word = WordDoc()
    word.para(text)
    message = refusal(root, config, word.save(tmp_path / "cu.docx"))
    assert source in message and "Unikey" in message


def test_unknown_section_lists_the_valid_ones(tmp_path: Path) -> None:
    # Catches a silent fallback to another section, or an error that does not say what to type.
    root, config = project(tmp_path / "site")
    message = refusal(root, config, news_article(tmp_path / "tin.docx"), section="tin-tuc")
    assert "tin-tuc" in message
    for section_id in ("tuyen-truyen", "dien-hinh", "tin-hoat-dong", "van-ban"):
        assert section_id in message


def test_existing_post_is_refused_and_leaves_no_pictures_behind(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Catches overwriting a staff post, and pictures left over when the post turns out to exist only after
    # they were written (another import at the same moment).
    root, config = project(tmp_path / "site")
    source = news_article(tmp_path / "tin.docx")
    first = do_import(root, config, source)
    post = root / first.post
    post.write_text(post.read_text(encoding="utf-8") + "\nSửa của cán bộ.\n", encoding="utf-8")
    before = snapshot(root / "content")
    with pytest.raises(PostExists):
        do_import(root, config, source)
    assert snapshot(root / "content") == before
    monkeypatch.setattr(wordimport, "taken", lambda folder, name: False)  # the early check misses it
    with pytest.raises(PostExists):
        do_import(root, config, source)
    assert snapshot(root / "content") == before


def test_documents_section_needs_the_official_header(tmp_path: Path) -> None:
    # Catches a document post without number or date, which would break every later build.
    root, config = project(tmp_path / "site")
    message = refusal(root, config, news_article(tmp_path / "tin.docx"), section="van-ban")
    assert "số, ký hiệu" in message and "ngày ban hành" in message and "--section tuyen-truyen" in message


# --- a news article: the whole import, built ----------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    root: Path
    news: ImportReport
    plan: ImportReport
    difficult: ImportReport


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """Three Word files imported into one fixture site, built with drafts."""
    folder = tmp_path_factory.mktemp("word")
    root, config = project(folder / "site")
    news = do_import(root, config, news_article(folder / "Tin Tết.docx"), section="tin-hoat-dong")
    plan = do_import(root, config, official_plan(folder / "ke-hoach-417.docx"))
    difficult = do_import(root, config, difficult_article(folder / "kho.docx"))
    build_at(root, drafts=True)  # raises BuildFailed with every error if the imported posts do not build
    return Imported(root, news, plan, difficult)


def _news_page(imported: Imported) -> str:
    return imported.news.post.removeprefix("content/").removesuffix(".md") + "/"


def test_news_front_matter_and_title(imported: Imported) -> None:
    # Catches a title taken from elsewhere, the title repeated as the body's first heading, drafts published.
    assert imported.news.post == "content/tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-giap-thin-2024.md"
    values = front_matter(imported.root / imported.news.post)
    assert values["title"] == NEWS_TITLE and values["draft"] is True
    assert parse_local_datetime(values["date"]) == NOW  # no date line in the document: today
    page = html_at(imported.root, _news_page(imported))
    assert words(page.select_one("h1").get_text()) == NEWS_TITLE
    assert NEWS_TITLE not in [words(h.get_text()) for h in prose(imported.root, _news_page(imported)).select("h2")]


def test_headings_lists_and_emphasis(imported: Imported) -> None:
    # Catches headings left as paragraphs, lists flattened or merged, nesting lost, bold/italic dropped.
    body = prose(imported.root, _news_page(imported))
    assert [words(h.get_text()) for h in body.select("h2")] == ["Các hoạt động chính"]
    assert [words(h.get_text()) for h in body.select("h3")] == ["Kết quả"]
    lists = body.find_all(["ul", "ol"], recursive=False)
    top = [[words(li.find(string=True, recursive=False) or "") for li in lst.find_all("li", recursive=False)]
           for lst in lists]
    assert top == [["Thăm hỏi hộ nghèo", "Trao quà Tết"], ["Chuẩn bị danh sách", "Trao quà tận tay"],
                   ["Gói bánh chưng cùng bà con", "Tặng sách vở cho học sinh"], ["Họp đoàn", "Lên đường"]]
    assert [lst.name for lst in lists] == ["ul", "ol", "ul", "ol"]
    nested = lists[0].find("li").find("ul")
    assert [words(li.get_text()) for li in nested.find_all("li")] == ["Bon Jun Júh", "Thôn 4, xã Đức Minh"]
    typed_nested = lists[2].find_all("li", recursive=False)[1].find("ul")
    assert typed_nested is not None and words(typed_nested.get_text()) == "Vở viết và bút"
    first = body.find("p")
    assert words(first.find("strong").get_text()) == "đoàn công tác"
    assert words(first.find("em").get_text()) == "Thanh tra tỉnh"


def test_text_that_looks_like_markdown_stays_text(imported: Imported) -> None:
    # Catches Markdown or HTML read out of staff's text: *sao* as emphasis, <b> as a tag, "1.1." as a list.
    body = prose(imported.root, _news_page(imported))
    paragraphs = [words(p.get_text()) for p in body.find_all("p", recursive=False)]
    assert LITERAL in paragraphs and "1.1. Mục con không phải danh sách" in paragraphs
    assert body.find("b") is None and body.find("code") is None
    assert not any(tag.get("style") for tag in body.find_all(True)), "direct formatting must be dropped"
    assert all(words(p.get_text()) or p.find("img") for p in body.find_all("p")), "empty paragraphs must be dropped"
    assert not any(text and set(text) <= set("-_ ") for text in paragraphs), "rule lines must be dropped"
    assert not [hr for hr in body.find_all("hr") if not hr.find_parent(class_="footnote")], "a rule line became <hr>"


def test_tables_simple_and_merged(imported: Imported) -> None:
    # Catches merged cells flattened into a Markdown table, a "|" in a cell splitting it, tables lost.
    body = prose(imported.root, _news_page(imported))
    simple, merged = body.find_all("table")
    assert [words(th.get_text()) for th in simple.find_all("th")] == ["Nội dung", "Số lượng"]
    assert [[words(td.get_text()) for td in tr.find_all("td")] for tr in simple.find("tbody").find_all("tr")] == [
        ["Suất quà", "50"], ["Tiền mặt | chuyển khoản", "15.000.000 đồng"]]
    spanning = merged.find(lambda tag: tag.name in ("th", "td") and tag.get("colspan") == "2")
    assert spanning is not None and words(spanning.get_text()) == "Kết quả"
    year = merged.find(lambda tag: tag.name == "td" and tag.get("rowspan") == "2")
    assert year is not None and words(year.get_text()) == "2024"
    assert [[words(c.get_text()) for c in tr.find_all(["td", "th"])] for tr in merged.find_all("tr")] == [
        ["Năm", "Kết quả"], ["2024", "Hộ được thăm", "Quà"], ["32", "50"]]
    assert merged.find_parent("div", class_="table-wrap") is not None


def test_link_and_footnote(imported: Imported) -> None:
    # Catches links dropped or with unencoded spaces/brackets, footnotes lost or left as [^1] text.
    body = prose(imported.root, _news_page(imported))
    link = body.find("a", string="Cổng thông tin")
    assert link is not None and link["href"] == "https://thanhtra.daknong.gov.vn/tin%20tuc?id=1&muc=%282%29"
    assert NEWS_LINK.split("?")[0].replace(" ", "%20") in link["href"]
    reference = body.select_one("a.footnote-ref")
    note = body.find(id=reference["href"].removeprefix("#"))
    assert note is not None and NEWS_NOTE in words(note.get_text())


def test_pictures_saved_under_ascii_names_with_alt_text(imported: Imported) -> None:
    # Catches Word's own names or paths used, a repeated photo saved twice, a lost description, no placeholder.
    folder = "content/tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-giap-thin-2024"
    assert imported.news.images == (f"{folder}/anh-1.jpg", f"{folder}/anh-2.png")
    assert (imported.root / folder / "anh-1.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    assert (imported.root / folder / "anh-2.png").read_bytes()[:4] == b"\x89PNG"
    images = prose(imported.root, _news_page(imported)).find_all("img")
    assert [img["alt"] for img in images] == [PHOTO_ALT, ALT_PLACEHOLDER, "Quang cảnh buổi trao quà"]
    assert all((imported.root / "output" / _news_page(imported) / img["src"]).resolve().is_file() for img in images)


def test_word_generated_descriptions_and_file_names_are_not_alt_text(tmp_path: Path) -> None:
    # Catches publishing "A picture containing person. Description automatically generated" or "IMG_2024.JPG".
    root, config = project(tmp_path / "site")
    word = WordDoc()
    word.heading("Ảnh có mô tả tự động", 1)
    word.picture(jpeg_bytes(), "Ảnh có chứa người, ngoài trời. Mô tả được tạo tự động")
    word.picture(png_bytes(), "IMG_2024.JPG")
    word.picture(jpeg_bytes((1, 2, 3)), "Người dân nhận quà")
    report = do_import(root, config, word.save(tmp_path / "tu-dong.docx"))
    text = (root / report.post).read_text(encoding="utf-8")
    assert text.count(f"![{ALT_PLACEHOLDER}](") == 2 and "![Người dân nhận quà](" in text
    assert any("do Word tự tạo" in w.message for w in report.warnings)


def test_missing_descriptions_are_warned_at_their_line(imported: Imported) -> None:
    # Catches a placeholder nobody is told about, or a warning pointing at the wrong line.
    lines = (imported.root / imported.news.post).read_text(encoding="utf-8").split("\n")
    placeholders = [w for w in imported.news.warnings if ALT_PLACEHOLDER in w.message]
    assert len(placeholders) == 1 and placeholders[0].path == imported.news.post
    assert f"![{ALT_PLACEHOLDER}](" in lines[placeholders[0].line - 1]


def test_summary_says_what_was_converted_and_where_it_went(imported: Imported) -> None:
    # Catches a summary that forgets the path, the section, where the title came from, or the counts.
    summary = "\n".join(imported.news.summary)
    assert imported.news.post in summary and "Tin hoạt động (tin-hoat-dong)" in summary
    assert "tiêu đề đầu tiên của tài liệu" in summary
    assert "4 danh sách (11 mục)" in summary and "2 bảng (1 bảng có ô gộp" in summary
    assert "anh-1.jpg, anh-2.png" in summary and "1 chú thích" in summary and "1 liên kết" in summary


# --- an official document ------------------------------------------------------------------------------


def test_official_header_fills_the_document_fields(imported: Imported) -> None:
    # Catches a wrong default section, number case changed, date misread, issuer left in capitals, signer lost.
    assert imported.plan.post == "content/van-ban/ke-hoach-417-kh-ubnd.md"
    values = front_matter(imported.root / imported.plan.post)
    assert values["title"] == PLAN_SUBJECT
    assert values["doc_type"] == "Kế hoạch" and values["number"] == "417/KH-UBND"
    assert parse_local_datetime(values["issued"]) == datetime(2022, 7, 18, tzinfo=NOW.tzinfo)
    assert values["issuer"] == "Ủy ban nhân dân tỉnh Đắk Nông"
    assert values["signer"] == "Phó Chủ tịch Tôn Thị Ngọc Hạnh"
    assert values["draft"] is True
    summary = "\n".join(imported.plan.summary)
    assert "Văn bản (van-ban)" in summary and "phần đầu văn bản hành chính" in summary


def test_official_header_and_signature_leave_the_body(imported: Imported) -> None:
    # Catches the header table, the title block or the signer's table rendered again in the page body, and
    # typed numbers restarting at 1 after each paragraph.
    body = prose(imported.root, "van-ban/ke-hoach-417-kh-ubnd/")
    text = words(body.get_text())
    for gone in ("CỘNG HÒA", "Số: 417", "KẾ HOẠCH", "Nơi nhận", "PHÓ CHỦ TỊCH", "Tôn Thị Ngọc Hạnh"):
        assert gone not in text
    assert text.startswith("Thực hiện Quyết định số 666/QĐ-TTg")
    assert [words(li.get_text()) for li in body.select("ol > li > ul > li")] == [
        "Phát huy sức mạnh của cả hệ thống chính trị trong giảm nghèo bền vững;",
        "Đẩy mạnh tuyên truyền, vận động toàn dân tham gia phong trào."]
    numbered = body.find_all("ol", recursive=False)
    assert [(ol.get("start"), words(ol.li.find(string=True, recursive=False))) for ol in numbered] == [
        (None, "Mục đích"), ("2", "Yêu cầu")], "a typed “2.” after a paragraph must stay 2"
    fields = html_at(imported.root, "van-ban/ke-hoach-417-kh-ubnd/")
    assert "Tôn Thị Ngọc Hạnh" in words(fields.get_text())


def test_official_document_as_a_post_keeps_its_date(tmp_path: Path) -> None:
    # Catches the date line ignored outside the documents section.
    root, config = project(tmp_path / "site")
    report = do_import(root, config, official_plan(tmp_path / "kh.docx"), section="tuyen-truyen")
    values = front_matter(root / report.post)
    assert parse_local_datetime(values["date"]) == datetime(2022, 7, 18, tzinfo=NOW.tzinfo)
    assert "number" not in values and values["title"] == PLAN_SUBJECT


def test_document_imported_again_needs_another_title(tmp_path: Path) -> None:
    # Catches a refusal whose advice (--title) cannot work because documents are named by their number, and
    # a second post for one document imported without a word (the build refuses both once published).
    root, config = project(tmp_path / "site")
    source = official_plan(tmp_path / "kh.docx")
    assert do_import(root, config, source).post == "content/van-ban/ke-hoach-417-kh-ubnd.md"
    assert "--title" in refusal(root, config, source)
    again = do_import(root, config, source, title="Kế hoạch 417/KH-UBND (bản sửa đổi)")
    assert again.post == "content/van-ban/ke-hoach-417-kh-ubnd-ban-sua-doi.md"
    twice = [w for w in again.warnings if "đã có văn bản số 417/KH-UBND" in w.message]
    assert len(twice) == 1 and "content/van-ban/ke-hoach-417-kh-ubnd.md" in twice[0].message


def test_official_header_without_documents_section_goes_to_posts(tmp_path: Path) -> None:
    # Catches an import that fails, or writes document fields, when the site has no documents section.
    root, config = project(tmp_path / "site", CONFIG.format(per_page=10))
    report = do_import(root, config, official_plan(tmp_path / "kh.docx"))
    assert report.post.startswith("content/tuyen-truyen/")
    build_at(root, drafts=True)


# --- what cannot be converted -------------------------------------------------------------------------


def test_unconvertible_things_are_listed_with_where_they_were(imported: Imported) -> None:
    # Catches things silently dropped, or listed without a place staff can find with Ctrl+F.
    summary = "\n".join(imported.difficult.summary)
    expected = [("nhận xét (Comment)", "“Đoạn có nhận xét của lãnh đạo”"),
                ("chữ trong hộp đã được đưa vào bài", "“Đoạn có hộp văn bản cũ”"),
                ("không đọc được chữ trong hộp", "“Đoạn có hộp văn bản mới”"),
                ("sơ đồ SmartArt", "“Đoạn có sơ đồ”"),
                ("đối tượng nhúng (Excel.Sheet.12)", "“Đoạn có bảng Excel nhúng”"),
                ("định dạng EMF", "“Đoạn có ảnh EMF”"),
                ("liên kết tới tệp bên ngoài", "“Đoạn có ảnh liên kết”")]
    for what, where in expected:
        line = next((line for line in imported.difficult.summary if what in line), None)
        assert line is not None, f"{what!r} missing from:\n{summary}"
        assert where in line, line
    assert imported.difficult.images == ()


def test_tracked_changes_are_accepted_with_a_warning(imported: Imported) -> None:
    # Catches deleted text published, inserted text lost, or changes taken without telling anyone.
    text = words(prose(imported.root, imported.difficult.post[8:-3] + "/").get_text())
    assert "Danh sách hộ đã được bổ sung" in text and "cần loại bỏ" not in text
    assert "Chữ trong hộp có bản cũ" in text
    assert "Xem lại số liệu" not in text, "comments are never published"
    warning = next(w for w in imported.difficult.warnings if "Track Changes" in w.message)
    assert "chấp nhận hết" in warning.message and warning.path.endswith("kho.docx")


def test_pictures_in_merged_tables_and_links_to_files(tmp_path: Path) -> None:
    # Catches a picture left inside an HTML table (its path is never resolved, so it would not show), a link to
    # a file on someone's computer published, and links to bookmarks inside the document kept.
    root, config = project(tmp_path / "site")
    word = WordDoc()
    word.heading("Bảng có ảnh", 1)
    table = word.table([["Ảnh", ""], ["Mô tả", "Chú thích"]])
    table.cell(0, 0).merge(table.cell(0, 1))
    word.picture(jpeg_bytes(), "Ảnh trong bảng", paragraph=table.cell(0, 0).paragraphs[0])
    linked = word.para("Xem ")
    word.link(linked, "file:///C:/Users/can-bo/Documents/bao-cao.docx", "báo cáo gốc")
    word.anchor_link(word.para("Về "), "_Toc1", "mục lục")
    report = do_import(root, config, word.save(tmp_path / "bang-anh.docx"))
    build_at(root, drafts=True)
    body = prose(root, report.post.removeprefix("content/").removesuffix(".md") + "/")
    table_tag = body.find("table")
    assert table_tag.find("img") is None and "(ảnh ở dưới bảng)" in words(table_tag.get_text())
    after = table_tag.find_parent(class_="table-wrap").find_next_sibling()
    assert after.find("img")["alt"] == "Ảnh trong bảng"
    assert body.find("a", string="báo cáo gốc") is None and "Xem báo cáo gốc" in words(body.get_text())
    assert body.find("a", string="mục lục") is None and "Về mục lục" in words(body.get_text())
    dropped = [w for w in report.warnings if "báo cáo gốc" in w.message]
    assert len(dropped) == 1 and "không phải địa chỉ web" in dropped[0].message
    assert not [w for w in report.warnings if "mục lục" in w.message]


def test_import_into_a_profiles_section_builds(tmp_path: Path) -> None:
    # Catches a role-model post without the required name, which would stop the build.
    profiles = 'title: "Điển hình tiên tiến"\n    kind: profiles'
    root, settings_ = project(tmp_path / "site", DOCUMENTS_CONFIG.replace('title: "Điển hình tiên tiến"', profiles))
    word = WordDoc()
    word.heading("Chị H'Hen Niê và những cuốn sổ minh bạch", 1)
    word.para("Chị là tấm gương trong phong trào.")
    report = do_import(root, settings_, word.save(tmp_path / "dien-hinh.docx"), section="Điển hình tiên tiến")
    assert report.post.startswith("content/dien-hinh/")
    assert front_matter(root / report.post)["name"] == "Chị H'Hen Niê và những cuốn sổ minh bạch"
    assert any("'name'" in w.message for w in report.warnings)
    build_at(root, drafts=True)


# --- hostile files ---------------------------------------------------------------------------------------


def test_picture_paths_inside_the_docx_cannot_escape(tmp_path: Path) -> None:
    # Catches writing pictures under the names or paths stored in the .docx ("../../evil.png").
    root, config = project(tmp_path / "site")
    word = WordDoc()
    word.heading("Ảnh có đường dẫn lạ", 1)
    word.picture(png_bytes(), "Ảnh thử")
    path = word.save(tmp_path / "la.docx")
    with zipfile.ZipFile(path) as archive:
        media = next(n for n in archive.namelist() if n.startswith("word/media/"))
        picture = archive.read(media)
    rels = "word/_rels/document.xml.rels"
    rezip(path, edit={rels: (f'Target="{media[5:]}"', 'Target="../../../../evil.png"')},
          add={"word/../../../../evil.png": picture})
    report = do_import(root, config, path)
    assert [Path(p).name for p in report.images] == ["anh-1.png"]
    assert not list(tmp_path.rglob("evil.png"))
    assert all((root / p).resolve().is_relative_to((root / "content").resolve()) for p in report.images)


def test_linked_pictures_are_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Catches reading a picture from the network or the disk because the .docx links to it.
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("the test forbids opening anything outside the .docx")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    root, config = project(tmp_path / "site")
    secret = tmp_path / "bi-mat.jpg"
    secret.write_bytes(jpeg_bytes())
    word = WordDoc()
    word.heading("Ảnh liên kết", 1)
    word.linked_picture("http://example.invalid/anh.jpg")
    word.linked_picture(secret.name)
    word.linked_picture(secret.as_uri())
    report = do_import(root, config, word.save(tmp_path / "lien-ket.docx"))
    assert attempts == [] and report.images == ()
    assert sum("liên kết tới tệp bên ngoài" in line for line in report.summary) == 3


def test_picture_type_comes_from_its_bytes(tmp_path: Path) -> None:
    # Catches trusting the name inside the .docx: PNG bytes stored as .jpeg must be saved as .png.
    root, config = project(tmp_path / "site")
    word = WordDoc()
    word.heading("Ảnh sai đuôi", 1)
    word.raw_picture(png_bytes(), "jpeg", "image/jpeg", description="Ảnh PNG mang đuôi jpeg")
    report = do_import(root, config, word.save(tmp_path / "sai-duoi.docx"))
    assert [Path(p).name for p in report.images] == ["anh-1.png"]
    build_at(root, drafts=True)


# --- text, titles and the command ------------------------------------------------------------------------


def test_decomposed_text_becomes_nfc(tmp_path: Path) -> None:
    # Catches "ệ" kept as e + two combining marks (search, slugs and sorting then fail).
    root, config = project(tmp_path / "site")
    word = WordDoc()
    word.heading(unicodedata.normalize("NFD", "Hội nghị ở Đắk Nông"), 1)
    word.para(unicodedata.normalize("NFD", "Người nghèo được hỗ trợ."))
    word.para(unicodedata.normalize("NFD", "Đắk Nông, ngày 05 tháng 01 năm 2024"))
    report = do_import(root, config, word.save(tmp_path / "nfd.docx"))
    text = (root / report.post).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "Người nghèo được hỗ trợ." in text and report.post.endswith("/hoi-nghi-o-dak-nong.md")
    assert parse_local_datetime(front_matter(root / report.post)["date"]) == datetime(2024, 1, 5, tzinfo=NOW.tzinfo)


def test_title_from_option_then_property_then_file_name(tmp_path: Path) -> None:
    # Catches --title ignored, the Title property ignored, or a post without a title.
    root, config = project(tmp_path / "site")
    word = WordDoc()
    word.para("Chỉ có một đoạn văn.")
    word.doc.core_properties.title = "Báo cáo sơ kết giữa kỳ"
    with_property = word.save(tmp_path / "co-thuoc-tinh.docx")
    assert front_matter(root / do_import(root, config, with_property).post)["title"] == "Báo cáo sơ kết giữa kỳ"
    chosen = do_import(root, config, with_property, title="Tiêu đề do cán bộ đặt")
    assert chosen.post.endswith("/tieu-de-do-can-bo-dat.md")
    plain = WordDoc()
    plain.para("Không tiêu đề.")
    plain.doc.core_properties.title = ""
    report = do_import(root, config, plain.save(tmp_path / "Tin tháng 1.docx"))
    assert front_matter(root / report.post)["title"] == "Tin tháng 1"
    assert "tên tệp" in "\n".join(report.summary)


def test_run_import_prints_summary_or_located_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Catches a traceback, errors on stdout, or messages without the file they are about.
    root, _ = project(tmp_path / "site")
    source = news_article(tmp_path / "tin.docx")
    assert run_import(root, str(source), "tin-hoat-dong", None) == 0
    out = capsys.readouterr()
    assert "content/tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-giap-thin-2024.md" in out.out
    assert f"{ALT_PLACEHOLDER}" in out.out and out.err == ""
    assert run_import(root, str(tmp_path / "ke-hoach.doc"), None, None) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert f"{(tmp_path / 'ke-hoach.doc').as_posix()}: không tìm thấy tệp" in out.err


# --- the Markdown writer on its own -----------------------------------------------------------------------

_ALPHABET = "aăâbđeêoôơuư  ÀẠẢÃÁ1209*_[]()<>&#`\\|{}!~-+.:;\"'/%=^@$“”…"
# Whole constructs, which random characters rarely form: links, notes, emphasis, tags, entities, code, attributes.
_CONSTRUCTS = ["[Cổng](https://x.vn)", "[^1]", "[^1]: chú", "**đậm**", "*nghiêng*", "__gạch__", "<b>thẻ</b>",
               "<!-- ẩn -->", "&amp;", "&#123;", "`mã`", "```", "{: .lop}", "{#muc}", "*[UBND]: Ủy ban",
               "![ảnh](a.jpg)", "<https://x.vn>", "\\*", " # ", " 1. ", " - ", " > ", "\n"]
_TEXT = st.lists(st.one_of(st.text(_ALPHABET, min_size=1, max_size=6), st.sampled_from(_CONSTRUCTS),
                           st.sampled_from(_CONSTRUCTS).map(lambda construct: f" {construct} ")),
                 min_size=1, max_size=8).map("".join)
_SEGMENTS = st.lists(st.tuples(st.text(_ALPHABET, min_size=1, max_size=12), st.booleans(), st.booleans()),
                     min_size=1, max_size=6)


# The extensions sitegen/markup.py gives Python-Markdown: escaping must hold against each of them. (The full
# pipeline is exercised by the built fixture site above; a build per example would be too slow here.)
SITE_EXTENSIONS = ["tables", "footnotes", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr", "toc"]


def _rendered(segments: list[tuple[str, bool, bool]], style: str = "") -> BeautifulSoup:
    paragraph = Paragraph(tuple(Text(text, bold, italic) for text, bold, italic in segments), style=style)
    content = DocxContent((paragraph,), {}, (), ())
    source = to_markdown(content).text
    return BeautifulSoup(markdown.Markdown(extensions=SITE_EXTENSIONS).convert(source), "lxml")


@settings(max_examples=250, deadline=None)
@given(st.builds(lambda first, rest: first + rest, st.sampled_from("aĐơ"), _TEXT),
       st.sampled_from(["", "heading 1", "heading 2"]))
def test_any_text_reads_back_as_written(text: str, style: str) -> None:
    # Catches a character the escaping misses in paragraphs and headings (emphasis, links, HTML, entities,
    # heading ids {#…}, closing #, lists, footnotes).
    text = text.replace("\n", " ")  # Word text has no newlines, only paragraphs and line breaks
    assert words(_rendered([(text, False, False)], style).get_text()) == words(text)


@settings(max_examples=400, deadline=None)
@given(_SEGMENTS.filter(lambda s: s[0][0].strip()[:1].isalpha()))
def test_bold_and_italic_runs_keep_their_text_and_emphasis(segments: list[tuple[str, bool, bool]]) -> None:
    # Catches neighbouring runs whose marks collide ("**a*****b***") or move emphasis onto other words.
    soup = _rendered(segments)
    assert words(soup.get_text()) == words("".join(text for text, _, _ in segments))
    for tag, wanted in (("strong", 1), ("em", 2)):
        expected = "".join(segment[0] for segment in segments if segment[wanted])
        shown = "".join(element.get_text() for element in soup.find_all(tag) if not element.find_parent(tag))
        assert shown.replace(" ", "") == expected.replace(" ", ""), tag


def test_imported_pages_are_valid_html(imported: Imported) -> None:
    # Catches HTML tables, lists or attributes written by the import that the Nu HTML Checker rejects.
    output = imported.root / "output"
    pages = [output / report.post.removeprefix("content/").removesuffix(".md") / "index.html"
             for report in (imported.news, imported.plan, imported.difficult)]
    assert all(page.is_file() for page in pages)
    messages = run_vnu(pages, relative_to=output)
    assert not messages, "\n".join(str(m) for m in messages)


# --- in Chromium -------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_imported_post_shows_lists_tables_and_pictures_in_chromium(imported: Imported, chromium_browser: Browser,
                                                                   tmp_path: Path) -> None:
    # Catches lists, tables or pictures that are in the HTML but not shown (broken src, hidden, zero size).
    with SiteServer(imported.root / "output", tmp_path) as server:
        page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            response = page.goto(server.url(_news_page(imported)), wait_until="load")
            assert response is not None and response.status == 200
            body = page.locator(".prose")
            for selector, count in ((":scope > ul > li", 4), (":scope > ol > li", 4), ("li > ul > li", 3),
                                    ("table", 2), ("img", 3)):
                items = body.locator(selector)
                assert items.count() == count, selector
                for index in range(count):
                    items.nth(index).scroll_into_view_if_needed()
                    assert items.nth(index).is_visible(), f"{selector} #{index + 1} is not visible"
            loaded = page.evaluate("""() => Array.from(document.querySelectorAll('.prose img')).map(
                img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 50)""")
            assert loaded == [True, True, True]
            spans = page.evaluate("""() => Array.from(document.querySelectorAll('.prose table')[1].rows).map(
                row => Array.from(row.cells).map(cell => cell.colSpan + 'x' + cell.rowSpan))""")
            assert spans == [["1x1", "2x1"], ["1x2", "1x1", "1x1"], ["1x1", "1x1"]]
        finally:
            page.close()


# --- a .docx written by LibreOffice ------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is needed for the ODT → DOCX import test. Install it (Debian/Ubuntu: "
                    "`apt-get install -y --no-install-recommends libreoffice-writer-nogui`); .ci/run installs it.")
    return found


def test_docx_written_by_libreoffice_from_odt(tmp_path: Path) -> None:
    # Catches an import that only understands python-docx's files: LibreOffice writes lists, merged cells,
    # picture descriptions and headings its own way.
    odt = write_odt(tmp_path / "tin-tet.odt")
    profile = tmp_path / "lo-profile"
    result = subprocess.run([_soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                             "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(odt)],
                            capture_output=True, text=True, timeout=180, check=False,
                            env={**os.environ, "HOME": str(tmp_path)})
    converted = tmp_path / "tin-tet.docx"
    assert converted.is_file(), f"LibreOffice did not convert the file:\n{result.stdout}\n{result.stderr}"
    root, config = project(tmp_path / "site")
    report = do_import(root, config, converted, section="tin-hoat-dong")
    build_at(root, drafts=True)
    assert front_matter(root / report.post)["title"] == ODT_HEADING
    body = prose(root, report.post.removeprefix("content/").removesuffix(".md") + "/")
    assert [words(h.get_text()) for h in body.find_all(["h2", "h3"])] == ["Các hoạt động"]
    assert words(body.find("strong").get_text()) == "50 suất quà"
    bullets = body.find("ul")
    assert [words(li.find(string=True, recursive=False)) for li in bullets.find_all("li", recursive=False)] == [
        "Thăm hỏi hộ nghèo", "Trao quà Tết"]
    assert [words(li.get_text()) for li in bullets.find("li").find("ul").find_all("li")] == ["Bon Jun Júh",
                                                                                            "Xã Đức Minh"]
    assert [words(li.get_text()) for li in body.find("ol").find_all("li")] == ["Chuẩn bị quà", "Tổ chức trao quà"]
    spanning = body.find(lambda tag: tag.name in ("td", "th") and tag.get("colspan") == "2")
    assert spanning is not None and words(spanning.get_text()) == "Kết quả năm 2024"
    assert [img["alt"] for img in body.find_all("img")] == ["Cán bộ Thanh tra tỉnh trao quà Tết cho hộ nghèo"]
    assert [Path(p).name for p in report.images] == ["anh-1.png"]
