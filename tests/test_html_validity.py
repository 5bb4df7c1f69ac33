"""The built sample site is valid HTML according to the Nu HTML Checker (vnu.jar from `npm ci`).

Needs Java 11+ and `npm ci`; a missing tool fails the test.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser_support import page_file, representative_pages, run_vnu


def test_representative_pages_are_valid_html(sample_site: Path) -> None:
    output = sample_site / "output"
    pages = representative_pages(output)
    files = [page_file(output, path) for path in pages.values()]
    missing = [str(f) for f in files if not f.is_file()]
    assert not missing, f"pages missing from the build: {missing}"

    messages = run_vnu(files, relative_to=output)  # one java run for all pages

    assert not messages, (
        f"The Nu HTML Checker found {len(messages)} error(s) in {len(files)} page(s):\n"
        + "\n".join(f"- {message}" for message in messages)
    )
