"""`check`: build everything as it would be published, replace nothing, and list every problem with its line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from sitegen.errors import BuildFailed, Problem
from sitegen.lock import LockBusy
from sitegen.model import BuildOptions
from sitegen.pipeline import build
from sitegen.text import format_number

MAX_SHOWN = 200


def check_site(root: Path) -> tuple[tuple[Problem, ...], tuple[Problem, ...], tuple[tuple[str, str], ...]]:
    """(errors, warnings, posts held back) of the site as it would be published; output/ is left as it is."""
    options = BuildOptions(root=root, output=root / "output", write=False, audit=True)
    try:
        report = build(options)
    except BuildFailed as failure:
        return failure.errors, failure.warnings, ()
    return (), report.warnings, report.held_back


def run_check(root: Path, strict: bool = False, quiet: bool = False) -> int:
    """Print the problems found; 0 when there is no error (and, with `strict`, no warning either), else 1."""
    if not quiet:
        print("Đang kiểm tra toàn bộ trang như khi đăng (thư mục output/ không bị đụng đến)…", flush=True)
    try:
        errors, warnings, held_back = check_site(root)
    except LockBusy as busy:
        print(f"Không kiểm tra được: {busy.problem}", file=sys.stderr)
        return 4
    _print_list("Lỗi", errors)
    if not quiet or strict:
        _print_list("Cảnh báo", warnings)
    if held_back and not quiet:
        print(f"Chưa đăng ({len(held_back)}), sẽ không có trên trang khi đăng:")
        for source, why in held_back:
            print(f"  {source}: {why}")
    failed = bool(errors) or (strict and bool(warnings))
    counts = f"{format_number(len(errors))} lỗi, {format_number(len(warnings))} cảnh báo"
    if failed:
        advice = ("Sửa các lỗi trên rồi chạy lại lệnh check." if errors else
                  "Có --strict nên cảnh báo cũng tính là lỗi; hãy sửa rồi chạy lại.")
        print(f"Kết quả: {counts}. {advice}")
        return 1
    if not quiet:
        ending = "Có thể đăng trang." if not warnings else "Có thể đăng trang; nên xem lại các cảnh báo."
        print(f"Kết quả: {counts}. {ending}")
    return 0


def _print_list(title: str, problems: Sequence[Problem]) -> None:
    if not problems:
        return
    print(f"{title} ({len(problems)}):")
    for problem in problems[:MAX_SHOWN]:
        print(f"  {problem}")
    if len(problems) > MAX_SHOWN:
        print(f"  … và {len(problems) - MAX_SHOWN} mục khác")
