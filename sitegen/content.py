"""content/ → SourcePage values and the list of attached files (the only reader of content/)."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.fields import FieldReader
from sitegen.kinds import DOCUMENT_KEYS, PROFILE_KEYS, beside, read_document, read_profile
from sitegen.model import FrontMatter, Settings, SourcePage
from sitegen.sources import decode_source, ignored_name
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
# Files that may be published beside posts. Not HTML, SVG or scripts: they would run on the site.
ATTACHMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
                    ".txt", ".csv", ".zip", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".mp3", ".mp4"}
IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}
_DATE_HINT = "viết dạng 2024-01-30 hoặc 2024-01-30 09:00 hoặc 30/01/2024"
MAX_POST_BYTES = 2_000_000  # a post file larger than this is a pasted file or a mistake
MAX_TAGS = 20


@dataclass(frozen=True)
class FileInfo:
    """A file under content/ that is not a post: where it is on disk and what it holds."""

    path: Path
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ReadPost:
    """What reading one post gave, kept between builds: reused while its bytes and the files it names stay."""

    digest: str  # of the file's bytes
    section_id: str
    kind: str
    page: SourcePage | None
    problems: tuple[Problem, ...]
    refs: tuple[tuple[str, int | None], ...]  # files its front matter named, with their size (None: missing)
    unread_body: tuple[str, int] | None = None  # front matter wrong: the body and its line, to check its links


@dataclass(frozen=True)
class ContentFiles:
    """What content/ holds: the posts read, the other files (attachments, images) and the problems."""

    pages: tuple[SourcePage, ...]
    attachments: dict[str, Path]  # project-relative posix path (NFC) → the file on disk
    problems: tuple[Problem, ...] = ()
    files: dict[str, FileInfo] = field(default_factory=dict)  # the same files, with size and time
    posts: dict[str, ReadPost] = field(default_factory=dict)  # every .md file, read or not
    broken: frozenset[str] = frozenset()  # posts that could not be read (their problems say why)
    scan_posts: tuple[PostFile, ...] = ()  # the files as found (their bytes), to read a post again
    bodies: dict[str, str] = field(default_factory=dict)  # bodies of the posts read by this call (not in `pages`:
    # a build lets them go once rendered; a kept reading's body is read again when needed, see reread_body)


@dataclass(frozen=True)
class PostFile:
    """A Markdown file as found: where, in which section, its size, time and digest (and its bytes if read)."""

    path: str  # on disk (a str: a Path for each of ten thousand posts costs a build with nothing to do)
    source: str  # NFC project path
    section_id: str
    kind: str
    raw: bytes | None  # None: not read, as its size and time are those of the last build (see scan_content)
    digest: str
    size: int = 0
    mtime_ns: int = 0
    ctime_ns: int = 0

    def read(self) -> bytes:
        """The file's bytes (read now if the scan did not; OSError when it cannot be read)."""
        return self.raw if self.raw is not None else Path(self.path).read_bytes()


@dataclass(frozen=True)
class ContentScan:
    """content/ as found on disk, before any post is parsed (enough to tell whether anything changed)."""

    posts: tuple[PostFile, ...]
    attachments: dict[str, Path]
    files: dict[str, FileInfo]
    problems: tuple[Problem, ...]


