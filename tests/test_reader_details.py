"""Details a reader notices: what the sanitiser lets through, escaping, pagination, dates, feeds, CSV, photos."""

from __future__ import annotations

import csv
import io
import posixpath
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from sitegen.errors import BuildFailed
from sitegen.records import data_files, derive
from sitegen.text import format_date_long
from tests.sitebuilder import build_at, html_at, jpeg, make_site, post
from tests.test_records import RECORDS, _records

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PAYLOAD = '<b onmouseover="alert(1)">"&amp;\'</b>'
"""Markup typed into a front-matter field: it must show as text, never become an element."""


# --- the sanitiser's allow-list -------------------------------------------------------------


def test_only_the_alignment_of_table_cells_survives_as_style_and_no_data_urls(tmp_path: Path) -> None:
    body = "\n".join([
        '<table><tr><td style="text-align: center; color: red; background: url(https://x.example/t.gif)">Ô</td>'
        '<th style="position: fixed; text-align: right">Đầu</th></tr></table>',
        "",
        '<p style="text-align: center">Đoạn</p>',
        "",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">tệp</a>',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="ảnh nhúng">',
        '<a href="https://chinhphu.vn/">Cổng Chính phủ</a> <a href="mailto:a@b.vn">thư</a> <a href="tel:0261">gọi</a>',
    ])
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Lọc", body=body)})
    build_at(root)
    prose = html_at(root, "tin-hoat-dong/x/").select_one(".prose")
    assert prose.select_one("td")["style"].replace(" ", "") in ("text-align:center", "text-align:center;")
    assert prose.select_one("th")["style"].replace(" ", "") in ("text-align:right", "text-align:right;")
    assert not prose.select_one("p[style]"), "style is for table cells only"
    assert not prose.select('[href^="data:"], [src^="data:"]')
    kept = [a["href"] for a in prose.select("a[href]")]
    assert kept == ["https://chinhphu.vn/", "mailto:a@b.vn", "tel:0261"]


# --- escaping of what staff type ------------------------------------------------------------


PROFILE_CONFIG = """\
site:
  title: "Trang thử"
  base_url: "https://portal.example/"
agency:
  name: "Thanh tra tỉnh"
sections:
  - id: tin-hoat-dong
    title: "Tin hoạt động"
  - id: dien-hinh
    title: "Điển hình"
    kind: profiles
  - id: van-ban
    title: "Văn bản"
    kind: documents
"""


def test_every_front_matter_field_a_template_shows_is_escaped(tmp_path: Path) -> None:
    quoted = '"' + PAYLOAD.replace('"', '\\"') + '"'
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/x.md": post(PAYLOAD.replace('"', "'"), summary=quoted, author=quoted, unit=quoted,
                                           tags=f"[{quoted}]", image="anh.png", image_alt=quoted),
        "content/tin-hoat-dong/anh.png": _png(),
        "content/dien-hinh/p.md": post("Điển hình", name=quoted, place=quoted, achievement=quoted,
                                       commendations=f"[{quoted}]", unit=quoted),
        "content/van-ban/v.md": "\n".join(["---", f"title: {quoted}", f"doc_type: {quoted}", 'number: "1/KH-TTr"',
                                           "issued: 2024-01-02", f"issuer: {quoted}", f"signer: {quoted}", "---",
                                           "", "Nội dung.", ""]),
    }, config=PROFILE_CONFIG)
    build_at(root)
    for path in ("tin-hoat-dong/x/", "dien-hinh/p/", "van-ban/v/", "van-ban/", "dien-hinh/", "tin-hoat-dong/",
                 "the/", ""):
        page = html_at(root, path)
        assert not page.find("b"), f"{path}: a <b> typed in front matter became an element"
        assert not [e for e in page.find_all(True) if any(a.startswith("on") for a in e.attrs)], path
        assert "onmouseover" in page.get_text() or "onmouseover" in str(page.find_all("meta")), path
    shown = html_at(root, "tin-hoat-dong/x/")
    assert shown.find("meta", property="og:description")["content"] == PAYLOAD  # as typed, "&amp;" included
    assert shown.select_one(".post__image img")["alt"] == PAYLOAD


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- lists, dates, feeds, sitemap ----------------------------------------------------------


def test_the_last_page_of_a_list_keeps_its_previous_link_and_has_no_next(tmp_path: Path) -> None:
    files = {f"content/tin-hoat-dong/bai-{n}.md": post(f"Bài {n}", f"2024-03-{n:02d} 08:00") for n in range(1, 8)}
    root = make_site(tmp_path, files, per_page=3)
    build_at(root)
    last = html_at(root, "tin-hoat-dong/trang-3/")
    previous = last.select_one('nav.pagination a[rel="prev"]')
    assert previous is not None
    assert posixpath.normpath(posixpath.join("tin-hoat-dong/trang-3/", previous["href"])) == "tin-hoat-dong/trang-2"
    assert last.select_one('nav.pagination a[rel="next"]') is None
    assert [h.get_text(strip=True) for h in last.select(".card__title")] == ["Bài 1"]


