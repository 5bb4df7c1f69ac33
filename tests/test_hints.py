"""Common staff mistakes come with what to do: the key meant, the post meant, the year, the quote, the list."""

from __future__ import annotations

import pickle
import re
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import Tag
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import BuildFailed, Problem
from sitegen.fields import LocatedMoment, moment_line, suggest_key
from sitegen.links import LinkTable, PageResolver
from sitegen.pasted_lists import tidy_lists
from sitegen.text import VIETNAM_TZ
from sitegen.yamlsource import YamlSyntaxError, load_yaml
from tests.sitebuilder import CONFIG, build_at, html_at, jpeg, make_site, post

POST = "content/tin-hoat-dong/x.md"


def _errors(root: Path) -> tuple[Problem, ...]:
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    return failure.value.errors


def _only(problems: tuple[Problem, ...], words: str) -> Problem:
    found = [p for p in problems if words in p.message]
    assert len(found) == 1, problems
    return found[0]


def _prose(root: Path, path: str = "tin-hoat-dong/x/") -> Tag:
    prose = html_at(root, path).select_one(".prose")
    assert prose is not None
    return prose


# --- 1. a misspelt key names the key meant --------------------------------------------------


def test_misspelt_summary_is_a_warning_at_its_line_naming_summary(tmp_path: Path) -> None:
    """Catches a mistyped 'sumary' dropped in silence, or warned about without the key staff meant."""
    root = make_site(tmp_path, {POST: post("Tin", sumary='"Tóm tắt"')})
    warning = _only(build_at(root).warnings, "sumary")
    assert (warning.path, warning.line) == (POST, 4)
    assert "mục 'sumary' không được dùng — có phải 'summary'?" in warning.message
    assert "bỏ qua" in warning.message


@pytest.mark.parametrize(("key", "meant"), [
    ("Image_Alt", "image_alt"), ("image-alt", "image_alt"), ("tittle", "title"), ("Tóm tắt", "summary"),
    ("ngày", "date"), ("feautred", "featured"), ("tag", "tags"),
])
def test_key_written_with_case_marks_or_a_typo_finds_the_valid_one(tmp_path: Path, key: str, meant: str) -> None:
    """Catches suggestions that compare keys only as typed (case, diacritics, '-' for '_', Vietnamese names)."""
    root = make_site(tmp_path, {POST: post("Tin", **{key: '"giá trị"'})})
    warning = _only(build_at(root).warnings, f"'{key}'")
    assert warning.line == 4 and f"có phải '{meant}'?" in warning.message


def test_key_with_nothing_close_still_lists_the_valid_keys(tmp_path: Path) -> None:
    """Catches a suggestion made up from a far-off key instead of the list of valid ones."""
    root = make_site(tmp_path, {POST: post("Tin", xyz='"1"')})
    warning = _only(build_at(root).warnings, "'xyz'")
    assert "có phải" not in warning.message and "các mục hợp lệ:" in warning.message and "summary" in warning.message


def test_misspelt_key_beside_the_right_one_says_which_line_wins(tmp_path: Path) -> None:
    """Catches advice to rename a key into one that is already there (it would then be written twice)."""
    root = make_site(tmp_path, {POST: post("Tin", summary='"Đúng"', sumary='"Sai"')})
    warning = _only(build_at(root).warnings, "'sumary'")
    assert warning.line == 5 and "đã có ở dòng 4" in warning.message


def test_misspelt_required_date_gives_the_hint_beside_the_error(tmp_path: Path) -> None:
    """Catches a misspelt 'date' that fails the build with 'thiếu mục date' and no word of the typo."""
    source = "---\ntitle: \"Tin\"\ndaet: 2024-01-30\n---\nNội dung\n"
    root = make_site(tmp_path, {POST: source})
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    assert any("thiếu mục bắt buộc 'date'" in e.message for e in failure.value.errors)
    warning = _only(failure.value.warnings, "'daet'")
    assert warning.line == 3 and "có phải 'date'?" in warning.message