def scan_content(root: Path, settings: Settings, known: Mapping[str, tuple[int, int, int, str]] | None = None
                 ) -> ContentScan:
    """Walk content/: every post's size, time and digest, every other file's size and time; located problems.

    A post whose size and times are those in `known` (source → size, modification and change time, digest:
    the last build's) is not read: its digest is taken from there, as make and Hugo trust a file's time.
    Without `known` every post is read (`build --clean` passes none).
    """
    diagnostics = Diagnostics()
    content_dir = root / CONTENT_DIR
    if not content_dir.is_dir():
        diagnostics.error(CONTENT_DIR, None, "không tìm thấy thư mục content/ chứa bài viết")
        return ContentScan((), {}, {}, diagnostics.problems)
    folders = {s.id: s.kind for s in settings.sections} | {settings.pages_folder: "pages"}
    attachments: dict[str, Path] = {}
    files: dict[str, FileInfo] = {}
    posts: list[PostFile] = []
    for path, relative in walk_project_folder(root, CONTENT_DIR, diagnostics):
        parts = tuple(relative.split("/")[1:])
        if len(parts) == 1:
            example = settings.sections[0].id if settings.sections else "tin-hoat-dong"
            diagnostics.error(relative, None, "tệp phải nằm trong thư mục của một chuyên mục, "
                                              f"ví dụ content/{example}/")
        elif parts[0] not in folders:
            diagnostics.error(relative, None,
                              f"thư mục content/{parts[0]}/ không phải chuyên mục nào trong "
                              f"site_data.yaml (các chuyên mục: {', '.join(sorted(folders))})")
        elif (suffix := os.path.splitext(path)[1].lower()) == ".md":
            try:
                info = os.stat(path)
                same = (known or {}).get(relative)
                stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns)
                if same is not None and same[:3] == stamp:
                    posts.append(PostFile(path, relative, parts[0], folders[parts[0]], None, same[3], *stamp))
                    continue
                with open(path, "rb") as handle:
                    raw = handle.read()
            except OSError:
                diagnostics.error(relative, None, "không đọc được tệp (không có quyền đọc, hoặc tệp đang bị "
                                                  "chương trình khác khóa)")
                continue
            posts.append(PostFile(path, relative, parts[0], folders[parts[0]], raw,
                                  hashlib.blake2b(raw, digest_size=16).hexdigest(), *stamp))
        elif suffix in ATTACHMENT_TYPES:
            attachments[relative] = Path(path)
            info = os.stat(path)
            files[relative] = FileInfo(attachments[relative], info.st_size, info.st_mtime_ns)
        else:
            shown = os.path.splitext(path)[1]
            diagnostics.warn(relative, None, f"loại tệp '{shown or '(không đuôi)'}' không được đăng "
                                             f"(chỉ đăng: {', '.join(sorted(ATTACHMENT_TYPES))})")
    return ContentScan(tuple(posts), attachments, files, diagnostics.problems)


def load_content(root: Path, settings: Settings, also_to: Diagnostics | None = None,
                 previous: Mapping[str, ReadPost] | None = None, scan: ContentScan | None = None) -> ContentFiles:
    """Read every Markdown file under content/; report every problem, keep going.

    The problems are in the result; `also_to`, if given, receives them too. A post whose bytes and
    named files are as in `previous` (the last build's reading) is not parsed again.
    """
    scan = scan or scan_content(root, settings)
    diagnostics = Diagnostics()
    diagnostics.add(scan.problems)
    sizes = {path: info.size for path, info in scan.files.items()}
    read: dict[str, ReadPost] = {}
    bodies: dict[str, str] = {}
    for post in scan.posts:
        read[post.source], body = _read_post(post, sizes, (previous or {}).get(post.source))
        if body is not None:
            bodies[post.source] = body
        diagnostics.add(read[post.source].problems)
    pages = tuple(post.page for post in read.values() if post.page is not None)
    broken = frozenset(relative for relative, post in read.items() if post.page is None)
    result = ContentFiles(pages, scan.attachments, diagnostics.problems, scan.files, read, broken, scan.posts, bodies)
    if also_to is not None:
        also_to.add(result.problems)
    return result


def reread_body(post: PostFile) -> str:
    """The body of a post, parsed again from its bytes (a kept reading has none: the state stays small)."""
    return _read_post(post, _EveryFile(), None)[1] or ""


class _EveryFile(Mapping[str, int]):
    """Any file asked about exists (a post read again was checked against the real files already)."""

    def __getitem__(self, key: str) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class _Recorded(Mapping[str, int]):
    """The table of files, recording which ones a post's front matter asked about."""

    def __init__(self, sizes: Mapping[str, int]) -> None:
        self._sizes = sizes
        self.asked: dict[str, int | None] = {}

    def __getitem__(self, key: str) -> int:
        self.asked[key] = self._sizes.get(key)
        return self._sizes[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked[key] = self._sizes.get(key)
        return key in self._sizes

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)


