"""Random front matter, Markdown and bytes never crash the build: it succeeds or says what is wrong, where."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.errors import BuildFailed
from tests.sitebuilder import CONFIG, build_at, make_site, run_cli

KEYS = ["title", "date", "summary", "tags", "image", "image_alt", "image_focus", "author", "unit", "slug", "draft",
        "featured", "updated", "documents", "sumary", "tiêu đề", "", "0"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
SCALARS = st.one_of(TEXT, st.integers(-10**20, 10**20), st.booleans(), st.none(), st.floats(allow_nan=True),
                    st.dates(), st.sampled_from(["2024-01-30", "30/02/2024", "0001-01-01 00:00+08:00", "9999-12-31",
                                                 "anh.jpg", "../../etc/passwd", "C:\\x.jpg", "top", "30% 20%"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)
FRONT = st.dictionaries(st.sampled_from(KEYS) | TEXT, VALUES, max_size=8)
PIECES = st.sampled_from([
    "# Tiêu đề\n", "## Mục\n", "- mục\n", "  - mục con\n", "1. một\n", "> trích\n", "```\nmã\n```\n", "| a | b |\n",
    "|---|---|\n", "| 1 | 2 |\n", "[liên kết](bai.md)", "[ngoài](https://x.example/)", "![ảnh](anh.jpg)",
    "![ảnh](https://x.example/a.png)", "[js](javascript:alert(1))", "<div>", "</div>", "<img src=x onerror=1>",
    '<a href="khong-co.md">a</a>', "<script>alert(1)</script>", "{#noi-dung}", "{: srcset=\"https://x/a 2x\" }",
    "[^1]", "\n[^1]: chú thích\n", "*", "_", "`", "[", "]", "(", ")", "\\", "<", "&amp;", "\n", "\n\n", "  ",
    "Đắk Nông ", "nghèo ", "\ufffe", "\u200b", "🎉", "[link][ref]", "\n[ref]: /the/khong-co/\n", "<!-- x -->",
])
BODY = st.lists(st.one_of(PIECES, TEXT), max_size=40).map("".join)


def _front_matter(front: dict) -> str:
    try:
        return yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return "title: x\n"


def _check(root: Path) -> None:
    """The build succeeds, or fails with problems that each name a file and say something."""
    try:
        build_at(root, deadline=5.0, lock_wait=5.0)
    except BuildFailed as failure:
        assert failure.errors
        for problem in (*failure.errors, *failure.warnings):
            assert isinstance(problem.path, str) and problem.path and problem.message.strip()
            assert problem.line is None or problem.line >= 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=FRONT, body=BODY, raw=st.binary(max_size=300))
def test_random_posts_and_bytes_build_or_say_where_they_are_wrong(front: dict, body: str, raw: bytes) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        root = make_site(folder, {
            "content/tin-hoat-dong/ngau-nhien.md": f"---\n{_front_matter(front)}---\n{body}\n",
            "content/tin-hoat-dong/bai.md": "---\ntitle: \"Bài\"\ndate: 2024-01-30\n---\n\n" + body,
            "content/tin-hoat-dong/byte.md": raw,
            "content/tin-hoat-dong/anh.jpg": raw,
        }, config=CONFIG.format(per_page=2))
        _check(root)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00\x00garbage", b"---\n\x00\n---\n", bytes(range(256)),
                                 b"---\ntitle: \"Tin\"\ndate: 2024-01-30\n---\n" + b"[" * 5000])
def test_the_command_answers_bad_bytes_with_a_message_not_an_internal_error(tmp_path: Path, raw: bytes) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": raw})
    result = run_cli(root)
    assert result.returncode in (0, 1), result.stderr
    assert "Lỗi nội bộ" not in result.stderr and "Traceback" not in result.stderr
