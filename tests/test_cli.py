"""The command staff run: Vietnamese help and summaries, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.sitebuilder import REPO, jpeg, make_site, post, run_cli


def test_help_is_in_vietnamese(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for words in ("Cách dùng:", "các lệnh", "dựng toàn bộ trang vào output/", "hiện hướng dẫn này rồi thoát"):
        assert words in text
    assert "usage:" not in result.stdout and "show this help" not in result.stdout


def test_build_help_explains_its_options(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "build", "--help")
    assert result.returncode == 0
    for option in ("--drafts", "--future", "--base-url", "--output"):
        assert option in result.stdout
    assert "output/ giữ nguyên bản cũ" in " ".join(result.stdout.split())


def test_build_prints_a_short_vietnamese_summary(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", image="anh.jpg"),
                                "content/tin-hoat-dong/anh.jpg": jpeg(),
                                "content/tin-hoat-dong/nhap.md": post("Nháp", draft="true")})
    result = run_cli(root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Đã dựng xong ") and " trang (" in lines[0] and "giây." in lines[0]
    assert "Chưa đăng 1 bài nháp hoặc hẹn giờ" in result.stdout
    assert "Cảnh báo (1):" in result.stdout
    assert "content/tin-hoat-dong/x.md:4: ảnh chưa có mô tả" in result.stdout
    assert (root / "output/index.html").is_file()


def test_unknown_option_is_explained_in_vietnamese(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--nhap")
    assert result.returncode == 2
    assert "không hiểu tham số: --nhap" in result.stderr


def test_bad_base_url_option_is_refused(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    result = run_cli(root, "--base-url", "cong-thong-tin/vi-nguoi-ngheo")
    assert result.returncode == 2
    assert "không phải địa chỉ web đầy đủ" in result.stderr
    assert not (root / "output").exists()


def test_missing_project_files_are_explained(tmp_path: Path) -> None:
    result = run_cli(tmp_path)
    assert result.returncode == 1
    assert "không tìm thấy tệp cấu hình site_data.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_summary_says_what_a_rebuild_changed(tmp_path: Path) -> None:
    """Bug caught: staff cannot tell whether their edit reached output/ (or a no-op build rewrote everything)."""
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin một"),
                                "content/tin-hoat-dong/y.md": post("Tin hai")})
    assert run_cli(root).returncode == 0
    again = run_cli(root)
    assert "Không có gì thay đổi so với lần dựng trước." in again.stdout, again.stdout
    (root / "content/tin-hoat-dong/x.md").write_text(post("Tin một", body="Đoạn đã sửa."), encoding="utf-8")
    edited = run_cli(root)
    assert "Thay đổi:" in edited.stdout and "tệp sửa" in edited.stdout, edited.stdout
    assert "Đoạn đã sửa." in (root / "output/tin-hoat-dong/x/index.html").read_text(encoding="utf-8")


def test_clean_build_ignores_a_damaged_cache(tmp_path: Path) -> None:
    """Bug caught: a corrupt .cache/ (disk full, copied from another machine) breaks the build for good."""
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    assert run_cli(root).returncode == 0
    kept = [*(root / ".cache").glob("build-*.pickle"), *(root / ".cache").glob("build-state/*.pickle")]
    assert len(kept) > 2
    for part in kept:
        part.write_bytes(b"\x80\x04 hong")
    damaged = run_cli(root)
    assert damaged.returncode == 0 and "Traceback" not in damaged.stderr, damaged.stderr
    (root / "output/tin-hoat-dong/x/index.html").unlink()
    result = run_cli(root, "build", "--clean")
    assert result.returncode == 0, result.stderr
    assert "Tin" in (root / "output/tin-hoat-dong/x/index.html").read_text(encoding="utf-8")


def test_progress_is_drawn_on_a_terminal_only(tmp_path: Path) -> None:
    """Bugs caught: a long build silent on a terminal; progress bars garbling CI logs and pipes."""
    import os
    import pty
    import subprocess
    import sys

    from tests.sitebuilder import REPO

    root = make_site(tmp_path, {f"content/tin-hoat-dong/bai-{n}.md": post(f"Tin số {n}") for n in range(30)})
    piped = run_cli(root)
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "--clean", "--root", str(root)],
                              stderr=follower,
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                              timeout=120, check=False)
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    shown = drawn.decode("utf-8")
    assert "Markdown: [" in shown and "/30" in shown, shown
    assert shown.endswith("\r"), "the progress line must be cleared before the summary"


def test_quiet_and_verbose(tmp_path: Path) -> None:
    """Bugs caught: --quiet still printing the summary (noisy scheduled tasks); --verbose not saying more."""
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    quiet = run_cli(root, "build", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    (root / "content/tin-hoat-dong/x.md").write_text(post("Tin", body="Sửa."), encoding="utf-8")
    verbose = run_cli(root, "build", "--verbose")
    assert "Thời gian từng bước: cấu hình" in verbose.stdout
    assert "  sửa: tin-hoat-dong/x/index.html" in verbose.stdout
    assert "Dựng Markdown của 1 bài…" in verbose.stderr


def test_a_build_piped_into_a_reader_that_stops_early_still_finishes(tmp_path: Path) -> None:
    # Bug caught: `build.py … | head -1`: once head had its line, the next progress line raised BrokenPipeError
    # inside the build, which stopped halfway as "Lỗi nội bộ" (exit 1 or 3) and published nothing.
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A")})
    command = [sys.executable, str(REPO / "build.py"), "build", "--verbose", "--root", str(root)]
    builder = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert builder.stdout is not None
    builder.stdout.readline()  # the first line, as `head -1` reads it
    builder.stdout.close()  # then the reader goes away
    assert builder.wait(timeout=120) == 0
    assert "Tin A" in (root / "output/tin-hoat-dong/a/index.html").read_text(encoding="utf-8")
