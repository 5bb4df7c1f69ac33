"""Every mistake staff can make: a Vietnamese message with file and line, and output/ kept."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from sitegen.errors import BuildFailed, Problem
from tests.sitebuilder import CONFIG, build_at, html_at, jpeg, make_site, post, run_cli, snapshot

GOOD_POST = post("Bài tốt", tags="[Tết]")


def _site_with_previous_output(tmp_path: Path, files: dict[str, str | bytes], config: str | None = None) -> Path:
    """A site that built once (so output/ holds a previous good build), then gets `files`."""
    root = make_site(tmp_path, {"content/tin-hoat-dong/bai-tot.md": GOOD_POST})
    build_at(root)
    make_site(root, files, config=config)
    return root


def _errors(root: Path, **options: object) -> tuple[Problem, ...]:
    """Build, expect failure, check output/ survived, return the errors."""
    before = snapshot(root / "output")
    with pytest.raises(BuildFailed) as failure:
        build_at(root, **options)
    assert snapshot(root / "output") == before, "a failed build changed output/"
    assert not list(root.glob("output.tmp-*")), "a failed build left its staging folder"
    return failure.value.errors


def _one(errors: tuple[Problem, ...]) -> Problem:
    assert len(errors) == 1, errors
    return errors[0]


@pytest.mark.parametrize(("source", "line", "words"), [
    ("---\ndate: 2024-01-30\n---\nNội dung", 2, "thiếu mục bắt buộc 'title'"),
    ("---\ntitle: \"Tin\"\n---\nNội dung", 2, "thiếu mục bắt buộc 'date'"),
    ("---\ntitle: \"Tin\"\ndate: 30/02/2024\n---\n", 3, "'date' không phải ngày hợp lệ"),
    ("---\ntitle: \"Tin\"\ndate: hôm qua\n---\n", 3, "không phải ngày hợp lệ"),
    ("---\ntitle: Họp: bàn kế hoạch\ndate: 2024-01-30\n---\n", 2, "dấu hai chấm"),
    ("---\ntitle: \"Tin\"\ndate: 2024-01-30\ntags: [Tết, Bon\n---\n", 4, "chưa đóng ngoặc"),
    ("---\ntitle: \"Tin\"\ntitle: \"Lại\"\ndate: 2024-01-30\n---\n", 3, "bị viết hai lần (lần đầu ở dòng 2)"),
    ("---\ntitle: \"Tin\"\ndate: 2024-01-30\nfeatured: có\n---\n", 4, "'featured' phải là true hoặc false"),
    ("---\ntitle: \"Tin\"\ndate: 2024-01-30\ntags: 5\n---\n", 4, "'tags' phải là danh sách"),
    ("---\ntitle: [a, b]\ndate: 2024-01-30\n---\n", 2, "'title' phải là chữ"),
    ("title: Tin\ndate: 2024-01-30\n", 1, "phải bắt đầu bằng dòng '---'"),
    ("---\ntitle: \"Tin\"\ndate: 2024-01-30\nNội dung không có dòng đóng", 1, "không có dòng '---' đóng lại"),
    ("---\n- a\n- b\n---\n", 2, "phần đầu bài phải là các dòng 'tên: giá trị'"),
])
def test_front_matter_mistakes_name_file_and_line(tmp_path: Path, source: str, line: int, words: str) -> None:
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/loi.md": source})
    error = _one(_errors(root))
    assert error.path == "content/tin-hoat-dong/loi.md"
    assert error.line == line
    assert words in error.message


def test_all_errors_of_a_build_are_reported_together(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {
        "content/tin-hoat-dong/a.md": "---\ntitle: \"A\"\n---\n",
        "content/tuyen-truyen/b.md": "---\ntitle: \"B\"\ndate: 31/04/2024\n---\n",
        "content/dien-hinh/c.md": post("C", body="[x](khong-co.md)"),
    })
    errors = _errors(root)  # front matter and links alike, in one run
    assert {e.path for e in errors} == {"content/tin-hoat-dong/a.md", "content/tuyen-truyen/b.md",
                                        "content/dien-hinh/c.md"}
    link = next(e for e in errors if e.path == "content/dien-hinh/c.md")
    assert link.line == 6 and "khong-co.md" in link.message and "không tồn tại" in link.message


def test_unknown_front_matter_key_is_a_warning_with_line(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", tieu_de="\"sai\"")})
    report = build_at(root)
    warning = _one(report.warnings)
    assert (warning.path, warning.line) == ("content/tin-hoat-dong/x.md", 4)
    assert "'tieu_de' không được dùng" in warning.message


def test_image_without_alt_text_is_a_warning(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", image="anh.jpg"),
                                "content/tin-hoat-dong/anh.jpg": jpeg()})
    warning = _one(build_at(root).warnings)
    assert warning.line == 4 and "image_alt" in warning.message


@pytest.mark.parametrize("image", ["anh-mat.jpg", "../../site_data.yaml", "https://cdn.example/anh.jpg"])
def test_missing_or_outside_image_is_an_error(tmp_path: Path, image: str) -> None:
    root = _site_with_previous_output(tmp_path, {
        "content/tin-hoat-dong/x.md": post("Tin", image=f'"{image}"', image_alt='"Ảnh"')})
    error = _one(_errors(root))
    assert (error.path, error.line) == ("content/tin-hoat-dong/x.md", 4)
    assert "ảnh" in error.message


def test_duplicate_urls_name_both_files(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {
        "content/tin-hoat-dong/tham-bon.md": post("Một"),
        "content/tin-hoat-dong/2024/tham-bon.md": post("Hai"),
        "content/tin-hoat-dong/khac.md": post("Ba", slug="tham-bon"),
    })
    errors = _errors(root)
    assert len(errors) == 2
    for error in errors:
        assert "/tin-hoat-dong/tham-bon/" in error.message
        assert "content/tin-hoat-dong/" in error.message and error.path not in error.message


def test_standalone_page_cannot_take_a_generated_path(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {"content/trang/tin-hoat-dong.md": post("Trùng")})
    error = _one(_errors(root))
    assert error.path == "content/trang/tin-hoat-dong.md"
    assert "trùng với trang danh sách chuyên mục 'Tin hoạt động'" in error.message


def test_post_slug_cannot_look_like_a_pagination_page(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/trang-2.md": post("Trang 2")})
    assert "phân trang" in _one(_errors(root)).message


@pytest.mark.parametrize(("body", "words"), [
    ("[KH](../tuyen-truyen/khong-co.md)", "trỏ tới bài không tồn tại"),
    ("[Nháp](nhap.md)", "trỏ tới bài chưa đăng (bài nháp"),
    ("![Ảnh](anh-mat.jpg)", "trỏ tới tệp không tồn tại"),
    ("[ngoài](../../site_data.yaml)", "trỏ ra ngoài thư mục content/"),
])
def test_broken_internal_links_are_errors(tmp_path: Path, body: str, words: str) -> None:
    root = _site_with_previous_output(tmp_path, {
        "content/tin-hoat-dong/nhap.md": post("Nháp", draft="true"),
        "content/tin-hoat-dong/x.md": post("Tin", body=f"Đoạn đầu.\n\nXem {body}."),
    })
    error = _one(_errors(root))
    assert (error.path, error.line) == ("content/tin-hoat-dong/x.md", 8)
    assert words in error.message


def test_tcvn3_file_is_refused_with_a_conversion_hint(tmp_path: Path) -> None:
    tcvn3 = post("Th¨m hé nghÌo", body="§¾k N«ng, ng\u00adêi nghÌo, §øc Minh").encode("cp1252")
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/cu.md": tcvn3})
    error = _one(_errors(root))
    assert error.path == "content/tin-hoat-dong/cu.md"
    assert "TCVN3" in error.message and "Unikey" in error.message


def test_vni_text_saved_as_utf8_is_refused(tmp_path: Path) -> None:
    vni = post("Ngöôøi ngheøo", body="Ñaék Noâng, xaõ Ñöùc Minh")
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/vni.md": vni})
    assert "VNI" in _one(_errors(root)).message


def test_file_in_another_encoding_is_refused_with_the_line(tmp_path: Path) -> None:
    raw = post("Tin", body="Dòng đầu.\n\nCafé").encode("utf-8")[:-6] + "Café\n".encode("latin-1")
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/x.md": raw})
    error = _one(_errors(root))
    assert error.line == 8 and "không phải UTF-8" in error.message


def test_utf16_file_from_notepad_is_read(tmp_path: Path) -> None:
    source = post("Thăm bon Jun Júh")
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": source.encode("utf-16")})
    build_at(root)
    assert (root / "output/tin-hoat-dong/x/index.html").read_text(encoding="utf-8").count("Thăm bon Jun Júh") >= 1


def test_content_outside_a_section_folder(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {"content/lac-cho.md": post("Lạc"),
                                                 "content/tin-tuc/x.md": post("Sai thư mục")})
    errors = _errors(root)
    assert {e.path for e in errors} == {"content/lac-cho.md", "content/tin-tuc/x.md"}
    assert any("không phải chuyên mục nào" in e.message for e in errors)


@pytest.mark.parametrize(("change", "line", "words"), [
    (("per_page: {per_page}", "per_page: mười"), 6, "'site.per_page' phải là số nguyên"),
    (("per_page: {per_page}", "per_page: 0"), 6, "phải nằm trong khoảng 1–100"),
    (('base_url: "https://portal.example/vi-nguoi-ngheo/"', "base_url: portal.example"), 5, "base_url"),
    (("  - id: dien-hinh", "  - id: Điển hình"), 13, "phải viết thường, không dấu"),
    (('  title: "Trang thử nghiệm “Vì người nghèo”"', "  title: Trang: thử"), 2, "dấu hai chấm"),
    (("agency:", "agencyy:"), 1, "thiếu mục bắt buộc 'agency'"),
])
def test_config_mistakes_name_line(tmp_path: Path, change: tuple[str, str], line: int, words: str) -> None:
    config = CONFIG.replace(*change).format(per_page=10)
    root = _site_with_previous_output(tmp_path, {}, config=config)
    errors = _errors(root)
    assert any(e.path == "site_data.yaml" and e.line == line and words in e.message for e in errors), errors


def test_misspelt_config_key_is_reported_as_unused(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {}, config=CONFIG.format(per_page=10).replace("agency:", "agencyy:"))
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    assert [str(e) for e in failure.value.errors] == ["site_data.yaml:1: thiếu mục bắt buộc 'agency'"]
    assert any(w.line == 7 and "'agencyy' không được dùng" in w.message for w in failure.value.warnings)


def test_menu_link_to_missing_page(tmp_path: Path) -> None:
    config = CONFIG.format(per_page=10) + 'menu:\n  - title: "Giới thiệu"\n    link: "/gioi-thieu/"\n'
    root = _site_with_previous_output(tmp_path, {}, config=config)
    error = _one(_errors(root))
    assert (error.path, error.line) == ("site_data.yaml", 19) and "/gioi-thieu/" in error.message


def test_template_typo_names_template_and_line(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {})
    template = root / "templates/post.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    number = next(i for i, text in enumerate(lines) if "page.title }}</h1>" in text)
    lines[number] = lines[number].replace("page.title", "page.titel")
    template.write_text("\n".join(lines), encoding="utf-8")
    error = _one(_errors(root))
    assert (error.path, error.line) == ("templates/post.html", number + 1)
    assert "titel" in error.message and "không tồn tại" in error.message


def test_template_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {})
    with (root / "templates/tags.html").open("a", encoding="utf-8") as template:
        template.write("{% if %}\n")
    lines = (root / "templates/tags.html").read_text(encoding="utf-8").count("\n")
    error = _one(_errors(root))
    assert (error.path, error.line) == ("templates/tags.html", lines)
    assert "cú pháp mẫu" in error.message


def test_output_folder_holding_staff_files_is_never_overwritten(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": GOOD_POST})
    (root / "output").mkdir()
    (root / "output/bao-cao.docx").write_bytes(b"staff work")
    error = _one(_errors(root))
    assert "không do build.py tạo ra" in error.message
    assert (root / "output/bao-cao.docx").read_bytes() == b"staff work"


@pytest.mark.parametrize("where", ["../elsewhere", ".", "content", "templates/out"])
def test_output_outside_the_project_or_over_sources_is_refused(tmp_path: Path, where: str) -> None:
    root = make_site(tmp_path / "project", {"content/tin-hoat-dong/x.md": GOOD_POST})
    before = snapshot(tmp_path)
    with pytest.raises(BuildFailed) as failure:
        build_at(root, output=root / where)
    assert "thư mục" in _one(failure.value.errors).message
    assert snapshot(tmp_path) == before


def test_interrupted_write_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.output as output_module
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/moi.md": post("Mới")})
    before = snapshot(root / "output")
    real_add = output_module.SiteWriter.add
    calls = {"n": 0}

    def stopped_midway(self: object, site_file: str, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # Ctrl+C while the new site is being written
        real_add(self, site_file, data)  # type: ignore[arg-type]

    monkeypatch.setattr(output_module.SiteWriter, "add", stopped_midway)
    with pytest.raises(KeyboardInterrupt):
        build_at(root)
    assert snapshot(root / "output") == before
    assert not [p for p in (root / ".sitegen-tmp").iterdir() if p.name.startswith("stage-")]


def test_build_stopped_mid_swap_is_recovered_next_time(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {})
    aside = root / ".sitegen-tmp/old-deadbeef"
    (root / "output").rename(aside)  # as if stopped between the two renames
    build_at(root)
    assert (root / "output/index.html").is_file()
    assert not aside.exists()


def test_cli_reports_errors_in_vietnamese_without_traceback(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/loi.md": "---\ntitle: \"Tin\"\n---\n"})
    before = snapshot(root / "output")
    result = run_cli(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "Không dựng được trang: 1 lỗi. Thư mục output/ vẫn giữ nguyên bản cũ." in result.stderr
    assert "content/tin-hoat-dong/loi.md:2: thiếu mục bắt buộc 'date'" in result.stderr
    assert snapshot(root / "output") == before


def test_cli_survives_a_console_that_cannot_show_vietnamese(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": GOOD_POST})
    result = run_cli(root, env={"PYTHONIOENCODING": "cp1258"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert unicodedata.normalize("NFC", "Đã dựng xong") in result.stdout


def test_output_folder_in_use_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.output as output_module
    root = _site_with_previous_output(tmp_path, {})
    (root / "content/tin-hoat-dong/moi.md").write_text(post("Tin mới"), encoding="utf-8")  # something to write

    def locked(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output_module.os, "replace", locked)
    error = _one(_errors(root))
    assert error.path == "output" and "đang mở ở chương trình khác" in error.message


@pytest.mark.parametrize(("source", "line"), [
    ("---\ntitle: \"Tin\"\ndate: 2024-02-30\n---\n", 3),
    ("---\ntitle: \"Tin\"\ndate: 2024-01-30\nsummary: !!float abc\n---\n", 4),
])
def test_impossible_yaml_values_are_located_errors(tmp_path: Path, source: str, line: int) -> None:
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/loi.md": source})
    error = _one(_errors(root))
    assert (error.path, error.line) == ("content/tin-hoat-dong/loi.md", line)
    assert "giá trị không hợp lệ" in error.message


@pytest.mark.parametrize("section", ["the", "static", "media", "luu-tru", "ket-qua"])
def test_section_cannot_take_a_generated_folder(tmp_path: Path, section: str) -> None:
    config = CONFIG.format(per_page=10).replace("  - id: dien-hinh", f"  - id: {section}")
    root = _site_with_previous_output(tmp_path, {}, config=config)
    error = _errors(root)[0]
    assert (error.path, error.line) == ("site_data.yaml", 13) and "tự sinh" in error.message


def test_agency_website_must_be_a_web_address(tmp_path: Path) -> None:
    website = '  place: "Đắk Nông"\n  website: "javascript:alert(1)"'
    config = CONFIG.format(per_page=10).replace('  place: "Đắk Nông"', website)
    root = _site_with_previous_output(tmp_path, {}, config=config)
    error = _one(_errors(root))
    assert (error.path, error.line) == ("site_data.yaml", 10) and "agency.website" in error.message


def test_template_runtime_error_names_template_and_line(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {})
    template = root / "templates/tags.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if "<h1>" in text)
    lines[line - 1] = lines[line - 1].replace("<h1>", "<h1>{{ 1 // (site.posts | length - 1) }}")
    template.write_text("\n".join(lines), encoding="utf-8")
    error = _one(_errors(root))
    assert (error.path, error.line) == ("templates/tags.html", line) and "ZeroDivisionError" in error.message


def test_missing_asset_is_reported_once_where_the_template_asks_for_it(tmp_path: Path) -> None:
    root = _site_with_previous_output(tmp_path, {"content/tin-hoat-dong/b.md": post("B")})
    base = root / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("asset('css/site.css')", "asset('css/sitee.css')"),
                    encoding="utf-8")
    line = next(i for i, text in enumerate(base.read_text(encoding="utf-8").split("\n"), 1) if "sitee.css" in text)
    error = _one(_errors(root))
    assert (error.path, error.line) == ("templates/base.html", line) and "'css/sitee.css'" in error.message


def test_number_like_titles_stay_as_written(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("x", tags="[1.500, 2024]").replace(
        'title: "x"', "title: 1.500")})
    build_at(root)
    page = html_at(root, "tin-hoat-dong/x/")
    assert page.h1.get_text() == "1.500"
    assert [a.get_text() for a in page.select(".tags a")] == ["1.500", "2024"]
