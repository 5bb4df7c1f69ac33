"""Resolving every URL a post writes (Markdown, raw HTML, attribute lists) against one table of the site."""

# One resolver for every URL attribute in a post body: a link (`a href`) may lead to another post
# (`../tuyen-truyen/x.md`), a file beside the post, a page of the site (`/the/tet/`) or another web
# site; a resource (`src`, `srcset`, `poster`, `data`…) is fetched by the reader's browser, so it must
# be a file of the site: one from another site would tell that site who reads what. Every problem is
# returned with the line where the URL is written; the table is what the links were looked up in, and
# each look-up is recorded so a cached rendering is reused only while every answer is still the same.

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from urllib.parse import SplitResult, quote, unquote, urlsplit

from sitegen.content import CONTENT_DIR, IMAGE_TYPES
from sitegen.errors import Problem
from sitegen.images import ResponsiveImage
from sitegen.routes import attachment_path
from sitegen.text import slugify
from sitegen.urls import relative_url

LINK_SCHEMES = {"http", "https", "mailto", "tel"}
CITE_SCHEMES = {"http", "https"}
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]|^\\\\|^//[^/]*\\")
_DELIMITED = "(?:^|(?<=[(<\"'=\\s])|(?<=\\]: ))"
_END = "(?=[)>\"'\\s#?]|$)"


@dataclass(frozen=True)
class LinkTable:
    """What links can point at in one build: shared by every page and sent once to each worker."""

    routes: Mapping[str, str]  # source file → site path of its page
    left_out: Mapping[str, str]  # source file → why it is not published
    attachments: frozenset[str]  # NFC project paths of the files under content/
    sections: frozenset[str]
    images: Mapping[str, ResponsiveImage]  # photos that can be shown, by project path
    image_problems: Mapping[str, str]  # photos that cannot, with the reason
    reserved_ids: frozenset[str]  # ids the templates use around a post body

    def answer(self, table: str, key: str) -> object:
        """One look-up, as recorded for the cache."""
        if table == "route":
            return self.routes.get(key), self.left_out.get(key)
        if table == "file":
            return key in self.attachments
        if table == "section":
            return key in self.sections
        if table == "image":
            image = self.images.get(key)
            return (image.variants, image.width, image.height) if image else self.image_problems.get(key)
        if table in ("near-page", "near-file"):
            return self.nearest(key, pages=table == "near-page")
        raise KeyError(table)

    def nearest(self, target: str, pages: bool) -> str | None:
        """The existing post (when `pages`) or file most like a missing `target`, or None.

        Asked only for a broken link: it reads every name in the table.
        """
        names: list[str] = list(self.attachments)
        if pages:
            names += [*self.routes, *self.left_out]
        return nearest_name(target, names)


@dataclass(frozen=True)
class SiteLink:
    """A link written from the site root ("/the/tet/"), checked once every output is known."""

    source: str
    line: int | None
    href: str
    site_path: str


@dataclass(frozen=True)
class Anchor:
    """A link to a place in a page ("#muc-2", "../x.md#ket-qua"), checked by `check` once every page is known."""

    site_path: str  # the page the link leads to (this page for "#…")
    fragment: str
    line: int | None
    href: str


@dataclass(frozen=True)
class LinkFindings:
    """What resolving one page's URLs found."""

    problems: tuple[Problem, ...] = ()
    page_links: tuple[str, ...] = ()  # site paths of the pages it links to
    attachments: tuple[str, ...] = ()  # files it publishes by linking to them
    images: tuple[str, ...] = ()  # photos it shows as responsive pictures
    site_links: tuple[SiteLink, ...] = ()
    lookups: tuple[tuple[str, str, object], ...] = ()
    anchors: tuple[Anchor, ...] = ()

    def adding(self, problems: Iterable[Problem]) -> LinkFindings:
        """The same findings with more problems (found while rendering, outside the links)."""
        extra = tuple(problems)
        return replace(self, problems=self.problems + extra) if extra else self


