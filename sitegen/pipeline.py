"""The build of a project: one at a time, nothing done when no input changed, else its stages (stages.py)."""

# A build first looks (a few tenths of a second, even for thousands of posts) at whether any input
# changed since the last build and output/ is as that build left it; only then are the stages, and
# the libraries they need, loaded. The result is the same, byte for byte, as a build from nothing.

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sitegen.assets import AssetManifest, scan_assets
from sitegen.build_report import BuildReport, Progress, Step, Stopwatch
from sitegen.config import load_settings
from sitegen.content import ContentScan, FileInfo, scan_content
from sitegen.digest import Digester
from sitegen.errors import BuildFailed, Diagnostics
from sitegen.lock import Holder, project_lock
from sitegen.model import BuildOptions, Card, Menu, Settings
from sitegen.output import MARKER, check_output_location, digest_file, output_intact, tidy_work_folder
from sitegen.sources import template_sources
from sitegen.state import BuildState, FileDigest, check_cache_folder, generator_digest, load_state, save_state
from sitegen.text import VIETNAM_TZ

__all__ = ["BuildReport", "Progress", "Step", "build"]


def build(options: BuildOptions, progress: Progress | None = None, state: BuildState | None = None,
          process_ends: bool = False) -> BuildReport:
    """Build the site of `options.root` into `options.output`; raise BuildFailed on any error.

    One build at a time per project: a second one waits for the first (`options.lock_wait` seconds),
    then gives up with LockBusy. The build state is read from and saved to .cache/ (read not with
    `options.clean`); a caller that keeps builds going (serve) may pass the state it holds instead, which
    its first build fills from .cache/.
    A caller whose process ends soon after (the command line) passes `process_ends`: the build's
    objects are then set aside for the exit instead of being walked by the garbage collector.
    """
    say = progress or (lambda _: None)

    def waiting(holder: Holder | None) -> None:
        say("Đang chờ một lần dựng khác của dự án này chạy xong…")

    check_output_location(options.root, options.output)  # before anything is made, even the lock
    check_cache_folder(options.root)
    with project_lock(options.root, "build", "dựng trang", wait=options.lock_wait, on_wait=waiting), \
            _collector_paused(process_ends):
        code, name = generator_digest(), options.state_name
        if state is not None:
            if not state.inputs and not options.clean:  # the first build of the caller's: from the last one's
                state.__dict__.update((load_state(options.root, code, name=name) or BuildState()).__dict__)
            run = _Build(options, say, state, lambda: state, code)
        else:
            summary = None if options.clean else load_state(options.root, code, details=False, name=name)
            run = _Build(options, say, summary or BuildState(),
                         lambda: (None if options.clean else load_state(options.root, code, name=name)) or BuildState(),
                         code)
        report = run.run()
        changed = run.new_state is not None and run.new_state is not run.previous
        if changed and options.write:
            save_state(options.root, code, run.new_state, run.previous, name)  # type: ignore[arg-type]
        if changed and state is not None:
            state.__dict__.update(run.new_state.__dict__)  # type: ignore[union-attr]
        return report


