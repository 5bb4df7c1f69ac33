"""Progress of a long build on a terminal: the stage, then a bar with a count; nothing when not a terminal."""

from __future__ import annotations

import time
from typing import TextIO

from sitegen.pipeline import Step
from sitegen.text import format_number

BAR_WIDTH = 24
_EVERY = 0.1  # seconds between two redraws of the bar


class ProgressLine:
    """One line, redrawn in place ("\\r" and spaces, which every console knows, Windows' too)."""

    def __init__(self, stream: TextIO, live: bool, verbose: bool = False) -> None:
        self.stream = stream
        self.live = live  # a terminal: draw the line
        self.verbose = verbose  # also each stage on its own line
        self._shown = 0
        self._last = 0.0

    def __call__(self, event: str | Step) -> None:
        if isinstance(event, Step):
            self._step(event)
            return
        waiting = event.startswith("Đang chờ")  # another build holds the lock: always worth saying
        if waiting or self.verbose:
            self.clear()
            print(event, file=self.stream, flush=True)
        elif self.live:
            self._draw(event)

    def _step(self, step: Step) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if now - self._last < _EVERY and step.done < step.total:
            return
        self._last = now
        filled = BAR_WIDTH * step.done // max(1, step.total)
        bar = "=" * filled + " " * (BAR_WIDTH - filled)  # ASCII: a Vietnamese Windows console lacks block signs
        self._draw(f"{step.stage}: [{bar}] {format_number(step.done)}/{format_number(step.total)}")

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self._shown - len(text))
        self.stream.write("\r" + text + padding)
        self.stream.flush()
        self._shown = len(text)

    def clear(self) -> None:
        """Remove the line (before the summary or an error list is printed)."""
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
