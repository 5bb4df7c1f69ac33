"""Inputs found by a hostile review: each gets a located Vietnamese message, never a traceback or a stuck lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.errors import BuildFailed
from tests.sitebuilder import REPO, build_at, make_site, post, run_cli
from tests.test_records import RECORDS, _records

POST = "content/tin-hoat-dong/bai.md"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers and /proc: Linux")
def test_a_build_killed_mid_way_leaves_no_worker_holding_the_lock(tmp_path: Path) -> None:
    # Catches forked workers that outlive a killed build (kill, a closed console, a time limit): they kept
    # the project lock, and every later build waited a minute and failed naming a process already dead.
    body = "\n\n".join(f"## Mục {n}\n\nĐoạn văn số {n} về phong trào vì người nghèo, có [liên kết](bai-0.md)."
                       for n in range(40))
    root = make_site(tmp_path, {f"content/tin-hoat-dong/bai-{i}.md": post(f"Bài {i}", body=body)
                                for i in range(400)})
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--root", str(root)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and build.poll() is None and time.monotonic() < deadline:
        workers = _children(build.pid)
        time.sleep(0.01)
    assert workers, "the build finished before it started any worker: give it more posts"
    build.send_signal(signal.SIGKILL)
    build.wait(10)
    gone_by = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "workers outlived the killed build"
    again = run_cli(root, "--wait", "2")
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("written", ["[tại đây](https://[địa chỉ trang])", "![ảnh](http://[/x.png)",
                                     '<a href="http://[">xem</a>', "<http://[>"])
def test_a_link_left_as_a_placeholder_is_a_located_error_not_a_traceback(tmp_path: Path, written: str) -> None:
    # Catches urlsplit's ValueError killing the Markdown worker: a traceback on the console and an
    # error at the body's first line saying only that the renderer stopped.
    root = make_site(tmp_path, {POST: post("Tin", body=f"Đoạn một.\n\nĐoạn hai.\n\nXem {written}\n")})
    result = run_cli(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Process" not in result.stderr
    assert f"{POST}:10: '" in result.stderr and "không phải một địa chỉ hợp lệ" in result.stderr


@pytest.mark.parametrize(("line", "words"), [('title:"Tin"', "thiếu dấu cách sau 'title:'"),
                                             ('title:\u00a0"Tin"', "dấu cách đặc biệt"),
                                             ('title： "Tin"', "dấu hai chấm '：'")])
def test_a_key_without_its_space_is_named_at_its_own_line(tmp_path: Path, line: str, words: str) -> None:
    # Catches the error landing on the next (correct) line with a hint about quoting colons.
    text = f"---\n{line}\ndate: 2024-01-30 09:00\n---\n\nĐoạn.\n"
    root = make_site(tmp_path, {POST: text})
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert (error.path, error.line) == (POST, 2) and words in error.message


@pytest.mark.parametrize(("value", "words"), [(r'"a\U0011FFFFb"', "không ứng với chữ nào"),
                                              (r'"a\ud800b"', "nửa của một ký tự")])
def test_escapes_that_make_no_character_are_located_errors(tmp_path: Path, value: str, words: str) -> None:
    # Catches "Lỗi nội bộ" (ValueError from the YAML reader, or UnicodeEncodeError when the page is written).
    root = make_site(tmp_path, {POST: f"---\ntitle: {value}\ndate: 2024-01-30 09:00\n---\n\nĐoạn.\n"})
    result = run_cli(root)
    assert result.returncode == 1, result.stderr
    assert f"{POST}:2: YAML không hợp lệ" in result.stderr and words in result.stderr


def test_links_that_lead_to_each_other_are_skipped_with_a_warning(tmp_path: Path) -> None:
    # Catches a RuntimeError ("Symlink loop") ending the build as an internal error.
    root = make_site(tmp_path, {POST: post("Tin")})
    os.symlink("b", root / "content/tin-hoat-dong/a")
    os.symlink("a", root / "content/tin-hoat-dong/b")
    report = build_at(root)
    assert {w.path for w in report.warnings if "vòng quanh" in w.message} == {"content/tin-hoat-dong/a",
                                                                               "content/tin-hoat-dong/b"}


def test_an_unknown_filter_in_a_template_names_the_template(tmp_path: Path) -> None:
    # Catches TemplateAssertionError escaping while the template's names are read (no file, no line).
    root = make_site(tmp_path, {POST: post("Tin")})
    template = root / "templates/post.html"
    template.write_text(template.read_text(encoding="utf-8").replace("{% block main %}",
                                                                     "{% block main %}{{ 'x' | khongco }}", 1),
                        encoding="utf-8")
    result = run_cli(root)
    assert result.returncode == 1, result.stderr
    assert "templates/post.html:" in result.stderr and "khongco" in result.stderr and "nội bộ" not in result.stderr


@pytest.mark.parametrize("name", [".sitegen-tmp", ".cache"])
def test_a_file_where_a_working_folder_goes_is_explained_and_kept(tmp_path: Path, name: str) -> None:
    # Catches FileExistsError/NotADirectoryError as "Lỗi nội bộ"; and a fix that deletes the staff's file.
    root = make_site(tmp_path, {POST: post("Tin")})
    (root / name).write_text("tệp của ai đó", encoding="utf-8")
    result = run_cli(root)
    assert result.returncode == 1, result.stderr
    assert f"{name}: '{name}' phải là thư mục" in result.stderr
    assert (root / name).read_text(encoding="utf-8") == "tệp của ai đó"


def test_a_project_folder_that_is_not_there_is_said_plainly(tmp_path: Path) -> None:
    # Catches a typo in --root ending as an internal error about .sitegen-tmp.
    for command in (["build"], ["check"], ["new", "tin-hoat-dong", "Tin"]):
        result = run_cli(tmp_path / "khong-co", *command)
        assert result.returncode == 2
        assert "Không tìm thấy thư mục dự án" in result.stderr and "nội bộ" not in result.stderr
    assert not (tmp_path / "khong-co").exists()


def test_one_wrong_poverty_year_does_not_list_two_thousand_missing_years() -> None:
    # Catches the rejected year counting as year 0, and the gap warning naming every year from 1 to 2022.
    text = RECORDS.replace("{year: 2022, households: 1000, poor: 100", '{year: "hai nghìn", households: 1000, '
                                                                       "poor: 100")
    _, diagnostics = _records(text)
    messages = [p.message for p in diagnostics.problems]
    assert any("phải là số nguyên" in m for m in messages)
    gaps = [m for m in messages if "thiếu số liệu hộ nghèo" in m]
    assert gaps == ["thiếu số liệu hộ nghèo năm 2022; mức giảm của năm sau đó không tính được"]


def test_a_title_starting_with_a_dash_makes_a_post(tmp_path: Path) -> None:
    # Catches argparse taking "-30% …" for an option and saying the title is missing.
    root = make_site(tmp_path, {POST: post("Tin")})
    result = run_cli(root, "new", "tin-hoat-dong", "-30%")  # (with a space in it argparse already knew)
    assert result.returncode == 0, result.stderr
    created = root / "content/tin-hoat-dong/30.md"
    assert "title: \"-30%\"" in created.read_text(encoding="utf-8")


def test_control_characters_in_front_matter_are_dropped_with_a_warning(tmp_path: Path) -> None:
    # Catches a NUL or \x01 (a YAML escape, a paste) written into every page's HTML and echoed to the console.
    root = make_site(tmp_path, {POST: '---\ntitle: "Hội\\x01 nghị\\0"\ndate: 2024-01-30 09:00\n---\n\nĐoạn.\n'})
    report = build_at(root)
    warning = next(w for w in report.warnings if "ký tự điều khiển" in w.message)
    assert (warning.path, warning.line) == (POST, 2)
    page = (root / "output/tin-hoat-dong/bai/index.html").read_text(encoding="utf-8")
    assert "Hội nghị" in page and "\x00" not in page and "\x01" not in page
