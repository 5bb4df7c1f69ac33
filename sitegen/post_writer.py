"""Writing a new post file safely: YAML-safe front matter, ASCII file names, never overwriting."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from sitegen.errors import BuildFailed, Problem
from sitegen.text import VIETNAM_TZ, slugify, windows_safe

CONTENT_DIR = "content"  # the same folder sitegen.content reads (it sits later in the layers)
FALLBACK_SLUG = "bai-viet"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# Characters YAML would fold, refuse or read as a line break inside a double-quoted scalar: written as \uXXXX.
_YAML_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")

FrontMatter = Sequence[tuple[str, object]]


class PostExists(BuildFailed):
    """The post file (or the folder name asked for) is already there; nothing was written."""


def post_slug(title: str, fallback: str = FALLBACK_SLUG) -> str:
    """File name (without .md) for a title: ASCII slug, never empty, never a Windows device name."""
    return windows_safe(slugify(title) or fallback)


def post_path(root: Path, section_id: str, slug: str) -> Path:
    """Where the post `slug` of a section lives: root/content/<section>/<slug>.md."""
    _check_name(section_id, "section_id")
    _check_name(slug, "slug")
    return root / CONTENT_DIR / section_id / f"{slug}.md"


def shown_path(root: Path, path: Path) -> str:
    """A path as staff see it in messages: project-relative, with "/", NFC."""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return unicodedata.normalize("NFC", relative)


def yaml_scalar(value: object) -> str:
    """One front matter value as YAML text: quoted strings, `2024-01-30 09:00`, true/false, [a, b]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        local = value.astimezone(VIETNAM_TZ) if value.tzinfo else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return yaml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_scalar(item) for item in value) + "]"
    raise TypeError(f"front matter value of type {type(value).__name__} is not supported: {value!r}")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text` (NFC)."""
    encoded = json.dumps(unicodedata.normalize("NFC", text), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


def post_text(front: FrontMatter, body: str, guide: str = "") -> str:
    """The whole file: '---', the guide as YAML comments, `key: value` lines, '---', the body."""
    lines = ["---"]
    lines += [f"# {line}".rstrip() for line in guide.strip("\n").split("\n")] if guide.strip() else []
    seen: set[str] = set()
    for key, value in front:
        if not _KEY.match(key) or key in seen:
            raise ValueError(f"front matter key {key!r} is not a plain lower-case key, or is repeated")
        seen.add(key)
        lines.append(f"{key}: {yaml_scalar(value)}")
    lines += ["---", ""]
    text = "\n".join(lines) + "\n" + unicodedata.normalize("NFC", body).strip("\n") + "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_post(root: Path, section_id: str, slug: str, front: FrontMatter, body: str,
               guide: str = "") -> Path:
    """Create content/<section>/<slug>.md; raise PostExists (nothing written) when it is already there."""
    path = post_path(root, section_id, slug)
    text = post_text(front, body, guide)
    shown = shown_path(root, path)
    if taken(path.parent, path.name):
        raise PostExists([_exists_problem(shown)])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as stream:
            try:
                stream.write(text)
            except BaseException:
                stream.close()
                path.unlink(missing_ok=True)  # only the file this call created, half-written
                raise
    except FileExistsError:
        raise PostExists([_exists_problem(shown)]) from None
    except OSError as error:
        raise BuildFailed([Problem(shown, None, f"không ghi được tệp ({error.strerror or error}); "
                                                "kiểm tra quyền ghi vào thư mục content/")]) from None
    return path


def _exists_problem(shown: str) -> Problem:
    return Problem(shown, None, "đã có tệp này; không ghi đè bài đã có. Hãy đổi tiêu đề (ví dụ thêm "
                                "--title \"…\") hoặc đổi tên, chuyển tệp cũ đi nơi khác rồi chạy lại")


def taken(folder: Path, name: str) -> bool:
    """Whether `name` is used in `folder`, ignoring case as Windows and macOS do."""
    if (folder / name).exists():
        return True
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    wanted = unicodedata.normalize("NFC", name).casefold()
    return any(unicodedata.normalize("NFC", existing).casefold() == wanted for existing in names)


def free_name(folder: Path, stem: str, suffix: str = "") -> str:
    """First of stem, stem-2, stem-3 … (plus suffix) that is not used in `folder`."""
    _check_name(stem, "stem")
    number = 1
    while True:
        name = windows_safe(stem if number == 1 else f"{stem}-{number}") + suffix
        if not taken(folder, name):
            return name
        number += 1


def _check_name(name: str, what: str) -> None:
    """A programming error, not bad input: callers pass slugs made with post_slug or free_name."""
    if not name or slugify(name) != name.rstrip("-") or "/" in name:
        raise ValueError(f"{what} {name!r} is not an ASCII slug")
