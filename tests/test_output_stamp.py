"""The quick look at output/ (folder and file times kept from the last build) misses no foreign or edited file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import sitegen.output as output_module
from sitegen.errors import BuildFailed, Problem
from tests.sitebuilder import build_at, make_site, post, snapshot

PAGE_FOLDER = "output/tin-hoat-dong/a"


def _errors(root: Path) -> tuple[Problem, ...]:
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    return failure.value.errors


def _site(tmp_path: Path) -> Path:
    return make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A"), "content/tin-hoat-dong/b.md": post("B")})


def _hide_from_folder_times(folder: Path, change: object) -> None:
    """Make a change in `folder` and put the folder's time back, as a file system that keeps none would."""
    before = folder.stat().st_mtime_ns
    change()  # type: ignore[operator]
    os.utime(folder, ns=(before, before))


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folder times are trusted at once (the clock-tick margin is for file systems with coarse times)."""
    monkeypatch.setattr(output_module, "_SETTLE_NS", 0)


def test_a_file_added_in_a_page_folder_after_the_build_is_refused_by_the_next(tmp_path: Path, settled: None) -> None:
    # Bug caught: a quick look that checks only the listed files, not whether a folder gained one.
    root = _site(tmp_path)
    build_at(root)
    time.sleep(0.02)  # past one tick of the file system's clock
    (root / PAGE_FOLDER / "ghi-chu.html").write_text("của tôi", encoding="utf-8")
    errors = _errors(root)
    assert "tin-hoat-dong/a/ghi-chu.html" in errors[0].message


def test_a_same_size_edit_in_output_is_refused_by_the_next_build(tmp_path: Path, settled: None) -> None:
    # Bug caught: a quick look that compares sizes only, or trusts the folder's time for its files.
    root = _site(tmp_path)
    build_at(root)
    page = root / PAGE_FOLDER / "index.html"
    text = page.read_text(encoding="utf-8")
    time.sleep(0.02)
    page.write_text(text.replace("<title>", "<TITLE>", 1), encoding="utf-8")
    errors = _errors(root)
    assert "tin-hoat-dong/a/index.html" in errors[0].message and "sửa tay" in errors[0].message


def test_a_file_deleted_from_output_is_put_back_by_the_next_build(tmp_path: Path, settled: None) -> None:
    # Bug caught: a build that says "nothing changed" while a page is missing from output/.
    root = _site(tmp_path)
    build_at(root)
    (root / PAGE_FOLDER / "index.html").unlink()
    build_at(root)
    assert "Tin A" in (root / PAGE_FOLDER / "index.html").read_text(encoding="utf-8")


def test_a_file_slipped_in_within_the_same_clock_tick_is_still_seen(tmp_path: Path) -> None:
    # Bug caught: trusting a folder time taken too close to the build's end, where a later change can carry
    # the very same time. The folder's time is put back to show such a change.
    root = _site(tmp_path)
    build_at(root)
    folder = root / PAGE_FOLDER
    _hide_from_folder_times(folder, lambda: (folder / "ghi-chu.html").write_text("của tôi", encoding="utf-8"))
    errors = _errors(root)
    assert "tin-hoat-dong/a/ghi-chu.html" in errors[0].message


def test_a_staff_file_where_a_new_page_goes_is_not_overwritten_when_folder_times_lie(tmp_path: Path,
                                                                                       settled: None) -> None:
    # Bug caught: a small rebuild (files moved in one by one) trusting the quick look and overwriting a file
    # it never wrote, on a file system that keeps no folder times.
    root = _site(tmp_path)
    build_at(root)
    section = root / "output/tin-hoat-dong"

    def place() -> None:
        (section / "c").mkdir()
        (section / "c/index.html").write_text("trang của tôi", encoding="utf-8")

    _hide_from_folder_times(section, place)
    (root / "content/tin-hoat-dong/c.md").write_text(post("Tin C"), encoding="utf-8")
    errors = _errors(root)
    assert "tin-hoat-dong/c/index.html" in errors[0].message
    assert (section / "c/index.html").read_text(encoding="utf-8") == "trang của tôi"


def test_a_hidden_staff_file_survives_a_rebuild_that_replaces_all_of_output(tmp_path: Path, settled: None,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # Bug caught: replacing output/ as a whole (and deleting the old one) on the word of the quick look alone.
    monkeypatch.setattr(output_module, "IN_PLACE_LIMIT", 0)  # any change replaces output/ as a whole
    root = _site(tmp_path)
    build_at(root)
    folder = root / PAGE_FOLDER
    _hide_from_folder_times(folder, lambda: (folder / "ghi-chu.html").write_text("của tôi", encoding="utf-8"))
    css = root / "templates/static/css/site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* đổi */\n", encoding="utf-8")  # every page changes
    before = snapshot(root / "output")
    errors = _errors(root)
    assert "tin-hoat-dong/a/ghi-chu.html" in errors[0].message
    assert snapshot(root / "output") == before


def test_a_file_deleted_from_output_and_from_its_source_then_put_back_is_published_again(tmp_path: Path,
                                                                                          settled: None) -> None:
    # Bug caught (found in review): the build after both deletions changed nothing, kept the marker that
    # still listed the file and stamped output/ without it; the next one took it as present and never wrote it.
    root = _site(tmp_path)
    (root / "templates/goc-trang").mkdir()
    (root / "templates/goc-trang/x.txt").write_text("xin chào", encoding="utf-8")
    build_at(root)
    (root / "output/x.txt").unlink()
    (root / "templates/goc-trang/x.txt").unlink()
    build_at(root)
    (root / "templates/goc-trang/x.txt").write_text("xin chào", encoding="utf-8")
    build_at(root)
    assert (root / "output/x.txt").read_text(encoding="utf-8") == "xin chào"


def test_a_link_out_of_the_project_where_a_new_page_goes_is_never_written_through(tmp_path: Path,
                                                                                  settled: None) -> None:
    # Bug caught (found in review): a small rebuild checked only the new page's own name, so a link standing
    # for its folder, hidden from folder times, had the page written outside the project.
    root = _site(tmp_path / "site")
    outside = tmp_path / "ngoai"
    outside.mkdir()
    build_at(root)
    section = root / "output/tin-hoat-dong"
    _hide_from_folder_times(section, lambda: (section / "c").symlink_to(outside, target_is_directory=True))
    (root / "content/tin-hoat-dong/c.md").write_text(post("Tin C"), encoding="utf-8")
    errors = _errors(root)
    assert "tin-hoat-dong/c" in errors[0].message
    assert not any(outside.iterdir())