def test_misspelt_key_in_site_data_names_the_key_meant(tmp_path: Path) -> None:
    """Catches site_data.yaml keys left without the suggestion front matter keys get (one FieldReader)."""
    config = CONFIG.format(per_page=10).replace("  per_page: 10", "  per_pag: 10")
    root = make_site(tmp_path, {POST: post("Tin")}, config=config)
    warning = _only(build_at(root).warnings, "per_pag")
    assert (warning.path, warning.line) == ("site_data.yaml", 6)
    assert "mục 'site.per_pag' không được dùng — có phải 'per_page'?" in warning.message


def test_suggest_key_is_none_for_a_word_unlike_any_key() -> None:
    """Catches a cutoff so loose that any key 'means' some valid one."""
    assert suggest_key("ghi_chu", {"title", "date", "summary"}) is None
    assert suggest_key("mo_ta", {"title", "description"}) == "description"


# --- 2. a broken link names the post or file meant ------------------------------------------------


@pytest.mark.parametrize(("href", "words"), [
    ("../tin-hoat-dong/bai-a", "thiếu đuôi .md? có phải '../tin-hoat-dong/bai-a.md'?"),
    ("bai-a", "thiếu đuôi .md? có phải 'bai-a.md'?"),
    ("bai-aa.md", "có phải 'bai-a.md'?"),
    ("../tuyen-truyen/bai-a.md", "có phải 'bai-a.md'?"),
    ("/tin-hoat-dong/Bai-A.md", "có phải '/tin-hoat-dong/bai-a.md'?"),
    ("ke-hoach", "thiếu đuôi .pdf? có phải 'ke-hoach.pdf'?"),
    ("bai-a#muc-2", "có phải 'bai-a.md#muc-2'?"),
])
def test_broken_link_suggests_the_nearest_post_or_file_at_its_line(tmp_path: Path, href: str, words: str) -> None:
    """Catches a broken link reported without the post meant, or with a path the post could not write."""
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/bai-a.md": post("Bài A"),
        "content/tin-hoat-dong/ke-hoach.pdf": b"%PDF-1.4",
        POST: post("Tin", body=f"Đoạn đầu.\n\nXem [bài]({href})."),
    })
    error = _only(_errors(root), href)
    assert (error.path, error.line) == (POST, 8)
    assert words in error.message, error.message


def test_missing_picture_suggests_the_file_written_in_another_case(tmp_path: Path) -> None:
    """Catches pictures left out of the suggestions (Windows does not mind the case, the portal does)."""
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/anh/tet.jpg": jpeg(),
        POST: post("Tin", body="Đoạn đầu.\n\n![Quà Tết](anh/Tet.JPG)"),
    })
    error = _only(_errors(root), "Tet.JPG")
    assert error.line == 8 and "có phải 'anh/tet.jpg'?" in error.message


def test_broken_link_with_nothing_close_gets_no_guess(tmp_path: Path) -> None:
    """Catches a guess pointing at an unrelated post."""
    root = make_site(tmp_path, {"content/tin-hoat-dong/bai-a.md": post("Bài A"),
                                POST: post("Tin", body="[x](../tuyen-truyen/ke-hoach-tong-ket-nam.md)")})
    error = _only(_errors(root), "ke-hoach-tong-ket-nam")
    assert "có phải" not in error.message and "trỏ tới bài không tồn tại" in error.message


def _table(routes: dict[str, str]) -> LinkTable:
    return LinkTable(routes=routes, left_out={}, attachments=frozenset(), sections=frozenset(), images={},
                     image_problems={}, reserved_ids=frozenset())


def test_suggestion_is_a_recorded_lookup_so_a_cached_page_is_redone_when_it_changes() -> None:
    """Catches a cached rendering that keeps suggesting a post after it is deleted or a closer one appears."""
    first = _table({"content/a/bai-a.md": "a/bai-a/"})
    resolver = PageResolver("content/a/x.md", "a/x/", "[b](bai-ab.md)", 6, first)
    assert resolver.link("bai-ab.md") is None
    findings = resolver.findings()
    assert "có phải 'bai-a.md'?" in findings.problems[0].message
    recorded = [(t, k, a) for t, k, a in findings.lookups if t.startswith("near")]
    assert recorded == [("near-page", "content/a/bai-ab.md", "content/a/bai-a.md")]
    table, key, answer = recorded[0]
    assert first.answer(table, key) == answer  # the same build: the cached page is kept
    assert _table({"content/a/khac-han.md": "a/khac-han/"}).answer(table, key) is None  # redone: bai-a.md is gone


