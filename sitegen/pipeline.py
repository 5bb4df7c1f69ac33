"""The build as a fixed list of named, timed stages: config → content → Markdown → model → render → write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sitegen.assets import AssetManifest, scan_assets
from sitegen.charts import result_charts
from sitegen.config import CONFIG_FILE, load_settings
from sitegen.content import CONTENT_DIR, IMAGE_TYPES, ContentFiles, load_content
from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.feeds import feeds, robots, sitemap
from sitegen.images import CACHE_DIR as IMAGE_CACHE
from sitegen.images import ImageError, ResponsiveImage, plan_image, produce
from sitegen.links import LinkFindings, LinkTable
from sitegen.listings import assign_tag_slugs, build_site, make_page
from sitegen.lock import Holder, project_lock
from sitegen.markup import PageMarkup, PageTask, render_page
from sitegen.model import BuildOptions, MenuItem, Page, Route, Site
from sitegen.output import SiteWriter, WriteReport, check_output_location, digest_file, file_name_for
from sitegen.records import Results, data_files, derive
from sitegen.render import Renderer, template_facts
from sitegen.routes import RoutePlan, attachment_path, plan_routes
from sitegen.search import build_index
from sitegen.search import documents as search_documents
from sitegen.text import VIETNAM_TZ, citation_key
from sitegen.views import views_of
from sitegen.workers import TaskFailed, WorkerPool, worker_count

Progress = Callable[[str], None]
_BROKEN_POST = "bài đó đang có lỗi; sửa lỗi của bài đó trước"
ImageKey = tuple[str, tuple[float, float] | None]


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
    written: WriteReport | None = None

    @property
    def seconds(self) -> float:
        """Total time of all stages."""
        return sum(t.seconds for t in self.timings)


class _Stopwatch:
    """Times the named stages of one build."""

    def __init__(self, progress: Progress) -> None:
        self.timings: list[StageTiming] = []
        self._progress = progress

    @contextmanager
    def stage(self, name: str, message: str) -> Iterator[None]:
        self._progress(message)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append(StageTiming(name, time.perf_counter() - start))


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site of `options.root` into `options.output`; raise BuildFailed on any error.

    One build at a time per project: a second one waits for the first (`options.lock_wait` seconds),
    then gives up with LockBusy.
    """
    say = progress or (lambda _: None)

    def waiting(holder: Holder | None) -> None:
        say("Đang chờ một lần dựng khác của dự án này chạy xong…")

    check_output_location(options.root, options.output)  # before anything is made, even the lock
    with project_lock(options.root, "build", "dựng trang", wait=options.lock_wait, on_wait=waiting):
        return _build(options, say)


