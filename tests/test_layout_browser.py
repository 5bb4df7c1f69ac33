"""The sample site as a reader on a cheap phone, a desktop and paper sees it, in headless Chromium.

Layout checks run twice: with the fonts the machine has, and with every letter spaced wider (as a
wider system font would be), so that passing does not depend on one font's metrics.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser_support import TIMEOUT_MS, SiteServer, goto_ok
from tests.sitebuilder import build_at, jpeg, make_site, post

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
WIDER_FONT = ("html, body, input, button, select, textarea, svg text { letter-spacing: 0.06em !important;"
              " word-spacing: 0.12em !important; }")
"""Text about a tenth wider than with the installed fonts, whatever they are."""

PAGE_KINDS = ("home", "section", "section-page-2", "tag", "tags", "year", "archive", "gallery", "gallery-filtered",
              "documents", "post-table-footnotes", "gioi-thieu", "profile", "document", "results", "report",
              "search-results", "404")


@pytest.fixture
def phone(chromium_browser: Browser) -> Iterator[BrowserContext]:
    ctx = chromium_browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                       locale="vi-VN")
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


def _open(page: Page, site_pages: dict[str, str], kind: str, wider: bool) -> None:
    if kind == "search-results":
        goto_ok(page, site_pages["search"] + "?q=ngheo")
        page.wait_for_selector(".search-result")
    elif kind == "404":
        response = page.goto(site_pages["404"])
        assert response is not None and response.status == 404
    else:
        goto_ok(page, site_pages[kind])
    if wider:
        page.add_style_tag(content=WIDER_FONT)


@pytest.mark.parametrize("wider", [False, True], ids=["fonts", "wider-fonts"])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_fits_a_320px_screen_with_its_title_on_the_first_screen(
        phone: BrowserContext, site_pages: dict[str, str], kind: str, wider: bool) -> None:
    page = phone.new_page()
    _open(page, site_pages, kind, wider)
    sizes = page.evaluate("""() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        h1: document.querySelector('h1').getBoundingClientRect().top + window.scrollY,
        wide: [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.closest('.visually-hidden, .skip-link, .table-wrap'))
            .slice(0, 6).map(e => e.tagName.toLowerCase() + '.' + String(e.className).trim().replace(/\\s+/g, '.')
                               + ' → ' + Math.round(e.getBoundingClientRect().right)),
    })""")
    assert sizes["innerWidth"] == 320, sizes
    assert sizes["scrollWidth"] <= 320, f"{kind} scrolls sideways at 320 px: {sizes}"
    assert sizes["h1"] < 640, f"{kind}: the page title starts at {sizes['h1']:.0f} px, below the first screen"


def _menu_links_shown(page: Page) -> list[bool]:
    return page.locator('nav[aria-label="Menu chính"] a').evaluate_all(
        "links => links.map(a => { const r = a.getBoundingClientRect();"
        " return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5; })")


def test_phone_menu_folds_behind_a_button_that_the_keyboard_opens_and_closes(
        phone: BrowserContext, site_pages: dict[str, str]) -> None:
    page = phone.new_page()
    goto_ok(page, site_pages["post-table-footnotes"])
    button = page.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-expanded") == "false"
    assert not any(_menu_links_shown(page)), "the menu should be folded on a phone"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    shown = _menu_links_shown(page)
    assert shown and all(shown), f"after Enter every menu link should be on screen: {shown}"
    page.keyboard.press("Tab")  # into the menu
    assert page.evaluate("() => !!document.activeElement.closest('nav[aria-label=\"Menu chính\"]')")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.hasAttribute('data-menu-toggle')"), "focus returns to button"
    assert not any(_menu_links_shown(page))
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true" and all(_menu_links_shown(page))
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "false"


def test_menu_is_reachable_without_javascript_and_open_on_a_desktop(
        chromium_browser: Browser, context: BrowserContext, site_pages: dict[str, str]) -> None:
    plain = chromium_browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = plain.new_page()
        goto_ok(page, site_pages["home"])
        shown = _menu_links_shown(page)
        assert shown and all(shown), "without JavaScript the phone menu must stay open"
    finally:
        plain.close()
    desktop = context.new_page()
    goto_ok(desktop, site_pages["home"])
    assert all(_menu_links_shown(desktop))
    assert not desktop.get_by_role("button", name="Menu").is_visible()


# Each chunk between ordinary spaces must sit on one line: "199.300.000 đồng" is bound by a
# non-breaking space, so it is one chunk; a break inside it ("đồn|g") gives two line boxes.
WORDS_ON_ONE_LINE = """(elements, inCard) => elements.flatMap(element => {
    const broken = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        let offset = 0;
        for (const chunk of node.data.split(' ')) {
            if (chunk.trim()) {
                const range = document.createRange();
                range.setStart(node, offset);
                range.setEnd(node, offset + chunk.length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(chunk);
            }
            offset += chunk.length + 1;
        }
    }
    if (inCard && element.getBoundingClientRect().right > element.closest('li').getBoundingClientRect().right + 0.5) {
        broken.push('overflows its card: ' + element.textContent);
    }
    return broken;
})"""


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("wider", [False, True], ids=["fonts", "wider-fonts"])
def test_figures_never_break_inside_a_word(chromium_browser: Browser, site_pages: dict[str, str], width: int,
                                          wider: bool) -> None:
    ctx = chromium_browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = ctx.new_page()
        for kind, selector in (("home", ".key-figures__value"), ("results", ".target-card__achieved")):
            _open(page, site_pages, kind, wider)
            assert page.locator(selector).count() >= 3, f"no key figures on {kind}"
            broken = page.locator(selector).evaluate_all(WORDS_ON_ONE_LINE, True)
            assert not broken, f"{kind} at {width} px breaks figures inside a word: {broken}"
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_chart_text_is_at_least_12px_and_tables_stay_beside_charts(
        chromium_browser: Browser, site_pages: dict[str, str], width: int) -> None:
    ctx = chromium_browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = ctx.new_page()
        goto_ok(page, site_pages["results"])
        sizes = page.locator(".chart text").evaluate_all(
            "texts => texts.map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a])")
        assert len(sizes) > 20, sizes
        small = [(label, round(size, 1)) for label, size in sizes if size < 12]
        assert not small, f"chart text smaller than 12 px at {width} px: {small}"
        overlapping = page.locator(".chart__plot").evaluate_all("""plots => plots.flatMap(plot => {
            const labels = [...plot.querySelectorAll('.chart__label')].map(t => t.getBoundingClientRect());
            return labels.slice(1).filter((box, i) => box.left < labels[i].right).map(() => plot.id);
        })""")
        assert not overlapping, f"year labels overlap at {width} px"
        for figure in page.locator("figure.chart-figure").all():
            table = figure.locator("xpath=following-sibling::div[contains(@class, 'table-wrap')][1]//table")
            assert table.count() == 1, "every chart keeps its table of figures"
    finally:
        ctx.close()


def test_documents_are_cards_on_a_phone_with_the_same_filters(phone: BrowserContext,
                                                              site_pages: dict[str, str]) -> None:
    page = phone.new_page()
    goto_ok(page, site_pages["documents"])
    cards = page.locator("table.doc-table tbody tr")
    assert cards.count() == 3
    for index in range(cards.count()):
        card = cards.nth(index)
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320.5, box
        for part in (".doc-table__number", ".doc-table__date", ".doc-table__type", ".doc-table__title",
                     ".doc-table__issuer"):
            cell = card.locator(part)
            cell_box = cell.bounding_box()
            assert cell.is_visible() and cell_box and cell_box["x"] + cell_box["width"] <= 320.5, (part, cell_box)
        title_box = card.locator(".doc-table__title").bounding_box()
        assert title_box["width"] > 200, f"the trích yếu is squeezed into {title_box['width']} px"
        filled = page.evaluate("""(row) => {
            const r = row.getBoundingClientRect();
            const text = [...row.children].reduce((h, c) => h + c.getBoundingClientRect().height, 0);
            return text / r.height; }""", card.element_handle())
        assert filled > 0.6, f"card {index} is mostly empty ({filled:.0%} text)"
    table = page.get_by_role("table")
    assert table.count() == 1, "the cards keep the table's meaning for screen readers"
    assert table.get_by_role("row").count() == 3 and table.get_by_role("rowheader").count() == 3
    assert table.get_by_role("cell").count() == 3 * 5
    page.get_by_label("Loại văn bản").select_option("Quyết định")
    assert page.locator("table.doc-table tbody tr:not([hidden]) th").all_inner_texts() == ["666/QĐ-TTg"]


LINE_COUNT = """(cell => { const range = document.createRange(); range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom))).size; })"""
"""How many lines of text an element's content takes."""

