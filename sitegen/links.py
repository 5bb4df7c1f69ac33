"""Resolving the links staff write in posts (to other .md files, attachments, site paths)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sitegen.content import CONTENT_DIR
from sitegen.errors import Diagnostics
from sitegen.model import Route
from sitegen.routes import RoutePlan
from sitegen.urls import relative_url

MEDIA_DIR = "media"


def attachment_path(source: str) -> str:
    """Site path of a file attached under content/: content/a/b.pdf → media/a/b.pdf."""
    return f"{MEDIA_DIR}/{source[len(CONTENT_DIR) + 1:]}"


@dataclass(frozen=True)
class LinkResolver:
    """Rewrites the links of one page; reports links to nowhere with file and line."""

    route: Route
    plan_routes: dict[str, Route]
    left_out: dict[str, str]
    attachments: frozenset[str]
    diagnostics: Diagnostics

    @classmethod
    def for_route(cls, route: Route, plan: RoutePlan, attachments: frozenset[str],
                  diagnostics: Diagnostics) -> LinkResolver:
        """A resolver for one route of the plan."""
        return cls(route, plan.by_source(), plan.left_out, attachments, diagnostics)

    def resolve(self, href: str) -> str:
        """The URL to put in the page for `href` as written in Markdown."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
            return href
        suffix = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        path = unquote(parts.path)
        if path.startswith("/") and not path.endswith(".md"):
            return relative_url(self.route.path, path.lstrip("/")) + suffix
        if path.startswith("/"):
            target = posixpath.normpath(f"{CONTENT_DIR}/{path.lstrip('/')}")
        else:
            source_dir = posixpath.dirname(self.route.source.source)
            target = posixpath.normpath(posixpath.join(source_dir, path))
        site_path = self._site_path(href, target)
        return href if site_path is None else relative_url(self.route.path, site_path) + suffix

    def _site_path(self, href: str, target: str) -> str | None:
        if not target.startswith(CONTENT_DIR + "/"):
            self._error(href, f"liên kết '{href}' trỏ ra ngoài thư mục content/")
        elif target in self.plan_routes:
            return self.plan_routes[target].path
        elif target in self.left_out:
            self._error(href, f"liên kết '{href}' trỏ tới bài chưa đăng ({self.left_out[target]})")
        elif target in self.attachments:
            return attachment_path(target)
        elif target.endswith(".md"):
            self._error(href, f"liên kết '{href}' trỏ tới bài không tồn tại ({target})")
        else:
            self._error(href, f"liên kết '{href}' trỏ tới tệp không tồn tại ({target})")
        return None

    def _error(self, href: str, message: str) -> None:
        source = self.route.source
        index = source.body.find(href)
        line = source.body_line + source.body.count("\n", 0, index) if index >= 0 else None
        self.diagnostics.error(source.source, line, message)
