"""The built sample site in headless Chromium, served under a portal sub-path (/vi-nguoi-ngheo/).

Needs Chromium (or CHROMIUM_PATH) and `npm ci` (axe-core); a missing tool fails the tests.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser_support import SiteServer, Traffic, axe_script, goto_ok

pytestmark = pytest.mark.browser

MENU = 'nav[aria-label="Menu chính"]'
MISSING_PATH = "khong-co/trang/"
"""A path inside the site that does not exist: the server answers with 404.html (also in conftest)."""

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_PAGES = ("home", "section", "section-page-2", "post-table-footnotes", "gioi-thieu", "results", "report",
             "gallery", "gallery-filtered", "profile", "documents", "document", "search",
             "tags", "tag", "year", "404")
"""Keys of representative_pages() that axe checks."""


def assert_stylesheet_applied(page: Page, traffic: Traffic) -> None:
    """The site's stylesheet was fetched with 200 and its rules are in effect."""
    statuses = traffic.status_of(r"/static/css/[^/]+\.css$")
    assert statuses, f"the page did not request the stylesheet; requests: {traffic.requests}"
    assert all(status == 200 for status in statuses), f"stylesheet answered {statuses}"
    styles = page.evaluate("""() => {
        const sheets = [...document.styleSheets].filter(s => s.href && s.href.includes('/static/css/'));
        const header = document.querySelector('header.site-header');
        return {
            rules: sheets.reduce((n, s) => n + s.cssRules.length, 0),
            headerBackground: header ? getComputedStyle(header).backgroundColor : null,
            bodyMargin: getComputedStyle(document.body).marginTop,
        };
    }""")
    assert styles["rules"] > 0, f"the stylesheet has no rules in the page: {styles}"
    assert styles["headerBackground"] not in (None, "rgba(0, 0, 0, 0)", "transparent"), (
        f"the site header has the browser's default (transparent) background: {styles}"
    )
    assert styles["bodyMargin"] != "8px", f"body keeps the browser's default 8px margin: {styles}"


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    target {node['target']}: {' '.join(node['summary'].split())[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more element(s)")
    return "\n".join(lines)


AXE_RUN = """async (tags) => {
    const results = await axe.run(document, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || n.html})),
    }));
}"""


# --- a reader's path --------------------------------------------------------------------


def test_reader_follows_menu_to_a_post(page: Page, traffic: Traffic, site_server: SiteServer) -> None:
    base = site_server.base_url
    goto_ok(page, base)

    page.locator(MENU).get_by_role("link", name="Tin hoạt động", exact=True).click()
    page.wait_for_url(base + "tin-hoat-dong/")
    assert page.locator("h1").inner_text().strip() == "Tin hoạt động"

    first = page.locator("main .card__title a").first
    title = first.inner_text().strip()
    assert title, "the first post in Tin hoạt động has an empty title link"
    first.click()
    page.wait_for_url(re.compile(re.escape(base) + r"tin-hoat-dong/[a-z0-9-]+/$"))
    assert re.fullmatch(re.escape(base) + r"tin-hoat-dong/(?!trang-\d)[a-z0-9-]+/", page.url), page.url
    assert page.locator("h1").count() == 1, "a post page should have exactly one h1"
    assert page.locator("h1").inner_text().strip() == title
    assert_stylesheet_applied(page, traffic)

    crumbs = page.locator("nav.breadcrumbs")
    back = crumbs.get_by_role("link", name="Tin hoạt động", exact=True)
    assert back.count() == 1, f"breadcrumbs do not link to the section: {crumbs.inner_html()}"
    back.click()
    page.wait_for_url(base + "tin-hoat-dong/")
    assert page.locator("h1").inner_text().strip() == "Tin hoạt động"


def test_pages_make_only_local_requests_that_succeed(
    page: Page, traffic: Traffic, site_server: SiteServer, site_pages: dict[str, str]
) -> None:
    for name in ("home", "section", "post-table-footnotes", "tag", "year", "gioi-thieu"):
        # networkidle: let late loads (the favicon) finish before leaving, or they show as aborted
        goto_ok(page, site_pages[name], wait_until="networkidle")

    assert traffic.requests, "no requests were recorded"
    foreign = [url for url in traffic.requests
               if urlsplit(url).hostname != "127.0.0.1" or urlsplit(url).port != site_server.port]
    assert not foreign, "pages requested something other than the local server:\n" + "\n".join(foreign)
    errors = [f"{status} {url}" for status, url in traffic.responses if status >= 400]
    assert not errors, "requests failed:\n" + "\n".join(errors)
    assert not traffic.failures, "requests did not complete:\n" + "\n".join(traffic.failures)


# --- accessibility ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", AXE_PAGES)
def test_axe_finds_no_wcag_violations(page: Page, site_pages: dict[str, str], kind: str) -> None:
    url = site_pages[kind]
    response = page.goto(url, wait_until="load")
    assert response is not None
    assert response.status == (404 if kind == "404" else 200), f"{url} answered {response.status}"
    page.add_script_tag(path=str(axe_script()))
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    assert not violations, format_violations(url, violations)


def test_first_tab_focuses_skip_link_and_enter_moves_to_main(page: Page, site_pages: dict[str, str]) -> None:
    goto_ok(page, site_pages["post-table-footnotes"])
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const e = document.activeElement;
        const box = e.getBoundingClientRect();
        return {tag: e.tagName, text: e.textContent.trim(), href: e.getAttribute('href'),
                top: box.top, bottom: box.bottom};
    }""")
    assert focused["tag"] == "A" and focused["text"].startswith("Bỏ qua menu"), (
        f"the first Tab should focus the skip link, focused: {focused}"
    )
    assert focused["href"] == "#noi-dung", focused
    assert focused["top"] >= 0 and focused["bottom"] > focused["top"], (
        f"the focused skip link is not on screen: {focused}"
    )

    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.tagName === 'MAIN'"
        " && document.activeElement.id === 'noi-dung'",
        timeout=3_000,
    )
    assert page.url.endswith("#noi-dung")


@pytest.mark.parametrize("kind", ["gioi-thieu", "post-table-footnotes"])
def test_table_of_contents_links_reach_their_headings(page: Page, site_pages: dict[str, str], kind: str) -> None:
    """Each ToC link's target (the first element with that id, as the browser resolves it) is its heading."""
    goto_ok(page, site_pages[kind])
    wrong = page.evaluate("""() => [...document.querySelectorAll('nav.toc a[href^="#"]')].flatMap(a => {
        const target = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
        const ok = target && /^H[2-6]$/.test(target.tagName)
                   && target.textContent.trim() === a.textContent.trim();
        return ok ? [] : [`${a.getAttribute('href')} (${a.textContent.trim()}) → `
                          + (target ? `<${target.tagName.toLowerCase()} class="${target.className}">`
                                    : 'nothing')];
    })""")
    assert page.locator("nav.toc a").count() > 0, f"{site_pages[kind]} has no table of contents"
    assert not wrong, (
        f"table-of-contents links on {site_pages[kind]} do not lead to their headings: {wrong}"
    )


# --- 404 and print ----------------------------------------------------------------------


def test_missing_page_under_sub_path_shows_working_404(
    page: Page, traffic: Traffic, site_server: SiteServer
) -> None:
    url = site_server.url(MISSING_PATH)
    response = page.goto(url, wait_until="load")
    assert response is not None
    assert response.status == 404, f"{url} answered {response.status}"
    assert "Không tìm thấy" in page.locator("h1").inner_text()
    assert_stylesheet_applied(page, traffic)
    broken = [f"{status} {u}" for status, u in traffic.responses if status >= 400 and u != url]
    assert not broken, "the 404 page's own resources failed:\n" + "\n".join(broken)

    home = page.locator("main").get_by_role("link", name=re.compile(r"trang chủ", re.IGNORECASE))
    assert home.count() == 1, f"the 404 page has {home.count()} 'trang chủ' links in main"
    home.click()
    page.wait_for_url(site_server.base_url)
    assert page.locator(MENU).count() == 1
    assert page.title(), "the home page reached from the 404 page has no title"


def test_print_hides_main_menu(page: Page, site_pages: dict[str, str]) -> None:
    goto_ok(page, site_pages["post-table-footnotes"])
    menu = page.locator(MENU)
    assert menu.is_visible(), "the main menu should be visible on screen"
    page.emulate_media(media="print")
    assert menu.is_hidden(), "the main menu should be hidden when printing"
    assert page.locator("main h1").is_visible(), "the article title should still print"



# --- results ----------------------------------------------------------------------------


def test_results_tables_and_charts_read_in_order(page: Page, site_pages: dict[str, str]) -> None:
    goto_ok(page, site_pages["results"])
    table = page.get_by_role("table", name="Hộ nghèo qua các năm")
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert headers[:4] == ["Năm", "Tổng số hộ", "Hộ nghèo", "Tỷ lệ hộ nghèo"], headers
    years = table.get_by_role("rowheader").all_inner_texts()
    assert years == sorted(years) and years[0] == "2021", years
    first_row = table.get_by_role("row").nth(1).get_by_role("cell").all_inner_texts()
    assert first_row[2].endswith("%") and "," in first_row[2], first_row
    chart = page.get_by_role("img", name="Tỷ lệ hộ nghèo qua các năm so với lộ trình mục tiêu")
    assert chart.count() == 1 and chart.is_visible()
    statuses = page.locator(".target-card .status").all_inner_texts()
    assert statuses and set(statuses) <= {"Đạt", "Chưa đạt", "Đang thực hiện", "Chưa có số liệu"}, statuses
    link = page.get_by_role("link", name="Hộ nghèo theo năm (CSV)")
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename == "ho-ngheo.csv"


def test_report_prints_on_a4_without_site_chrome(page: Page, site_pages: dict[str, str]) -> None:
    goto_ok(page, site_pages["report"])
    page.emulate_media(media="print")
    assert not page.locator(MENU).is_visible()
    assert not page.locator("nav.breadcrumbs").is_visible()
    assert page.get_by_role("heading", level=1).inner_text().upper().startswith("BÁO CÁO")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


# --- role models and documents ----------------------------------------------------------


def _visible_names(page: Page) -> list[str]:
    return [name for name, shown in page.locator(".gallery__item").evaluate_all(
        "items => items.map(i => [i.querySelector('.profile-card__name').textContent, !i.hidden])") if shown]


def test_gallery_filters_in_place_and_as_links(page: Page, site_pages: dict[str, str],
                                              chromium_browser: Browser) -> None:
    goto_ok(page, site_pages["gallery"])
    everyone = _visible_names(page)
    page.locator("nav.filters").get_by_role("link", name="Tập thể").click()
    collectives = _visible_names(page)
    assert collectives and len(collectives) < len(everyone)
    assert page.locator("[data-gallery-status]").inner_text().startswith(f"{len(collectives)} điển hình")
    assert page.url.endswith("/dien-hinh/#kind-tap-the")
    page.locator(".gallery__item:not([hidden]) .profile-card__name a").first.click()  # links still lead home
    page.wait_for_url("**/dien-hinh/*/")
    assert page.locator("h1").inner_text() == collectives[0]
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('.gallery__item[hidden]').length > 0")
    assert _visible_names(page) == collectives  # the choice survives going back
    page.locator("nav.filters").get_by_role("link", name="Tất cả").click()
    assert _visible_names(page) == everyone
    no_script = chromium_browser.new_context(java_script_enabled=False)
    try:
        plain = no_script.new_page()
        goto_ok(plain, site_pages["gallery"])
        plain.locator("nav.filters").get_by_role("link", name="Tập thể").click()
        plain.wait_for_url("**/dien-hinh/loai/tap-the/")
        assert _visible_names(plain) == collectives
    finally:
        no_script.close()


@pytest.mark.parametrize(("query", "expected"), [
    ("ke hoach 417", ["417/KH-UBND"]),
    ("666", ["666/QĐ-TTg"]),
    ("THỦ TƯỚNG", ["666/QĐ-TTg"]),
    ("dak nong", ["01/KH-TTr", "417/KH-UBND"]),
    ("không có văn bản này", []),
])
def test_documents_search_ignores_tones(page: Page, site_pages: dict[str, str], query: str,
                                        expected: list[str]) -> None:
    goto_ok(page, site_pages["documents"])
    page.get_by_label("Tìm theo số, ký hiệu, trích yếu").fill(query)
    rows = page.locator("table.doc-table tbody tr:not([hidden]) th")
    assert sorted(rows.all_inner_texts()) == sorted(expected)
    status = page.locator("[data-doc-status]").inner_text()
    assert status == (f"{len(expected)} văn bản" if expected else "Không có văn bản nào khớp")


def test_documents_filter_and_sort(page: Page, site_pages: dict[str, str], chromium_browser: Browser) -> None:
    goto_ok(page, site_pages["documents"])
    page.get_by_label("Loại văn bản").select_option("Quyết định")
    assert page.locator("table.doc-table tbody tr:not([hidden]) th").all_inner_texts() == ["666/QĐ-TTg"]
    page.get_by_label("Loại văn bản").select_option("")
    page.get_by_role("button", name="Ngày ban hành").click()
    dates = page.locator("table.doc-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.date)")
    assert dates == sorted(dates)
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    no_script = chromium_browser.new_context(java_script_enabled=False)
    try:
        plain = no_script.new_page()
        goto_ok(plain, site_pages["documents"])
        assert not plain.locator("form[data-doc-filters]").is_visible()
        assert plain.locator("table.doc-table tbody tr").count() == 3
    finally:
        no_script.close()


def test_search_results_page_is_accessible(page: Page, site_pages: dict[str, str]) -> None:
    goto_ok(page, site_pages["search"] + "?q=ngheo")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length > 0")
    page.add_script_tag(path=str(axe_script()))
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    assert not violations, format_violations(site_pages["search"], violations)


def test_copy_link_button_copies_the_address(chromium_browser: Browser, site_pages: dict[str, str]) -> None:
    context = chromium_browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        tab = context.new_page()
        goto_ok(tab, site_pages["post-table-footnotes"])
        tab.get_by_role("button", name="Zalo, Messenger…").click()  # no share sheet here: it copies
        expect(tab.locator("[data-share-status]")).to_contain_text("Mở Zalo")
        tab.get_by_role("button", name="Sao chép liên kết").click()
        expect(tab.locator("[data-share-status]")).to_have_text("Đã sao chép liên kết.")
        copied = tab.evaluate("() => navigator.clipboard.readText()")
        assert copied == tab.locator("#share-address").input_value()
        assert copied.startswith("http://127.0.0.1/vi-nguoi-ngheo/")
    finally:
        context.close()