@contextmanager
def _collector_paused(process_ends: bool) -> Iterator[None]:
    """No cyclic garbage collection during a build: it makes millions of small objects that hold no
    cycles, and the collector would walk them again and again (the search index of 4.000 posts took
    five times longer). At the end, what this build made is collected (the younger generations: the
    state a caller such as serve holds is old and is not walked again, 0,35 s at 4.000 posts), or, when
    the process ends soon anyway, frozen: a collection there (and the one at exit) would walk them all
    once more for nothing (0,25 s at 4.000 posts)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        if process_ends:
            gc.freeze()
        else:
            gc.collect(1)


@dataclass
class _Build:
    """One build: nothing to do when no input changed since the last one, else its stages."""

    options: BuildOptions
    progress: Progress
    previous: BuildState  # at first only the summary; the rest is read when there is work to do
    details: Callable[[], BuildState]
    code: str  # the generator's digest (generator_digest)
    new_state: BuildState | None = None
    found: Diagnostics = field(default_factory=Diagnostics)
    digester: Digester = field(default_factory=lambda: Digester(shared=(Card, Menu)))  # in many outputs

    def run(self) -> BuildReport:
        try:
            return self._run()
        except BuildFailed as failure:
            raise BuildFailed(failure.errors or self.found.errors, tuple(self.found.warnings)) from None

    def _run(self) -> BuildReport:
        options, found, root = self.options, self.found, self.options.root
        now = options.now or datetime.now(VIETNAM_TZ)
        clock = Stopwatch(self.progress)
        state = BuildState()
        with clock.stage("cấu hình", "Đọc site_data.yaml…"):
            settings = load_settings(root, found, options.base_url, records_later=True)
        with clock.stage("thay đổi", "Xem tệp nào đã thay đổi…"):
            seen = {source: (known.size, known.mtime_ns, known.ctime_ns, known.digest)
                    for source, known in self.previous.post_files.items()}
            scan = scan_content(root, settings, None if options.clean else seen)
            sources = template_sources(root)
            assets = scan_assets(root)
            state.files = _file_digests(scan.files, self.previous.files)
            state.post_files = {post.source: FileDigest(post.size, post.mtime_ns, post.digest, post.ctime_ns)
                                for post in scan.posts}
            inputs = self._inputs_digest(settings, scan, sources, assets, state.files)
            tidy_work_folder(root, options.output)
            nothing_to_do = (inputs == self.previous.inputs
                             and (self.previous.due is None or now < self.previous.due)
                             and output_intact(root, options.output, self.previous.output_stamp)
                             and _marker_digest(options.output) == self.previous.output_marker)  # that folder
        if nothing_to_do:
            self.new_state = self.previous
            self.found.add(self.previous.warnings)
            previous = self.previous
            return BuildReport(pages=previous.pages_written, files=previous.files_written,
                               left_out=len(previous.held_back), warnings=tuple(found.warnings),
                               timings=tuple(clock.timings), output=options.output.resolve(),
                               held_back=previous.held_back)
        # Imported only now: a build with nothing to do never loads Markdown, Jinja, Pillow or the search.
        from sitegen.stages import Stages

        stages = Stages(options, self.progress, self.details, found, self.digester, self.code)
        report = stages.run(clock, now, settings, scan, sources, assets, state, inputs)
        self.previous, self.new_state = stages.previous, stages.new_state
        return report

    def _inputs_digest(self, settings: Settings, scan: ContentScan, sources: Mapping[str, str | None],
                       assets: AssetManifest, files: Mapping[str, FileDigest]) -> str:
        """Everything the site is made from: equal to the last build's means there is nothing to do."""
        options = self.options
        return self.digester.hex((
            settings, "\n".join(f"{p.source}\0{p.section_id}\0{p.digest}" for p in scan.posts),  # one string: quick
            sorted(files.items()),
            dict(sources), sorted((a.site_path, a.digest) for a in assets.assets.values()),
            sorted((a.site_path, a.digest) for a in assets.passthrough.values()),
            scan.problems, assets.problems,
            options.drafts, options.future, str(options.output.resolve()), options.write, options.audit))


def _marker_digest(output: Path) -> str:
    """The digest of output/'s marker: the state describes the folder whose marker it names."""
    try:
        return digest_file(output / MARKER)
    except OSError:
        return ""


def _file_digests(found: Mapping[str, FileInfo], known: Mapping[str, FileDigest]) -> dict[str, FileDigest]:
    """Digests of the files under content/, read again only when their size or time changed."""
    digests = {}
    for source, info in found.items():
        previous = known.get(source)
        if previous is not None and (previous.size, previous.mtime_ns) == (info.size, info.mtime_ns):
            digests[source] = previous
        else:
            try:
                digests[source] = FileDigest(info.size, info.mtime_ns, digest_file(info.path))
            except OSError:
                digests[source] = FileDigest(info.size, info.mtime_ns, "")
    return digests
