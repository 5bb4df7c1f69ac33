"""Readers' reach: feeds, sitemap, robots.txt, Open Graph tags, share links, related posts, search files."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from sitegen.terms import tone_key
from tests.browser_support import REPO
from tests.sitebuilder import build_at, html_at, make_site, post

BASE = "https://thanhtra.example.gov.vn/vi-nguoi-ngheo/"


def _html_pages(root: Path) -> list[Path]:
    return sorted((root / "output").rglob("*.html"))


def test_atom_feeds_parse_with_absolute_links_and_vietnam_time(sample_site: Path) -> None:
    feed = feedparser.parse((sample_site / "output/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau”"
    assert feed.feed.language == "vi"
    entries = feed.entries
    assert 15 <= len(entries) <= 30
    assert all(e.link.startswith(BASE) for e in entries)
    assert all(e.published.endswith("+07:00") and e.updated.endswith("+07:00") for e in entries)
    dates = [e.published for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert "Thăm, tặng quà Bon Jun Júh dịp Tết Nguyên đán Giáp Thìn 2024" in [e.title for e in entries]
    assert all(e.summary for e in entries) and not any("content" in e for e in entries)
    assert not any("/van-ban/" in e.link for e in entries)  # documents have their own table


def test_each_section_has_a_feed_linked_from_its_pages(sample_site: Path) -> None:
    for section in ("tuyen-truyen", "dien-hinh", "tin-hoat-dong"):
        feed = feedparser.parse((sample_site / f"output/{section}/feed.xml").read_bytes())
        assert not feed.bozo and feed.entries
        assert all(f"/{section}/" in e.link for e in feed.entries)
    page = html_at(sample_site, "tin-hoat-dong/")
    links = page.find_all("link", type="application/atom+xml")
    feeds = [urljoin(BASE + "tin-hoat-dong/", link["href"]) for link in links]
    assert feeds == [BASE + "feed.xml", BASE + "tin-hoat-dong/feed.xml"]
    for path in _html_pages(sample_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert soup.find("link", rel="alternate", type="application/atom+xml"), path


def test_sitemap_is_valid_and_lists_every_page(sample_site: Path) -> None:
    schema_file = REPO / "node_modules/sitemap/schema/sitemap.xsd"
    assert schema_file.is_file(), "run `npm ci` to install the sitemap schema"
    schema = etree.XMLSchema(etree.parse(str(schema_file)))
    sitemap = etree.parse(str(sample_site / "output/sitemap.xml"))
    schema.assertValid(sitemap)
    locations = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    expected = {BASE + ("" if p.name == "index.html" and p.parent == sample_site / "output"
                        else p.parent.relative_to(sample_site / "output").as_posix() + "/")
                for p in _html_pages(sample_site) if p.name == "index.html"} - {BASE + "tim-kiem/"}
    assert locations == expected
    robots = (sample_site / "output/robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots


@pytest.mark.parametrize("required", ["og:title", "og:description", "og:type", "og:url", "og:site_name",
                                      "og:locale", "og:image", "og:image:alt"])
def test_every_page_has_open_graph_tags(sample_site: Path, required: str) -> None:
    for path in _html_pages(sample_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        tag = soup.find("meta", property=required)
        assert tag is not None and tag["content"].strip(), f"{path}: {required}"
        if required in ("og:url", "og:image"):
            assert tag["content"].startswith(BASE), f"{path}: {required} = {tag['content']}"


def test_post_sharing_uses_its_photo_and_published_time(sample_site: Path) -> None:
    page = html_at(sample_site, "dien-hinh/chi-doan-thanh-tra-tinh-xung-kich-vi-nguoi-ngheo/")
    meta = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert meta["og:type"] == "article" and meta["og:locale"] == "vi_VN"
    assert meta["og:image"].endswith(".jpg") and "-chia-se." in meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    image = sample_site / "output" / meta["og:image"].removeprefix(BASE)
    assert image.is_file()
    assert meta["article:published_time"].endswith("+07:00")
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    plain = html_at(sample_site, "tuyen-truyen/")
    default = {m["property"]: m["content"] for m in plain.find_all("meta", property=True)}
    assert default["og:type"] == "website" and "/static/img/chia-se." in default["og:image"]


def test_share_buttons_are_plain_links(sample_site: Path) -> None:
    page = html_at(sample_site, "tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-2024/")
    facebook = page.select_one(".share a.share__button--facebook")["href"]
    parts = urlsplit(facebook)
    assert (parts.netloc, parts.path) == ("www.facebook.com", "/sharer/sharer.php")
    assert parse_qs(parts.query)["u"] == [BASE + "tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-2024/"]
    assert "%2F%2F" in parts.query  # the address is encoded whole, slashes included
    assert page.select_one("[data-share-native]").has_attr("hidden")  # shown by the script where it works
    assert page.select_one("#share-address")["value"].startswith(BASE)
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert all(not src.startswith(("http:", "https:", "//")) for src in scripts)


def test_related_posts_and_reading_time(tmp_path: Path) -> None:
    body = " ".join(["chữ"] * 900)
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/a.md": post("Tết ở bon", "2024-01-01 08:00", tags="[Tết, Bon Jun Júh]", body=body),
        "content/tin-hoat-dong/b.md": post("Quà Tết", "2024-01-02 08:00", tags="[Tết, Bon Jun Júh]"),
        "content/tuyen-truyen/c.md": post("Tết an toàn", "2024-01-03 08:00", tags="[Tết]"),
        "content/tin-hoat-dong/d.md": post("Họp cơ quan", "2024-01-04 08:00"),
        "content/tuyen-truyen/e.md": post("Văn bản", "2024-01-05 08:00"),
    })
    build_at(root)
    page = html_at(root, "tin-hoat-dong/a/")
    related = [a.get_text() for a in page.select(".related a")]
    assert related == ["Quà Tết", "Tết an toàn", "Họp cơ quan"]
    assert "Đọc khoảng 4 phút" in page.select_one(".post__meta").get_text()


def test_tone_key_ignores_old_and_new_tone_placement() -> None:
    assert tone_key("hoà") == tone_key("hòa") == "hoa2"
    assert tone_key("thuý") == tone_key("thúy")
    assert tone_key("hoa") != tone_key("hòa") and tone_key("đói") == "đoi5"


def test_search_files_cover_every_kind_of_page(sample_site: Path) -> None:
    output = sample_site / "output/tim-kiem"
    manifest = json.loads((output / "chi-muc.json").read_text(encoding="utf-8"))
    pages = [json.loads(p.read_text(encoding="utf-8")) for p in (output / "bai").glob("*.json")]
    assert manifest["documents"] == len(pages)
    paths = {page["u"] for page in pages}
    assert {"van-ban/quyet-dinh-666-qd-ttg/", "gioi-thieu/",
            "dien-hinh/chi-doan-thanh-tra-tinh-xung-kich-vi-nguoi-ngheo/",
            "tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-2024/"} <= paths
    assert any(page["t"].startswith("Quyết định 666/QĐ-TTg: ") for page in pages)
    words = json.loads((output / "chi-muc/ngh.json").read_text(encoding="utf-8"))["t"]
    assert set(words["ngheo"]) == {"ngheo2"}  # "nghèo": its letters and the grave tone
    pairs = json.loads((output / "chi-muc/ngu.json").read_text(encoding="utf-8"))["p"]
    assert pairs["nguoi ngheo"]  # "người nghèo" as a phrase


def test_search_documents_describe_documents_and_role_models(tmp_path: Path) -> None:
    from tests.test_profiles_documents import KIND_CONFIG, document, profile
    root = make_site(tmp_path, {"content/van-ban/kh.md": document("417/KH-UBND", "2022-07-18"),
                                "content/dien-hinh/an.md": profile("Lê Thị An", "Cá nhân", 2024)},
                     config=KIND_CONFIG)
    build_at(root)
    files = (root / "output/tim-kiem/bai").glob("*.json")
    found = {doc["u"]: doc for doc in (json.loads(p.read_text(encoding="utf-8")) for p in files)}
    assert found["van-ban/kh/"]["t"] == "Kế hoạch 417/KH-UBND: Trích yếu văn bản"
    assert "Ủy ban nhân dân tỉnh" in found["van-ban/kh/"]["x"]
    assert found["dien-hinh/an/"]["t"] == "Câu chuyện về Lê Thị An"
    assert "Thành tích minh họa" in found["dien-hinh/an/"]["x"]


def test_a_big_site_indexed_in_several_passes_gets_the_same_index(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Bug caught: the passes that keep memory flat on big sites losing, repeating or misfiling words."""
    import sitegen.search as search_module

    files = {f"content/tin-hoat-dong/bai-{n}.md": post(f"Hội nghị {n} ở Đắk R'Lấp", body=f"Thăm hỏi hộ nghèo "
                                                     f"bon Jun Júh lần {n}. Quỹ “Vì người nghèo” năm {2021 + n % 5}.")
             for n in range(30)}

    def index_of(root: Path) -> dict[str, bytes]:
        built = root / "output" / search_module.SEARCH_DIR
        return {p.relative_to(built).as_posix(): p.read_bytes() for p in built.rglob("*") if p.is_file()}

    whole = make_site(tmp_path / "whole", files)
    build_at(whole)
    monkeypatch.setattr(search_module, "POSTINGS_PER_PASS", 40)  # about ten passes for this site
    passes = make_site(tmp_path / "passes", files)
    build_at(passes)
    assert index_of(passes) == index_of(whole)
    assert len(index_of(whole)) > 40
    # The words dealt to the passes wait in scratch files of the build: none may stay behind.
    assert [p.name for p in (passes / ".sitegen-tmp").iterdir() if p.name != "build.lock"] == []
