"""The `new` command: a draft post with its section kind's front matter, never overwriting a file."""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sitegen.config import load_settings
from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.model import PROFILE_KINDS, Section, Settings
from sitegen.post_writer import (
    FALLBACK_SLUG,
    FrontMatter,
    PostExists,
    free_name,
    post_path,
    post_slug,
    shown_path,
    write_post,
)
from sitegen.text import VIETNAM_TZ, format_date_short, slugify

# A document's number and notation cannot be empty, so a draft gets one that says so; each draft its own
# (the build refuses two documents with one number).
PLACEHOLDER_NOTATION = "CHUA-CO-SO"
_PLACEHOLDER_NUMBER = re.compile(rf"\b(\d+)/{PLACEHOLDER_NOTATION}\b")
_PAGINATION = re.compile(r"^trang-\d+$")  # the shape of a section's page 2, 3 … (sitegen.routes refuses it)


@dataclass(frozen=True)
class NewPost:
    """What `new` wrote: the post's project path, its section and whether its name is a fallback."""

    path: str
    section: Section
    fallback_name: bool


def clean_title(title: str) -> str:
    """One NFC line: control characters, lone surrogates and non-characters dropped, white space runs one space."""
    spaced = "".join(" " if ch.isspace() else ch for ch in unicodedata.normalize("NFC", title))
    return " ".join("".join(ch for ch in spaced if unicodedata.category(ch) not in ("Cc", "Cs")
                            and ch not in "\ufffe\uffff").split())


def find_section(settings: Settings, wanted: str) -> Section:
    """The section whose id is `wanted`, or whose title is, ignoring case and diacritics; else BuildFailed."""
    key = slugify(wanted)
    found = (next((s for s in settings.sections if wanted.strip() == s.id), None)
             or next((s for s in settings.sections if key and key == s.id), None)
             or next((s for s in settings.sections if key and key == slugify(s.title)), None))
    if found is not None:
        return found
    if not settings.sections:
        raise BuildFailed([Problem("site_data.yaml", None, "chưa khai báo chuyên mục nào (sections) để tạo bài")])
    listed = "; ".join(f"{s.id} ({s.title})" for s in settings.sections)
    names = {s.id: s for s in settings.sections} | {slugify(s.title): s for s in settings.sections}
    close = difflib.get_close_matches(key or wanted, list(names), n=1, cutoff=0.6)
    hint = f" Có phải ý bạn là '{names[close[0]].id}' ({names[close[0]].title})?" if close else ""
    raise BuildFailed([Problem("", None, f"không có chuyên mục '{wanted.strip()}'. Các chuyên mục: {listed}.{hint}")])


