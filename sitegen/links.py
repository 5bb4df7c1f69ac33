"""Resolving the links staff write in posts (to other .md files, attachments, site paths)."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from sitegen.content import CONTENT_DIR, IMAGE_TYPES
from sitegen.errors import Diagnostics
from sitegen.images import ImageCatalog, ImageError, ResponsiveImage
from sitegen.model import Route
from sitegen.routes import RoutePlan, attachment_path
from sitegen.urls import relative_url

_SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


@dataclass
class LinkLog:
    """What the pages' links used, gathered while rendering Markdown."""

    attachments: set[str] = field(default_factory=set)
    page_links: dict[str, set[str]] = field(default_factory=dict)  # source → site paths of pages it links to
    # (source, line, href, site path): links written from the site root, checked once all pages exist
    site_links: list[tuple[str, int | None, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class LinkContext:
    """Everything links can point at in one build."""

    routes: dict[str, Route]
    left_out: dict[str, str]
    attachments: frozenset[str]
    sections: frozenset[str]
    diagnostics: Diagnostics
    log: LinkLog
    images: ImageCatalog

    @classmethod
    def of(cls, plan: RoutePlan, attachments: Iterable[str], sections: frozenset[str],
           diagnostics: Diagnostics, images: ImageCatalog) -> LinkContext:
        """The link context of a route plan."""
        return cls(plan.by_source(), plan.left_out, frozenset(attachments), sections, diagnostics, LinkLog(),
                   images)


@dataclass(frozen=True)
class LinkResolver:
    """Rewrites the links of one page; reports links to nowhere with file and line."""

    route: Route
    context: LinkContext

    def resolve(self, href: str, is_image: bool = False) -> str:
        """The URL to put in the page for `href` as written in Markdown."""
        if _WINDOWS_PATH.match(href):
            return self._error(href, f"'{href}' là đường dẫn trên máy tính; hãy chép tệp vào thư mục của "
                                     "bài trong content/ rồi liên kết bằng tên tệp")
        parts = urlsplit(href)
        if parts.scheme and parts.scheme.lower() not in _SAFE_SCHEMES:
            self.context.diagnostics.warn(self.route.source.source, self._line(href),
                                          f"liên kết '{href}' bị bỏ vì không an toàn")
            return href  # the sanitiser drops it
        if parts.scheme or parts.netloc:
            if is_image:
                return self._error(href, f"ảnh '{href}' lấy từ trang web khác; hãy tải ảnh về, đặt cạnh "
                                         "bài trong content/ và dùng tên tệp (trang không tải gì từ bên ngoài)")
            return href
        if href.startswith("#") or not parts.path:
            return href
        if "\\" in parts.path:
            return self._error(href, f"liên kết '{href}' dùng dấu \\; hãy dùng dấu / (ví dụ ../tin-hoat-dong/bai.md)")
        suffix = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        path = unicodedata.normalize("NFC", unquote(parts.path))
        if path.startswith("/") and not path.endswith(".md"):
            site_path = path.lstrip("/")
            self.context.log.site_links.append((self.route.source.source, self._line(href), href, site_path))
            return relative_url(self.route.path, quote(site_path)) + suffix
        if path.startswith("/"):
            target = posixpath.normpath(f"{CONTENT_DIR}/{path.lstrip('/')}")
        else:
            source_dir = posixpath.dirname(self.route.source.source)
            target = posixpath.normpath(posixpath.join(source_dir, path))
        site_path = self._site_path(href, target)
        return href if site_path is None else relative_url(self.route.path, quote(site_path)) + suffix

    def image(self, src: str, alt: str) -> ResponsiveImage | None:
        """The resized copies of a photo beside the post; None for anything else (left to resolve)."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or "\\" in src or _WINDOWS_PATH.match(src):
            return None
        path = unicodedata.normalize("NFC", unquote(parts.path))
        if path.startswith("/"):
            target = posixpath.normpath(f"{CONTENT_DIR}/{path.lstrip('/')}")
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.route.source.source), path))
        if target not in self.context.attachments or PurePosixPath(target).suffix.lower() not in IMAGE_TYPES:
            return None
        if not alt.strip():
            self.context.diagnostics.warn(self.route.source.source, self._line(src),
                                          f"ảnh '{src}' chưa có mô tả: viết ![mô tả ảnh]({src})")
        try:
            return self.context.images.get(target)
        except ImageError as problem:
            self._error(src, f"ảnh '{src}': {problem}")
            return None

    def url(self, site_path: str) -> str:
        """Relative URL from this page to a site path."""
        return relative_url(self.route.path, quote(site_path))

    def _site_path(self, href: str, target: str) -> str | None:
        context = self.context
        folder = target.removeprefix(CONTENT_DIR + "/")
        if not target.startswith(CONTENT_DIR + "/"):
            self._error(href, f"liên kết '{href}' trỏ ra ngoài thư mục content/")
        elif target in context.routes:
            linked = context.routes[target].path
            context.log.page_links.setdefault(self.route.source.source, set()).add(linked)
            return linked
        elif target in context.left_out:
            self._error(href, f"liên kết '{href}' trỏ tới bài chưa đăng ({context.left_out[target]})")
        elif target in context.attachments:
            context.log.attachments.add(target)
            return attachment_path(target)
        elif folder in context.sections:
            return f"{folder}/"
        elif target.endswith(".md"):
            self._error(href, f"liên kết '{href}' trỏ tới bài không tồn tại ({target})")
        else:
            self._error(href, f"liên kết '{href}' trỏ tới tệp không tồn tại hoặc không được đăng ({target})")
        return None

    def _line(self, href: str) -> int | None:
        source = self.route.source
        index = source.body.find(href)
        return source.body_line + source.body.count("\n", 0, index) if index >= 0 else None

    def _error(self, href: str, message: str) -> str:
        self.context.diagnostics.error(self.route.source.source, self._line(href), message)
        return href
