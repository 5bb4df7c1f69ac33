"""`check` before publishing: every problem with its file and line, in one run, and output/ never touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuilder import build_at, jpeg, make_site, post, run_cli, snapshot

GOOD = {
    "content/tin-hoat-dong/bai-b.md": post("Bài B", summary='"Tóm tắt bài B."',
                                           body="## Mục đúng\n\nNội dung.\n\n## Kết quả thực hiện\n\nSố liệu."),
    "content/tin-hoat-dong/anh.jpg": jpeg(),
    "content/tin-hoat-dong/bao-cao.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
}


def _check(root: Path, *args: str) -> tuple[int, str]:
    result = run_cli(root, "check", *args)
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, result.stdout


def _site_with(tmp_path: Path, body: str, **front: str) -> Path:
    fields = {"summary": '"Tóm tắt."', **front}
    return make_site(tmp_path, {**GOOD, "content/tin-hoat-dong/bai-a.md": post("Bài A", body=body, **fields)})


def test_a_clean_site_passes_and_output_is_left_as_it_was(tmp_path: Path) -> None:
    """Bug caught: check replacing output/ (a half-edited site reaching the portal folder) or failing a good site."""
    root = _site_with(tmp_path, "Xem [bài B](bai-b.md#ket-qua-thuc-hien) và [báo cáo](bao-cao.pdf).")
    build_at(root)
    before = snapshot(root / "output")
    (root / "content/tin-hoat-dong/bai-b.md").write_text(
        post("Bài B đã sửa", summary='"x"', body="## Kết quả thực hiện\n\nĐã sửa."), encoding="utf-8")
    code, out = _check(root)
    assert code == 0, out
    assert "Kết quả: 0 lỗi" in out
    assert snapshot(root / "output") == before


@pytest.mark.parametrize(("body", "line", "words"), [
    ("Mở đầu.\n\nXem [bài](bai-khong-co.md).", 9, "trỏ tới bài không tồn tại"),
    ("Xem [bài B](bai-b).", 7, "thiếu đuôi .md? có phải 'bai-b.md'?"),
    ("Xem [thẻ](/the/khong-co-the-nay/).", 7, "/the/khong-co-the-nay/"),
    ("Tải [báo cáo](bao-cao-cu.pdf).", 7, "trỏ tới tệp không tồn tại"),
    ("Ảnh:\n\n![Lễ trao quà](anh-khac.jpg)", 9, "anh-khac.jpg"),
    ("Xem [mục](bai-b.md#muc-sai).", 7, "'#muc-sai' không có trong bài 'Bài B'"),
    ("## Kết quả\n\nXem [ở trên](#ket-qa).", 9, "có phải '#ket-qua'?"),
])
def test_each_broken_internal_link_is_an_error_at_its_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    """Bugs caught: a broken link to a post, tag, file, photo or heading reaching readers unnoticed."""
    root = _site_with(tmp_path, body)
    code, out = _check(root)
    assert code == 1
    errors = out.split("Lỗi (", 1)[1].split("Cảnh báo (", 1)[0]
    assert f"content/tin-hoat-dong/bai-a.md:{line}:" in errors and words in errors, out


def test_warnings_alone_pass_unless_strict(tmp_path: Path) -> None:
    """Bugs caught: warnings failing a publishable site; --strict letting a missing alt text through."""
    root = make_site(tmp_path, {**GOOD,
                                "content/tin-hoat-dong/bai-a.md": post("Bài A", body="![](anh.jpg)"),
                                "content/tin-hoat-dong/bai-c.md": post("Bài B", summary='"Trùng tên."')})
    code, out = _check(root)
    assert code == 0, out
    assert "content/tin-hoat-dong/bai-a.md:6: ảnh 'anh.jpg' chưa có mô tả" in out
    assert "content/tin-hoat-dong/bai-a.md:2: bài chưa có tóm tắt (summary)" in out
    assert "content/tin-hoat-dong/bai-c.md:2: tiêu đề 'Bài B' trùng với content/tin-hoat-dong/bai-b.md" in out
    strict_code, strict_out = _check(root, "--strict")
    assert strict_code == 1
    assert "--strict" in strict_out


def test_front_matter_citation_and_records_problems_come_in_one_run(tmp_path: Path) -> None:
    """Bugs caught: a misspelt key dropped in silence; a cited document missing; records' mistakes hiding
    the posts' mistakes until a second run."""
    root = make_site(tmp_path, {
        **GOOD,
        "content/tin-hoat-dong/bai-a.md": post("Bài A", summary='"x"', image_alte='"Ảnh"', featured="có lẽ"),
        "content/tin-hoat-dong/bai-d.md": post("Bài D", summary='"x"', documents='["417/KH-UBND"]'),
    })
    config = root / "site_data.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "records:\n  start_year: 2021\n  end_year: 2019\n",
                      encoding="utf-8")
    code, out = _check(root)
    assert code == 1
    assert "bai-a.md:5: mục 'image_alte' không được dùng — có phải 'image_alt'?" in out
    assert "bai-a.md:6: 'featured' phải là true hoặc false" in out
    assert "bai-d.md:5: văn bản '417/KH-UBND'" in out
    assert "site_data.yaml:" in out and "'records.end_year' phải sau" in out


