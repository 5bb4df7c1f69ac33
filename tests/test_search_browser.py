"""Vietnamese search in headless Chromium on a small site whose pages are known word for word."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser_support import SiteServer
from tests.sitebuilder import build_at, make_site, post

pytestmark = pytest.mark.browser

PAGES = {
    "xoa-doi": post("Xóa đói giảm nghèo ở Đắk Nông", "2024-03-01 08:00",
                    body="Chăm lo cho người nghèo để bà con sống hoà thuận, no ấm."),
    "hoa-giai": post("Hòa giải ở cơ sở", "2024-03-02 08:00", body="Tổ hòa giải của thôn họp định kỳ."),
    "bon": post("Bon Jun Júh đón Tết", "2024-03-03 08:00", body="Bà con trong bon vui Tết."),
    "rai-rac": post("Sổ tay công tác", "2024-03-04 08:00",
                    body="Nghèo không phải là số phận; người dân cần được hỗ trợ sinh kế."),
    "hoa-no": post("Mùa hoa nở", "2024-03-05 08:00", body="Hoa cà phê nở trắng đồi."),
    "emoji": post("🎉🎉 Trao quà cho hộ khó khăn", "2024-03-06 08:00", body="Niềm vui 🧧 của bà con."),
    "hlan": post("Chị H'Lan và tổ vay vốn", "2024-03-07 08:00",
                 body="Ở Đắk R'Lấp, chị H’Lan giúp các chị em vay vốn."),
    # Title weight: "khuyến" once in a title beats three times in a body.
    "khuyen-a": post("Khuyến nông ở bon", "2024-03-08 08:00", body="Nội dung ngắn."),
    "khuyen-b": post("Tập huấn kỹ thuật", "2024-03-09 08:00",
                     body="Cán bộ khuyến nông, tổ khuyến nông và sổ tay khuyến nông."),
    # Phrase bonus: "giống cây" once together beats the two words apart, more often.
    "giong-c": post("Phát vật tư", "2024-03-10 08:00", body="Phát giống cây cho các hộ trong thôn."),
    "giong-d": post("Mùa vụ mới", "2024-03-11 08:00", body="Chọn giống lúa, giống bò; trồng cây điều."),
    "dai": post("Hội nghị tổng kết công tác an sinh xã hội, xây dựng nông thôn mới và phong trào thi đua "
                "của các đơn vị trên địa bàn huyện miền núi năm hai nghìn không trăm hai mươi lăm",
                "2024-03-12 08:00",
                body=" ".join(["Các đại biểu thảo luận về sinh kế, việc làm, nhà ở và nước sạch cho đồng bào."] * 6
                              + ["Khép lại hội nghị, ban tổ chức tặng giấy khen cho các tập thể."]
                              + ["Các đại biểu thảo luận về sinh kế, việc làm, nhà ở và nước sạch cho đồng bào."] * 6)),
}


@pytest.fixture(scope="module")
def search_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_site(tmp_path_factory.mktemp("search") / "site",
                     {f"content/tin-hoat-dong/{slug}.md": text for slug, text in PAGES.items()})
    build_at(root)
    with SiteServer(root / "output", tmp_path_factory.mktemp("search-www")) as server:
        yield server.url("tim-kiem/")


@pytest.fixture
def tab(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context(viewport={"width": 390, "height": 800}, locale="vi-VN")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _titles(tab: Page, url: str, query: str) -> list[str]:
    tab.goto(f"{url}?q={query}")
    tab.wait_for_function("() => !document.querySelector('[data-search-status]').textContent.startsWith('Đang')"
                          " && document.querySelector('[data-search-status]').textContent !== ''")
    return tab.locator(".search-result__title a").all_inner_texts()


@pytest.mark.parametrize(("query", "expected"), [
    ("ngheo", {"Xóa đói giảm nghèo ở Đắk Nông", "Sổ tay công tác"}),
    ("dak nong", {"Xóa đói giảm nghèo ở Đắk Nông"}),
    ("doi", {"Xóa đói giảm nghèo ở Đắk Nông", "Mùa hoa nở"}),
    ("hoa", {"Xóa đói giảm nghèo ở Đắk Nông", "Hòa giải ở cơ sở", "Mùa hoa nở"}),
    ("bon jun juh", {"Bon Jun Júh đón Tết"}),
])
def test_toneless_typing_finds_vietnamese_words(tab: Page, search_url: str, query: str, expected: set[str]) -> None:
    assert set(_titles(tab, search_url, query)) == expected


@pytest.mark.parametrize("query", ["hlan", "h'lan", "h lan", "H’Lan", "HLAN"])
def test_names_with_apostrophes_are_found_however_typed(tab: Page, search_url: str, query: str) -> None:
    assert _titles(tab, search_url, query) == ["Chị H'Lan và tổ vay vốn"]


def test_place_names_with_apostrophes_are_found_without_them(tab: Page, search_url: str) -> None:
    assert _titles(tab, search_url, "dak rlap") == ["Chị H'Lan và tổ vay vốn"]


def test_a_word_in_the_title_ranks_above_the_same_word_repeated_in_a_body(tab: Page, search_url: str) -> None:
    assert _titles(tab, search_url, "khuyen") == ["Khuyến nông ở bon", "Tập huấn kỹ thuật"]


def test_words_together_rank_above_the_same_words_apart(tab: Page, search_url: str) -> None:
    assert _titles(tab, search_url, "giống cây") == ["Phát vật tư", "Mùa vụ mới"]


def test_excerpts_are_cut_between_words_and_titles_never(tab: Page, search_url: str) -> None:
    title = PAGES["dai"].split('title: "', 1)[1].split('"', 1)[0]
    body = PAGES["dai"].split("---\n\n", 1)[1].strip()
    assert _titles(tab, search_url, "giay khen") == [title]
    excerpt = tab.locator(".search-result__excerpt").inner_text()
    assert excerpt.startswith("… ") and excerpt.endswith(" …"), excerpt
    shown = excerpt.removeprefix("… ").removesuffix(" …")
    at = body.find(shown)
    assert at > 0, f"the excerpt is not a piece of the text: {shown!r}"
    assert body[at - 1] == " " and body[at + len(shown)] == " ", f"cut inside a word: {shown!r}"
    assert tab.locator(".search-result__excerpt mark").all_inner_texts() == ["giấy", "khen"]


def test_exact_accented_matches_rank_above_folded_ones(tab: Page, search_url: str) -> None:
    titles = _titles(tab, search_url, "hòa")
    assert titles[-1] == "Mùa hoa nở"  # only "hoa" without a tone: a folded match
    assert set(titles[:2]) == {"Hòa giải ở cơ sở", "Xóa đói giảm nghèo ở Đắk Nông"}  # "hòa" and "hoà" alike


def test_phrase_ranks_words_together_first(tab: Page, search_url: str) -> None:
    titles = _titles(tab, search_url, "người nghèo")
    assert titles == ["Xóa đói giảm nghèo ở Đắk Nông", "Sổ tay công tác"]


def test_results_show_section_date_and_highlighted_excerpt(tab: Page, search_url: str) -> None:
    _titles(tab, search_url, "dak nong")
    result = tab.locator(".search-result").first
    assert result.locator(".search-result__meta").inner_text() == "Tin hoạt động · 1/3/2024"
    assert result.locator(".search-result__title mark").all_inner_texts() == ["Đắk", "Nông"]
    assert tab.locator("[data-search-status]").inner_text() == "Tìm thấy 1 kết quả cho “dak nong”."
    result.locator("a").click()
    tab.wait_for_url("**/tin-hoat-dong/xoa-doi/")


def test_query_without_results_says_so(tab: Page, search_url: str) -> None:
    assert _titles(tab, search_url, "thủy điện") == []
    assert tab.locator("[data-search-status]").inner_text().startswith("Không tìm thấy kết quả nào cho “thủy điện”")


def test_header_box_searches_from_any_page(tab: Page, search_url: str) -> None:
    tab.goto(search_url.replace("tim-kiem/", "tin-hoat-dong/bon/"))
    tab.get_by_label("Tìm kiếm trên trang").fill("bon jun juh")
    tab.get_by_label("Tìm kiếm trên trang").press("Enter")
    tab.wait_for_url("**/tim-kiem/?q=bon+jun+juh")
    tab.wait_for_function("() => document.querySelectorAll('.search-result').length > 0")
    assert tab.locator(".search-result__title a").all_inner_texts() == ["Bon Jun Júh đón Tết"]


def test_search_page_without_javascript_points_to_lists(chromium_browser: Browser,
                                                        search_url: str) -> None:
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{search_url}?q=ngheo")
        assert "cần JavaScript" in plain.locator("[data-search-noscript]").inner_text()
        assert plain.get_by_role("link", name="Tin hoạt động").count() >= 1
    finally:
        context.close()


def test_highlight_stays_on_the_word_after_emoji(tab: Page, search_url: str) -> None:
    assert _titles(tab, search_url, "trao qua") == ["🎉🎉 Trao quà cho hộ khó khăn"]
    assert tab.locator(".search-result__title mark").all_inner_texts() == ["Trao", "quà"]
    _titles(tab, search_url, "ba con")
    assert tab.locator(".search-result__excerpt mark").all_inner_texts()[:2] == ["bà", "con"]
