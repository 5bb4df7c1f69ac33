"""One folding definition: Python (index, documents) and the browser's fold.js give the same answers."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from sitegen.terms import tone_key, words
from sitegen.text import fold
from tests.sitebuilder import REPO

pytestmark = pytest.mark.browser

FOLD_JS = REPO / "templates/static/js/fold.js"

CASES = [
    "Đắk Nông", "ĐẮK NÔNG", "đói", "Ðắk Nông với Ð và ð lạ",  # đ/Đ and the look-alike ð/Ð
    "hoà hòa thuý thúy", "Hoà Bình", "QUÝ", "Thủy Thuỷ",  # old and new tone placement
    unicodedata.normalize("NFD", "Người nghèo được hỗ trợ"), unicodedata.normalize("NFD", "Đắk R'Lấp"),
    "H'Lan", "H’Lan", "Hʼ Lan", "H`Lan", "Y‘Bih", "Đắk R'Lấp", "M'Nông", "Ê Đê",  # apostrophes
    "Bon Jun-Júh", "417/KH-UBND", "07/2021/NĐ-CP", "666/QĐ-TTg", "2021–2025", "a‐b", "a‑b",  # hyphens
    "199.300.000\u00a0đồng", "1,62\u202f%", "a\u2009b\u3000c", "tab\tand\nnew line",  # spaces
    "Ư Ơ ư ơ Ă Â Ê Ô", "🎉🎉 Trao quà", "x²", "Ⅻ", "", "''", "--",
]


@pytest.fixture(scope="module")
def fold_page(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><meta charset=utf-8><title>fold</title>")
    page.add_script_tag(path=str(FOLD_JS))
    try:
        yield page
    finally:
        context.close()


def _in_browser(page: Page, texts: list[str]) -> list[dict]:
    return page.evaluate("""texts => texts.map(t => ({fold: SiteText.fold(t), words: SiteText.words(t),
                                                  tone: SiteText.toneKey(t)}))""", texts)


def test_the_same_table_folds_the_same_in_python_and_in_the_browser(fold_page: Page) -> None:
    browser = _in_browser(fold_page, CASES)
    differences = [(text, {"python": (fold(text), words(text), tone_key(text)), "browser": result})
                   for text, result in zip(CASES, browser, strict=True)
                   if (result["fold"], result["words"], result["tone"]) != (fold(text), words(text), tone_key(text))]
    assert not differences, differences


def test_the_table_says_what_readers_type() -> None:
    assert fold("ĐẮK NÔNG") == fold("Ðắk Nông") == "dak nong"
    assert fold("hoà") == fold("hòa") and tone_key("hoà") == tone_key("hòa")
    assert words("H'Lan") == words("H’Lan") == ["hlan", "h", "lan"]
    assert words("Đắk R'Lấp") == ["dak", "rlap", "r", "lap"]
    assert fold("199.300.000\u00a0đồng") == "199.300.000 dong"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aăâđeêioôơuưyĐÐð AĂÂEÊIOÔƠUƯY'’-\u00a0\u0300\u0301\u0303"
                                                     "\u0309\u0323hklnrt0123")), max_size=12), min_size=1, max_size=8))
def test_random_vietnamese_strings_fold_alike(fold_page: Page, texts: list[str]) -> None:
    browser = _in_browser(fold_page, texts)
    for text, result in zip(texts, browser, strict=True):
        assert (result["fold"], result["words"], result["tone"]) == (fold(text), words(text), tone_key(text)), text
