"""Paired benchmark: two generators built alternately on copies of one corpus, one-post edit and no-op, same minutes."""

# On a shared machine the speed changes from one hour to the next (and from one machine kind to
# another), so figures taken at different times say little about a change. This script builds the same
# corpus with two generators in turns (A, B, A, B…), each on its own copy (each keeps its own cache),
# and reports both medians.
#
#   git worktree add --detach /tmp/old 7c7a3ed
#   .venv/bin/python benchmarks/bench_paired.py --old /tmp/old/build.py --posts 4000 --runs 5

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_corpus

REPO = Path(__file__).resolve().parent.parent


def _environment(pycache: Path) -> dict[str, str]:
    """Bytecode cached, as on an installed machine (see bench_engine.Generator.environment)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, "PYTHONPYCACHEPREFIX": str(pycache)}


def _build(python: str, build_py: Path, root: Path, environment: dict[str, str]) -> tuple[float, float, float]:
    """One quiet build: wall seconds, CPU seconds (with reaped workers), peak RSS of the largest process (MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen([python, str(build_py), "build", "--root", str(root), "--quiet"], env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"build failed ({build_py}, {root}): status {status}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--old", type=Path, required=True, help="build.py of the generator to compare with")
    parser.add_argument("--new", type=Path, default=REPO / "build.py", help="build.py of this checkout (default)")
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-paired-"))
    try:
        info = make_corpus(work / "corpus", args.posts)
        sides = {}
        for name, build_py in (("old", args.old.resolve()), ("new", args.new.resolve())):
            root = work / name
            shutil.copytree(info.root, root)
            sides[name] = (build_py, root, _environment(work / f"pycache-{name}"))
            for _ in range(2):  # cold, then once more so caches and bytecode are warm
                _build(args.python, build_py, root, sides[name][2])
        edited = info.edit_body.relative_to(info.root)
        results: dict[str, dict[str, list[tuple[float, float, float]]]] = {n: {"edit": [], "noop": []} for n in sides}
        for run in range(args.runs):
            for name, (build_py, root, environment) in sides.items():
                post = root / edited
                original = post.read_bytes()
                post.write_text(original.decode("utf-8").rstrip("\n") + f"\n\nĐoạn bổ sung khi đo, lần {run}.\n",
                                encoding="utf-8")
                results[name]["edit"].append(_build(args.python, build_py, root, environment))
                post.write_bytes(original)
                _build(args.python, build_py, root, environment)  # back to the same state
                results[name]["noop"].append(_build(args.python, build_py, root, environment))
        print(f"{args.posts} posts, {args.runs} alternating rounds; old = {args.old}, new = {args.new}")
        for name in sides:
            for scenario, runs in results[name].items():
                walls = [r[0] for r in runs]
                cpu = statistics.median(r[1] for r in runs)
                print(f"  {name} {scenario:4}: wall median {statistics.median(walls):.2f} s "
                      f"(min {min(walls):.2f}, max {max(walls):.2f}), cpu median {cpu:.2f} s, "
                      f"largest process {max(r[2] for r in runs):.0f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
