"""Shared fixtures: the built sample site, Chromium, and the sample site served under a sub-path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser_support import (
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    SiteServer,
    Traffic,
    find_chromium,
    representative_pages,
)
from tests.sitebuilder import build_at, copy_sample_site

SUB_PATH_BASE = "http://127.0.0.1/vi-nguoi-ngheo/"
MISSING_PATH = "khong-co/trang/"
"""A path inside the site that does not exist: the server answers with 404.html."""


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample site, built once; returns the project folder (output/ inside)."""
    root = copy_sample_site(tmp_path_factory.mktemp("sample") / "project")
    build_at(root)
    return root


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """Headless system Chromium, once per session."""
    executable = find_chromium()  # raises with instructions when missing: the tests fail, never skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS),
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The sample site built for the /vi-nguoi-ngheo/ sub-path, served at http://127.0.0.1:<port>/….

    Internal links are relative, so any build works under a sub-path; the base URL's path matters for
    404.html, whose links are root-relative, so this build uses the sub-path the server mounts it at.
    """
    root = copy_sample_site(tmp_path_factory.mktemp("browser-site") / "project")
    build_at(root, base_url=SUB_PATH_BASE)
    with SiteServer(root / "output", tmp_path_factory.mktemp("browser-www")) as server:
        assert server.sub_path == urlsplit(SUB_PATH_BASE).path
        yield server


@pytest.fixture(scope="session")
def site_pages(site_server: SiteServer) -> dict[str, str]:
    """One page of each kind: name → URL on the test server (404 → a missing path)."""
    pages = {name: site_server.url(path) for name, path in representative_pages(site_server.site_dir).items()}
    pages["404"] = site_server.url(MISSING_PATH)
    return pages


@pytest.fixture
def context(chromium_browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no cookies, no cache) per test, desktop-sized."""
    ctx = chromium_browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def traffic() -> Traffic:
    """The requests of the `page` fixture."""
    return Traffic()


@pytest.fixture
def page(context: BrowserContext, traffic: Traffic) -> Page:
    """A page whose requests and responses are recorded in `traffic`."""
    tab = context.new_page()
    traffic.record(tab)
    return tab
