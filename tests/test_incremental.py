"""A rebuild from the build state gives exactly the bytes of a build from nothing, whatever was edited."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PIL import Image

from sitegen.errors import BuildFailed
from sitegen.output import MARKER
from sitegen.state import PARTS_FOLDER
from tests.sitebuilder import CONFIG, build_at, make_site, post, snapshot

SECTIONS = CONFIG.format(per_page=3) + """\
  - id: van-ban
    title: "Văn bản"
    kind: documents
"""
WORDS = ["nghèo", "Tết", "bon", "Đắk Nông", "quà", "nông thôn", "Quỹ", "H'Lan", "sinh kế", "học bổng"]
TAGS = ["Tết", "Bon Jun Júh", "Quỹ Vì người nghèo", "Nông thôn mới"]


def _photo(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def _site_files(root: Path) -> dict[str, bytes]:
    """Every output file but the marker (it records each file's time, which differs between folders)."""
    return {path: data for path, data in snapshot(root / "output").items() if path != MARKER}


def _outcome(root: Path, **options: object) -> tuple[str, object]:
    try:
        build_at(root, **options)
    except BuildFailed as failure:
        return "failed", sorted(str(e) for e in failure.errors)
    return "built", _site_files(root)


def _fresh_copy(root: Path, into: Path) -> Path:
    for name in ("content", "templates"):
        shutil.copytree(root / name, into / name)
    shutil.copy(root / "site_data.yaml", into / "site_data.yaml")
    return into


class EditsThenRebuild(RuleBasedStateMachine):
    """Random edits; after each, the incremental build and a clean build of the same files must agree."""

    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="incremental-"))
        self.root = make_site(self.folder / "site", {
            "content/tin-hoat-dong/a.md": post("Tin A", tags="[Tết]", image="anh.jpg", image_alt='"Ảnh"',
                                               body="Mở đầu về người nghèo.\n\n[Tin B](b.md)"),
            "content/tin-hoat-dong/b.md": post("Tin B", "2024-02-01 08:00", tags="[Tết, Quỹ Vì người nghèo]"),
            "content/tin-hoat-dong/anh.jpg": _photo((160, 30, 30)),
            "content/tuyen-truyen/c.md": post("Tuyên truyền C", "2023-05-05 08:00", documents='["1/KH-TTr"]',
                                              body="Theo [kế hoạch](../van-ban/kh.md)."),
            "content/van-ban/kh.md": "---\ntitle: \"Kế hoạch thực hiện\"\ndoc_type: \"Kế hoạch\"\n"
                                     "number: \"1/KH-TTr\"\nissued: 2022-07-29\nissuer: \"Thanh tra tỉnh\"\n---\n\n"
                                     "Nội dung.\n",
            "content/trang/gioi-thieu.md": post("Giới thiệu"),
        }, config=SECTIONS)
        self.count = 0
        self.posts = ["content/tin-hoat-dong/a.md", "content/tin-hoat-dong/b.md", "content/tuyen-truyen/c.md"]

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- edits --------------------------------------------------------------------------

    def _write(self, relative: str, text: str) -> None:
        (self.root / relative).write_text(text, encoding="utf-8")

    def _text(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    @rule(section=st.sampled_from(["tin-hoat-dong", "tuyen-truyen"]), word=st.sampled_from(WORDS),
          tags=st.lists(st.sampled_from(TAGS), max_size=3), day=st.integers(1, 28), link=st.booleans())
    def add_post(self, section: str, word: str, tags: list[str], day: int, link: bool) -> None:
        self.count += 1
        relative = f"content/{section}/moi-{self.count}.md"
        body = f"Bài về {word}." + (f"\n\n[Xem thêm](../{self.posts[0].split('/', 1)[1]})" if link and self.posts
                                    else "")
        self._write(relative, post(f"Bài mới {self.count}: {word}", f"2024-03-{day:02d} 09:00",
                                   tags="[" + ", ".join(tags) + "]", body=body))
        self.posts.append(relative)

    @precondition(lambda self: len(self.posts) > 1)
    @rule(index=st.integers(0, 50))
    def delete_post(self, index: int) -> None:
        relative = self.posts.pop(index % len(self.posts))
        (self.root / relative).unlink()

    @precondition(lambda self: self.posts)
    @rule(index=st.integers(0, 50))
    def rename_post(self, index: int) -> None:
        relative = self.posts[index % len(self.posts)]
        self.count += 1
        moved = relative.replace(".md", f"-doi-ten-{self.count}.md")
        (self.root / relative).rename(self.root / moved)
        self.posts[index % len(self.posts)] = moved

    @precondition(lambda self: self.posts)
    @rule(index=st.integers(0, 50), word=st.sampled_from(WORDS))
    def edit_title(self, index: int, word: str) -> None:
        relative = self.posts[index % len(self.posts)]
        text = self._text(relative)
        self._write(relative, text.replace('title: "', f'title: "{word} – ', 1))

    @precondition(lambda self: self.posts)
    @rule(index=st.integers(0, 50), word=st.sampled_from(WORDS))
    def edit_body(self, index: int, word: str) -> None:
        relative = self.posts[index % len(self.posts)]
        self._write(relative, self._text(relative) + f"\nThêm một câu về {word}.\n")

    @precondition(lambda self: self.posts)
    @rule(index=st.integers(0, 50), field=st.sampled_from(["date: 2022-12-12 10:00", "draft: true", "slug: duong-moi",
                                                           "tags: [Bon Jun Júh]", "featured: true",
                                                           "updated: 2025-01-01 07:00"]))
    def edit_front_matter(self, index: int, field: str) -> None:
        relative = self.posts[index % len(self.posts)]
        text = self._text(relative)
        key = field.split(":", 1)[0]
        lines = [line for line in text.split("\n") if not line.startswith(f"{key}:")]
        lines.insert(1, field)
        self._write(relative, "\n".join(lines))

    @rule(name=st.sampled_from(["post.html", "tags.html", "base.html"]))
    def edit_template(self, name: str) -> None:
        path = self.root / "templates" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("{% endblock %}", f"<!-- {self.count} -->{{% endblock %}}", 1)
                        if "{% endblock %}" in text else text + f"\n<!-- {self.count} -->\n", encoding="utf-8")
        self.count += 1

    @rule()
    def edit_static(self) -> None:
        css = self.root / "templates/static/css/site.css"
        self.count += 1
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* {self.count} */\n", encoding="utf-8")

    @rule(word=st.sampled_from(WORDS))
    def edit_settings(self, word: str) -> None:
        config = self.root / "site_data.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace('description: "', f'description: "{word}. ', 1), encoding="utf-8")

    @rule(red=st.integers(0, 255))
    def edit_image(self, red: int) -> None:
        (self.root / "content/tin-hoat-dong/anh.jpg").write_bytes(_photo((red, 90, 60)))

    @precondition(lambda self: self.posts)
    @rule(index=st.integers(0, 50))
    def link_to_a_missing_post(self, index: int) -> None:
        relative = self.posts[index % len(self.posts)]
        self._write(relative, self._text(relative) + "\n[Bài sẽ có](../tin-hoat-dong/sap-co.md)\n")

    @rule()
    def the_missing_post_appears(self) -> None:
        self._write("content/tin-hoat-dong/sap-co.md", post("Bài mới xuất hiện", "2024-04-04 08:00"))

    # --- the check ----------------------------------------------------------------------

    @invariant()
    def incremental_equals_clean(self) -> None:
        if not hasattr(self, "root"):
            return
        incremental = _outcome(self.root)
        with tempfile.TemporaryDirectory(prefix="clean-") as folder:
            clean = _outcome(_fresh_copy(self.root, Path(folder)), clean=True)
        assert incremental[0] == clean[0], (incremental[0], clean[0], incremental[1] if incremental[0] == "failed"
                                            else clean[1])
        if incremental[0] == "built":
            differing = sorted(set(incremental[1]) ^ set(clean[1]))
            differing += sorted(p for p in set(incremental[1]) & set(clean[1]) if incremental[1][p] != clean[1][p])
            assert not differing, differing[:10]
        else:
            assert incremental[1] == clean[1]