def test_one_run_reports_a_front_matter_error_a_broken_link_and_a_missing_photo(tmp_path: Path) -> None:
    """Bug caught (seen with a new user): the broken links appeared only after the front matter was fixed."""
    source = "---\ndate: 2024-01-30 09:00\n---\n\nXem [bài B](bai-b) và ảnh ![Lễ](anh-mat.jpg).\n"
    root = make_site(tmp_path, {**GOOD, "content/tin-hoat-dong/bai-a.md": source})
    for command in ("check", "build"):
        result = run_cli(root, command)
        assert result.returncode == 1
        text = result.stdout + result.stderr
        assert "bai-a.md:2: thiếu mục bắt buộc 'title'" in text, text
        assert "bai-a.md:5: 'bai-b'" in text and "có phải 'bai-b.md'?" in text, text
        assert "bai-a.md:5: 'anh-mat.jpg'" in text, text


def test_posts_held_back_are_listed_with_their_time(tmp_path: Path) -> None:
    """Bug caught: staff believing a draft or a scheduled post will be published now."""
    root = make_site(tmp_path, {**GOOD,
                                "content/tin-hoat-dong/nhap.md": post("Nháp", summary='"x"', draft="true"),
                                "content/tin-hoat-dong/sau.md": post("Sau", "2042-03-04 07:30", summary='"x"')})
    code, out = _check(root)
    assert code == 0
    assert "content/tin-hoat-dong/nhap.md: bài nháp (draft: true)" in out
    assert "content/tin-hoat-dong/sau.md: bài hẹn giờ, sẽ đăng lúc 07:30 4/3/2042" in out
    assert "2042" in out and "có gõ nhầm năm?" in out


def test_link_to_a_heading_named_like_a_part_of_the_page_frame(tmp_path: Path) -> None:
    """Bug caught: '#noi-dung' to a heading "Nội dung" passing check while it jumps to the page's <main>."""
    root = _site_with(tmp_path, "## Nội dung\n\nĐoạn.\n\nXem [phần nội dung](#noi-dung).")
    code, out = _check(root)
    assert code == 1
    assert "bai-a.md:11: liên kết '#noi-dung' dẫn tới phần '#noi-dung' của khung trang" in out, out
    assert "hãy viết '#muc-noi-dung'" in out


def test_quoted_numbers_and_flags_mean_what_they_say(tmp_path: Path) -> None:
    """Bugs caught: year: "2023" refused as if it had a thousands dot; featured: "true" refused as not true."""
    root = make_site(tmp_path, {
        **GOOD,
        "content/dien-hinh/ong-a.md": post("Ông A", summary='"x"', name='"Ông A (ví dụ)"', kind='"Cá nhân"',
                                           place='"Xã Đức Minh"', year='"2023"', achievement='"Tiêu biểu"',
                                           featured='"true"'),
    }, config=None)
    config = root / "site_data.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '    title: "Điển hình tiên tiến"', '    title: "Điển hình tiên tiến"\n    kind: profiles'),
        encoding="utf-8")
    code, out = _check(root)
    assert code == 0, out