SCROLL_STATE = """(wrap) => {
    const first = wrap.querySelector('tbody tr > :first-child');
    const before = first.getBoundingClientRect().left;
    wrap.scrollLeft = wrap.scrollWidth;
    return {scrolls: wrap.scrollWidth > wrap.clientWidth, moved: wrap.scrollLeft,
            firstLeft: first.getBoundingClientRect().left - wrap.getBoundingClientRect().left,
            before: before - wrap.getBoundingClientRect().left};
}"""


@pytest.mark.parametrize(("kind", "caption"), [
    ("results", "Hộ nghèo qua các năm"),
    ("results", "Mục tiêu và kết quả đạt được"),
    ("post-table-footnotes", None),
])
def test_data_tables_scroll_in_their_own_region_keeping_the_first_column_and_whole_words(
        phone: BrowserContext, site_pages: dict[str, str], kind: str, caption: str | None) -> None:
    page = phone.new_page()
    goto_ok(page, site_pages[kind])
    table = (page.locator("table", has=page.locator(f"caption:text-is('{caption}')")) if caption
             else page.locator(".prose table").first)
    assert table.count() == 1
    wrap = table.locator("xpath=ancestor::div[contains(@class, 'table-wrap')][1]")
    assert wrap.get_attribute("role") == "region" and wrap.get_attribute("tabindex") == "0"
    state = wrap.evaluate(SCROLL_STATE)
    if state["scrolls"]:
        assert state["moved"] > 0
        assert abs(state["firstLeft"] - state["before"]) <= 1.5, f"the first column scrolled away: {state}"
    one_word_lines = table.locator("td, th").evaluate_all("""cells => cells.filter(cell => {
        const words = cell.textContent.trim().split(/ +/).filter(w => w.length > 1);
        if (words.length < 4) return false;
        return LINES(cell) >= words.length;
    }).map(cell => cell.textContent.trim())""".replace("LINES", LINE_COUNT))
    assert not one_word_lines, f"cells with one word on each line: {one_word_lines}"
    broken = table.locator("td, th").evaluate_all(WORDS_ON_ONE_LINE, False)
    assert not broken, f"words broken inside table cells: {broken}"


