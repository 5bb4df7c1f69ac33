"""The stages of a build that has work to do: content → Markdown → model → render → write."""

# Every stage is a function of what came before, and returns what it found (problems included).
# The build state (state.py) remembers, between builds, what each input gave; a rebuild does only
# the work whose inputs changed, and writes only the files whose bytes changed. The result is the
# same, byte for byte, as a build from nothing (`build --clean`): a test holds it to that.

from __future__ import annotations

import contextlib
import os
import posixpath
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePosixPath

from sitegen.assets import AssetManifest
from sitegen.audit import audit_pages
from sitegen.build_report import NO_TICK, BuildReport, Progress, Step, Stopwatch, Tick
from sitegen.charts import result_charts
from sitegen.config import CONFIG_FILE
from sitegen.content import CONTENT_DIR, IMAGE_TYPES, ContentFiles, ContentScan, load_content, reread_body
from sitegen.digest import Digester
from sitegen.errors import Diagnostics, Problem
from sitegen.feeds import feeds, robots, sitemap
from sitegen.images import CACHE_DIR as IMAGE_CACHE
from sitegen.images import ImageError, ResponsiveImage, plan_image, produce
from sitegen.links import LinkTable
from sitegen.listings import assign_tag_slugs, build_site, links_shape, make_page
from sitegen.markup import RENDERER_VERSION, PageMarkup, PageTask, failed_markup, render_page, unpack_terms
from sitegen.memory import release_freed_memory
from sitegen.model import BuildOptions, MenuItem, Page, Route, Settings, Site
from sitegen.output import SiteWriter, WriteReport, file_name_for
from sitegen.records import Results, data_files, derive
from sitegen.render import SITE_WIDE, Rendered, Renderer, TemplateFacts, read_site, template_facts
from sitegen.routes import RoutePlan, attachment_path, plan_routes
from sitegen.search import (
    DocumentParts,
    SearchDocument,
    build_index,
    document_ids,
    index_files,
    make_document,
    parts_of,
    patch_index,
)
from sitegen.state import BuildState, FileDigest, MarkupEntry, OutputEntry, compiled_templates_folder
from sitegen.text import citation_key
from sitegen.views import View, views_of
from sitegen.workers import TaskFailed, WorkerPool, die_with_parent, worker_count

ImageKey = tuple[str, tuple[float, float] | None]
_BROKEN_POST = "bài đó đang có lỗi; sửa lỗi của bài đó trước"
PARALLEL_RENDER = 300  # outputs to draw before a second process pays for itself
DRAW_SLICE = 200  # outputs a drawing process sends back at a time (their bytes wait in memory until written)