def _placeholder_number(folder: Path) -> str:
    """The first "N/CHUA-CO-SO" no post of the folder carries yet."""
    used: set[int] = set()
    for path in folder.glob("*.md") if folder.is_dir() else ():
        try:
            used.update(int(n) for n in _PLACEHOLDER_NUMBER.findall(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return f"{min(set(range(len(used) + 1)) - used)}/{PLACEHOLDER_NOTATION}"


def front_matter(section: Section, title: str, now: datetime, settings: Settings, folder: Path) -> FrontMatter:
    """Every field the section's kind reads, with placeholders the build accepts, draft: true last."""
    front: list[tuple[str, object]] = [("title", title), ("date", now), ("summary", ""), ("tags", [])]
    if section.kind == "profiles":
        front += [("name", title), ("kind", PROFILE_KINDS["ca-nhan"]), ("place", ""), ("year", now.year),
                  ("achievement", "")]
    elif section.kind == "documents":
        front += [("doc_type", "Văn bản"), ("number", _placeholder_number(folder)), ("issued", now.date()),
                  ("issuer", settings.agency.name), ("signer", ""), ("file", "")]
    return [*front, ("draft", True)]


def guide(section: Section, now: datetime) -> str:
    """The Vietnamese notes written as YAML comments above the fields."""
    lines = [f"Bài nháp tạo bằng lệnh “python build.py new” ngày {format_date_short(now)}, chuyên mục "
             f"“{section.title}” ({section.id}). Các dòng bắt đầu bằng # là ghi chú, có thể xóa.",
             "title: tiêu đề bài. date: ngày giờ đăng, giờ Việt Nam (+07:00), dạng 2024-01-30 09:00.",
             "summary: một hai câu tóm tắt, hiện ở danh sách bài. tags: các thẻ, ví dụ [Tết, Bon Jun Júh]."]
    if section.kind == "profiles":
        lines += ["name: tên người hoặc tập thể (đang tạm lấy theo tiêu đề, hãy sửa).",
                  f"kind: một trong {', '.join(PROFILE_KINDS.values())}. place: đơn vị, địa phương.",
                  "year: năm được ghi nhận, khen thưởng (đang tạm ghi năm nay). achievement: thành tích trong một câu."]
    elif section.kind == "documents":
        lines += ["doc_type: loại văn bản (Kế hoạch, Quyết định, Công văn…; đang tạm ghi “Văn bản”).",
                  f"number: số, ký hiệu, ví dụ 417/KH-UBND, 666/QĐ-TTg (…/{PLACEHOLDER_NOTATION} chỉ là số giữ "
                  "chỗ, hãy thay).",
                  "issued: ngày ban hành (đang tạm ghi hôm nay). issuer: cơ quan ban hành (đang tạm ghi tên cơ quan).",
                  "signer: chức vụ người ký. file: tệp văn bản đặt cạnh bài, ví dụ tep/ke-hoach-417.pdf."]
    lines += ["draft: true nghĩa là bài còn là nháp, chưa được đăng; xóa dòng draft khi bài đã sẵn sàng để đăng.",
              "Xem trước (cả bài nháp): python build.py serve. Kiểm tra trước khi đăng: python build.py check."]
    return "\n".join(lines)


def create_post(root: Path, settings: Settings, section_id: str, title: str, now: datetime) -> NewPost:
    """Write content/<section>/<slug>.md as a draft; BuildFailed (nothing written) when refused."""
    section = find_section(settings, section_id)
    title = clean_title(title)
    if not title:
        raise BuildFailed([Problem("", None, "tiêu đề bài đang trống; hãy ghi tiêu đề trong ngoặc kép, ví dụ "
                                             "python build.py new tin-hoat-dong \"Thăm, tặng quà dịp Tết\"")])
    now = (now.replace(tzinfo=VIETNAM_TZ) if now.tzinfo is None else now.astimezone(VIETNAM_TZ))
    now = now.replace(second=0, microsecond=0)
    folder = post_path(root, section.id, FALLBACK_SLUG).parent
    slug = post_slug(title, fallback="")
    if _PAGINATION.match(slug):
        slug = f"bai-{slug}"
    fallback = not slug
    if fallback:
        slug = free_name(folder, FALLBACK_SLUG, ".md").removesuffix(".md")
    front = front_matter(section, title, now, settings, folder)
    try:
        path = write_post(root, section.id, slug, front, "", guide(section, now))
    except PostExists:
        shown = shown_path(root, post_path(root, section.id, slug))
        raise BuildFailed([Problem(shown, None, "đã có tệp này (có thể là bài cùng tiêu đề); lệnh new không ghi đè "
                                                "bài đã có. Hãy mở tệp đó để viết tiếp, hoặc đặt tiêu đề khác")]
                          ) from None
    return NewPost(shown_path(root, path), section, fallback)


def run_new(root: Path, section: str, title: str, now: datetime | None = None) -> int:
    """The `new` command: print the new file's path (stdout) or why nothing was written (stderr); 0 or 1."""
    try:
        settings = load_settings(root, Diagnostics())
        made = create_post(root, settings, section, title, now or datetime.now(VIETNAM_TZ))
    except BuildFailed as failure:
        print("Không tạo được bài mới; không có tệp nào được tạo hay ghi đè:", file=sys.stderr)
        for error in failure.errors:
            print(f"  {error if error.path else error.message}", file=sys.stderr)
        return 1
    print(f"Đã tạo bài nháp: {made.path}")
    print(f"  Chuyên mục: {made.section.title} ({made.section.id}).")
    if made.fallback_name:
        print("  Tiêu đề không có chữ hay số nào để đặt tên tệp, nên tệp được đặt tên chung như trên; có thể đổi "
              "tên tệp (viết thường, không dấu, nối bằng -).")
    if made.section.kind != "posts":
        print("  Các mục ghi “đang tạm” trong phần ghi chú đầu tệp là giá trị giữ chỗ: hãy sửa trước khi đăng.")
    print("Việc tiếp theo: mở tệp để viết bài; xem trước bằng “python build.py serve”; khi xong, xóa dòng "
          "“draft: true” rồi chạy “python build.py check”.")
    return 0
