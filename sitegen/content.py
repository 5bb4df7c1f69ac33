"""content/ → SourcePage values and the list of attached files (the only reader of content/)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import BuildFailed, Diagnostics
from sitegen.fields import FieldReader
from sitegen.kinds import DOCUMENT_KEYS, PROFILE_KEYS, read_document, read_profile
from sitegen.model import FrontMatter, Settings, SourcePage
from sitegen.sources import read_source_text
from sitegen.text import slugify
from sitegen.yamlsource import YamlMap, YamlSyntaxError, load_yaml

CONTENT_DIR = "content"
FRONT_MATTER_KEYS = {"title", "date", "summary", "tags", "image", "image_alt", "image_focus", "author", "unit",
                     "slug", "draft", "featured", "updated", "documents"}
# Where the 1200×630 share picture of a photo centres: a word, or "30% 20%" (across, down).
_FOCUS_WORDS = {"top": (0.5, 0.0), "tren": (0.5, 0.0), "center": (0.5, 0.5), "giua": (0.5, 0.5),
                "bottom": (0.5, 1.0), "duoi": (0.5, 1.0), "left": (0.0, 0.5), "trai": (0.0, 0.5),
                "right": (1.0, 0.5), "phai": (1.0, 0.5)}
_FOCUS_POINT = re.compile(r"^(\d{1,3}(?:[.,]\d+)?)\s*%\s+(\d{1,3}(?:[.,]\d+)?)\s*%$")
_IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
# Files that may be published beside posts. Not HTML, SVG or scripts: they would run on the site.
ATTACHMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
                    ".txt", ".csv", ".zip", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".mp3", ".mp4"}
IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}
_DATE_HINT = "viết dạng 2024-01-30 hoặc 2024-01-30 09:00 hoặc 30/01/2024"


@dataclass(frozen=True)
class ContentFiles:
    """What content/ holds: the posts read and the other files (attachments, images)."""

    pages: tuple[SourcePage, ...]
    attachments: dict[str, Path]  # project-relative posix path (NFC) → the file on disk


def load_content(root: Path, settings: Settings, diagnostics: Diagnostics) -> ContentFiles:
    """Read every Markdown file under content/; report every problem, keep going."""
    content_dir = root / CONTENT_DIR
    if not content_dir.is_dir():
        diagnostics.error(CONTENT_DIR, None, "không tìm thấy thư mục content/ chứa bài viết")
        return ContentFiles((), {})
    folders = {s.id: s.kind for s in settings.sections} | {settings.pages_folder: "pages"}
    pages: list[SourcePage] = []
    attachments: dict[str, Path] = {}
    for path in sorted(content_dir.rglob("*")):
        relative = unicodedata.normalize("NFC", path.relative_to(root).as_posix())
        parts = tuple(relative.split("/")[1:])
        if path.is_dir() or _ignored(parts):
            continue
        if path.is_symlink():
            diagnostics.warn(relative, None, "là lối tắt (liên kết mềm) tới tệp khác nên không được dùng; "
                                             "hãy chép chính tệp đó vào content/")
            continue
        if len(parts) == 1:
            example = settings.sections[0].id if settings.sections else "tin-hoat-dong"
            diagnostics.error(relative, None, "tệp phải nằm trong thư mục của một chuyên mục, "
                                              f"ví dụ content/{example}/")
            continue
        if parts[0] not in folders:
            diagnostics.error(relative, None,
                              f"thư mục content/{parts[0]}/ không phải chuyên mục nào trong "
                              f"site_data.yaml (các chuyên mục: {', '.join(sorted(folders))})")
            continue
        if path.suffix.lower() != ".md":
            if path.suffix.lower() in ATTACHMENT_TYPES:
                attachments[relative] = path
            else:
                diagnostics.warn(relative, None, f"loại tệp '{path.suffix or '(không đuôi)'}' không được đăng "
                                                 f"(chỉ đăng: {', '.join(sorted(ATTACHMENT_TYPES))})")
            continue
        try:
            page = read_page(path, content_dir, parts[0], folders[parts[0]], diagnostics)
        except BuildFailed as failure:
            diagnostics.errors.extend(failure.errors)
            continue
        if page is not None:
            pages.append(page)
    return ContentFiles(tuple(pages), attachments)


def _ignored(parts: tuple[str, ...]) -> bool:
    """Hidden files, editor backups and Office lock files are not content."""
    name = parts[-1]
    return (any(p.startswith(".") for p in parts) or name.lower() in _IGNORED_NAMES
            or name.startswith("~$") or name.endswith(("~", ".tmp", ".bak")))


def read_page(path: Path, content_dir: Path, section_id: str, kind: str,
              diagnostics: Diagnostics) -> SourcePage | None:
    """One Markdown file → SourcePage, or None (with errors recorded) when it is unusable."""
    relative = unicodedata.normalize("NFC", f"{CONTENT_DIR}/{path.relative_to(content_dir).as_posix()}")
    text = read_source_text(path, relative)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        diagnostics.error(relative, 1, "bài viết phải bắt đầu bằng dòng '---', rồi các mục "
                                       "title:, date:, … và một dòng '---' nữa")
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if closing is None:
        diagnostics.error(relative, 1, "phần đầu bài (front matter) mở bằng '---' nhưng không có "
                                       "dòng '---' đóng lại")
        return None
    try:
        data = load_yaml("\n".join(lines[1:closing]), relative, first_line=2)
    except YamlSyntaxError as error:
        diagnostics.errors.append(error.problem)
        return None
    if not isinstance(data, YamlMap):
        diagnostics.error(relative, 2, "phần đầu bài phải là các dòng 'tên: giá trị', "
                                       "ví dụ title: \"Tên bài\"")
        return None
    error_count = len(diagnostics.errors)
    front = _read_front_matter(FieldReader(data, relative, diagnostics), path, content_dir, kind, diagnostics)
    if front is None or len(diagnostics.errors) > error_count:
        return None
    body = "\n".join(lines[closing + 1:])
    return SourcePage(relative, section_id, front, body, closing + 2)


def _read_image(field: FieldReader, path: Path, content_dir: Path, diagnostics: Diagnostics) -> str:
    """The post's image as a project-relative path; it must be a file beside the post in content/."""
    written = field.text("image")
    if not written:
        return ""
    if "://" in written or written.startswith("//"):
        diagnostics.error(field.path, field.line("image"),
                          "ảnh phải là tệp đặt trong content/ (không dùng ảnh từ trang web khác)")
        return ""
    target = (path.parent / written).resolve()
    content_dir = content_dir.resolve()
    if target.suffix.lower() not in IMAGE_TYPES:
        diagnostics.error(field.path, field.line("image"),
                          f"'{written}' không phải tệp ảnh ({', '.join(sorted(IMAGE_TYPES))})")
        return ""
    inside = content_dir in target.parents
    if not inside or not target.is_file() or _ignored(target.relative_to(content_dir).parts):
        diagnostics.error(field.path, field.line("image"),
                          f"không tìm thấy tệp ảnh '{written}' (đường dẫn tính từ thư mục của bài)")
        return ""
    return unicodedata.normalize("NFC", f"{CONTENT_DIR}/{target.relative_to(content_dir).as_posix()}")