@dataclass
class Stages:
    """The work of one build once its inputs are known to have changed, and the state it leaves."""

    options: BuildOptions
    progress: Progress
    details: Callable[[], BuildState]  # the last build's whole state, read when the work starts
    found: Diagnostics
    digester: Digester
    code: str  # the generator's digest: names the folder of compiled templates
    previous: BuildState = field(default_factory=BuildState)
    new_state: BuildState | None = None

    def _tick(self, stage: str) -> Tick:
        """Progress of one long stage, for the terminal."""
        return lambda done, total: self.progress(Step(stage, done, total))

    def run(self, clock: Stopwatch, now: datetime, settings: Settings, scan: ContentScan,
            sources: Mapping[str, str | None], assets: AssetManifest, state: BuildState, inputs: str) -> BuildReport:
        """Read the posts, render them and write output/; the state for the next build is left in `new_state`."""
        options, found, root = self.options, self.found, self.options.root
        with clock.stage("nội dung", "Đọc bài viết trong content/…"):
            self.previous = self.details()
            content = load_content(root, settings, previous=self.previous.posts, scan=scan)
            state.posts = content.posts
            found.add(content.problems)
            plan = plan_routes(content.pages, settings, options.drafts, options.future, now, found)
            state.due = min((r.source.front.date for r in _scheduled(content, now)), default=None)
            templates = self._templates(state, sources)
            found.add(templates.problems)
            found.add(assets.problems)
            images, image_problems = _plan_images(content, plan, state.files, self.previous.images, state.images)
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
                users = [r.source.source for r in plan.routes if second in r.source.front.tags]
                found.warn(users[0] if users else CONTENT_DIR, None,
                           f"thẻ '{second}' và '{first}' chỉ khác dấu nên có hai trang thẻ riêng; nếu là một thẻ, "
                           f"hãy viết giống nhau" + (f" (thẻ '{second}' có ở {len(users)} bài)" if users else ""))
            markups = self._markdown(plan.routes, table, state, content)
            content = replace(content, bodies={})  # rendered: ten thousand bodies need not stay in memory
            release_freed_memory()
            found.add(_unread_body_problems(content, table, options.deadline))
            pages: list[Page] = []
            for route in plan.routes:
                markup = markups[route.source.source]
                found.add(markup.problems)
                pages.append(make_page(route, markup, settings, tag_slugs, now))
            found.add(_citation_problems(plan.routes))
            if options.audit:
                found.add(audit_pages(pages, {source: m.findings for source, m in markups.items()},
                                      templates.reserved_ids,
                                      {r.source.source: r.source.front.title_line for r in plan.routes}))
            found.stop_if_failed()
        with clock.stage("mô hình", "Sắp xếp bài, thẻ, lưu trữ…"):
            shape = self.digester.hex(links_shape(pages))
            known = self.previous.links[1] if self.previous.links and self.previous.links[0] == shape else None
            site, links = build_site(pages, settings, known)
            state.links = (shape, links)
            results = derive(settings.records)
            views = list(views_of(site, results))
            found.add(_menu_problems(settings.menu, {v.path for v in views}))
            found.stop_if_failed()
        with SiteWriter(root, options.output, self.previous.output_stamp) as writer:
            if writer.marker_digest != self.previous.output_marker:  # not the folder the last build wrote
                self.previous = replace(self.previous, outputs={}, search={})  # each output is drawn again
            with clock.stage("dựng trang", f"Dựng {len(views)} trang…"):
                charts = result_charts(results)
                compiled = None if options.clean or not options.write else compiled_templates_folder(root, self.code)
                renderer = Renderer(root, site, results, charts, assets, images, compiled)
                keys = _OutputKeys(self.digester, templates, site, settings, assets, images,
                                   {name: value for name, value in (("results", results), ("charts", charts))})
                drawn, shown = self._render(views, renderer, keys, writer, state)
                release_freed_memory()
                found.stop_if_failed()
                generated = {file_name_for(v.path) for v in views}
                generated |= self._generated(site, results, views, markups, writer, state)
                release_freed_memory()
                generated |= _write_assets(writer, assets)
                used = _used_files(site, markups)
                for source in sorted(used.attachments):
                    generated.add(attachment_path(source))
                    writer.copy(attachment_path(source), content.attachments[source], state.files[source].digest)
                photos = [images[key] for key in sorted(used.images | {(s, None) for s in shown}, key=repr)
                          if key in images]
                made, failed = produce(photos, content.attachments, root / IMAGE_CACHE, self._tick("ảnh"))
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
                written = writer.commit() if options.write else None
        state.inputs = inputs
        state.warnings = tuple(self.found.warnings)
        state.held_back = tuple(sorted(plan.left_out.items()))
        state.files_written = written.files if written else 0
        state.output_stamp = written.stamp if written else None
        state.output_marker = written.marker_digest if written else ""
        state.pages_written = len(views)
        self.new_state = state
        return self._report(plan, clock, written, drawn, views)

    # --- stages ---------------------------------------------------------------------------

    def _templates(self, state: BuildState, sources: Mapping[str, str | None]) -> TemplateFacts:
        """What templates/ holds, worked out again only when a template changed."""
        digest = self.digester.hex(dict(sources))
        known = self.previous.templates
        facts = known[1] if known and known[0] == digest else template_facts(self.options.root, sources)
        state.templates = (digest, facts)
        return facts

    def _markdown(self, routes: tuple[Route, ...], table: LinkTable, state: BuildState,
                  content: ContentFiles) -> dict[str, PageMarkup]:
        """Every body: from the state while its text and every link look-up are the same, else rendered."""
        tasks: dict[str, PageTask] = {}
        keys: dict[str, str] = {}
        results: dict[str, PageMarkup] = {}
        reserved = self.digester.hex(table.reserved_ids)
        files = {post.source: post for post in content.scan_posts}
        for route in routes:
            source = route.source
            key = self.digester.hex((RENDERER_VERSION, source.source, route.path, content.posts[source.source].digest,
                                     source.body_line, bool(source.front.image), reserved))
            known = self.previous.markup.get(source.source)
            if known is not None and known.key == key and all(
                    table.answer(t, k) == a for t, k, a in known.markup.findings.lookups):
                results[source.source] = known.markup
            else:
                body = content.bodies.get(source.source)
                body = reread_body(files[source.source]) if body is None else body  # a kept reading has none
                tasks[source.source] = PageTask(source.source, route.path, body, source.body_line,
                                                bool(source.front.image))
            keys[source.source] = key
        results.update(_render_markdown(tasks, table, self.options.deadline, self._tick("Markdown")))
        state.markup = {source: MarkupEntry(keys[source], markup) for source, markup in results.items()}
        return results

    def _render(self, views: list[View], renderer: Renderer, keys: _OutputKeys, writer: SiteWriter,
                state: BuildState) -> tuple[int, set[str]]:
        """Draw the outputs whose key changed; keep the others as they are in output/."""
        shown: set[str] = set()
        todo: list[tuple[View, str]] = []
        for view in views:
            site_file = file_name_for(view.path)
            known = self.previous.outputs.get(site_file)
            key = keys.key(view, known)
            if known is not None and known.key == key and writer.keep(site_file):
                state.outputs[site_file] = known
                shown.update(known.images)
            else:
                todo.append((view, site_file))
        # Closed on the way out even when writing fails: the drawing processes stop at once.
        with contextlib.closing(_draw(renderer, [v for v, _ in todo], self._tick("dựng trang"))) as drawn:
            for (view, site_file), rendered in zip(todo, drawn, strict=True):  # each written as soon as drawn
                self.found.add(rendered.problems)
                shown.update(rendered.images)
                if rendered.data is not None:
                    writer.add(site_file, rendered.data)
                    entry = OutputEntry("", rendered.site_reads, rendered.images)
                    state.outputs[site_file] = OutputEntry(keys.key(view, entry), rendered.site_reads,
                                                           rendered.images)
        return len(todo), shown

    def _generated(self, site: Site, results: Results, views: list[View], markups: Mapping[str, PageMarkup],
                   writer: SiteWriter, state: BuildState) -> set[str]:
        """Search index, feeds, sitemap, robots.txt and the results' data files."""
        files: dict[str, bytes] = {}
        if site.settings.records.present:
            files.update(data_files(results))
        html_paths = [v.path for v in views if v.path != "404.html"]
        files.update(feeds(site))
        files["sitemap.xml"] = sitemap(site, html_paths)
        files["robots.txt"] = robots(site)
        searched = self._search(site, markups, writer, state)
        for site_file, data in files.items():
            writer.add(site_file, data)
        return set(files) | searched

    def _search(self, site: Site, markups: Mapping[str, PageMarkup], writer: SiteWriter, state: BuildState
                ) -> set[str]:
        """The search index, given to the writer: patched where a few pages changed, else made whole.

        Returns the names of its files (written or kept)."""
        pages = (*site.posts, *site.standalone)
        ids = document_ids(pages)
        # A document is its parts and its body's words; the state keeps the words once, with the body.
        current = {page.path: (parts_of(page, ids[page.path], markups[page.source].search_text), page.source)
                   for page in pages}
        words = {page.path: markups[page.source].terms for page in pages}
        state.search = current
        previous = self.previous.search
        known = self.previous.markup
        words_before = {path: known[source].markup.terms if source in known else None
                        for path, (_, source) in previous.items()}
        changed = [path for path, entry in current.items()
                   if previous.get(path) != entry or words_before.get(path) != words[path]]
        gone = [(entry[0], words_before[path]) for path, entry in previous.items()
                if current.get(path) != entry or words.get(path) != words_before[path]]
        live = {name: digest for name, digest in writer.previous_files().items() if name in index_files([name])}
        keys: dict[str, tuple[str, str]] = {}

        def document(parts: DocumentParts, packed: bytes) -> SearchDocument:
            return make_document(parts, unpack_terms(packed), keys)

        if (previous and live and len(changed) + len(gone) <= max(20, len(pages) // 10)
                and all(packed is not None for _, packed in gone)):
            patch = patch_index([document(current[p][0], words[p]) for p in changed],
                                [document(parts, packed) for parts, packed in gone],  # type: ignore[arg-type]
                                len(pages), frozenset(ids.values()), writer.read_previous, live)
            if patch is not None:
                for site_file, data in patch.files.items():
                    writer.add(site_file, data)
                for site_file in patch.kept:
                    writer.keep(site_file)
                return set(patch.files) | set(patch.kept)
        postings = sum(len(packed) for packed in words.values()) // 6  # ~6 bytes of packed words a posting
        made = set()
        try:
            for site_file, data in build_index(lambda: (document(current[page.path][0], words[page.path])
                                                        for page in pages), len(pages), postings, writer.scratch()):
                writer.add(site_file, data)  # written pass by pass: the index is never held whole
                made.add(site_file)
        except (OSError, zlib.error) as error:  # the scratch files of the passes (a full disk, a cut file)
            raise writer.write_failure(OSError(str(error))) from None
        return made

    def _report(self, plan: RoutePlan | None, clock: Stopwatch, written: WriteReport | None, drawn: int,
                views: list[View] | None) -> BuildReport:
        held = tuple(sorted(plan.left_out.items())) if plan else self.previous.held_back
        return BuildReport(pages=len(views) if views is not None else self.previous.pages_written,
            files=written.files if written else self.previous.files_written, left_out=len(held),
            warnings=(*self.found.warnings, *(written.warnings if written else ())),
            timings=tuple(clock.timings), output=self.options.output.resolve(), written=written, rendered=drawn,
            held_back=held)


# --- output keys ---------------------------------------------------------------------------


@dataclass
class _OutputKeys:
    """The key of an output: its view, its templates, the settings and assets, and what else it read."""

    digester: Digester
    templates: TemplateFacts
    site: Site
    settings: Settings
    assets: AssetManifest
    images: Mapping[ImageKey, ResponsiveImage]
    wide: Mapping[str, object]
    _common: str = ""

    def key(self, view: View, known: OutputEntry | None) -> str:
        if not self._common:
            self._common = self.digester.hex((self.settings, sorted(self.assets.assets.items())))
        reads = known.reads if known else ()
        images = known.images if known else ()
        site_reads = [(name, args, self.digester.hex(read_site(self.site, name, args))) for name, args in reads]
        wide = [(name, self.digester.hex(self.wide[name])) for name in sorted(self.templates.reads.get(
            view.template, frozenset(SITE_WIDE))) if name in self.wide]
        shown = [(source, self.digester.hex(self.images.get((source, None)))) for source in images]
        return self.digester.hex((self.templates.digests.get(view.template, "missing"), self._common,
                                  self.digester.digest(view), site_reads, wide, shown,
                                  "site" in self.templates.reads.get(view.template, frozenset())))


# --- drawing outputs, maybe in two processes ---------------------------------------------------


_FORKED: tuple[Renderer, list[View]] | None = None


def _draw_slice(bounds: tuple[int, int]) -> list[Rendered]:
    assert _FORKED is not None
    renderer, views = _FORKED
    return [renderer.render(view) for view in views[bounds[0]:bounds[1]]]


def _draw(renderer: Renderer, views: list[View], tick: Tick = NO_TICK) -> Iterator[Rendered]:
    """Draw views, yielded in order as they are drawn (the caller writes each at once: the site is never
    held in memory whole); many of them in forked processes where that is safe (Linux, no threads)."""
    processes = os.cpu_count() or 1
    if len(views) < PARALLEL_RENDER or processes < 2 or not hasattr(os, "fork") or \
            threading.active_count() > 1 or os.name != "posix":
        for done, view in enumerate(views, 1):
            yield renderer.render(view)
            tick(done, len(views))
        return
    import multiprocessing

    global _FORKED
    renderer.prepare({view.template for view in views})  # compiled once, here, not in every process
    _FORKED = (renderer, views)
    size = max(50, min(DRAW_SLICE, len(views) // (processes * 4)))
    slices = [(start, min(start + size, len(views))) for start in range(0, len(views), size)]
    try:
        with multiprocessing.get_context("fork").Pool(processes, die_with_parent, (os.getpid(),)) as pool:
            for (_, end), part in zip(slices, pool.imap(_draw_slice, slices), strict=True):
                yield from part
                tick(end, len(views))
    finally:
        _FORKED = None


# --- stages' helpers ---------------------------------------------------------------------------


def _scheduled(content: ContentFiles, now: datetime) -> Iterator[Route]:
    for page in content.pages:
        if page.front.date > now:
            yield Route(page, "", False)


def _plan_images(content: ContentFiles, plan: RoutePlan, files: Mapping[str, FileDigest],
                 known: Mapping[tuple, ResponsiveImage | str], keep: dict[tuple, ResponsiveImage | str]
                 ) -> tuple[dict[ImageKey, ResponsiveImage], dict[str, str]]:
    """Every photo under content/ planned from its header (and the share crops front matter asks for)."""
    images: dict[ImageKey, ResponsiveImage] = {}
    problems: dict[str, str] = {}
    focused = {(r.source.front.image, r.source.front.image_focus) for r in plan.routes
               if r.source.front.image and r.source.front.image_focus}
    wanted = [(source, None) for source in content.attachments if source.lower().endswith(tuple(IMAGE_TYPES))]
    wanted += sorted(f for f in focused if f[0] in content.attachments)
    for source, focus in wanted:
        digest = files[source].digest
        cache_key = (source, digest, focus)
        result = known.get(cache_key)
        if result is None:
            try:
                result = plan_image(source, content.attachments[source], digest, focus)
            except ImageError as problem:
                result = str(problem)
            except OSError:
                result = "không đọc được tệp ảnh (không có quyền đọc, hoặc đang mở ở chương trình khác)"
        keep[cache_key] = result
        if isinstance(result, str):
            problems[source] = result
        else:
            images[(source, focus)] = result
    return images, problems


def _main_image_problems(plan: RoutePlan, problems: dict[str, str]) -> list[Problem]:
    """Every photo named in front matter must open as an image (named as the post names it, from its folder)."""
    return [Problem(r.source.source, r.source.front.image_line,
                    f"ảnh '{posixpath.relpath(r.source.front.image, posixpath.dirname(r.source.source))}': "
                    f"{problems[r.source.front.image]}")
            for r in plan.routes if r.source.front.image in problems]


def _render_markdown(tasks: Mapping[str, PageTask], table: LinkTable, deadline: float,
                     tick: Tick = NO_TICK) -> dict[str, PageMarkup]:
    """Bodies through Python-Markdown in worker processes, each within `deadline` seconds."""
    results: dict[str, PageMarkup] = {}
    if not tasks:
        return results
    with WorkerPool(render_page, worker_count(len(tasks) // 8 + 1), deadline) as pool:
        pool.set_context(table)
        for source, result in pool.run(tasks.items()):
            if isinstance(result, TaskFailed):
                result = _failed_markup(tasks[source], result, deadline)
            results[source] = result
            tick(len(results), len(tasks))
    return results


def _failed_markup(task: PageTask, failure: TaskFailed, deadline: float) -> PageMarkup:
    if failure.reason == "timeout":
        message = (f"bài quá phức tạp để dựng: sau {round(deadline)} giây vẫn chưa xong (thường do một chuỗi rất dài "
                   "các ký tự [ ] * _ ` hoặc thẻ HTML lồng nhau, khi dán từ phần mềm khác); hãy xem lại đoạn đó")
    else:
        message = "bài làm trình dựng Markdown dừng bất thường; hãy xem lại các đoạn dán từ phần mềm khác"
    return failed_markup(Problem(task.source, task.body_line, message))


def _unread_body_problems(content: ContentFiles, table: LinkTable, deadline: float) -> list[Problem]:
    """The links and photos of posts whose front matter is wrong: found in this build, not the next one."""
    tasks = {source: PageTask(source, f"{PurePosixPath(source).parent.name}/{PurePosixPath(source).stem}/", body,
                              line, False)
             for source, post in content.posts.items() if post.page is None and post.unread_body
             for body, line in (post.unread_body,)}
    if not tasks:
        return []
    return [problem for markup in _render_markdown(tasks, table, deadline).values() for problem in markup.problems]


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


def _used_files(site: Site, markups: Mapping[str, PageMarkup]) -> _Used:
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


def _site_link_problems(markups: Mapping[str, PageMarkup], paths: set[str]) -> list[Problem]:
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
