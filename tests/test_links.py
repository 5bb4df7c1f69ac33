"""Links and attachments in posts: what is resolved, what is published, what is refused."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from sitegen.errors import BuildFailed
from tests.sitebuilder import build_at, html_at, make_site, post

PDF = b"%PDF-1.4 sample"


def _target(page: str, href: str) -> str:
    return unquote(urlsplit(urljoin(f"https://site.test/{page}", href)).path.lstrip("/"))


def _failure(root: Path) -> BuildFailed:
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    return failure.value


def test_only_attachments_of_published_pages_are_published(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/cong-khai.md": post("Công khai", body="[Kế hoạch](ke-hoach.pdf)"),
        "content/tin-hoat-dong/ke-hoach.pdf": PDF,
        "content/tin-hoat-dong/nhap.md": post("Nháp", draft="true", body="[Danh sách](nhap/danh-sach.xlsx)"),
        "content/tin-hoat-dong/nhap/danh-sach.xlsx": b"private",
        "content/tin-hoat-dong/bo-quen.docx": b"forgotten",
        "content/tin-hoat-dong/trang.html": b"<script>alert(1)</script>",
    })
    report = build_at(root)
    media = root / "output/media/tin-hoat-dong"
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) == ["ke-hoach.pdf"]
    warned = {w.path: w.message for w in report.warnings}
    assert "không bài đã đăng nào liên kết" in warned["content/tin-hoat-dong/nhap/danh-sach.xlsx"]
    assert "không bài đã đăng nào liên kết" in warned["content/tin-hoat-dong/bo-quen.docx"]
    assert "không được đăng" in warned["content/tin-hoat-dong/trang.html"]


def test_link_to_a_file_type_that_is_never_published_is_an_error(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="[Trang](trang.html)"),
                                "content/tin-hoat-dong/trang.html": b"<p>x</p>"})
    error = _failure(root).errors[0]
    assert (error.path, error.line) == ("content/tin-hoat-dong/x.md", 6) and "không được đăng" in error.message


def test_attachment_names_with_spaces_marks_and_decomposed_letters(tmp_path: Path) -> None:
    nfd_name = unicodedata.normalize("NFD", "kế hoạch #1.pdf")
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/x.md": post("Tin", body="[KH](k%E1%BA%BF%20ho%E1%BA%A1ch%20%231.pdf)"),
        f"content/tin-hoat-dong/{nfd_name}": PDF})
    build_at(root)
    href = html_at(root, "tin-hoat-dong/x/").select_one(".prose a")["href"]
    assert " " not in href and "#" not in href
    assert _target("tin-hoat-dong/x/", href) == "media/tin-hoat-dong/ke-hoach-1.pdf"  # ASCII on the site
    assert (root / "output/media/tin-hoat-dong/ke-hoach-1.pdf").read_bytes() == PDF


@pytest.mark.parametrize(("body", "words"), [
    ("[Thẻ](/the/khong-co/)", "trỏ tới trang không có trong site"),
    (r"[KH](..\tuyen-truyen\ke-hoach.md)", "dùng dấu /"),
    (r"[KH](C:\Users\canbo\ke-hoach.pdf)", "đường dẫn trên máy tính"),
])
def test_links_that_would_break_on_the_site_are_errors(tmp_path: Path, body: str, words: str) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=f"Đoạn.\n\n{body}")})
    error = _failure(root).errors[0]
    assert (error.path, error.line) == ("content/tin-hoat-dong/x.md", 8)
    assert words in error.message


def test_unsafe_link_is_dropped_with_a_warning(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="[bấm](javascript:alert(1))")})
    report = build_at(root)
    assert any("không an toàn" in w.message and w.line == 6 for w in report.warnings)
    link = html_at(root, "tin-hoat-dong/x/").select_one(".prose a")
    assert link.get_text() == "bấm" and not link.get("href")


def test_links_to_site_paths_and_section_folders(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tuyen-truyen/a.md": post("A"),
        "content/tin-hoat-dong/x.md": post(
            "Tin", body="[Thẻ](/the/) [Chuyên mục](../tuyen-truyen/) [Năm](/luu-tru/2024/)")})
    build_at(root)
    hrefs = [a["href"] for a in html_at(root, "tin-hoat-dong/x/").select(".prose a")]
    assert [_target("tin-hoat-dong/x/", h) for h in hrefs] == ["the/", "tuyen-truyen/", "luu-tru/2024/"]
