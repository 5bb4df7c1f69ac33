"""What a build tells its caller: progress inside a stage, each stage's time, and the final report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Problem
from sitegen.output import WriteReport
from sitegen.text import format_number


@dataclass(frozen=True)
class Step:
    """Progress inside a long stage: `done` of `total` items (posts, pages, photos)."""

    stage: str
    done: int
    total: int


Progress = Callable[[str | Step], None]
Tick = Callable[[int, int], None]
NO_TICK: Tick = lambda done, total: None  # noqa: E731


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
    rendered: int = 0  # outputs drawn (the others were kept from the last build)
    held_back: tuple[tuple[str, str], ...] = ()  # (source, why) of drafts and scheduled posts

    @property
    def seconds(self) -> float:
        """Total time of all stages."""
        return sum(t.seconds for t in self.timings)

    @property
    def unchanged(self) -> bool:
        """Nothing changed: output/ is as the last build left it."""
        return self.written is None or self.written.unchanged


class Stopwatch:
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


def changed_files(report: BuildReport) -> str:
    """What a build changed in the output folder ("3 tệp mới, 1 tệp sửa"), or "" when nothing."""
    written = report.written
    if report.unchanged or written is None:
        return ""
    return ", ".join(f"{format_number(len(files))} tệp {what}" for files, what in
                     ((written.added, "mới"), (written.changed, "sửa"), (written.removed, "bỏ đi")) if files)