# --- 3. a date a year ahead asks about the year ------------------------------------------------


def test_date_years_ahead_is_a_warning_at_the_date_line(tmp_path: Path) -> None:
    """Catches a typo'd year (2042 for 2024) that silently keeps a post off the site until 2042."""
    root = make_site(tmp_path, {POST: post("Tin", date="2042-01-30 09:00"), "content/tin-hoat-dong/b.md": post("B")})
    report = build_at(root)
    warning = _only(report.warnings, "2042")
    assert (warning.path, warning.line, warning.warning) == (POST, 3, True)
    assert "ngày đăng 2042-01-30: có gõ nhầm năm?" in warning.message
    assert not (root / "output/tin-hoat-dong/x/index.html").exists()


def test_date_a_few_months_ahead_is_a_plain_scheduled_post(tmp_path: Path) -> None:
    """Catches a warning on every ordinary scheduled post (noise hides the real typos)."""
    root = make_site(tmp_path, {POST: post("Tin", date="2027-05-01 09:00")})
    assert not [w for w in build_at(root).warnings if "gõ nhầm năm" in w.message]


def test_year_typo_is_still_located_when_the_post_comes_from_the_build_state(tmp_path: Path) -> None:
    """Catches the date's line lost when the post's reading is kept (pickled) between builds."""
    root = make_site(tmp_path, {POST: post("Tin", date="2042-01-30"), "content/tin-hoat-dong/b.md": post("B")})
    build_at(root)
    (root / "content/tin-hoat-dong/b.md").write_text(post("B sửa"), encoding="utf-8")
    warning = _only(build_at(root).warnings, "2042")
    assert warning.line == 3


def test_located_moment_is_the_same_date_and_keeps_its_line_through_pickle() -> None:
    """Catches a located date that compares, hashes or pickles differently from the date it carries."""
    plain = datetime(2042, 1, 30, 9, 0, tzinfo=VIETNAM_TZ)
    located = LocatedMoment.at(plain, 3)
    assert located == plain and hash(located) == hash(plain) and located.isoformat() == plain.isoformat()
    again = pickle.loads(pickle.dumps(located, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == plain and moment_line(again) == 3 and moment_line(plain) is None


# --- 4. an unclosed quote is reported on its own line ------------------------------------------


@pytest.mark.parametrize(("front", "line", "words"), [
    ('title: "Hội nghị sơ kết\ndate: 2024-01-30', 2, "thiếu dấu ngoặc kép đóng ở cuối dòng này"),
    ("title: 'Hội nghị sơ kết\ndate: 2024-01-30", 2, "thiếu dấu nháy đơn đóng ở cuối dòng này"),
    ('title: "Tin"\ndate: 2024-01-30\nsummary: "Một câu\ntags: [Tết]\nunit: "Văn phòng"', 4,
     "thiếu dấu ngoặc kép đóng ở cuối dòng này"),
    ('title: "Hội nghị "Vì người nghèo" 2024"\ndate: 2024-01-30', 2, "bị đóng sớm"),
])
def test_unclosed_quote_points_at_the_quote_line(tmp_path: Path, front: str, line: int, words: str) -> None:
    """Catches PyYAML's mark on the line after the open quote, where staff find nothing wrong."""
    root = make_site(tmp_path, {POST: f"---\n{front}\n---\nNội dung\n"})
    errors = _errors(root)
    assert len(errors) == 1, errors
    assert (errors[0].path, errors[0].line) == (POST, line) and words in errors[0].message


def test_unclosed_quote_in_site_data_points_at_its_line(tmp_path: Path) -> None:
    """Catches site_data.yaml read without the quote check the front matter has."""
    config = CONFIG.format(per_page=10).replace('"Trang dùng cho kiểm thử."', '"Trang dùng cho kiểm thử.')
    root = make_site(tmp_path, {POST: post("Tin")}, config=config)
    error = _errors(root)[0]
    assert (error.path, error.line) == ("site_data.yaml", 4) and "thiếu dấu ngoặc kép đóng" in error.message


def test_a_quoted_value_over_two_lines_is_still_valid() -> None:
    """Catches the quote check turning valid YAML (a quoted value continued on the next line) into an error."""
    assert load_yaml('summary: "Một câu\n  còn tiếp"\ndate: 2024-01-30\n', "x")["summary"] == "Một câu còn tiếp"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['title: "', "title: '", '"', "'", "date: 2024-01-30", "- ", "  ", ":", "#",
                                 "\\", "''", "a", "Đắk", "[", "]", "\n"]), max_size=25).map("".join))
