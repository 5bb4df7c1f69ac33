"""What a second build, a careless copy, pasted text or a hostile file cannot do (the hardening issue)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

import sitegen.output as output_module
from sitegen.errors import BuildFailed, Problem
from sitegen.lock import LockBusy, project_lock
from sitegen.output import MARKER
from tests.sitebuilder import CONFIG, REPO, build_at, html_at, jpeg, make_site, post, run_cli, snapshot

ATOM_SCHEMA = etree.RelaxNG(etree.parse(str(REPO / "tests/schemas/atom.rng")))


def _errors(root: Path, **options: object) -> tuple[Problem, ...]:
    with pytest.raises(BuildFailed) as failure:
        build_at(root, **options)
    return failure.value.errors


def _complete(output: Path) -> None:
    """output/ is one whole site: every file its marker lists is there, and nothing else."""
    marker = (output / MARKER).read_text(encoding="utf-8")
    listed = {line.split(" ", 3)[3] for line in marker.split(" ---\n", 1)[1].splitlines() if line.count(" ") >= 3}
    present = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()} - {MARKER}
    assert listed == present and "index.html" in present, (listed ^ present)


# --- 1. one build at a time --------------------------------------------------------------------


def _start_build(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_two_builds_started_together_twenty_times_always_leave_one_whole_site(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A"), "content/tin-hoat-dong/b.md": post("B")})
    for attempt in range(20):
        (root / "content/tin-hoat-dong/a.md").write_text(post(f"Tin A lần {attempt}"), encoding="utf-8")
        first, second = _start_build(root), _start_build(root)
        results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in (first, second)]
        for code, out, err in results:
            assert code == 0, (attempt, out, err)
            assert "Đã dựng xong" in out
        _complete(root / "output")
        assert html_at(root, "tin-hoat-dong/a/").h1.get_text() == f"Tin A lần {attempt}"


def test_a_build_paused_mid_write_makes_the_second_wait_or_refuse(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A")})
    build_at(root)
    (root / "content/tin-hoat-dong/b.md").write_text(post("Tin B"), encoding="utf-8")
    paused, release = threading.Event(), threading.Event()
    real_add = output_module.SiteWriter.add

    def slow_add(self: output_module.SiteWriter, site_file: str, data: bytes) -> None:
        if site_file == "tin-hoat-dong/b/index.html":  # the new post: written, not kept
            paused.set()
            release.wait(30)
        real_add(self, site_file, data)

    monkeypatch.setattr(output_module.SiteWriter, "add", slow_add)
    outcome: list[object] = []
    first = threading.Thread(target=lambda: outcome.append(build_at(root)))
    first.start()
    assert paused.wait(30), "the first build never reached the writer"
    with pytest.raises(LockBusy) as busy:
        build_at(root, lock_wait=0.5)
    assert "đang có một lệnh khác dựng trang" in busy.value.problem.message
    result = run_cli(root, "--wait", "0.5")
    assert result.returncode == 4, result.stderr
    assert "đang có một lệnh khác dựng trang cho dự án này" in result.stderr and "Traceback" not in result.stderr
    waiting: list[object] = []
    second = threading.Thread(target=lambda: waiting.append(build_at(root, lock_wait=30)))
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second build should wait for the first"
    release.set()
    first.join(30)
    second.join(30)
    assert outcome and waiting
    _complete(root / "output")
    assert (root / "output/tin-hoat-dong/b/index.html").is_file()


def test_a_lock_left_by_a_killed_build_blocks_nobody(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A")})
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1]);"
                               "from pathlib import Path; from sitegen.lock import project_lock;"
                               "lock = project_lock(Path(sys.argv[2])); lock.__enter__(); print('held', flush=True);"
                               "time.sleep(60)", str(REPO), str(root)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()  # as kill -9: the lock file stays, the OS lock goes with the process
    holder.wait(10)
    assert (root / ".sitegen-tmp/build.lock").exists()
    with project_lock(root, wait=1):
        pass
    build_at(root, lock_wait=1)


# --- 2. nothing outside output/ is touched; output/ is the generator's ---------------------------


def test_backups_and_look_alike_folders_beside_output_survive(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A")})
    build_at(root)
    backup = root / "output.old-sao-luu-2024"
    subprocess.run(["cp", "-a", str(root / "output"), str(backup)], check=True)
    (backup / "ghi-chu.txt").write_text("bản sao lưu của anh Hùng", encoding="utf-8")
    (root / "output.tmp-cua-toi").mkdir()
    (root / "output.tmp-cua-toi/x.txt").write_text("của tôi", encoding="utf-8")
    kept = {p: snapshot(p) for p in (backup, root / "output.tmp-cua-toi")}
    build_at(root)
    import shutil

    shutil.rmtree(root / "output")  # output/ missing: the backup must still not be moved in
    build_at(root)
    assert {p: snapshot(p) for p in kept} == kept
    _complete(root / "output")


def test_a_file_placed_in_output_is_never_deleted_and_the_passthrough_folder_publishes_it(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A")})
    build_at(root)
    (root / "output/web.config").write_text("<configuration/>", encoding="utf-8")
    before = snapshot(root / "output")
    errors = _errors(root)
    assert len(errors) == 1 and "web.config" in errors[0].message and "templates/goc-trang/" in errors[0].message
    assert snapshot(root / "output") == before
    (root / "output/web.config").unlink()
    (root / "templates/goc-trang").mkdir()
    (root / "templates/goc-trang/web.config").write_text("<configuration/>", encoding="utf-8")
    (root / "templates/goc-trang/.htaccess").write_text("ErrorDocument 404 /404.html\n", encoding="utf-8")
    (root / "templates/goc-trang/~$tam.docx").write_bytes(b"lock file of Word")
    build_at(root)
    assert (root / "output/web.config").read_text(encoding="utf-8") == "<configuration/>"
    assert (root / "output/.htaccess").is_file() and not (root / "output/~$tam.docx").exists()
    build_at(root)  # a file the generator placed is its own: the next build goes on


def test_a_file_edited_by_hand_in_output_is_not_overwritten_silently(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A")})
    build_at(root)
    page = root / "output/tin-hoat-dong/a/index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- sửa tay -->", encoding="utf-8")
    errors = _errors(root)
    assert "tin-hoat-dong/a/index.html" in errors[0].message and "sửa tay" in errors[0].message


def test_an_unchanged_rebuild_keeps_every_file_and_its_time(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A"), "content/tin-hoat-dong/b.md": post("B")})
    build_at(root)
    times = {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*") if p.is_file()}
    time.sleep(0.05)
    report = build_at(root)
    assert report.unchanged and report.rendered == 0
    assert {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*") if p.is_file()} == times
    (root / "content/tin-hoat-dong/b.md").write_text(post("B", body="Nội dung mới."), encoding="utf-8")
    report = build_at(root)
    assert report.written is not None and "tin-hoat-dong/b/index.html" in report.written.changed
    assert (root / "output/tin-hoat-dong/a/index.html").stat().st_mtime_ns == \
        times[root / "output/tin-hoat-dong/a/index.html"], "a page that did not change was written again"


def test_an_old_site_that_cannot_be_deleted_is_said_not_silently_left(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin A")})
    build_at(root)
    css = root / "templates/static/css/site.css"  # every page links the stylesheet: the whole site is swapped
    css.write_text(css.read_text(encoding="utf-8") + "\n/* sửa */\n", encoding="utf-8")
    monkeypatch.setattr(output_module, "IN_PLACE_LIMIT", 0)  # the whole output/ is swapped, as for a big change
    monkeypatch.setattr(output_module, "_remove_tree", lambda folder: False)  # read-only, or held open
    report = build_at(root)
    assert any("không xóa được bản trang cũ" in w.message for w in report.warnings)
    monkeypatch.undo()
    build_at(root)
    assert not [p for p in (root / ".sitegen-tmp").iterdir() if p.name.startswith("old-")]


# --- 3. no request leaves the site ----------------------------------------------------------------


EMBEDDED = "\n".join([
    "Ảnh nhúng từ nơi khác:",
    "",
    '<img src="https://tracker.example/pixel.gif" alt="điểm ảnh">',
    "",
    '<picture><source srcset="https://cdn.example/a.webp 1x, //cdn.example/b.webp 2x"><img src="anh.jpg" alt="Ảnh">'
    "</picture>",
    "",
    "![Ảnh ngoài](https://cdn.example/ngoai.jpg)",
    "",
    "Đoạn có ảnh nền",
    '{: srcset="https://cdn.example/c.jpg 2x" }',
    "",
    '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
    '<video poster="https://cdn.example/p.jpg" src="https://cdn.example/v.mp4"></video>',
    '<script src="https://tracker.example/t.js"></script>',
    '<blockquote cite="javascript:alert(1)">Trích dẫn</blockquote>',
    '<img src="anh.jpg" srcset="javascript:alert(2) 2x" alt="Ảnh" style="width: expression(alert(3))">',
    "",
    '<a href="https://chinhphu.vn/">Cổng Chính phủ</a> vẫn là liên kết.',
])


@pytest.fixture(scope="module")
def embedding_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("embeds") / "site", {
        "content/tin-hoat-dong/nhung.md": post("Nhúng", body=EMBEDDED),
        "content/tin-hoat-dong/anh.jpg": jpeg(800, 600)})
    build_at(root)
    return root


def test_external_resources_are_removed_with_a_located_warning(embedding_site: Path) -> None:
    from tests.sitebuilder import build_at as again

    report = again(embedding_site)
    lines = {w.line for w in report.warnings if w.path == "content/tin-hoat-dong/nhung.md"}
    assert {8, 10, 12, 15, 17, 18, 19, 20, 21} <= lines, sorted(lines)
    assert any("lưu" in w.message or "tải về" in w.message for w in report.warnings)
    prose = html_at(embedding_site, "tin-hoat-dong/nhung/").select_one(".prose")
    for element in prose.find_all(True):
        for attribute in ("src", "srcset", "poster", "cite", "data"):
            value = element.get(attribute, "")
            assert "//" not in value and "javascript" not in value.lower(), element
        assert "expression" not in element.get("style", "")
    assert not prose.find_all(["iframe", "video", "script"])
    assert prose.find("a", href="https://chinhphu.vn/"), "a link to another site stays a link"


@pytest.mark.browser
def test_no_page_asks_another_site_for_anything(chromium_browser: object, embedding_site: Path,
                                                tmp_path: Path) -> None:
    from tests.browser_support import SiteServer

    with SiteServer(embedding_site / "output", tmp_path) as server:
        context = chromium_browser.new_context()  # type: ignore[attr-defined]
        requested: list[str] = []
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        for html in sorted((embedding_site / "output").rglob("*.html")):
            path = html.relative_to(embedding_site / "output").as_posix().removesuffix("index.html")
            page.goto(server.url(path), wait_until="networkidle")
        context.close()
    foreign = [url for url in requested if not url.startswith(server.origin)]
    assert requested and not foreign, foreign


def test_links_in_raw_html_are_checked_like_markdown_ones(tmp_path: Path) -> None:
    body = 'Mở đầu.\n\n<p><a href="khong-co-bai.md">bài</a></p>\n\n<img src="khong-co.jpg" alt="ảnh">\n'
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=body)})
    errors = {(e.line, e.message.split(" (")[0]) for e in _errors(root)}
    assert (8, "liên kết 'khong-co-bai.md' trỏ tới bài không tồn tại") in errors
    assert any(line == 10 and "khong-co.jpg" in message for line, message in errors), errors


# --- 4. a time and size budget per file ---------------------------------------------------------


def test_a_pathological_post_gets_a_located_error_within_its_deadline(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/ngoac.md": post("Ngoặc", body="[" * 30000),
        "content/tin-hoat-dong/loi-khac.md": "---\ntitle: \"Thiếu ngày\"\n---\n",
        "content/tin-hoat-dong/tot.md": post("Bài tốt")})
    started = time.monotonic()
    errors = _errors(root, deadline=2.0)
    seconds = time.monotonic() - started
    assert seconds < 15, f"the build took {seconds:.1f} s"
    assert any(e.path == "content/tin-hoat-dong/loi-khac.md" for e in errors), "other errors are reported too"
    slow = [e for e in errors if e.path == "content/tin-hoat-dong/ngoac.md"]
    assert slow and "bài quá phức tạp để dựng" in slow[0].message


@pytest.mark.parametrize("body", [
    "".join("  " * i + "- mục\n" for i in range(400)),  # a list 400 levels deep
    "<div>" * 100_000,
    "> " * 500 + "trích",
])
def test_too_deep_nesting_is_a_located_error_not_an_internal_one(tmp_path: Path, body: str) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/sau.md": post("Sâu", body=body)})
    errors = _errors(root, deadline=20.0)
    assert [(e.path, "quá phức tạp" in e.message) for e in errors] == [("content/tin-hoat-dong/sau.md", True)]


def test_a_huge_picture_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", image="to.png", image_alt='"Ảnh"'),
                                "content/tin-hoat-dong/to.png": buffer.getvalue()})
    started = time.monotonic()
    result = run_cli(root)
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert "content/tin-hoat-dong/x.md:4: ảnh 'to.png': ảnh quá lớn (400 triệu điểm ảnh" \
        in result.stderr
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr


def test_too_many_tags_and_a_huge_post_file_are_refused_with_their_limit(tmp_path: Path) -> None:
    tags = "[" + ", ".join(f"thẻ {n}" for n in range(25)) + "]"
    root = make_site(tmp_path, {"content/tin-hoat-dong/the.md": post("Thẻ", tags=tags),
                                "content/tin-hoat-dong/lon.md": post("Lớn", body="chữ " * 700_000)})
    errors = {e.path: e for e in _errors(root)}
    assert "tối đa 20 thẻ" in errors["content/tin-hoat-dong/the.md"].message
    assert "tệp quá lớn" in errors["content/tin-hoat-dong/lon.md"].message


# --- 6. internal errors become located messages -------------------------------------------------


@pytest.mark.parametrize("config", [
    CONFIG.format(per_page=10).replace('site:\n  title: "Trang thử nghiệm “Vì người nghèo”"\n'
                                       '  short_title: "Thử nghiệm"\n  description: "Trang dùng cho kiểm thử."\n'
                                       '  base_url: "https://portal.example/vi-nguoi-ngheo/"\n  per_page: 10\n', ""),
    CONFIG.format(per_page=10).replace('site:\n  title:', 'site:\nold_title:'),
    CONFIG.format(per_page=10).replace('site:\n', 'site: ""\nx:\n'),
])
def test_site_settings_missing_or_empty_are_located_errors(tmp_path: Path, config: str) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin")}, config=config)
    result = run_cli(root)
    assert result.returncode == 1, result.stderr
    assert "site_data.yaml" in result.stderr and "Lỗi nội bộ" not in result.stderr


@pytest.mark.parametrize(("files", "words"), [
    ({"content/tin-hoat-dong/x.md": post("Tin", image=r"'anh\tet.jpg'")}, "dùng dấu \\"),
    ({"content/tin-hoat-dong/x.md": post("Tin", body=r"[KH](tep\ke-hoach.pdf)")}, "dùng dấu \\"),
    ({"content/tin-hoat-dong/x.md": post("Tin", date='"0001-01-01 00:00+08:00"')}, "không phải ngày hợp lệ"),
])
def test_odd_values_are_located_errors(tmp_path: Path, files: dict[str, str], words: str) -> None:
    root = make_site(tmp_path, files)
    result = run_cli(root)
    assert result.returncode == 1 and words in result.stderr, result.stderr
    assert "content/tin-hoat-dong/x.md:" in result.stderr and "Lỗi nội bộ" not in result.stderr


@pytest.mark.parametrize("value", ['""', "''", '" "'])
def test_an_empty_pages_folder_is_a_located_error(tmp_path: Path, value: str) -> None:
    # Bug caught: `pages_folder: ""` was taken as the folder of the standalone pages: none was ever found,
    # and the menu's links to them failed with no word about why.
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")},
                     config=CONFIG.format(per_page=10) + f"pages_folder: {value}\n")
    result = run_cli(root)
    assert result.returncode == 1 and "'pages_folder' để trống" in result.stderr, result.stderr
    assert "site_data.yaml:" in result.stderr and "Lỗi nội bộ" not in result.stderr


def test_a_very_long_picture_name_is_published_under_a_short_one(tmp_path: Path) -> None:
    name = "Ảnh " + "rat dai " * 29 + ".jpg"  # 240 characters
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", image=f'"{name}"', image_alt='"Ảnh"'),
                                f"content/tin-hoat-dong/{name}": jpeg(1000, 700)})
    build_at(root)
    published = [p.name for p in (root / "output/media/tin-hoat-dong").iterdir()]
    assert published and all(len(n) < 120 and n.isascii() for n in published), published


# --- 7. well-formed, non-leaking output ----------------------------------------------------------


def test_noncharacters_never_reach_the_feeds_which_stay_valid_atom(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin \ufffe lạ", summary='"Tóm\uffff tắt"',
                                                                   body="Chữ\ufdd0 lạ.")})
    report = build_at(root)
    assert any("U+FFFE" in w.message for w in report.warnings)
    for feed in [root / "output/feed.xml", root / "output/tin-hoat-dong/feed.xml"]:
        document = etree.parse(str(feed))
        assert ATOM_SCHEMA.validate(document), ATOM_SCHEMA.error_log
    text = (root / "output/feed.xml").read_text(encoding="utf-8")
    assert "\ufffe" not in text and "\uffff" not in text and "Tin  lạ" in text
    etree.parse(str(root / "output/sitemap.xml"))


def test_the_sample_sites_feeds_are_valid_atom(sample_site: Path) -> None:
    feeds = [sample_site / "output/feed.xml", *sorted((sample_site / "output").glob("*/feed.xml"))]
    assert len(feeds) >= 4
    for feed in feeds:
        assert ATOM_SCHEMA.validate(etree.parse(str(feed))), (feed, ATOM_SCHEMA.error_log)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
def test_links_are_followed_only_inside_the_project(tmp_path: Path) -> None:
    root = make_site(tmp_path / "project", {"content/trang/gioi-thieu.md": post("Giới thiệu"),
                                            "kho/tin/a.md": post("Tin trong kho")})
    (root / "content/tin-hoat-dong").symlink_to(root / "kho/tin", target_is_directory=True)
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "b.md").write_text(post("Tin ngoài dự án"), encoding="utf-8")
    (root / "content/tuyen-truyen").mkdir()
    (root / "content/tuyen-truyen/ngoai").symlink_to(outside, target_is_directory=True)
    (root / "templates/static/he-thong").symlink_to("/etc/hostname")
    report = build_at(root)
    assert (root / "output/tin-hoat-dong/a/index.html").is_file(), "a folder linked inside the project is used"
    assert not (root / "output/tuyen-truyen/b").exists()
    warned = {w.path for w in report.warnings if "ngoài thư mục dự án" in w.message}
    assert {"content/tuyen-truyen/ngoai", "templates/static/he-thong"} <= warned
    assert not [p for p in (root / "output/static").rglob("*") if "he-thong" in p.name]


@pytest.mark.parametrize("name", [".rieng/ke-hoach.pdf", "~$ke-hoach.docx"])
def test_hidden_and_office_lock_files_are_never_published(tmp_path: Path, name: str) -> None:
    config = CONFIG.format(per_page=10) + "  - id: van-ban\n    title: \"Văn bản\"\n    kind: documents\n"
    document = "\n".join(["---", 'title: "Kế hoạch"', 'doc_type: "Kế hoạch"', 'number: "1/KH-TTr"',
                          "issued: 2024-01-02", 'issuer: "Thanh tra tỉnh"', f'file: "{name}"', "---", ""])
    root = make_site(tmp_path, {"content/van-ban/kh.md": document, f"content/van-ban/{name}": b"%PDF-1.4"},
                     config=config)
    errors = _errors(root)
    assert [(e.path, e.line) for e in errors] == [("content/van-ban/kh.md", 7)]
    assert "tệp ẩn hoặc tệp tạm" in errors[0].message


@pytest.mark.parametrize("url", ["https://portal.example/x/?a=1", "https://portal.example/x/#top",
                                 "https://portal/x/", "https://user:pass@portal.example/", "ftp://portal.example/",
                                 "https://portal..example/", "https://portal.example:99999/"])
def test_base_url_must_be_a_plain_web_address(tmp_path: Path, url: str) -> None:
    config = CONFIG.format(per_page=10).replace("https://portal.example/vi-nguoi-ngheo/", url)
    root = make_site(tmp_path, {"content/tin-hoat-dong/a.md": post("Tin")}, config=config)
    errors = _errors(root)
    assert [(e.path, e.line) for e in errors] == [("site_data.yaml", 5)] and "base_url" in errors[0].message
    result = run_cli(make_site(tmp_path / "khac", {"content/tin-hoat-dong/a.md": post("Tin")}), "--base-url", url)
    assert result.returncode == 2 and "không phải địa chỉ web đầy đủ" in result.stderr


# --- 8. ids that break the page -----------------------------------------------------------------


def test_post_ids_never_take_the_layouts(tmp_path: Path) -> None:
    config = CONFIG.format(per_page=10) + "  - id: van-ban\n    title: \"Văn bản\"\n    kind: documents\n"
    document = "\n".join(["---", 'title: "Kế hoạch"', 'doc_type: "Kế hoạch"', 'number: "1/KH-TTr"',
                          "issued: 2024-01-02", 'issuer: "Thanh tra tỉnh"', "---", ""])
    body = "## Văn bản liên quan\n\nChữ.\n\nĐoạn\n{#share-address}\n\n<p id=\"noi-dung\">Thô</p>\n"
    root = make_site(tmp_path, {"content/van-ban/kh.md": document,
                                "content/tin-hoat-dong/x.md": post("Tin", body=body, documents='["1/KH-TTr"]')},
                     config=config)
    build_at(root)
    page = html_at(root, "tin-hoat-dong/x/")
    ids = [e["id"] for e in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert page.find(id="van-ban-lien-quan").name == "h2" and page.find(id="van-ban-lien-quan").find_parent("section")
    assert page.find(id="share-address").name == "input" and page.find(id="noi-dung").name == "main"


# --- 9. one message for each problem, at its own line, as staff wrote it ------------------------


def test_each_broken_link_is_reported_at_its_own_line(tmp_path: Path) -> None:
    body = "\n".join(["[a](khong-co.md)", "", "[ke hoach](ke-hoach.md)", "", "[b](khong-co.md)", "",
                      "[c](hoach.md)", "", "[d](khong-co.md)"])
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=body),
                                "content/tin-hoat-dong/ke-hoach.md": post("Kế hoạch")})
    errors = sorted((e.line, e.message.split("'")[1]) for e in _errors(root))
    assert errors == [(6, "khong-co.md"), (10, "khong-co.md"), (12, "hoach.md"), (14, "khong-co.md")]


def test_a_windows_share_link_is_shown_as_written(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=r"[KH](\\\\may-chu\\chung\\kh.pdf)")})
    error = _errors(root)[0]
    assert error.line == 6 and "\\\\may-chu\\chung\\kh.pdf" in error.message
    assert not any(ord(c) < 32 for c in error.message)


def test_a_nul_in_site_data_is_explained_as_a_settings_file(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    (root / "site_data.yaml").write_bytes((root / "site_data.yaml").read_bytes() + b"\x00")
    error = _errors(root)[0]
    assert error.path == "site_data.yaml" and ".md" not in error.message


def test_template_mistakes_name_the_template_once_and_where_it_includes(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    tags = root / "templates/tags.html"
    tags.write_text(tags.read_text(encoding="utf-8").replace("{% endblock %}", "{% raw %}{% endblock %}", 1),
                    encoding="utf-8")
    page = root / "templates/page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% include \"_share.html\" %}",
                                                             "{% include \"_khong-co.html\" %}"), encoding="utf-8")
    (root / "content/trang").mkdir()
    (root / "content/trang/gioi-thieu.md").write_text(post("Giới thiệu"), encoding="utf-8")
    errors = _errors(root)
    paths = [e.path for e in errors]
    assert "templates/tags.html" in paths and not any("templates/templates" in p or str(root) in p for p in paths)
    missing = next(e for e in errors if "_khong-co.html" in e.message)
    assert missing.path == "templates/page.html" and missing.line is not None


# --- the whole build never breaks on what staff can type --------------------------------------


def test_the_share_address_id_in_a_post_does_not_break_the_copy_button(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="Đoạn\n{#share-address}\n")})
    build_at(root)
    copy = html_at(root, "tin-hoat-dong/x/").select_one("[data-share-address]")
    assert copy is not None and copy.name == "input"


_FAILING_WRITE = """
import multiprocessing, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
import sitegen.output as output_module
import sitegen.stages as stages_module
from tests.sitebuilder import build_at, make_site, post

