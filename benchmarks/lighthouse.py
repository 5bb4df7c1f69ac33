"""Benchmark: Lighthouse (mobile preset) scores of the built sample site, served under a portal sub-path.

    python benchmarks/lighthouse.py [--runs 3]

Needs Node.js/npm and Debian's `chromium` (or CHROMIUM_PATH). The first run installs npm `lighthouse`
into .cache/lighthouse/ (not into the project's node_modules, so the test suite's `npm ci` stays small).
Prints, for home, a post, /ket-qua/ and search with a query, the median of each category score over the
runs and the total blocking time and layout shift. A benchmark, not a test: it exits 0 whatever the scores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser_support import SiteServer, find_chromium  # noqa: E402
from tests.sitebuilder import build_at, copy_sample_site  # noqa: E402

LIGHTHOUSE_VERSION = "13.5.0"
TOOL_DIR = REPO / ".cache" / "lighthouse"
PAGES = {
    "home": "",
    "post": "tin-hoat-dong/tham-tang-qua-bon-jun-juh-dip-tet-2024/",
    "results": "ket-qua/",
    "search": "tim-kiem/?q=nguoi+ngheo",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_command() -> list[str]:
    """The lighthouse CLI, installed once into .cache/lighthouse."""
    binary = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOL_DIR.mkdir(parents=True, exist_ok=True)
        print(f"Installing lighthouse {LIGHTHOUSE_VERSION} into {TOOL_DIR} …", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOL_DIR),
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return [str(binary)]


def run_once(command: list[str], url: str, report: Path) -> dict[str, float]:
    """One Lighthouse run of one URL: category scores (0–100), TBT (ms) and CLS."""
    chrome_flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking " \
                   "--disable-component-update --no-first-run --disable-sync"
    subprocess.run([*command, url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={chrome_flags}"],
                   check=True, env={**os.environ, "CHROME_PATH": find_chromium()})
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(100 * (data["categories"][name]["score"] or 0)) for name in CATEGORIES}
    scores["tbt"] = data["audits"]["total-blocking-time"]["numericValue"]
    scores["cls"] = data["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["lcp"] = data["audits"]["largest-contentful-paint"]["numericValue"]
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is shown (default 3)")
    args = parser.parse_args()
    command = lighthouse_command()
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        root = copy_sample_site(work / "project")
        build_at(root, base_url="http://127.0.0.1/vi-nguoi-ngheo/")
        with SiteServer(root / "output", work) as server:
            rows = {}
            for name, path in PAGES.items():
                runs = [run_once(command, server.url(path), work / f"{name}-{i}.json") for i in range(args.runs)]
                rows[name] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile preset, median of {args.runs} run(s)")
    print(f"{'page':<10}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'TBT ms':>9}{'CLS':>7}{'LCP ms':>9}")
    for name, row in rows.items():
        print(f"{name:<10}{row['performance']:>6.0f}{row['accessibility']:>6.0f}{row['best-practices']:>6.0f}"
              f"{row['seo']:>6.0f}{row['tbt']:>9.0f}{row['cls']:>7.3f}{row['lcp']:>9.0f}")
    print("(the search page is noindex on purpose, so its SEO score is expected to be low)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