def _read_post(post: PostFile, sizes: Mapping[str, int], known: ReadPost | None) -> tuple[ReadPost, str | None]:
    """The reading of a post (its page without the body), and the body when the post was parsed now."""
    if known is not None and (known.digest, known.section_id, known.kind) == (post.digest, post.section_id,
                                                                              post.kind) \
            and all(sizes.get(ref) == size for ref, size in known.refs):
        return known, None
    diagnostics = Diagnostics()
    recorded = _Recorded(sizes)
    page = None
    try:
        try:
            raw = post.read()
        except OSError:
            raise BuildFailed([Problem(post.source, None, "không đọc được tệp (không có quyền đọc, hoặc tệp đang "
                                                          "bị chương trình khác khóa)")]) from None
        if len(raw) > MAX_POST_BYTES:
            raise BuildFailed([Problem(post.source, None, f"tệp quá lớn ({len(raw) // 1_000_000} MB, tối đa "
                                                          f"{MAX_POST_BYTES // 1_000_000} MB); có thể đã dán nhầm "
                                                          "cả một tệp khác vào đây")])
        text = decode_source(raw, post.source, diagnostics)
        page = _parse_page(text, post.section_id, post.kind, diagnostics, post.source, recorded)
    except BuildFailed as failure:
        diagnostics.add(failure.errors)
        text = None
    unread = _body_after_front_matter(text) if page is None and text is not None else None
    body = page.body if page is not None else None
    return ReadPost(post.digest, post.section_id, post.kind, replace(page, body="") if page is not None else None,
                    diagnostics.problems, tuple(sorted(recorded.asked.items())), unread), body


def _body_after_front_matter(text: str) -> tuple[str, int] | None:
    """The body of a post whose front matter is wrong, and its first line: its links are checked all the same,
    so one build reports every mistake of the post."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    return None if closing is None else ("\n".join(lines[closing + 1:]), closing + 2)


def walk_project_folder(root: Path, folder: str, diagnostics: Diagnostics,
                        keep_hidden: bool = False) -> Iterator[tuple[str, str]]:
    """Files under a project folder, sorted, as (path on disk, NFC project path).

    The rule for links and hidden files: a symbolic link (or Windows junction) is followed only when
    it leads somewhere inside the project; one that leads outside is skipped with a warning. Hidden
    files and folders (a name starting with "."), Office lock files ("~$…"), editor backups and
    temporary files are never content and never published.
    """
    top = root / folder
    project = root.resolve()
    seen: set[Path] = set()

    def visit(directory: Path, prefix: str) -> Iterator[tuple[str, str]]:
        try:
            real = directory.resolve()
        except (RuntimeError, OSError):
            return
        if real in seen:
            return
        seen.add(real)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)  # DirEntry knows its kind: no stat per file
        except OSError:
            diagnostics.warn(prefix.rstrip("/"), None, "không đọc được thư mục này (không có quyền)")
            return
        for entry in entries:
            relative = unicodedata.normalize("NFC", prefix + entry.name)
            if ignored_name(entry.name, keep_hidden and entry.is_file()):
                continue
            if entry.is_symlink() or _is_junction(entry.path):
                try:
                    target = Path(entry.path).resolve()
                except (RuntimeError, OSError):  # links that lead to each other
                    diagnostics.warn(relative, None, "là lối tắt (liên kết) vòng quanh, không dẫn tới tệp hay thư "
                                                     "mục nào nên không được dùng; hãy xoá lối tắt này")
                    continue
                if target != project and project not in target.parents:
                    diagnostics.warn(relative, None, "là lối tắt (liên kết) tới nơi ngoài thư mục dự án nên không "
                                                     "được dùng; hãy chép chính tệp hay thư mục đó vào dự án")
                    continue
            if entry.is_dir():
                yield from visit(Path(entry.path), relative + "/")
            elif entry.is_file():
                yield entry.path, relative

    if top.is_dir():
        yield from visit(top, unicodedata.normalize("NFC", Path(folder).as_posix()) + "/")


def _is_junction(path: str) -> bool:
    is_junction = getattr(os.path, "isjunction", None)  # Python 3.12+
    return bool(is_junction and is_junction(path))


def _parse_page(text: str, section_id: str, kind: str, diagnostics: Diagnostics, relative: str,
                files: Mapping[str, int]) -> SourcePage | None:
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
    front = _read_front_matter(FieldReader(data, relative, diagnostics), files, kind, diagnostics)
    if front is None or len(diagnostics.errors) > error_count:
        return None
    body = "\n".join(lines[closing + 1:])
    return SourcePage(relative, section_id, front, body, closing + 2)


def _read_image(field: FieldReader, files: Mapping[str, int], diagnostics: Diagnostics) -> str:
    """The post's image as a project-relative path; it must be one of the files under content/."""
    written = field.text("image")
    if not written:
        return ""
    if "://" in written or written.startswith("//"):
        diagnostics.error(field.path, field.line("image"),
                          "ảnh phải là tệp đặt trong content/ (không dùng ảnh từ trang web khác)")
        return ""
    if "\\" in written:
        diagnostics.error(field.path, field.line("image"),
                          f"đường dẫn ảnh '{written}' dùng dấu \\; hãy dùng dấu / (ví dụ anh/tet.jpg)")
        return ""
    target = beside(field.path, written)
    if PurePosixPath(target).suffix.lower() not in IMAGE_TYPES:
        diagnostics.error(field.path, field.line("image"),
                          f"'{written}' không phải tệp ảnh ({', '.join(sorted(IMAGE_TYPES))})")
        return ""
    inside = target.startswith(CONTENT_DIR + "/")
    if inside and any(ignored_name(part) for part in target.split("/")):
        diagnostics.error(field.path, field.line("image"),
                          f"'{written}' là tệp ẩn hoặc tệp tạm nên không được đăng; hãy dùng tệp ảnh chính")
        return ""
    if not inside or target not in files:
        diagnostics.error(field.path, field.line("image"),
                          f"không tìm thấy tệp ảnh '{written}' (đường dẫn tính từ thư mục của bài)")
        return ""
    return target