def _build(options: BuildOptions, progress: Progress) -> BuildReport:
    root = options.root
    now = options.now or datetime.now(VIETNAM_TZ)
    clock = _Stopwatch(progress)
    found = Diagnostics()
    try:
        with clock.stage("cấu hình", "Đọc site_data.yaml…"):
            settings = load_settings(root, found, options.base_url)
        with clock.stage("nội dung", "Đọc bài viết trong content/…"):
            content = load_content(root, settings)
            found.add(content.problems)
            plan = plan_routes(content.pages, settings, options.drafts, options.future, now, found)
            templates = template_facts(root)
            found.add(templates.problems)
            assets = scan_assets(root)
            found.add(assets.problems)
            images, image_problems = _plan_images(content, plan)
            found.add(_main_image_problems(plan, image_problems))
            # Even with errors so far the bodies are rendered: one run reports every mistake it can find.
        with clock.stage("Markdown", f"Dựng Markdown của {len(plan.routes)} bài…"):
            table = LinkTable(
                routes={s: r.path for s, r in plan.by_source().items()},
                left_out={**{s: _BROKEN_POST for s in content.broken}, **plan.left_out},
                attachments=frozenset(content.attachments), sections=frozenset(s.id for s in settings.sections),
                images={key[0]: image for key, image in images.items() if key[1] is None},
                image_problems=image_problems, reserved_ids=templates.reserved_ids)
            tag_slugs, clashes = assign_tag_slugs(name for r in plan.routes for name in r.source.front.tags)
            for first, second in clashes:
                found.warn(CONTENT_DIR, None, f"thẻ '{first}' và '{second}' chỉ khác dấu nên có hai trang "
                                              f"thẻ riêng; nếu là một thẻ, hãy viết giống nhau")
            markups = _render_markdown(plan.routes, table, options.deadline)
            pages: list[Page] = []
            for route in plan.routes:
                markup = markups[route.source.source]
                found.add(markup.problems)
                pages.append(make_page(route, markup, settings, tag_slugs))
            found.add(_citation_problems(plan.routes))
            found.stop_if_failed()
        with clock.stage("mô hình", "Sắp xếp bài, thẻ, lưu trữ…"):
            site = build_site(pages, settings)
            results = derive(settings.records)
            views = list(views_of(site, results))
            found.add(_menu_problems(settings.menu, {v.path for v in views}))
            found.stop_if_failed()
        with SiteWriter(root, options.output) as writer:
            with clock.stage("dựng trang", f"Dựng {len(views)} trang…"):
                renderer = Renderer(root, site, results, result_charts(results), assets, images)
                shown: set[str] = set()
                for view in views:
                    rendered = renderer.render(view)
                    found.add(rendered.problems)
                    shown.update(rendered.images)
                    if rendered.data is not None:
                        writer.add(file_name_for(view.path), rendered.data)
                found.stop_if_failed()
                html_paths = [v.path for v in views if v.path != "404.html"]
                generated = {file_name_for(v.path) for v in views}
                extra = _generated_files(site, results, html_paths)
                for site_file, data in extra.items():
                    writer.add(site_file, data)
                generated.update(extra)
                generated.update(_write_assets(writer, assets))
                used = _used_files(site, markups, plan)
                for source in sorted(used.attachments):
                    generated.add(attachment_path(source))
                    writer.copy(attachment_path(source), content.attachments[source])
                photos = [images[key] for key in sorted(used.images | {(s, None) for s in shown}, key=repr)
                          if key in images]
                made, failed = produce(photos, content.attachments, root / IMAGE_CACHE)
                for site_file, cached in sorted(made.items()):
                    generated.add(site_file)
                    writer.copy(site_file, cached, digest=cached.name)
                for source, reason in failed.items():
                    found.error(source, None, reason)
                found.add(_passthrough_problems(assets, generated))
                for site_file, asset in assets.passthrough.items():
                    if site_file not in generated:
                        writer.copy(site_file, asset.source, digest=asset.digest)
                found.add(_unused_warnings(content, used.attachments | {s for s, _ in used.images} | shown))
                found.add(_site_link_problems(markups, generated))
                found.stop_if_failed()
            with clock.stage("ghi", "Thay thư mục output/…"):
                written = writer.commit()
    except BuildFailed as failure:
        raise BuildFailed(failure.errors or found.errors, tuple(found.warnings)) from None
    return BuildReport(pages=len(views), files=written.files, left_out=len(plan.left_out),
                       warnings=(*found.warnings, *written.warnings), timings=tuple(clock.timings),
                       output=written.output, written=written)


# --- stages' helpers ----------------------------------------------------------------------


def _plan_images(content: ContentFiles, plan: RoutePlan) -> tuple[dict[ImageKey, ResponsiveImage], dict[str, str]]:
    """Every photo under content/ planned from its header (and the share crops front matter asks for)."""
    images: dict[ImageKey, ResponsiveImage] = {}
    problems: dict[str, str] = {}
    focused = {(r.source.front.image, r.source.front.image_focus) for r in plan.routes
               if r.source.front.image and r.source.front.image_focus}
    for source, path in content.attachments.items():
        if not source.lower().endswith(tuple(IMAGE_TYPES)):
            continue
        try:
            digest = digest_file(path)
            images[(source, None)] = plan_image(source, path, digest)
            for image, focus in focused:
                if image == source:
                    images[(source, focus)] = plan_image(source, path, digest, focus)
        except ImageError as problem:
            problems[source] = str(problem)
        except OSError:
            problems[source] = "không đọc được tệp ảnh (không có quyền đọc, hoặc đang mở ở chương trình khác)"
    return images, problems


def _main_image_problems(plan: RoutePlan, problems: dict[str, str]) -> list[Problem]:
    """Every photo named in front matter must open as an image."""
    return [Problem(r.source.source, r.source.front.image_line, f"ảnh '{r.source.front.image}': "
                                                                f"{problems[r.source.front.image]}")
            for r in plan.routes if r.source.front.image in problems]


