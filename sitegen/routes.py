"""Which source pages are published, and at which site path; duplicate paths are errors."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from sitegen.content import CONTENT_DIR
from sitegen.errors import Diagnostics, Problem
from sitegen.fields import moment_line
from sitegen.model import GENERATED_FOLDERS, Route, Settings, SourcePage
from sitegen.text import format_date_short, slugify, windows_safe

_PAGINATION = re.compile(r"^trang-\d+$")
MEDIA_DIR = "media"
FAR_AHEAD = timedelta(days=366)  # a post dated further ahead than this is most likely a mistyped year
EARLIEST_YEAR = 2000  # the site began in 2021: a post dated before this is a mistyped year too


def media_stem(source: str) -> str:
    """ASCII site path, without extension, for a file under content/: the same on every build.

    content/tin-hoat-dong/Ảnh trao quà 1.jpg → media/tin-hoat-dong/anh-trao-qua-1 (portals and
    chat apps mangle spaces and Vietnamese letters in addresses).
    """
    relative = PurePosixPath(source).relative_to(CONTENT_DIR)
    folders = [_ascii_name(part) for part in relative.parent.parts]
    return "/".join([MEDIA_DIR, *folders, _ascii_name(relative.stem)])


def attachment_path(source: str) -> str:
    """Site path of a file attached under content/: content/a/Kế hoạch.PDF → media/a/ke-hoach.pdf."""
    return media_stem(source) + PurePosixPath(source).suffix.lower()


def _ascii_name(name: str) -> str:
    return windows_safe(slugify(name) or "tep-" + hashlib.sha1(name.encode()).hexdigest()[:8])


@dataclass(frozen=True)
class RoutePlan:
    """Published routes, and why the other sources were left out (for link errors)."""

    routes: tuple[Route, ...]
    left_out: dict[str, str]  # source → Vietnamese reason

    def by_source(self) -> dict[str, Route]:
        """Routes keyed by their source file."""
        return {route.source.source: route for route in self.routes}


def plan_routes(sources: tuple[SourcePage, ...], settings: Settings, drafts: bool, future: bool,
                now: datetime, diagnostics: Diagnostics) -> RoutePlan:
    """Decide the path of every publishable page and report paths claimed twice."""
    routes: list[Route] = []
    left_out: dict[str, str] = {}
    for source in sources:
        if source.front.draft and not drafts:
            left_out[source.source] = "bài nháp (draft: true)"
            continue
        diagnostics.add(date_problems(source, now, future))
        if source.front.date > now and not future:
            moment = source.front.date
            left_out[source.source] = f"bài hẹn giờ, sẽ đăng lúc {moment:%H:%M} {format_date_short(moment)}"
            continue
        routes.append(_route(source, settings))
    _check_paths(routes, settings, diagnostics)
    return RoutePlan(tuple(routes), left_out)


def date_problems(source: SourcePage, now: datetime, future: bool) -> tuple[Problem, ...]:
    """A warning, at the date's line, for a post dated more than a year ahead of `now` or before 2000."""
    front = source.front
    moment = front.date
    document = front.document
    key = "issued" if document is not None and moment_line(document.issued) == moment_line(moment) else "date"
    day = moment.date().isoformat()
    if moment - now > FAR_AHEAD:
        held = "bài được đăng vì dựng với --future" if future else "bài sẽ không được đăng cho tới ngày đó"
        message = (f"ngày đăng {day}: có gõ nhầm năm? Ngày này còn hơn một năm nữa mới tới ({held}); "
                   f"nếu gõ nhầm, hãy sửa năm ở mục '{key}'")
    elif moment.year < EARLIEST_YEAR and document is None:  # documents may be old laws; posts are not
        message = f"ngày đăng {day}: có gõ nhầm năm? Hãy sửa năm ở mục '{key}' (ví dụ {now.year})"
    else:
        return ()
    return (Problem(source.source, moment_line(moment), message, warning=True),)


def page_slug(source: SourcePage) -> str:
    """front matter `slug`, else the file name, else the title; never empty."""
    stem = PurePosixPath(source.source).stem
    return windows_safe(source.front.slug or slugify(stem) or slugify(source.front.title)
                        or "bai-viet-" + hashlib.sha1(source.source.encode()).hexdigest()[:8])


def _route(source: SourcePage, settings: Settings) -> Route:
    slug = page_slug(source)
    if source.section_id == settings.pages_folder:
        return Route(source, f"{slug}/", is_post=False)
    return Route(source, f"{source.section_id}/{slug}/", is_post=True)


def _check_paths(routes: list[Route], settings: Settings, diagnostics: Diagnostics) -> None:
    claimed: dict[str, str] = {f"{s.id}/": f"trang danh sách chuyên mục '{s.title}'"
                               for s in settings.sections}
    claimed.update({f"{name}/": what for name, what in GENERATED_FOLDERS.items()})
    owners: dict[str, Route] = {}
    for route in routes:
        source = route.source.source
        slug = route.path.rstrip("/").rsplit("/", 1)[-1]
        if route.is_post and _PAGINATION.match(slug):
            diagnostics.error(source, None, f"đường dẫn '{slug}' trùng dạng trang phân trang của "
                                            "chuyên mục; hãy đổi tên tệp hoặc đặt slug khác")
        elif route.path in claimed:
            diagnostics.error(source, None, f"đường dẫn /{route.path} trùng với {claimed[route.path]}; "
                                            "hãy đổi tên tệp hoặc đặt slug khác")
        elif route.path in owners:
            other = owners[route.path].source.source
            diagnostics.error(source, None, f"đường dẫn /{route.path} trùng với bài {other}; "
                                            "hãy đổi tên tệp hoặc đặt slug khác cho một trong hai bài")
        else:
            owners[route.path] = route