def _read_front_matter(field: FieldReader, path: Path, content_dir: Path, kind: str,
                       diagnostics: Diagnostics) -> FrontMatter | None:
    relative = field.path
    extra = {"profiles": PROFILE_KEYS, "documents": DOCUMENT_KEYS}.get(kind, set())
    field.warn_unknown(FRONT_MATTER_KEYS | extra)
    title = field.text("title", required=True)
    profile = read_profile(field) if kind == "profiles" else None
    document = read_document(field, path, content_dir) if kind == "documents" else None
    if document is not None and "date" not in field.mapping:
        date = document.issued  # a document is dated by its issue date unless told otherwise
    else:
        date = field.moment("date", required=kind != "documents" or document is None, what="ngày đăng")
    updated = field.moment("updated")
    slug = field.text("slug")
    if slug and slugify(slug) != slug:
        diagnostics.warn(relative, field.line("slug"),
                         f"slug '{slug}' có dấu hoặc ký tự đặc biệt; dùng '{slugify(slug)}'")
        slug = slugify(slug)
    image = _read_image(field, path, content_dir, diagnostics)
    image_alt = field.text("image_alt")
    image_focus = _read_focus(field)
    if image and not image_alt:
        diagnostics.warn(relative, field.line("image"),
                         "ảnh chưa có mô tả (image_alt) cho người đọc dùng trình đọc màn hình")
    if date is None or not title:
        return None
    return FrontMatter(
        title=title, date=date, summary=field.text("summary"), tags=field.text_list("tags"),
        image=image, image_alt=image_alt, author=field.text("author"), unit=field.text("unit"),
        slug=slug, draft=field.flag("draft"), featured=field.flag("featured"), updated=updated,
        cites=field.text_list("documents"), cites_line=field.line("documents"), image_line=field.line("image"),
        profile=profile,
        document=document,
        image_focus=image_focus)


def _read_focus(field: FieldReader) -> tuple[float, float] | None:
    """`image_focus`: top, center, bottom (trên, giữa, dưới…) or "30% 20%" (across, then down)."""
    written = field.text("image_focus")
    if not written:
        return None
    word = slugify(written)
    if word in _FOCUS_WORDS:
        return _FOCUS_WORDS[word]
    match = _FOCUS_POINT.match(written)
    if match:
        across, down = (float(value.replace(",", ".")) / 100 for value in match.groups())
        if across <= 1 and down <= 1:
            return across, down
    field.diagnostics.error(field.path, field.line("image_focus"),
                            f"'image_focus' ('{written}') phải là top, center, bottom (trên, giữa, dưới) hoặc hai "
                            "tỷ lệ phần trăm theo chiều ngang rồi chiều dọc, ví dụ \"30% 20%\"")
    return None