def _render_markdown(routes: tuple[Route, ...], table: LinkTable, deadline: float) -> dict[str, PageMarkup]:
    """Every body through Python-Markdown in worker processes, each within `deadline` seconds."""
    tasks = {r.source.source: PageTask(r.source.source, r.path, r.source.body, r.source.body_line,
                                       bool(r.source.front.image)) for r in routes}
    results: dict[str, PageMarkup] = {}
    if not tasks:
        return results
    with WorkerPool(render_page, worker_count(len(tasks) // 4 + 1), deadline) as pool:
        pool.set_context(table)
        for source, result in pool.run(tasks.items()):
            if isinstance(result, TaskFailed):
                result = _failed_markup(tasks[source], result, deadline)
            results[source] = result
    return results


def _failed_markup(task: PageTask, failure: TaskFailed, deadline: float) -> PageMarkup:
    if failure.reason == "timeout":
        message = (f"bài quá phức tạp để dựng: sau {round(deadline)} giây vẫn chưa xong (thường do một chuỗi rất dài "
                   "các ký tự [ ] * _ ` hoặc thẻ HTML lồng nhau, khi dán từ phần mềm khác); hãy xem lại đoạn đó")
    else:
        message = "bài làm trình dựng Markdown dừng bất thường; hãy xem lại các đoạn dán từ phần mềm khác"
    return PageMarkup("", (), "", "", 0, LinkFindings((Problem(task.source, task.body_line, message),)))


def _citation_problems(routes: tuple[Route, ...]) -> list[Problem]:
    """Every document a post cites in its front matter must be a published document."""
    problems = []
    numbers: dict[str, str] = {}
    for route in routes:
        document = route.source.front.document
        if document is None:
            continue
        key = citation_key(str(document.number))
        if key in numbers:
            problems.append(Problem(route.source.source, None,
                                    f"văn bản số {document.number} trùng số, ký hiệu với {numbers[key]}; mỗi văn bản "
                                    f"một số (văn bản khác năm mà trùng số: hãy ghi năm, ví dụ 417/2023/KH-UBND)"))
        numbers.setdefault(key, route.source.source)
    for route in routes:
        for cited in route.source.front.cites:
            if citation_key(cited) not in numbers:
                problems.append(Problem(route.source.source, route.source.front.cites_line,
                                        f"văn bản '{cited}' (mục documents) không có trong chuyên mục văn bản "
                                        f"của site; hãy kiểm tra số, ký hiệu"))
    return problems


def _menu_problems(menu: tuple[MenuItem, ...], paths: set[str]) -> list[Problem]:
    """Every menu item inside the site must lead to a page that exists."""
    return [Problem(CONFIG_FILE, item.line, f"mục menu '{item.title}' trỏ tới /{item.target} nhưng site không có "
                                            f"trang này")
            for item in menu if not item.external and item.target.split("#")[0] not in paths]


def _generated_files(site: Site, results: Results, html_paths: list[str]) -> dict[str, bytes]:
    """Search index, feeds, sitemap, robots.txt and the results' data files, by site file."""
    files: dict[str, bytes] = {}
    if site.settings.records.present:
        files.update(data_files(results))
    files.update(build_index(search_documents(site)))
    files.update(feeds(site))
    files["sitemap.xml"] = sitemap(site, html_paths)
    files["robots.txt"] = robots(site)
    return files


def _write_assets(writer: SiteWriter, assets: AssetManifest) -> set[str]:
    for asset in assets.assets.values():
        if asset.data is not None:
            writer.add(asset.site_path, asset.data)
        else:
            writer.copy(asset.site_path, asset.source, digest=asset.digest)
    return {asset.site_path for asset in assets.assets.values()}


@dataclass(frozen=True)
class _Used:
    attachments: frozenset[str]
    images: frozenset[ImageKey]


def _used_files(site: Site, markups: dict[str, PageMarkup], plan: RoutePlan) -> _Used:
    """Files the published pages use: linked attachments, documents' files, photos shown."""
    attachments = {a for m in markups.values() for a in m.findings.attachments}
    attachments |= {p.document.file for p in site.posts if p.document and p.document.file}
    images = {(i, None) for m in markups.values() for i in m.findings.images}
    images |= {(p.image, p.image_focus) for p in (*site.posts, *site.standalone) if p.image}
    images |= {(p.image, None) for p in (*site.posts, *site.standalone) if p.image}
    return _Used(frozenset(attachments), frozenset(images))


def _unused_warnings(content: ContentFiles, used: set[str]) -> list[Problem]:
    """Files no published page uses are not published; say so, so nobody wonders where they went."""
    return [Problem(source, None, "không bài đã đăng nào liên kết tới tệp này nên tệp không được đưa lên trang",
                    warning=True) for source in content.attachments if source not in used]


def _site_link_problems(markups: dict[str, PageMarkup], paths: set[str]) -> list[Problem]:
    """Links written from the site root ("/the/") must lead to a page or file the build made."""
    problems = []
    for markup in markups.values():
        for link in markup.findings.site_links:
            target = link.site_path.split("#")[0]
            if file_name_for(target) not in paths and file_name_for(target.rstrip("/") + "/") not in paths \
                    and target not in paths:
                problems.append(Problem(link.source, link.line, f"liên kết '{link.href}' trỏ tới trang không có "
                                                                "trong site"))
    return problems


def _passthrough_problems(assets: AssetManifest, generated: set[str]) -> list[Problem]:
    """A file of templates/goc-trang/ may not take the name of a page or file the build makes."""
    return [Problem(f"templates/goc-trang/{site_file}", None,
                    "tệp này trùng tên với một trang hoặc tệp do trình tạo trang làm ra; hãy đổi tên hoặc bỏ đi")
            for site_file in assets.passthrough if site_file in generated]

