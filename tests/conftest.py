"""Shared fixtures: the built sample site (once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuilder import build_at, copy_sample_site

SUB_PATH_BASE = "http://127.0.0.1/vi-nguoi-ngheo/"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample site, built once; returns the project folder (output/ inside)."""
    root = copy_sample_site(tmp_path_factory.mktemp("sample") / "project")
    build_at(root)
    return root
