"""Shared fixtures: the built sample site (once per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser_support import CHROMIUM_ARGS, find_chromium
from tests.sitebuilder import build_at, copy_sample_site

SUB_PATH_BASE = "http://127.0.0.1/vi-nguoi-ngheo/"


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
