"""The built sample site and small fixture sites, read through an HTML parser."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from tests.sitebuilder import build_at, html_at, jpeg, make_site, post

SITE_URL = "https://site.test/"


def _target(page: str, href: str) -> str:
    """The site path a link on `page` leads to, as a browser resolves it."""
    return urlsplit(urljoin(f"{SITE_URL}{page}", href)).path.lstrip("/")


def _links(root: Path) -> list[tuple[str, str]]:
    """(page, href) for every a/link/img/script reference in the built site."""
    found = []
    for page in (root / "output").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        relative = page.relative_to(root / "output").as_posix()
        for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
            for element in soup.find_all(tag):
                if element.get(attribute):
                    found.append((relative, element[attribute]))
    return found


def test_every_internal_link_of_the_sample_site_leads_to_a_file(sample_site: Path) -> None:
    output = sample_site / "output"
    broken = []
    for page, href in _links(sample_site):
        if page == "404.html" or href.startswith(("mailto:", "https://", "http://", "#")):
            continue
        target = urlsplit(urljoin(f"{SITE_URL}{page}", href))
        path = unquote(target.path).lstrip("/")
        file = output / (path + "index.html" if path.endswith("/") or not path else path)
        if not file.is_file():
            broken.append(f"{page} → {href}")
    assert not broken, broken


def test_sample_site_has_every_kind_of_page(sample_site: Path) -> None:
    output = sample_site / "output"
    for path in ("index.html", "tuyen-truyen/index.html", "dien-hinh/index.html", "tin-hoat-dong/index.html",
                 "tin-hoat-dong/trang-2/index.html", "gioi-thieu/index.html", "lien-he/index.html",
                 "the/index.html", "the/bon-jun-juh/index.html", "luu-tru/index.html",
                 "luu-tru/2022/index.html", "luu-tru/2025/index.html", "404.html"):
        assert (output / path).is_file(), path
    posts = [p for p in output.glob("*/*/index.html") if p.parts[-3] in {"tuyen-truyen", "dien-hinh", "tin-hoat-dong"}]
    assert len(posts) >= 15


def test_home_shows_latest_featured_and_every_section(sample_site: Path) -> None:
    home = html_at(sample_site, "")
    latest = home.find(id="latest-title").find_parent("section")
    assert len(latest.select("article.card")) == 6
    featured = home.find(id="featured-title").find_parent("section")
    assert featured.select("article.card--featured")
    section_links = {a["href"] for a in home.select(".section-links a")}
    assert section_links == {"tuyen-truyen/", "dien-hinh/", "tin-hoat-dong/", "van-ban/"}
    dates = [t["datetime"] for t in latest.select("time")]
    assert dates == sorted(dates, reverse=True)


def test_draft_is_left_out_of_the_sample_site(sample_site: Path) -> None:
    assert not (sample_site / "output/tin-hoat-dong/chuan-bi-tham-tang-qua-tet-binh-ngo-2026").exists()


def test_post_page_has_breadcrumbs_long_date_tags_and_neighbours(sample_site: Path) -> None:
    page = html_at(sample_site, "tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-2024/")
    assert page.html["lang"] == "vi"
    assert page.h1.get_text(strip=True) == "Thăm, tặng quà Bon Jun Júh dịp Tết Nguyên đán Giáp Thìn 2024"
    crumbs = page.select("nav.breadcrumbs li")
    assert [c.get_text(strip=True) for c in crumbs][:2] == ["Trang chủ", "Tin hoạt động"]
    assert _target("tin-hoat-dong/x/", crumbs[1].a["href"]) == "tin-hoat-dong/"
    assert crumbs[-1].find(attrs={"aria-current": "page"})
    published = page.select_one(".post__meta time")
    assert published.get_text() == "ngày 30 tháng 01 năm 2024"
    assert published["datetime"] == "2024-01-30T09:00:00+07:00"
    assert "Bon Jun Júh" in [a.get_text() for a in page.select(".tags a")]
    neighbours = page.select("nav.post-nav a")
    assert {a["rel"][0] for a in neighbours} == {"prev", "next"}
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == "https://thanhtra.example.gov.vn/vi-nguoi-ngheo/tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-2024/"


def test_menu_marks_the_current_page(sample_site: Path) -> None:
    section = html_at(sample_site, "tin-hoat-dong/")
    current = section.select('nav[aria-label="Menu chính"] [aria-current="page"]')
    assert [a.get_text() for a in current] == ["Tin hoạt động"]


def test_pagination_splits_sections(tmp_path: Path) -> None:
    files = {f"content/tin-hoat-dong/bai-{n}.md": post(f"Bài số {n}", f"2024-03-{n:02d} 08:00")
             for n in range(1, 6)}
    root = make_site(tmp_path, files, per_page=2)
    build_at(root)
    pages = [html_at(root, p) for p in ("tin-hoat-dong/", "tin-hoat-dong/trang-2/", "tin-hoat-dong/trang-3/")]
    titles = [[h.get_text(strip=True) for h in page.select(".card__title")] for page in pages]
    assert titles == [["Bài số 5", "Bài số 4"], ["Bài số 3", "Bài số 2"], ["Bài số 1"]]
    assert _target("tin-hoat-dong/trang-2/", pages[1].select_one('nav.pagination a[rel="prev"]')["href"]) \
        == "tin-hoat-dong/"
    assert _target("tin-hoat-dong/trang-2/", pages[1].select_one('nav.pagination a[rel="next"]')["href"]) \
        == "tin-hoat-dong/trang-3/"
    current = pages[0].select_one('nav.pagination [aria-current="page"]')
    assert " ".join(current.get_text().split()) == "Trang 1"
    assert not (root / "output/tin-hoat-dong/trang-4").exists()


def test_tags_and_year_archives(tmp_path: Path) -> None:
    files = {
        "content/tin-hoat-dong/a.md": post("Thăm bon", "2023-01-12 08:00", tags="[Tết, Bon Jun Júh]"),
        "content/tin-hoat-dong/b.md": post("Ủng hộ quỹ", "2024-07-24 08:00", tags="[Đền ơn đáp nghĩa, tết]"),
        "content/tuyen-truyen/c.md": post("Kế hoạch", "2024-01-02 08:00", tags="[Ăn Tết, Bon Jun Júh]"),
    }
    root = make_site(tmp_path, files)
    build_at(root)
    tags = html_at(root, "the/")
    names = [a.contents[0].strip() for a in tags.select(".tags a")]
    assert names == ["Ăn Tết", "Bon Jun Júh", "Đền ơn đáp nghĩa", "Tết"]  # Vietnamese order, "tết" merged
    tet = html_at(root, "the/tet/")
    assert {h.get_text(strip=True) for h in tet.select(".card__title")} == {"Thăm bon", "Ủng hộ quỹ"}
    year = html_at(root, "luu-tru/2024/")
    assert [h.get_text(strip=True) for h in year.select(".card__title")] == ["Ủng hộ quỹ", "Kế hoạch"]
    archive = html_at(root, "luu-tru/")
    assert [a.get_text() for a in archive.select(".year-list a")] == ["Năm 2024", "Năm 2023"]


def test_drafts_and_future_posts_only_when_asked(tmp_path: Path) -> None:
    files = {
        "content/tin-hoat-dong/nhap.md": post("Bài nháp", "2024-01-01 08:00", draft="true"),
        "content/tin-hoat-dong/hen-gio.md": post("Bài hẹn giờ", "2026-12-01 08:00"),
        "content/tin-hoat-dong/da-dang.md": post("Bài đã đăng", "2026-11-29 08:59"),
    }
    root = make_site(tmp_path, files)
    report = build_at(root)
    assert report.left_out == 2
    titles = {h.get_text(strip=True) for h in html_at(root, "tin-hoat-dong/").select(".card__title")}
    assert titles == {"Bài đã đăng"}
    build_at(root, drafts=True, future=True)
    titles = {h.get_text(strip=True) for h in html_at(root, "tin-hoat-dong/").select(".card__title")}
    assert titles == {"Bài nháp", "Bài hẹn giờ", "Bài đã đăng"}
    # Bug caught: a preview page that looks published, so a draft gets shared or uploaded by mistake.
    assert html_at(root, "tin-hoat-dong/nhap/").select_one(".preview-banner strong").get_text() == "Bản nháp"
    scheduled = html_at(root, "tin-hoat-dong/hen-gio/").select_one(".preview-banner strong").get_text()
    assert scheduled == "Hẹn giờ: 08:00 ngày 01 tháng 12 năm 2026"
    assert html_at(root, "tin-hoat-dong/da-dang/").select_one(".preview-banner") is None


def test_scheduled_post_appears_once_its_time_has_come(tmp_path: Path) -> None:
    from datetime import datetime

    from sitegen.text import VIETNAM_TZ
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Hẹn giờ", "2026-12-01 08:00")})
    build_at(root, now=datetime(2026, 12, 1, 7, 59, tzinfo=VIETNAM_TZ))
    assert not (root / "output/tin-hoat-dong/x").exists()
    build_at(root, now=datetime(2026, 12, 1, 8, 0, tzinfo=VIETNAM_TZ))
    assert (root / "output/tin-hoat-dong/x/index.html").is_file()


def test_markdown_features_and_vietnamese_heading_anchors(tmp_path: Path) -> None:
    body = "\n".join([
        "## Đền ơn đáp nghĩa", "", "Văn bản[^1].", "", "| Cột | Giá trị |", "|:--|--:|", "| a | 1 |", "",
        "1. một", "2. hai", "", "```", "mã", "```", "", "Đoạn", "{: .ghi-chu }", "", "[^1]: Quyết định 666/QĐ-TTg.",
    ])
    root = make_site(tmp_path, {"content/tuyen-truyen/x.md": post("Bài", body=body)})
    build_at(root)
    page = html_at(root, "tuyen-truyen/x/")
    prose = page.select_one(".prose")
    assert prose.find("h2")["id"] == "den-on-dap-nghia"
    assert prose.find("table").find("td")
    assert prose.select_one(".footnote li")
    assert prose.find("ol").find_all("li")[1].get_text() == "hai"
    assert prose.find("pre").get_text().strip() == "mã"
    assert "ghi-chu" in prose.find("p", class_="ghi-chu")["class"]


def test_table_of_contents_for_long_pages(tmp_path: Path) -> None:
    body = "\n\n".join(f"## Mục {n} của Đức Minh\n\nNội dung." for n in range(1, 5))
    root = make_site(tmp_path, {"content/trang/gioi-thieu.md": post("Giới thiệu", body=body)})
    build_at(root)
    toc = html_at(root, "gioi-thieu/").select("nav.toc a")
    assert [a["href"] for a in toc] == [f"#muc-{n}-cua-duc-minh" for n in range(1, 5)]


def test_raw_html_is_sanitised(tmp_path: Path) -> None:
    body = "\n".join([
        '<script>alert("x")</script>',
        '<p onclick="steal()">Bấm <a href="javascript:alert(1)">đây</a></p>',
        '<img src="x.png" onerror="alert(2)" alt="ảnh">',
        '<iframe src="https://tracker.example/"></iframe>',
        '<p style="position:fixed">Chữ</p>',
        "",
        '[liên kết](javascript:alert(3)) và [được](https://chinhphu.vn/)',
        "",
        'Đoạn có thuộc tính',
        '{: onmouseover="alert(4)" }',
    ])
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("XSS", body=body)},)
    (root / "content/tin-hoat-dong/x.png").write_bytes(b"\x89PNG")
    build_at(root)
    prose = html_at(root, "tin-hoat-dong/x/").select_one(".prose")
    assert not prose.find_all(["script", "iframe"])
    for element in prose.find_all(True):
        assert not [a for a in element.attrs if a.startswith("on") or a == "style"], element
        for attribute in ("href", "src"):
            assert not element.get(attribute, "").lower().startswith("javascript:"), element
    assert prose.find("a", href="https://chinhphu.vn/")
    assert "alert" not in prose.get_text()


def test_internal_links_are_resolved_relative_to_the_page(tmp_path: Path) -> None:
    files = {
        "content/tuyen-truyen/ke-hoach.md": post("Kế hoạch"),
        "content/tin-hoat-dong/tin.md": post("Tin", body=(
            "[KH](../tuyen-truyen/ke-hoach.md#muc-1), [GT](../trang/gioi-thieu.md), "
            "[tệp](tep/ke-hoach.pdf), [thẻ](/the/), [ngoài](https://example.org/)")),
        "content/tin-hoat-dong/tep/ke-hoach.pdf": b"%PDF-1.4 sample",
        "content/trang/gioi-thieu.md": post("Giới thiệu"),
    }
    root = make_site(tmp_path, files)
    build_at(root)
    hrefs = [a["href"] for a in html_at(root, "tin-hoat-dong/tin/").select(".prose a")]
    assert [_target("tin-hoat-dong/tin/", href) for href in hrefs[:4]] == [
        "tuyen-truyen/ke-hoach/", "gioi-thieu/", "media/tin-hoat-dong/tep/ke-hoach.pdf", "the/"]
    assert hrefs[0].endswith("#muc-1") and hrefs[4] == "https://example.org/"
    assert (root / "output/media/tin-hoat-dong/tep/ke-hoach.pdf").read_bytes() == b"%PDF-1.4 sample"


def test_same_site_works_under_sub_path_and_root(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    build_at(root, base_url="https://portal.example/vi-nguoi-ngheo/")
    sub_path = html_at(root, "tin-hoat-dong/x/")
    assert sub_path.find("link", rel="canonical")["href"] == "https://portal.example/vi-nguoi-ngheo/tin-hoat-dong/x/"
    not_found = html_at(root, "404.html")
    assert not_found.select_one('a[href="/vi-nguoi-ngheo/"]')
    assert not_found.find("link", rel="stylesheet")["href"].startswith("/vi-nguoi-ngheo/static/css/site.")
    build_at(root, base_url="https://portal.example")
    assert html_at(root, "404.html").select_one('a[href="/"]')
    assert html_at(root, "tin-hoat-dong/x/").find("link", rel="canonical")["href"] == "https://portal.example/tin-hoat-dong/x/"


def test_assets_carry_a_content_hash(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    build_at(root)
    first = html_at(root, "").find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"static/css/site\.[0-9a-f]{10}\.css", first)
    assert (root / "output" / first).read_bytes() == (root / "templates/static/css/site.css").read_bytes()
    with (root / "templates/static/css/site.css").open("a", encoding="utf-8") as css:
        css.write("\n.new { color: red; }\n")
    build_at(root)
    second = html_at(root, "").find("link", rel="stylesheet")["href"]
    assert second != first and not (root / "output" / first).exists()


def test_files_of_deleted_posts_do_not_linger(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/cu.md": post("Bài cũ"),
                                "content/tin-hoat-dong/moi.md": post("Bài mới")})
    build_at(root)
    assert (root / "output/tin-hoat-dong/cu/index.html").is_file()
    (root / "content/tin-hoat-dong/cu.md").unlink()
    build_at(root)
    assert not (root / "output/tin-hoat-dong/cu").exists()
    assert (root / "output/tin-hoat-dong/moi/index.html").is_file()


def test_bom_crlf_and_decomposed_text_are_read_as_clean_vietnamese(tmp_path: Path) -> None:
    import unicodedata
    source = post("Nghèo đói ở Đắk Nông", tags="[Đắk Nông]", body="Đoạn một.\n\nĐoạn hai.")
    raw = "\ufeff" + unicodedata.normalize("NFD", source).replace("\n", "\r\n")
    root = make_site(tmp_path, {"content/tin-hoat-dong/ngheo-doi.md": raw.encode("utf-8")})
    build_at(root)
    page = html_at(root, "tin-hoat-dong/ngheo-doi/")
    title = page.h1.get_text()
    assert title == "Nghèo đói ở Đắk Nông" and unicodedata.is_normalized("NFC", title)
    assert _target("tin-hoat-dong/ngheo-doi/", page.select_one(".tags a")["href"]) == "the/dak-nong/"
    assert [p.get_text() for p in page.select(".prose p")] == ["Đoạn một.", "Đoạn hai."]


def test_title_without_letters_still_gets_a_path(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/!!!.md": post("🎉🎉")})
    report = build_at(root)
    built = [p for p in (root / "output/tin-hoat-dong").iterdir() if p.is_dir()]
    assert len(built) == 1 and built[0].name.startswith("bai-viet-") and report.pages > 0


def test_post_image_is_shown_in_sizes_with_its_description(tmp_path: Path) -> None:
    photo = jpeg(4000, 3000)
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/x.md": post("Tin", image="anh/tet.jpg", image_alt='"Trao quà Tết tại nhà văn hóa bon"'),
        "content/tin-hoat-dong/anh/tet.jpg": photo})
    build_at(root)
    picture = html_at(root, "tin-hoat-dong/x/").select_one(".post__image picture")
    image = picture.find("img")
    assert image["alt"] == "Trao quà Tết tại nhà văn hóa bon"
    assert (image["width"], image["height"]) == ("960", "720")
    assert image["fetchpriority"] == "high" and not image.has_attr("loading"), "the main photo loads at once"
    widths = [entry.split()[1] for entry in image["srcset"].split(", ")]
    assert widths == ["480w", "960w", "1440w", "1600w"]
    assert picture.find("source")["type"] == "image/webp"
    for entry in image["srcset"].split(", ") + picture.find("source")["srcset"].split(", "):
        assert (root / "output" / _target("tin-hoat-dong/x/", entry.split()[0])).is_file()
    assert (root / "content/tin-hoat-dong/anh/tet.jpg").read_bytes() == photo
    assert not (root / "output/media/tin-hoat-dong/anh/tet.jpg").exists()  # the 4000 px original stays home


def test_a_stray_top_level_heading_in_the_body_is_demoted(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="# Mục lớn\n\n## Mục nhỏ\n\nChữ.")})
    build_at(root)
    page = html_at(root, "tin-hoat-dong/x/")
    assert [h.get_text() for h in page.find_all("h1")] == ["Tin"]
    assert page.select_one(".prose h2").get_text() == "Mục lớn"
    assert page.select_one(".prose h3").get_text() == "Mục nhỏ"


def test_heading_ids_never_clash_with_the_page_layout(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/trang/gioi-thieu.md": post(
        "Giới thiệu", body="## Nội dung\n\nA.\n\n## Mục lục\n\nB.\n\n## Đầu trang\n\nC.\n\n## !!!\n\nD.")})
    build_at(root)
    page = html_at(root, "gioi-thieu/")
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids
    assert [h["id"] for h in page.select(".prose h2")] == ["muc-noi-dung", "muc-luc", "muc-dau-trang", "muc"]


def test_summary_from_first_paragraph_is_clean_text(tmp_path: Path) -> None:
    body = "Xin <b>chào</b> R&D &copy; bạn[^1].\n\nĐoạn hai.\n\n[^1]: Chú thích."
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=body)})
    build_at(root)
    description = html_at(root, "tin-hoat-dong/x/").find("meta", attrs={"name": "description"})["content"]
    assert description == "Xin chào R&D © bạn."


def test_dates_with_another_offset_are_shown_and_filed_in_vietnam_time(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Giao thừa", "2024-12-31T20:00:00Z")})
    build_at(root)
    time = html_at(root, "tin-hoat-dong/x/").select_one(".post__meta time")
    assert (time.get_text(), time["datetime"]) == ("ngày 01 tháng 01 năm 2025", "2025-01-01T03:00:00+07:00")
    assert (root / "output/luu-tru/2025/index.html").is_file() and not (root / "output/luu-tru/2024").exists()


def test_body_headings_start_at_h2_and_keep_layout_ids(tmp_path: Path) -> None:
    body = "### Mục đầu\n\n#### Mục con\n\n### Mục hai {#noi-dung}\n\nChữ."
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=body)})
    build_at(root)
    prose = html_at(root, "tin-hoat-dong/x/").select_one(".prose")
    assert [h.name for h in prose.find_all(["h2", "h3", "h4"])] == ["h2", "h3", "h2"]
    assert prose.find_all("h2")[1]["id"] == "muc-noi-dung"


def test_tags_that_differ_only_in_tones_stay_apart(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Bão lũ", tags="[Bão]"),
                                "content/tin-hoat-dong/b.md": post("Báo chí", tags="[Báo]")})
    report = build_at(root)
    names = {a.contents[0].strip(): _target("the/", a["href"]) for a in html_at(root, "the/").select(".tags a")}
    assert names == {"Bão": "the/bao/", "Báo": "the/bao-2/"}  # ngã sorts before sắc
    assert any("chỉ khác dấu" in w.message for w in report.warnings)


def test_pagination_shows_a_window_of_pages(tmp_path: Path) -> None:
    files = {f"content/tin-hoat-dong/bai-{n}.md": post(f"Bài {n}", f"2024-03-{n:02d} 08:00") for n in range(1, 21)}
    root = make_site(tmp_path, files, per_page=1)
    build_at(root)
    page = html_at(root, "tin-hoat-dong/trang-10/")
    numbers = [" ".join(a.get_text().split()) for a in page.select("nav.pagination li a:not([rel])")]
    assert numbers == ["Trang 1", "Trang 8", "Trang 9", "Trang 10", "Trang 11", "Trang 12", "Trang 20"]
    assert len(page.select(".pagination__gap")) == 2


def test_draft_preview_is_not_indexed(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Nháp", draft="true")})
    build_at(root, drafts=True)
    assert html_at(root, "tin-hoat-dong/x/").find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_menu_link_without_trailing_slash_reaches_the_page(tmp_path: Path) -> None:
    from tests.sitebuilder import CONFIG
    config = CONFIG.format(per_page=10) + 'menu:\n  - title: "Giới thiệu"\n    link: "/gioi-thieu"\n'
    root = make_site(tmp_path, {"content/trang/gioi-thieu.md": post("Giới thiệu")}, config=config)
    build_at(root)
    link = html_at(root, "").select_one('nav[aria-label="Menu chính"] a')
    assert _target("", link["href"]) == "gioi-thieu/"


def test_no_file_takes_a_name_windows_keeps_for_devices(tmp_path: Path) -> None:
    from sitegen.text import WINDOWS_RESERVED
    root = make_site(tmp_path, {"content/tin-hoat-dong/con.md": post("Con", tags="[Aux]",
                                                                      body="Bà con trong bon vui Tết.")})
    build_at(root)
    names = {p.stem.lower() for p in (root / "output").rglob("*")}
    assert not names & WINDOWS_RESERVED
    assert (root / "output/tin-hoat-dong/con-/index.html").is_file()
    assert (root / "output/tim-kiem/chi-muc/con-.json").is_file()
