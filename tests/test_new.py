"""`python build.py new <section> "<title>"`: a draft of the section's kind that builds, never overwriting."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitegen.config import load_settings
from sitegen.content import load_content
from sitegen.errors import BuildFailed, Diagnostics
from sitegen.model import SourcePage
from sitegen.new_post import run_new
from sitegen.text import VIETNAM_TZ
from sitegen.yamlsource import load_yaml
from tests.sitebuilder import CONFIG, build_at, html_at, make_site, post, run_cli, snapshot

KINDS_CONFIG = (CONFIG.format(per_page=10).replace('title: "Điển hình tiên tiến"\n',
                                                   'title: "Điển hình tiên tiến"\n    kind: profiles\n')
                + '  - id: van-ban\n    title: "Văn bản"\n    kind: documents\n')
COMMON_KEYS = {"title", "date", "summary", "tags", "draft"}
KIND_KEYS = {"tin-hoat-dong": set(), "dien-hinh": {"name", "kind", "place", "year", "achievement"},
             "van-ban": {"doc_type", "number", "issued", "issuer", "signer", "file"}}
CREATED = "Đã tạo bài nháp: "


def project(root: Path) -> Path:
    return make_site(root, {}, KINDS_CONFIG)


def new(root: Path, section: str, title: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """`python build.py new` as staff run it; never a traceback, and the exit code says what happened."""
    result = run_cli(root, "new", section, title)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == (0 if ok else 1), result.stdout + result.stderr
    return result


def created(result: subprocess.CompletedProcess[str]) -> str:
    """The project path the command says it wrote."""
    line = result.stdout.splitlines()[0]
    assert line.startswith(CREATED), result.stdout
    return line.removeprefix(CREATED)


def site_path(relative: str) -> str:
    """content/tin-hoat-dong/x.md → tin-hoat-dong/x/ (where the page is built)."""
    return relative.removeprefix("content/").removesuffix(".md") + "/"


def keys_of(path: Path) -> dict[str, object]:
    lines = path.read_text(encoding="utf-8").split("\n")
    closing = lines.index("---", 1)
    return dict(load_yaml("\n".join(lines[1:closing]), path.name, first_line=2))


def read_back(root: Path, relative: str) -> SourcePage:
    """The post as the build's own content reader sees it (and with no problem reported for it)."""
    content = load_content(root, load_settings(root, Diagnostics()))
    assert not [p for p in content.problems if p.path == relative and not p.warning], content.problems
    return next(page for page in content.pages if page.source == relative)


def build_now(root: Path, drafts: bool) -> None:
    """Build as it would be built now (the command dates the draft with the real clock)."""
    build_at(root, drafts=drafts, now=datetime.now(VIETNAM_TZ) + timedelta(minutes=2))


@pytest.mark.parametrize("section", list(KIND_KEYS))
def test_each_kind_gets_its_fields_and_the_draft_builds(tmp_path: Path, section: str) -> None:
    """Bug caught: a kind's field missing from the template, or a placeholder the build refuses (an empty
    profile `name` or document `number` would stop every build, drafts or not, because front matter is
    checked before drafts are left out); also the guide falling out of step with the fields."""
    root = project(tmp_path)
    title = "Thăm, tặng quà Bon Jun Júh dịp Tết"
    relative = created(new(root, section, title))
    assert relative == f"content/{section}/tham-tang-qua-bon-jun-juh-dip-tet.md"
    path = root / relative
    keys = keys_of(path)
    assert set(keys) == COMMON_KEYS | KIND_KEYS[section]
    assert keys["draft"] is True and keys["summary"] == "" and keys["tags"] == []
    comments = "\n".join(line for line in path.read_text(encoding="utf-8").split("\n") if line.startswith("#"))
    for key in keys:
        assert f"{key}:" in comments, key
    assert "python build.py serve" in comments and "python build.py check" in comments
    page = read_back(root, relative)
    assert page.front.title == title and page.front.draft
    assert (page.front.profile is not None) == (section == "dien-hinh")
    assert (page.front.document is not None) == (section == "van-ban")

    build_now(root, drafts=True)
    heading = html_at(root, site_path(relative)).select_one("h1").get_text(strip=True)
    assert heading == ("Văn bản số 0/CHUA-CO-SO" if section == "van-ban" else title)
    build_now(root, drafts=False)
    assert not (root / "output" / site_path(relative)).exists(), "a draft must stay out of a normal build"


def test_two_new_documents_both_build(tmp_path: Path) -> None:
    """Bug caught: every new document getting the same placeholder number, which the drafts build refuses
    as two documents with one number."""
    root = project(tmp_path)
    first = created(new(root, "van-ban", "Kế hoạch triển khai phong trào"))
    second = created(new(root, "van-ban", "Báo cáo sơ kết"))
    numbers = {str(read_back(root, relative).front.document.number) for relative in (first, second)}
    assert len(numbers) == 2
    build_now(root, drafts=True)
    assert (root / "output" / site_path(second) / "index.html").is_file()