def nearest_name(target: str, names: Iterable[str]) -> str | None:
    """Of `names` (project paths), the one a mistyped `target` most likely meant, or None.

    In order: the same name with an extension (the link forgot ".md" or ".pdf"), the same name but for
    case, marks, spaces or extension, the same file name in another folder, then the closest spelling
    in the same folder, then anywhere.
    """
    candidates = sorted(set(names) - {target})
    with_suffix = [name for name in candidates if name.startswith(target + ".") and "/" not in name[len(target):]]
    if with_suffix:
        return min(with_suffix, key=lambda name: (not name.endswith(".md"), name))
    folder, base = posixpath.split(target)
    wanted, wanted_base = _name_key(target), _name_key(base)
    keyed = [(name, _name_key(name)) for name in candidates]
    same = [name for name, key in keyed if key == wanted]
    same = same or [name for name, key in keyed if key.rsplit("/", 1)[-1] == wanted_base]
    if same:
        return same[0]
    beside = {key.rsplit("/", 1)[-1]: name for name, key in keyed if posixpath.dirname(name) == folder}
    close = difflib.get_close_matches(wanted_base, list(beside), n=1, cutoff=0.7)
    if close:
        return beside[close[0]]
    anywhere = {key: name for name, key in keyed}
    close = difflib.get_close_matches(wanted, list(anywhere), n=1, cutoff=0.85)
    return anywhere[close[0]] if close else None


def _name_key(path: str) -> str:
    """A path compared without case, marks, spacing or the file's extension: "Kế Hoạch.PDF" → "ke-hoach"."""
    folder, base = posixpath.split(path)
    stem = PurePosixPath(base).stem if "." in base.lstrip(".") else base
    return "/".join([*(slugify(part) for part in folder.split("/") if part), slugify(stem) or stem])


