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
from sitegen.content import CONTENT_DIR, load_content
from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.feeds import feeds, robots, sitemap
from sitegen.images import CACHE_DIR as IMAGE_CACHE
from sitegen.images import ImageCatalog, ImageError, produce
from sitegen.links import LinkContext, LinkLog, LinkResolver
from sitegen.listings import assign_tag_slugs, build_site, make_page
from sitegen.markup import MarkdownRenderer
from sitegen.model import BuildOptions, MenuItem, Page, Route
from sitegen.output import check_output_dir, write_site
from sitegen.records import data_files, derive
from sitegen.render import documents_for, render_documents
from sitegen.routes import attachment_path, plan_routes
from sitegen.search import build_index
from sitegen.search import documents as search_documents
from sitegen.text import VIETNAM_TZ, citation_key


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
        images = ImageCatalog(content.attachments)
        _check_images(plan.routes, images, diagnostics)
        sections = frozenset(s.id for s in settings.sections)
        links = LinkContext.of(plan, content.attachments, sections, diagnostics, images)
        tag_slugs, clashes = assign_tag_slugs(name for r in plan.routes for name in r.source.front.tags)
        for first, second in clashes:
            diagnostics.warn(CONTENT_DIR, None, f"thẻ '{first}' và '{second}' chỉ khác dấu nên có hai trang "
                                                f"thẻ riêng; nếu là một thẻ, hãy viết giống nhau")
        pages: list[Page] = []
        for route in plan.routes:
            resolver = LinkResolver(route, links)
            markup = renderer.render(route.source.body, resolver)
            linked = tuple(sorted(links.log.page_links.get(route.source.source, ())))
            pages.append(make_page(route, markup, settings, tag_slugs, linked))
        _check_citations(plan.routes, diagnostics)
        diagnostics.stop_if_failed()
    with clock.stage("mô hình"):
        site = build_site(pages, settings)
        results = derive(settings.records)
        documents = documents_for(site, results)
        _check_menu(settings.menu, {d.path for d in documents}, diagnostics)
    with clock.stage("dựng trang"):
        progress(f"Dựng {len(documents)} trang…")
        assets = scan_assets(root)
        rendered = render_documents(root, site, results, documents, assets, images, diagnostics)
        diagnostics.stop_if_failed()
        page_count = len(rendered)
        html_paths = [path for path in rendered if path != "404.html"]
        if settings.records.present:
            rendered.update(data_files(results))
        rendered.update(build_index(search_documents(site)))
        rendered.update(feeds(site))
        rendered["sitemap.xml"] = sitemap(site, html_paths)
        rendered["robots.txt"] = robots(site)
        copies = {asset.site_path: asset.source for asset in assets.assets.values()}
        originals = links.log.attachments | {r.source.front.document.file for r in plan.routes
                                             if r.source.front.document and r.source.front.document.file}
        copies.update({attachment_path(a): _source_file(root, content.attachments, a) for a in sorted(originals)})
        made, failed = produce(images.used, content.attachments, root / IMAGE_CACHE)
        copies.update(made)
        for source, reason in failed.items():
            diagnostics.error(source, None, reason)
        _warn_unused(content.attachments, originals | {source for source, _ in images.used}, diagnostics)
        _check_site_links(links.log, set(rendered) | set(copies), diagnostics)
        diagnostics.stop_if_failed()
    with clock.stage("ghi"):
        written = write_site(root, options.output, rendered, copies)
    return BuildReport(pages=page_count, files=written.files, left_out=len(plan.left_out),
                       warnings=tuple(diagnostics.warnings), timings=tuple(clock.timings),
                       output=written.output)


def _check_images(routes: tuple[Route, ...], images: ImageCatalog, diagnostics: Diagnostics) -> None:
    """Every photo named in front matter must open as an image."""
    for route in routes:
        front = route.source.front
        if front.image:
            try:
                images.get(front.image, front.image_focus)
            except ImageError as problem:
                diagnostics.error(route.source.source, front.image_line, f"ảnh '{front.image}': {problem}")


def _source_file(root: Path, attachments: dict[str, Path], relative: str) -> Path:
    """The file on disk behind an NFC project path (its name may be decomposed on disk)."""
    return attachments.get(relative, root / relative)


def _warn_unused(attachments: dict[str, Path], published: set[str], diagnostics: Diagnostics) -> None:
    """Files no published page uses are not published; say so, so nobody wonders where they went."""
    for attachment in attachments:
        if attachment not in published:
            diagnostics.warn(attachment, None, "không bài đã đăng nào liên kết tới tệp này nên tệp không "
                                               "được đưa lên trang")


def _check_site_links(log: LinkLog, paths: set[str], diagnostics: Diagnostics) -> None:
    """Links written from the site root ("/the/") must lead to a page or file the build made."""
    for source, line, href, site_path in log.site_links:
        if site_path.split("#")[0] not in paths and site_path.rstrip("/") + "/" not in paths:
            diagnostics.error(source, line, f"liên kết '{href}' trỏ tới trang không có trong site")


def _check_citations(routes: tuple[Route, ...], diagnostics: Diagnostics) -> None:
    """Every document a post cites in its front matter must be a published document."""
    numbers: dict[str, str] = {}
    for route in routes:
        document = route.source.front.document
        if document is None:
            continue
        key = citation_key(str(document.number))
        if key in numbers:
            diagnostics.error(route.source.source, None,
                              f"văn bản số {document.number} trùng số, ký hiệu với {numbers[key]}; mỗi văn bản "
                              f"một số (văn bản khác năm mà trùng số: hãy ghi năm, ví dụ 417/2023/KH-UBND)")
        numbers.setdefault(key, route.source.source)
    for route in routes:
        for cited in route.source.front.cites:
            if citation_key(cited) not in numbers:
                diagnostics.error(route.source.source, route.source.front.cites_line,
                                  f"văn bản '{cited}' (mục documents) không có trong chuyên mục văn bản "
                                  f"của site; hãy kiểm tra số, ký hiệu")


def _check_menu(menu: tuple[MenuItem, ...], paths: set[str], diagnostics: Diagnostics) -> None:
    """Every menu item inside the site must lead to a page that exists."""
    for item in menu:
        if not item.external and item.target.split("#")[0] not in paths:
            diagnostics.error(CONFIG_FILE, item.line,
                              f"mục menu '{item.title}' trỏ tới /{item.target} nhưng site không có trang này")