@pytest.mark.parametrize(("moment", "text"), [
    (date(2024, 3, 9), "ngày 09 tháng 3 năm 2024"),
    (date(2024, 3, 10), "ngày 10 tháng 3 năm 2024"),
    (date(2024, 2, 9), "ngày 09 tháng 02 năm 2024"),
    (date(2024, 2, 10), "ngày 10 tháng 02 năm 2024"),
    (date(2024, 1, 1), "ngày 01 tháng 01 năm 2024"),
    (date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
])
def test_long_dates_pad_days_below_10_and_months_below_3(moment: date, text: str) -> None:
    assert format_date_long(moment) == text


def test_feed_entries_have_their_page_address_as_id_and_the_last_change_as_updated(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/cu.md": post("Tin cũ", "2024-01-05 08:00", updated="2024-02-10 14:30"),
        "content/tin-hoat-dong/moi.md": post("Tin mới", "2024-01-20 09:15")})
    build_at(root)
    feed = feedparser.parse((root / "output/feed.xml").read_bytes())
    assert not feed.bozo
    by_title = {entry.title: entry for entry in feed.entries}
    old, new = by_title["Tin cũ"], by_title["Tin mới"]
    assert old.id == old.link == "https://portal.example/vi-nguoi-ngheo/tin-hoat-dong/cu/"
    assert old.published == "2024-01-05T08:00:00+07:00" and old.updated == "2024-02-10T14:30:00+07:00"
    assert new.updated == new.published == "2024-01-20T09:15:00+07:00"
    assert feed.feed.updated == "2024-02-10T14:30:00+07:00", "the feed changes when its newest change does"


def test_sitemap_lastmod_is_each_pages_last_change(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/cu.md": post("Tin cũ", "2024-01-05 08:00", updated="2024-02-10 14:30"),
        "content/tin-hoat-dong/moi.md": post("Tin mới", "2024-01-20 09:15")})
    build_at(root)
    urls = ET.parse(root / "output/sitemap.xml").getroot()
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in urls}
    base = "https://portal.example/vi-nguoi-ngheo/"
    assert lastmod[base + "tin-hoat-dong/cu/"] == "2024-02-10T14:30:00+07:00"
    assert lastmod[base + "tin-hoat-dong/moi/"] == "2024-01-20T09:15:00+07:00"
    assert lastmod[base + "tin-hoat-dong/"] == "2024-02-10T14:30:00+07:00", "a list changes with its newest page"


@pytest.mark.parametrize("first", ["=", "+", "-", "@"])
def test_csv_cells_starting_like_a_formula_are_kept_as_text(first: str) -> None:
    text = RECORDS.replace('recipient: "Chi đoàn Thanh tra tỉnh"', f'recipient: "{first}SUM(A1:A9)"')
    records, _ = _records(text)
    rows = list(csv.reader(io.StringIO(data_files(derive(records))["ket-qua/du-lieu/khen-thuong.csv"]
                                       .decode("utf-8-sig"))))
    assert rows[1][5] == f"'{first}SUM(A1:A9)"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


# --- photos --------------------------------------------------------------------------------


def _rows_photo(width: int, height: int) -> bytes:
    """A photo whose red channel tells each row's height in it: red = 255 × row / height."""
    image = Image.new("RGB", (width, height))
    for y in range(height):
        image.paste((round(255 * y / (height - 1)), 80, 80), (0, y, width, y + 1))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("focus", "centre"), [
    (None, 1 / 3),  # a portrait photo: its upper third, where faces are
    ('"top"', 0.5 * 630 / 1200 * 600 / 1200),  # the crop starts at the top edge
    ('"30% 20%"', 0.2),
])
def test_the_share_picture_of_a_portrait_photo_keeps_its_upper_part(tmp_path: Path, focus: str | None,
                                                                    centre: float) -> None:
    extra = {"image_focus": focus} if focus else {}
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/x.md": post("Tin", image="doc.png", image_alt='"Ảnh dọc"', **extra),
        "content/tin-hoat-dong/doc.png": _rows_photo(600, 1200)})
    build_at(root)
    shared = root / "output" / html_at(root, "tin-hoat-dong/x/").find("meta", property="og:image")["content"] \
        .removeprefix("https://portal.example/vi-nguoi-ngheo/")
    with Image.open(shared) as picture:
        red = picture.getpixel((picture.width // 2, picture.height // 2))[0]
    assert abs(red / 255 - centre) < 0.03, f"the share picture centres at {red / 255:.2f} of the photo's height"


def test_bad_image_focus_is_a_located_error(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/x.md": post("Tin", image="doc.png", image_alt='"Ảnh"', image_focus='"giữa trên"'),
        "content/tin-hoat-dong/doc.png": _rows_photo(60, 120)})
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert (error.path, error.line) == ("content/tin-hoat-dong/x.md", 6) and "image_focus" in error.message


def test_published_media_names_are_ascii_slugs_and_the_same_on_every_build(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/x.md": post("Tin", image='"Ảnh trao quà 1.jpg"', image_alt='"Trao quà"',
                                           body="[Kế hoạch](Kế hoạch 417.PDF)"),
        "content/tin-hoat-dong/Ảnh trao quà 1.jpg": jpeg(1000, 700),
        "content/tin-hoat-dong/Kế hoạch 417.PDF": b"%PDF-1.4\n%%EOF\n"})
    build_at(root)
    first = sorted(p.relative_to(root / "output").as_posix() for p in (root / "output/media").rglob("*"))
    assert "media/tin-hoat-dong/ke-hoach-417.pdf" in first
    assert any(name.startswith("media/tin-hoat-dong/anh-trao-qua-1-960.") for name in first), first
    assert all(name.isascii() and " " not in name for name in first), first
    build_at(root)
    assert sorted(p.relative_to(root / "output").as_posix() for p in (root / "output/media").rglob("*")) == first