def test_yaml_with_stray_quotes_never_crashes(text: str) -> None:
    """Catches an exception other than a located YAML error escaping from the quote check."""
    try:
        load_yaml(text, "x.md", first_line=2)
    except YamlSyntaxError as error:
        assert error.problem.line is None or error.problem.line >= 1


# --- 5. lists pasted from Word --------------------------------------------------------------


def _built(tmp_path: Path, body: str) -> tuple[Path, tuple[Problem, ...]]:
    root = make_site(tmp_path, {POST: post("Tin", body=body)})
    return root, build_at(root).warnings


def test_word_bullets_after_a_paragraph_become_a_real_list(tmp_path: Path) -> None:
    """Catches '•' lines run together into the paragraph above them (no blank line in a Word paste)."""
    root, _ = _built(tmp_path, "Nội dung gồm:\n• Thăm hỏi hộ nghèo\n• Tặng quà Tết\nSau đó là đoạn khác.")
    prose = _prose(root)
    assert [li.get_text() for li in prose.select("ul > li")] == ["Thăm hỏi hộ nghèo", "Tặng quà Tết"]
    assert [p.get_text() for p in prose.find_all("p", recursive=False)] == ["Nội dung gồm:", "Sau đó là đoạn khác."]


@pytest.mark.parametrize("marker", ["\uf0b7\t", "\uf0a7 ", "● ", "▪ ", "– ", "–", "-", "✓ ", "➢ ", "•"])
def test_every_pasted_bullet_becomes_a_list_item(tmp_path: Path, marker: str) -> None:
    """Catches a bullet character (Symbol, Wingdings, en dash, '-' without its space) left as text."""
    root, _ = _built(tmp_path, f"Các hoạt động:\n{marker}Vận động quyên góp\n{marker}Thăm hỏi")
    assert [li.get_text() for li in _prose(root).select("ul > li")] == ["Vận động quyên góp", "Thăm hỏi"]


def test_typed_numbers_become_an_ordered_list(tmp_path: Path) -> None:
    """Catches '1)' lines shown as one paragraph: Python-Markdown knows only '1.'."""
    root, _ = _built(tmp_path, "Kết quả đạt được:\n1) Giảm 3% hộ nghèo\n2) Xây 12 nhà\n3) Trao 500 suất quà")
    items = _prose(root).select("ol > li")
    assert [li.get_text() for li in items] == ["Giảm 3% hộ nghèo", "Xây 12 nhà", "Trao 500 suất quà"]


def test_dash_list_right_under_a_paragraph_renders(tmp_path: Path) -> None:
    """Catches the common '- ' list written straight under its paragraph, shown as dashes in one paragraph."""
    root, _ = _built(tmp_path, "Thành phần tham dự:\n- Lãnh đạo Thanh tra tỉnh\n- Công đoàn\n- Chi đoàn")
    assert len(_prose(root).select("ul > li")) == 3


def test_second_level_word_bullets_nest(tmp_path: Path) -> None:
    """Catches Word's second level ('o' and a Tab, '○') flattened into the first or into text."""
    root, _ = _built(tmp_path, "\uf0b7\tTuyên truyền\no\tTrên trang web\n○ Trên Zalo\n\uf0b7\tVận động")
    prose = _prose(root)
    top = prose.find("ul").find_all("li", recursive=False)
    assert [li.contents[0].strip() for li in top] == ["Tuyên truyền", "Vận động"]
    assert [li.get_text() for li in top[0].select("ul > li")] == ["Trên trang web", "Trên Zalo"]