stages_module.PARALLEL_RENDER = 1  # the forked pool even for a small site
stages_module.DRAW_SLICE = 1
root = make_site(Path({folder!r}), {{f"content/tin-hoat-dong/bai-{{n}}.md": post(f"Tin {{n}}") for n in range(40)}})
real_add = output_module.SiteWriter.add
written = []

def add(self, site_file, data):
    if len(written) == 3:
        raise OSError(28, "No space left on device")
    written.append(site_file)
    real_add(self, site_file, data)

output_module.SiteWriter.add = add
try:
    build_at(root)
except OSError as failure:
    held = failure  # the failure is still held here, with its traceback
    print(stages_module._FORKED is None, multiprocessing.active_children() == [], (root / "output").exists())
"""


def test_a_write_that_fails_while_pages_are_drawn_stops_the_drawing_processes(tmp_path: Path) -> None:
    """Bug caught: a full disk while the pages were being written left the forked drawing processes running
    (and their pages piling up in memory) for as long as the failure was kept, e.g. by serve or a test."""
    # In a fresh interpreter: pages are drawn in forked processes only when the process has no other
    # thread, and the browser tests' Playwright runs one here.
    script = _FAILING_WRITE.format(repo=str(REPO), folder=str(tmp_path / "site"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.split() == ["True", "True", "False"], result.stdout + result.stderr
