"""The build as a fixed list of named, timed stages: config → content → … → write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sitegen.assets import scan_assets
from sitegen.config import CONFIG_FILE, load_settings
from sitegen.content import load_content
from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.links import LinkResolver, attachment_path
from sitegen.listings import build_site, make_page
from sitegen.markup import MarkdownRenderer
from sitegen.model import BuildOptions, MenuItem, Page
from sitegen.output import check_output_dir, write_site
from sitegen.records import data_files, derive
from sitegen.render import documents_for, render_documents
from sitegen.routes import plan_routes
from sitegen.text import VIETNAM_TZ


@dataclass(frozen=True)
class StageTiming:
    """How long one stage took."""

    name: str
    seconds: float


@dataclass(frozen=True)
class BuildReport:
    """What a successful build did, for the summary printed to staff."""

    pages: int
    files: int
    left_out: int
    warnings: tuple[Problem, ...]
    timings: tuple[StageTiming, ...]
    output: Path

    @property
    def seconds(self) -> float:
        """Total time of all stages."""
        return sum(t.seconds for t in self.timings)


class _Stopwatch:
    """Times the named stages of one build."""

    def __init__(self) -> None:
        self.timings: list[StageTiming] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append(StageTiming(name, time.perf_counter() - start))


def build(options: BuildOptions, progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build the site of `options.root` into `options.output`; raise BuildFailed on any error."""
    diagnostics = Diagnostics()
    try:
        return _build(options, diagnostics, progress or (lambda _: None))
    except BuildFailed as failure:
        raise BuildFailed(failure.errors, tuple(diagnostics.warnings)) from None


def _build(options: BuildOptions, diagnostics: Diagnostics, progress: Callable[[str], None]) -> BuildReport:
    root = options.root
    now = options.now or datetime.now(VIETNAM_TZ)
    clock = _Stopwatch()
    check_output_dir(root, options.output)

    with clock.stage("cấu hình"):
        progress("Đọc site_data.yaml…")
        settings = load_settings(root, diagnostics, options.base_url)
    with clock.stage("nội dung"):
        progress("Đọc bài viết trong content/…")
        content = load_content(root, settings, diagnostics)
        plan = plan_routes(content.pages, settings, options.drafts, options.future, now, diagnostics)
        diagnostics.stop_if_failed()
    with clock.stage("Markdown"):
        renderer = MarkdownRenderer()
        attachments = frozenset(content.attachments)
        pages: list[Page] = []
        for route in plan.routes:
            resolver = LinkResolver.for_route(route, plan, attachments, diagnostics)
            pages.append(make_page(route, renderer.render(route.source.body, resolver), settings))
        diagnostics.stop_if_failed()
    with clock.stage("mô hình"):
        site = build_site(pages, settings)
        results = derive(settings.records)
        documents = documents_for(site, results)
        _check_menu(settings.menu, {d.path for d in documents}, diagnostics)
    with clock.stage("dựng trang"):
        progress(f"Dựng {len(documents)} trang…")
        assets = scan_assets(root)
        rendered = render_documents(root, site, results, documents, assets, diagnostics)
        diagnostics.stop_if_failed()
        page_count = len(rendered)
        if settings.records.present:
            rendered.update(data_files(results))
    with clock.stage("ghi"):
        copies = {asset.site_path: asset.source for asset in assets.assets.values()}
        copies.update({attachment_path(a): root / a for a in content.attachments})
        written = write_site(root, options.output, rendered, copies)
    return BuildReport(pages=page_count, files=written.files, left_out=len(plan.left_out),
                       warnings=tuple(diagnostics.warnings), timings=tuple(clock.timings),
                       output=written.output)


def _check_menu(menu: tuple[MenuItem, ...], paths: set[str], diagnostics: Diagnostics) -> None:
    """Every menu item inside the site must lead to a page that exists."""
    for item in menu:
        if not item.external and item.target.split("#")[0] not in paths:
            diagnostics.error(CONFIG_FILE, item.line,
                              f"mục menu '{item.title}' trỏ tới /{item.target} nhưng site không có trang này")