EditsThenRebuild.TestCase.settings = settings(max_examples=8, stateful_step_count=6, deadline=None,
                                               suppress_health_check=[HealthCheck.too_slow])
TestEditsThenRebuild = EditsThenRebuild.TestCase


# --- narrower promises ---------------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    return make_site(tmp_path, {
        "content/tin-hoat-dong/a.md": post("Tin A", tags="[Tết]"),
        "content/tin-hoat-dong/b.md": post("Tin B", "2024-02-01 08:00", tags="[Tết]"),
        "content/tuyen-truyen/c.md": post("C", "2023-01-01 08:00")})


def test_two_clean_builds_give_identical_trees(tmp_path: Path) -> None:
    first = _outcome(_project(tmp_path / "one"), clean=True)
    second = _outcome(_project(tmp_path / "two"), clean=True)
    assert first == second


def test_a_template_edit_redraws_only_the_outputs_that_use_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_at(root)
    tags = root / "templates/tags.html"
    tags.write_text(tags.read_text(encoding="utf-8").replace("</h1>", " (mọi thẻ)</h1>"), encoding="utf-8")
    report = build_at(root)
    assert report.rendered == 1
    assert report.written is not None and report.written.changed == ("the/index.html",) and not report.written.added


def test_a_body_edit_redraws_its_page_and_keeps_the_rest(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_at(root)
    (root / "content/tuyen-truyen/c.md").write_text(post("C", "2023-01-01 08:00", body="Câu mới."), encoding="utf-8")
    report = build_at(root)
    assert report.written is not None
    assert "tuyen-truyen/c/index.html" in report.written.changed
    assert report.rendered <= 6, report.rendered  # the page, and lists that show its summary


def test_a_build_into_another_folder_in_between_leaves_nothing_stale(tmp_path: Path) -> None:
    # Bug caught: the state describes the folder last built into; trusting it for output/ after a build into
    # another one kept output/'s old pages and search index (a title changed in between never reached it).
    root = _project(tmp_path / "site")
    build_at(root)
    (root / "content/tin-hoat-dong/a.md").write_text(post("Tin A đã đổi tên", tags="[Tết]"), encoding="utf-8")
    build_at(root, output=root / "ban-thu")
    build_at(root)
    clean = _fresh_copy(root, tmp_path / "clean")
    build_at(clean, clean=True)
    assert _site_files(root) == _site_files(clean)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"SITEGEN-STATE\n1\nother\n5\nxx\n\nhello", "cut", "flip"])
