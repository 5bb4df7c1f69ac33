"""What `serve` watches: the project's inputs by size and time, editors' temporary and swap files left out."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import CONFIG_FILE
from sitegen.sources import ignored_name

WATCHED_FOLDERS = ("content", "templates")
QUIET = 0.25  # seconds without a new save before a burst of saves counts as finished
LONGEST_BURST = 2.0  # seconds after which a build starts even while saves keep coming
POLL = 0.15  # seconds between two looks at the files

Snapshot = Mapping[str, tuple[int, int]]  # project path → (size, modification time in ns)


def take_snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and time of every input file: site_data.yaml and what content/ and templates/ hold."""
    found: dict[str, tuple[int, int]] = {}
    _note(found, root / CONFIG_FILE, CONFIG_FILE)
    for folder in WATCHED_FOLDERS:
        stack = [(root / folder, folder + "/")]
        while stack:
            directory, prefix = stack.pop()
            try:
                with os.scandir(directory) as entries:
                    for entry in entries:
                        if ignored_name(entry.name, keep_hidden=folder == "templates" and entry.is_file()):
                            continue  # .htaccess in templates/goc-trang/ is published, so watched
                        if entry.is_dir():
                            stack.append((Path(entry.path), prefix + entry.name + "/"))
                        else:
                            _note(found, Path(entry.path), prefix + entry.name)
            except OSError:
                continue  # a folder removed or renamed while we looked: the next look sees it as it is
    return found


def _note(found: dict[str, tuple[int, int]], path: Path, name: str) -> None:
    try:
        info = path.stat()
    except OSError:
        return
    found[name] = (info.st_size, info.st_mtime_ns)


def changed_paths(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    """Files added, changed or removed between two snapshots, sorted."""
    return tuple(sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name)))


@dataclass(frozen=True)
class Burst:
    """The saves that one rebuild answers, and the snapshot after the last of them."""

    paths: tuple[str, ...]
    snapshot: Snapshot


def wait_for_changes(root: Path, known: Snapshot, stopping: Callable[[float], bool]) -> Burst | None:
    """Block until inputs differ from `known` and stay quiet for QUIET seconds (or LONGEST_BURST has passed).

    `stopping(seconds)` waits that long and says whether to give up (then None is returned). An editor
    that saves ten times in a second gives one burst, so one rebuild.
    """
    current = take_snapshot(root)
    while current == known:
        if stopping(POLL):
            return None
        current = take_snapshot(root)
    started = time.monotonic()
    while time.monotonic() - started < LONGEST_BURST:
        if stopping(QUIET):
            return None
        again = take_snapshot(root)
        if again == current:
            break
        current = again
    return Burst(changed_paths(known, current), current)