CLS_OBSERVER = """(() => {
    window.__shift = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
})()"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["desktop", "phone"])
def test_search_results_arrive_without_moving_the_page(chromium_browser: Browser, site_pages: dict[str, str],
                                                       viewport: dict[str, int]) -> None:
    ctx = chromium_browser.new_context(viewport=viewport)
    try:
        page = ctx.new_page()
        page.add_init_script(CLS_OBSERVER)
        goto_ok(page, site_pages["search"] + "?q=ngheo")
        page.wait_for_selector(".search-result")
        page.wait_for_timeout(500)
        shift = page.evaluate("() => window.__shift")
        assert shift <= 0.05, f"cumulative layout shift {shift:.3f} when search results appear"
    finally:
        ctx.close()


def test_one_query_requests_its_shards_together(page: Page, site_pages: dict[str, str]) -> None:
    page.add_init_script("""(() => {
        window.__fetches = [];
        const original = window.fetch;
        window.fetch = (url, options) => {
            const record = {url: String(url), start: performance.now(), end: null};
            window.__fetches.push(record);
            return original(url, options).then(r => { record.end = performance.now(); return r; });
        };
    })()""")
    goto_ok(page, site_pages["search"] + "?q=" + "xa hoi nguoi ngheo dak nong")
    page.wait_for_selector(".search-result")
    fetches = page.evaluate("() => window.__fetches")
    shards = [f for f in fetches if "/chi-muc/" in f["url"]]
    assert len(shards) >= 3, fetches
    first_answer = min(f["end"] for f in shards)
    late = [f["url"] for f in shards if f["start"] > first_answer]
    assert not late, f"shards asked for one after another: {late}"


def test_a_failed_search_request_is_tried_again_on_the_next_query(page: Page, site_pages: dict[str, str]) -> None:
    refused: list[str] = []

    def flaky(route) -> None:
        if not refused:
            refused.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route(re.compile(r".*/chi-muc/ngh\.json.*"), flaky)
    goto_ok(page, site_pages["search"] + "?q=ngheo")
    status = page.locator("[data-search-status]")
    page.wait_for_function("() => document.querySelector('[data-search-status]').textContent.startsWith('Không tải')")
    assert refused and page.locator(".search-result").count() == 0
    page.get_by_label(re.compile("Từ khóa")).fill("nghèo")
    page.get_by_role("button", name="Tìm", exact=True).last.click()
    page.wait_for_selector(".search-result")
    assert status.inner_text().startswith("Tìm thấy")


# --- photos and print -------------------------------------------------------------------


BODY = " ".join(["Đoàn công tác thăm hỏi, tặng quà các hộ khó khăn và trao đổi về sinh kế."] * 10)


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A short news post with a portrait phone photo, and one whose first photo is in its body."""
    root = make_site(tmp_path_factory.mktemp("photo") / "site", {
        "content/tin-hoat-dong/trao-qua.md": post(
            "Trao quà cho hộ nghèo", body=BODY, image='"Ảnh trao quà 1.jpg"', image_alt='"Trao quà"',
            summary='"Tin ngắn có ảnh dọc."'),
        "content/tin-hoat-dong/Ảnh trao quà 1.jpg": jpeg(1200, 1600),
        "content/tin-hoat-dong/anh-than.md": post(
            "Ảnh trong thân bài", body="Mở đầu.\n\n![Ảnh một](mot.jpg)\n\nGiữa.\n\n![Ảnh hai](hai.jpg)\n"),
        "content/tin-hoat-dong/mot.jpg": jpeg(1200, 800),
        "content/tin-hoat-dong/hai.jpg": jpeg(1200, 800, (30, 90, 160)),
    })
    build_at(root)
    with SiteServer(root / "output", tmp_path_factory.mktemp("photo-www")) as server:
        yield server