def test_an_existing_post_is_never_overwritten(tmp_path: Path) -> None:
    """Bug caught: `new` run twice (or for a title another post already has) replacing the work written
    in the first file, or silently writing a second one; also a file differing only in case (one file on
    Windows and macOS)."""
    root = project(tmp_path)
    relative = created(new(root, "tin-hoat-dong", "Hội nghị sơ kết"))
    (root / relative).write_text(post("Hội nghị sơ kết", body="Nội dung đã viết."), encoding="utf-8")
    (root / "content/tin-hoat-dong/Thang-Tam.md").write_text(post("Tháng Tám"), encoding="utf-8")
    before = snapshot(root / "content")
    refused = new(root, "tin-hoat-dong", "Hội nghị sơ kết", ok=False)
    assert relative in refused.stderr and "không ghi đè" in refused.stderr
    assert "content/tin-hoat-dong/thang-tam.md" in new(root, "tin-hoat-dong", "Tháng Tám", ok=False).stderr
    assert snapshot(root / "content") == before


def test_an_unknown_section_lists_the_valid_ones(tmp_path: Path) -> None:
    """Bug caught: a mistyped section creating a folder content/<typo>/ (which the build then rejects), or a
    refusal that does not say which sections exist or which one was meant."""
    root = project(tmp_path)
    refused = new(root, "tin-hoatdong", "Một bài", ok=False).stderr
    for section_id, title in (("tuyen-truyen", "Tuyên truyền"), ("dien-hinh", "Điển hình tiên tiến"),
                              ("tin-hoat-dong", "Tin hoạt động"), ("van-ban", "Văn bản")):
        assert section_id in refused and title in refused
    assert "Có phải ý bạn là 'tin-hoat-dong'" in refused
    assert "Có phải" not in new(root, "hinh-anh", "Một bài", ok=False).stderr
    assert not (root / "content").exists()


def test_a_section_may_be_named_by_its_title(tmp_path: Path) -> None:
    """Bug caught: staff typing the section as it reads on the site ("Điển hình tiên tiến", whose id is only
    dien-hinh; any case, without diacritics or decomposed) being refused."""
    root = project(tmp_path)
    for index, wanted in enumerate(("Điển hình tiên tiến", "DIEN HINH TIEN TIEN",
                                    unicodedata.normalize("NFD", "điển hình tiên tiến"), "Tin hoạt động")):
        expected = "tin-hoat-dong" if index == 3 else "dien-hinh"
        assert created(new(root, wanted, f"Bài {index}")).startswith(f"content/{expected}/")


def test_a_decomposed_title_is_written_composed(tmp_path: Path) -> None:
    """Bug caught: NFD input (Unikey "Unicode tổ hợp", macOS) written as typed, so the file name loses the
    letters with marks and the page title does not match searches and other posts."""
    root = project(tmp_path)
    title = "Đắk Nông: thăm hộ nghèo ở Đức Minh"
    relative = created(new(root, "tin-hoat-dong", unicodedata.normalize("NFD", title)))
    assert relative == "content/tin-hoat-dong/dak-nong-tham-ho-ngheo-o-duc-minh.md"
    assert keys_of(root / relative)["title"] == title
    assert unicodedata.normalize("NFC", (root / relative).read_text(encoding="utf-8")) == \
        (root / relative).read_text(encoding="utf-8")
    build_now(root, drafts=True)
    assert html_at(root, site_path(relative)).select_one("h1").get_text() == title


def test_a_title_without_letters_gets_a_fallback_name(tmp_path: Path) -> None:
    """Bug caught: a title of punctuation or emoji making an empty file name (content/x/.md, a hidden file
    the build never reads), or the second such post overwriting the first."""
    root = project(tmp_path)
    names = [created(new(root, "tin-hoat-dong", title)) for title in ("???", "!!!", "🎉")]
    assert names == [f"content/tin-hoat-dong/{name}.md" for name in ("bai-viet", "bai-viet-2", "bai-viet-3")]
    build_now(root, drafts=True)
    headings = [html_at(root, site_path(name)).select_one("h1").get_text() for name in names]
    assert headings == ["???", "!!!", "🎉"]


HOSTILE_TITLES = [
    'Thăm: "Tết" #1 🎉', "- bắt đầu bằng gạch", "yes", "0417", "1.500", "'nháy đơn'", "[ngoặc] {nhọn}",
    "a: b # c", "@ký tự & <b>thẻ</b>", "dấu \\ chéo ngược", "Gia đình 👨‍👩‍👧 vui Tết", "100% hộ", "* sao", "---",
    "Trang 2",
]