def _read_front_matter(field: FieldReader, files: Mapping[str, int], kind: str,
                       diagnostics: Diagnostics) -> FrontMatter | None:
    relative = field.path
    extra = {"profiles": PROFILE_KEYS, "documents": DOCUMENT_KEYS}.get(kind, set())
    field.warn_unknown(FRONT_MATTER_KEYS | extra)
    title = field.text("title", required=True)
    profile = read_profile(field) if kind == "profiles" else None
    document = read_document(field, relative, files) if kind == "documents" else None
    if document is not None and "date" not in field.mapping:
        date = document.issued  # a document is dated by its issue date unless told otherwise
    else:
        date = field.moment("date", required=kind != "documents", what="ngày đăng")
    updated = field.moment("updated")
    slug = field.text("slug")
    if slug and slugify(slug) != slug:
        diagnostics.warn(relative, field.line("slug"),
                         f"slug '{slug}' có dấu hoặc ký tự đặc biệt; dùng '{slugify(slug)}'")
        slug = slugify(slug)
    image = _read_image(field, files, diagnostics)
    image_alt = field.text("image_alt")
    image_focus = _read_focus(field)
    if image and not image_alt:
        diagnostics.warn(relative, field.line("image"),
                         "ảnh chưa có mô tả (image_alt) cho người đọc dùng trình đọc màn hình")
    if date is None or not title:
        return None
    tags = field.text_list("tags")
    if len(tags) > MAX_TAGS:
        diagnostics.error(relative, field.line("tags"), f"bài có {len(tags)} thẻ; tối đa {MAX_TAGS} thẻ mỗi bài")
        return None
    return FrontMatter(
        title=title, date=date, summary=field.text("summary"), tags=tags,
        image=image, image_alt=image_alt, author=field.text("author"), unit=field.text("unit"),
        slug=slug, draft=field.flag("draft"), featured=field.flag("featured"), updated=updated,
        cites=field.text_list("documents"), cites_line=field.line("documents"), image_line=field.line("image"),
        title_line=field.line("title"),
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