def test_a_damaged_or_foreign_state_is_thrown_away_not_trusted(tmp_path: Path, damage: bytes | str) -> None:
    root = _project(tmp_path)
    build_at(root)
    state = next(part for part in (root / PARTS_FOLDER).glob("markup-*.pickle")  # a post that is not edited
                 if b"content/tin-hoat-dong/b.md" in part.read_bytes())
    data = bytearray(state.read_bytes())
    if damage == "flip":  # one bit of a letter in the body's text (a bad sector, a bad copy)
        where = data.rindex("Nội dung".encode())
        data[where] ^= 0x20
    state.write_bytes(bytes(data[: len(data) // 2]) if damage == "cut" else bytes(data) if damage == "flip" else damage)
    (root / "content/tin-hoat-dong/a.md").write_text(post("Tin A đã sửa", tags="[Tết]"), encoding="utf-8")
    build_at(root)
    with tempfile.TemporaryDirectory(prefix="clean-") as folder:
        clean = _outcome(_fresh_copy(root, Path(folder)), clean=True)
    assert _site_files(root) == clean[1]


def test_build_clean_ignores_the_state(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_at(root)
    report = build_at(root, clean=True)
    assert report.rendered == report.pages > 0


def test_a_body_edit_rewrites_only_a_few_parts_of_the_state(tmp_path: Path) -> None:
    """Bug caught: every rebuild pickled and wrote the whole state again (48 MB at 4.000 posts, half a second
    of a one-post edit), or a part left from an older build stayed on disk for ever."""
    root = _project(tmp_path)
    build_at(root)
    def parts() -> set[tuple[str, int, int]]:
        return {(part.name, part.stat().st_ino, part.stat().st_mtime_ns) for part in (root / PARTS_FOLDER).iterdir()}

    before = parts()
    (root / "content/tuyen-truyen/c.md").write_text(post("C", "2023-01-01 08:00", body="Câu mới."), encoding="utf-8")
    build_at(root)
    after = parts()
    assert len(after) == len(before) > 20  # the parts replaced are gone
    assert 0 < len(after - before) <= 6, sorted(after - before)  # its post, body, search words, a few outputs


def test_a_post_rewritten_with_its_old_size_and_time_is_still_read_again(tmp_path: Path) -> None:
    """Bug caught: posts whose size and modification time had not changed were trusted without reading, so a
    copy put back with its old time (a restored backup, `cp -p`, a sync tool) kept the old text on the site."""
    root = _project(tmp_path)
    build_at(root)
    source = root / "content/tuyen-truyen/c.md"
    before = source.stat()
    text = source.read_text(encoding="utf-8")
    changed = text.replace("Nội dung", "Nội-dung", 1)
    assert len(changed.encode()) == len(text.encode())
    source.write_text(changed, encoding="utf-8")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    build_at(root)
    assert "Nội-dung bài viết." in (root / "output/tuyen-truyen/c/index.html").read_text(encoding="utf-8")


def test_a_state_that_describes_another_version_of_output_is_not_taken_for_nothing_to_do(tmp_path: Path) -> None:
    # Bug caught (found in review): the state saved by a build was lost (killed, full disk), so the kept
    # state is an older build's; with the inputs put back to that build's, "nothing to do" kept newer pages.
    root = _project(tmp_path / "site")
    build_at(root)
    older = tmp_path / "older-cache"
    shutil.copytree(root / ".cache", older)
    original = (root / "content/tin-hoat-dong/a.md").read_bytes()
    (root / "content/tin-hoat-dong/a.md").write_text(post("Tin A đã đổi tên", tags="[Tết]"), encoding="utf-8")
    build_at(root)
    shutil.rmtree(root / ".cache")
    shutil.copytree(older, root / ".cache")
    (root / "content/tin-hoat-dong/a.md").write_bytes(original)
    build_at(root)
    clean = _fresh_copy(root, tmp_path / "clean")
    build_at(clean, clean=True)
    assert _site_files(root) == _site_files(clean)