def test_letter_numbering_keeps_its_letters_on_their_own_lines_with_a_warning(tmp_path: Path) -> None:
    """Catches 'a)' 'b)' lines run together into one line, or changed into digits, or passed without a word."""
    root, warnings = _built(tmp_path, "Nhiệm vụ:\na) Tuyên truyền\nb) Vận động\nc) Khen thưởng")
    paragraph = _prose(root).find_all("p")[0]
    lines = [line.strip() for line in paragraph.get_text("\n").split("\n") if line.strip()]
    assert lines == ["Nhiệm vụ:", "a) Tuyên truyền", "b) Vận động", "c) Khen thưởng"]
    assert len(paragraph.find_all("br")) == 3
    warning = _only(warnings, "'a)'")
    assert (warning.path, warning.line) == (POST, 7) and "được đánh số tay" in warning.message


def test_code_tables_and_html_blocks_are_left_alone(tmp_path: Path) -> None:
    """Catches bullets rewritten inside code, a table cell or raw HTML, where they are what the author wrote."""
    body = ("```\n• giữ nguyên\n1) cũng vậy\n```\n\n| Mục | Ghi chú |\n|---|---|\n| • một | 1) hai |\n\n"
            "<div class=\"ghi-chu\">\n• trong khối HTML\n</div>\n")
    root, _ = _built(tmp_path, body)
    prose = _prose(root)
    assert "• giữ nguyên\n1) cũng vậy" in prose.find("pre").get_text()
    assert [td.get_text() for td in prose.select("td")] == ["• một", "1) hai"]
    assert "• trong khối HTML" in prose.select_one("div.ghi-chu").get_text()
    assert not prose.select("li")


def test_bullet_indented_into_code_is_a_warning(tmp_path: Path) -> None:
    """Catches a bullet pasted with a leading Tab shown as a code block without a word."""
    _, warnings = _built(tmp_path, "Đoạn đầu.\n\n\t• Thăm hỏi")
    assert _only(warnings, "thụt lề").line == 8


def test_lines_stay_true_after_a_pasted_list(tmp_path: Path) -> None:
    """Catches errors after a rewritten list pointing at the wrong line (blank lines were added in between)."""
    root = make_site(tmp_path, {POST: post("Tin", body="Gồm:\n• Một\n• Hai\nTiếp.\n1) Ba\n\n[x](khong-co.md)")})
    error = _only(_errors(root), "khong-co.md")
    assert error.line == 12


def test_ordinary_markdown_is_returned_as_it_is() -> None:
    """Catches the pass doing work (or changes) on posts with nothing pasted: it runs on every post."""
    body = "## Mục\n\nĐoạn văn.\n\n- một\n- hai\n\n1. ba\n2. bốn\n\n> trích\n"
    assert tidy_lists(body, POST, 6) == (body, ())
    plain = "Đoạn một.\nCòn tiếp.\n\nĐoạn hai."
    assert tidy_lists(plain, POST, 6)[0] is plain


def test_a_number_inside_a_paragraph_is_not_a_list() -> None:
    """Catches a wrapped line starting '2024.' or '3)' turned into a list in the middle of a sentence."""
    body = "Tổng kết năm\n2024. Kết quả tốt\n3) không phải danh sách"
    assert tidy_lists(body, POST, 6) == (body, ())


_PIECES = st.sampled_from(["•", "\uf0b7", "–", "-", "o\t", "1)", "2.", "a)", "b)", "```", "|", "---", "<div>",
                           "</div>", "  ", "\t", "\n", "\n\n", "x", "Đắk Nông", "*", "#", ">", " "])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_tidying_never_crashes_and_keeps_every_letter(body: str) -> None:
    """Catches text lost (or an exception) while rewriting list markers."""
    tidied, notes = tidy_lists(body, POST, 6)
    assert tidy_lists(body, POST, 6) == (tidied, notes)  # deterministic: the Markdown cache relies on it

    def letters(text: str) -> str:  # Word's "o" bullet is a marker, not a letter, with or without its item
        text = re.sub(r"(?m)^([ \t]*)o[ \t]*$", r"\1", text)
        return "".join(ch for ch in text.replace("o\t", "\t") if ch.isalnum())

    assert letters(tidied) == letters(body)
    assert all(6 <= note.line <= 6 + body.count("\n") for note in notes)