def test_yaml_hostile_titles_round_trip_to_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bug caught: a title written into YAML unquoted or badly escaped (`yes` read as true, `0417` as octal,
    `#` starting a comment, `---` closing the front matter, a quote or backslash breaking the string), or one
    whose slug is a section's page 2 ("trang-2"): the drafts build fails or shows another title.

    Titles argparse would take for an option ("---") are passed in-process; the rest through the CLI."""
    root = project(tmp_path)
    made: dict[str, str] = {}
    for title in HOSTILE_TITLES:
        if title.startswith("-") and " " not in title:
            assert run_new(root, "tin-hoat-dong", title) == 0
            made[title] = capsys.readouterr().out.splitlines()[0].removeprefix(CREATED)
        else:
            made[title] = created(new(root, "tin-hoat-dong", title))
    assert len(set(made.values())) == len(HOSTILE_TITLES)
    build_now(root, drafts=True)
    for title, relative in made.items():
        assert html_at(root, site_path(relative)).select_one("h1").get_text() == title


def test_white_space_in_a_title_is_tidied(tmp_path: Path) -> None:
    """Bug caught: leading and trailing spaces, a pasted line break or tab, or a control character kept in
    the title (a heading with a break in it, an invalid character in the HTML)."""
    root = project(tmp_path)
    relative = created(new(root, "tin-hoat-dong", "  Hội nghị\n\tsơ kết\x07 năm 2023  "))
    assert keys_of(root / relative)["title"] == "Hội nghị sơ kết năm 2023"


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_an_empty_title_is_refused(tmp_path: Path, title: str) -> None:
    """Bug caught: an empty title writing a post that has no title (the build rejects it) under a fallback
    name."""
    root = project(tmp_path)
    assert "tiêu đề bài đang trống" in new(root, "tin-hoat-dong", title, ok=False).stderr
    assert not (root / "content").exists()


def test_a_very_long_title_gets_a_short_file_name(tmp_path: Path) -> None:
    """Bug caught: a pasted paragraph as title making a file name past the file system's limit (255 bytes)
    or Windows' path limit."""
    root = project(tmp_path)
    title = "Thăm, tặng quà hộ nghèo " * 40
    relative = created(new(root, "tin-hoat-dong", title))
    stem = Path(relative).stem
    assert 0 < len(stem) <= 80 and not stem.endswith("-")
    assert keys_of(root / relative)["title"] == title.strip()


def test_the_date_is_now_in_viet_nam(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bug caught: the date taken in the computer's own time zone (a server on UTC at 20:30 on 31 January
    writes 31/01 while it is already 1 February in Viet Nam), or the profile's year and the document's issue
    date taken from the UTC day."""
    root = project(tmp_path)
    now = datetime(2025, 12, 31, 20, 30, 45, tzinfo=UTC)  # 1 January 2026, 03:30 in Viet Nam
    assert run_new(root, "tin-hoat-dong", "Chúc mừng năm mới", now=now) == 0
    assert run_new(root, "dien-hinh", "Chị H'Hen Niê", now=now) == 0
    assert run_new(root, "van-ban", "Kế hoạch năm 2026", now=now) == 0
    out = capsys.readouterr().out
    paths = [line.removeprefix(CREATED) for line in out.splitlines() if line.startswith(CREATED)]
    assert "date: 2026-01-01 03:30\n" in (root / paths[0]).read_text(encoding="utf-8")
    local = datetime(2026, 1, 1, 3, 30, tzinfo=VIETNAM_TZ)
    pages = [read_back(root, relative) for relative in paths]
    assert all(page.front.date == local and page.front.date.utcoffset() == timedelta(hours=7) for page in pages)
    assert pages[1].front.profile.year == 2026
    assert pages[2].front.document.issued.date() == local.date()


def test_project_problems_read_as_the_build_reads_them(tmp_path: Path) -> None:
    """Bug caught: a missing or broken site_data.yaml giving a traceback, or a message other than the one
    the build gives for the same file."""
    (tmp_path / "chua-co-cau-hinh").mkdir()  # (a folder that is not there at all: test_hostile_inputs)
    missing = new(tmp_path / "chua-co-cau-hinh", "tin-hoat-dong", "Một bài", ok=False).stderr
    assert "site_data.yaml: không tìm thấy tệp cấu hình site_data.yaml" in missing
    root = project(tmp_path / "site")
    (root / "site_data.yaml").write_text(KINDS_CONFIG.replace("sections:", "sections: [", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as caught:
        build_now(root, drafts=True)
    broken = new(root, "tin-hoat-dong", "Một bài", ok=False).stderr
    assert caught.value.errors and all(str(error) in broken for error in caught.value.errors)
    assert not (root / "content").exists()