@dataclass
class PageResolver:
    """Resolves the URLs of one page while it is rendered; `findings()` returns what it found."""

    source: str  # "content/tin-hoat-dong/x.md"
    page_path: str  # "tin-hoat-dong/x/"
    body: str
    body_line: int
    table: LinkTable
    _problems: list[Problem] = field(default_factory=list)
    _pages: dict[str, None] = field(default_factory=dict)
    _attachments: dict[str, None] = field(default_factory=dict)
    _images: dict[str, None] = field(default_factory=dict)
    _site_links: list[SiteLink] = field(default_factory=list)
    _anchors: list[Anchor] = field(default_factory=list)
    _lookups: dict[tuple[str, str], object] = field(default_factory=dict)
    _seen: dict[str, int] = field(default_factory=dict)  # URL → where the next search for it starts

    # --- the kinds of URL ---------------------------------------------------------------

    def link(self, href: str) -> str | None:
        """An `a href`: the URL to publish, or None to drop it."""
        href = href.strip()
        if href.startswith("#") and len(href) > 1:
            self._anchors.append(Anchor(self.page_path, unquote(href[1:]), self._line(href), href))
        if not href or href.startswith("#"):
            return href
        if _WINDOWS_PATH.match(href):
            return self._error(href, f"'{href}' là đường dẫn trên máy tính; hãy chép tệp vào thư mục của bài "
                                     "trong content/ rồi liên kết bằng tên tệp")
        parts = _split(href)
        if parts is None:
            return self._error(href, _NOT_AN_ADDRESS.format(href))
        scheme = parts.scheme.lower()
        if scheme and scheme not in LINK_SCHEMES:
            self._warn(href, f"liên kết '{href}' bị bỏ vì không an toàn (chỉ dùng http, https, mailto, tel)")
            return None
        if scheme or parts.netloc:
            return href  # another web site: a link, fetched only when the reader follows it
        return self._local(href, parts, as_resource=False)

    def resource(self, url: str, what: str = "tệp") -> str | None:
        """A `src`, `poster`, `data`…: fetched by the browser, so only a file of the site; None drops it."""
        url = url.strip()
        if not url:
            return None
        parts = _split(url)
        if parts is None:
            return self._error(url, _NOT_AN_ADDRESS.format(url))
        if parts.scheme or parts.netloc or url.startswith("//") or _WINDOWS_PATH.match(url):
            if parts.scheme.lower() in ("http", "https") or url.startswith("//"):
                self._warn(url, f"{what} '{url}' lấy từ trang web khác nên đã bị bỏ (trang không tải gì từ bên "
                                "ngoài, để không ai theo dõi được người đọc); hãy tải về, đặt cạnh bài trong "
                                "content/ và dùng tên tệp")
            elif _WINDOWS_PATH.match(url):
                self._error(url, f"'{url}' là đường dẫn trên máy tính; hãy chép tệp vào thư mục của bài trong "
                                 "content/ rồi dùng tên tệp")
            else:
                self._warn(url, f"{what} '{url}' bị bỏ vì không an toàn")
            return None
        return self._local(url, parts, as_resource=True)

    def srcset(self, value: str) -> str | None:
        """A `srcset`: every candidate resolved as a resource; None when none is left."""
        kept = []
        for candidate in (c.strip() for c in value.split(",")):
            if not candidate:
                continue
            url, _, descriptor = candidate.partition(" ")
            resolved = self.resource(url, "ảnh")
            if resolved:
                kept.append(f"{resolved} {descriptor.strip()}".strip())
        return ", ".join(kept) or None

    def cite(self, value: str) -> str | None:
        """A `cite` (the source of a quotation, never fetched): a web address or a page of the site."""
        parts = _split(value.strip())
        if parts is None:
            return self._error(value, _NOT_AN_ADDRESS.format(value.strip()))
        if parts.scheme and parts.scheme.lower() not in CITE_SCHEMES:
            self._warn(value, f"nguồn trích dẫn '{value}' bị bỏ vì không an toàn")
            return None
        return value if parts.scheme else self.link(value)

    def photo(self, src: str, alt: str) -> ResponsiveImage | None:
        """The resized copies of a photo beside the post (Markdown `![…](anh.jpg)`); None for anything else."""
        parts = _split(src)
        if parts is None or parts.scheme or parts.netloc or "\\" in src or _WINDOWS_PATH.match(src):
            return None  # not a photo beside the post: resource() says why
        target = self._target(unicodedata.normalize("NFC", unquote(parts.path)))
        if PurePosixPath(target).suffix.lower() not in IMAGE_TYPES or not self._has_file(target):
            return None
        problem = self._look("image", target)
        if not isinstance(problem, tuple):
            if problem:
                self._error(src, f"ảnh '{src}': {problem}")
            return None
        if not alt.strip():
            self._warn(src, f"ảnh '{src}' chưa có mô tả: viết ![mô tả ảnh]({src})")
        self._images[target] = None
        return self.table.images[target]

    def url(self, site_path: str) -> str:
        """Relative URL from this page to a site path."""
        return relative_url(self.page_path, quote(site_path))

    def fix_id(self, value: str) -> str:
        """An id from the post that a template uses too gets a prefix, so neither page nor script breaks."""
        return f"muc-{value}" if value in self.table.reserved_ids else value

    # --- problems -----------------------------------------------------------------------

    def warn(self, text: str, message: str) -> None:
        """A warning at the line where `text` is written."""
        self._warn(text, message)

    def error(self, text: str, message: str) -> None:
        """An error at the line where `text` is written."""
        self._error(text, message)

    def findings(self) -> LinkFindings:
        """Everything found so far, as a value."""
        unique = tuple(dict.fromkeys(self._problems))
        return LinkFindings(unique, tuple(self._pages), tuple(self._attachments), tuple(self._images),
                            tuple(self._site_links), tuple((t, k, a) for (t, k), a in self._lookups.items()),
                            tuple(self._anchors))

    # --- inside ---------------------------------------------------------------------------

    def _local(self, href: str, parts: object, as_resource: bool) -> str | None:
        path_text = parts.path  # type: ignore[attr-defined]
        if not path_text:
            return href
        if "\\" in path_text:
            return self._error(href, f"liên kết '{href}' dùng dấu \\; hãy dùng dấu / (ví dụ ../tin-hoat-dong/bai.md)")
        query, fragment = parts.query, parts.fragment  # type: ignore[attr-defined]
        suffix = ("?" + query if query else "") + ("#" + fragment if fragment else "")
        path = unicodedata.normalize("NFC", unquote(path_text))
        if path.startswith("/") and not path.endswith(".md"):
            site_path = path.lstrip("/")
            self._site_links.append(SiteLink(self.source, self._line(href), href, site_path))
            return relative_url(self.page_path, quote(site_path)) + suffix
        target = self._target(path)
        site_path = self._site_path(href, target, as_resource)
        if site_path is not None and fragment and not as_resource:
            self._anchors.append(Anchor(site_path, unquote(fragment), self._line(href), href))
        return None if site_path is None else relative_url(self.page_path, quote(site_path)) + suffix

    def _target(self, path: str) -> str:
        if path.startswith("/"):
            return posixpath.normpath(f"{CONTENT_DIR}/{path.lstrip('/')}")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.source), path))

    def _look(self, table: str, key: str) -> object:
        answer = self.table.answer(table, key)
        self._lookups[(table, key)] = answer
        return answer

    def _has_file(self, target: str) -> bool:
        return bool(self._look("file", target))

    def _site_path(self, href: str, target: str, as_resource: bool) -> str | None:
        folder = target.removeprefix(CONTENT_DIR + "/")
        if not target.startswith(CONTENT_DIR + "/"):
            return self._error(href, f"liên kết '{href}' trỏ ra ngoài thư mục content/")
        if target.endswith(".md") or not as_resource:
            route, left_out = self._look("route", target)  # type: ignore[misc]
            if route is not None:
                if as_resource:
                    return self._error(href, f"'{href}' là một bài viết, không phải ảnh hay tệp")
                self._pages[route] = None
                return route
            if left_out is not None:
                return self._error(href, f"liên kết '{href}' trỏ tới bài chưa đăng ({left_out})")
        if self._has_file(target):
            self._attachments[target] = None
            return attachment_path(target)
        if not as_resource and self._look("section", folder):
            return f"{folder}/"
        hint = self._hint(href, target, pages=not as_resource)
        if target.endswith(".md"):
            return self._error(href, f"liên kết '{href}' trỏ tới bài không tồn tại ({target}){hint}")
        return self._error(href, f"'{href}' trỏ tới tệp không tồn tại hoặc không được đăng ({target}){hint}")

    def _hint(self, href: str, target: str, pages: bool) -> str:
        """"; có phải '…'?" naming, as the post would write it, the post or file a broken link most likely meant."""
        meant = self._look("near-page" if pages else "near-file", target)
        if not isinstance(meant, str):
            return ""
        parts = urlsplit(href)
        folder = posixpath.dirname(parts.path.rstrip("/"))
        if posixpath.dirname(meant) == posixpath.dirname(target):  # only the name is wrong: keep the way there
            written = posixpath.join(folder, posixpath.basename(meant))
        elif parts.path.startswith("/"):
            written = "/" + meant.removeprefix(CONTENT_DIR + "/")
        else:
            written = posixpath.relpath(meant, posixpath.dirname(self.source))
        written += ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        suffix = PurePosixPath(meant).suffix
        if PurePosixPath(meant).with_suffix("") == PurePosixPath(target) and suffix:
            return f"; thiếu đuôi {suffix}? có phải '{written}'?"
        return f"; có phải '{written}'?"

    def _line(self, text: str) -> int | None:
        """The line of the next place `text` is written as a URL (repeats are found in order)."""
        for written in dict.fromkeys((text, text.replace("\\", "\\\\"), quote(text, safe="/:#?&=%"))):
            pattern = re.compile(_DELIMITED + re.escape(written) + _END, re.MULTILINE)
            start = self._seen.get(written, 0)
            match = pattern.search(self.body, start) or pattern.search(self.body)
            if match:
                self._seen[written] = match.end()
                return self.body_line + self.body.count("\n", 0, match.start())
        index = self.body.find(text)
        return self.body_line + self.body.count("\n", 0, index) if index >= 0 else None

    def _warn(self, text: str, message: str) -> None:
        self._problems.append(Problem(self.source, self._line(text), message, warning=True))

    def _error(self, text: str, message: str) -> None:
        self._problems.append(Problem(self.source, self._line(text), message))
        return None


_NOT_AN_ADDRESS = ("'{}' không phải một địa chỉ hợp lệ (sau http:// hay https:// phải là tên trang web, không có "
                   "dấu [ ]); có lẽ là chỗ còn để trống: hãy ghi địa chỉ thật hoặc bỏ liên kết")


def _split(url: str) -> SplitResult | None:
    """The parts of a URL; None for one Python cannot read (a "host" in brackets that is no IP: "http://[…]")."""
    try:
        return urlsplit(url)
    except ValueError:
        return None