def test_a_portrait_photo_never_fills_more_than_three_quarters_of_the_screen(
        context: BrowserContext, photo_site: SiteServer) -> None:
    page = context.new_page()
    goto_ok(page, photo_site.url("tin-hoat-dong/trao-qua/"))
    image = page.locator(".post__image img")
    box = image.bounding_box()
    assert box is not None and box["height"] <= 0.76 * 800, box
    natural = image.evaluate("img => img.naturalWidth / img.naturalHeight")
    assert abs(box["width"] / box["height"] - natural) < 0.02, "the photo is stretched"
    assert image.get_attribute("fetchpriority") == "high" and image.get_attribute("loading") is None


def test_a_post_without_a_main_photo_loads_its_first_picture_at_once(context: BrowserContext,
                                                                     photo_site: SiteServer) -> None:
    page = context.new_page()
    goto_ok(page, photo_site.url("tin-hoat-dong/anh-than/"))
    images = page.locator(".prose img")
    assert images.count() == 2
    assert images.nth(0).get_attribute("fetchpriority") == "high" and images.nth(0).get_attribute("loading") is None
    assert images.nth(1).get_attribute("loading") == "lazy"


def _pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext, installed by .ci/run)."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout
    return text.rstrip("\f").split("\f")


def test_a_short_post_prints_on_few_pages_with_its_photo_at_most_half_a_page(
        context: BrowserContext, photo_site: SiteServer, tmp_path: Path) -> None:
    page = context.new_page()
    goto_ok(page, photo_site.url("tin-hoat-dong/trao-qua/"))
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 673, "height": 987})  # A4 inside 18 mm × 16 mm margins, in CSS px
    height = page.locator(".post__image img").bounding_box()["height"]
    assert height <= 987 / 2, f"the photo prints {height:.0f} px high, over half a page"
    pages = _pdf_pages(page.pdf(format="A4"), tmp_path)
    assert len(pages) <= 2, f"a short post prints on {len(pages)} pages"
    assert all(p.strip() for p in pages), "an empty page was printed"


def test_a_report_prints_its_first_section_on_its_first_page(page: Page, site_pages: dict[str, str],
                                                             tmp_path: Path) -> None:
    goto_ok(page, site_pages["report"])
    pages = _pdf_pages(page.pdf(format="A4"), tmp_path)
    first = " ".join(pages[0].split())
    assert "I. Kết quả thực hiện các mục tiêu" in first
    assert "Tỷ lệ hộ nghèo giảm bình quân" in first, f"the first page carries no figures: {first[-300:]}"
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 673, "height": 987})
    headers = "thead th"
    assert not page.locator(headers).evaluate_all(WORDS_ON_ONE_LINE, False)
    squeezed = page.locator(headers).evaluate_all("""cells => cells.filter(cell => {
        const words = cell.textContent.trim().split(/ +/);
        return words.length >= 3 && LINES(cell) >= words.length;
    }).map(cell => cell.textContent.trim())""".replace("LINES", LINE_COUNT))
    assert not squeezed, f"table headers printed one word per line: {squeezed}"
