"""The command line's own output: Vietnamese on any console, and a reader that goes away stops nothing."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import TextIO


def make_console_safe() -> None:
    """Never crash on a console that cannot show Vietnamese (cp1258, cp437, a pipe)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "Đắk Nông ệ “”–…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        else:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]


def forgive_closed_readers() -> None:
    """`build.py … | head`: once the reader of standard output or error has gone, what is written there is
    dropped instead of stopping the build halfway (BrokenPipeError, then "Lỗi nội bộ")."""
    sys.stdout = _Forgiving(sys.stdout)  # type: ignore[assignment]
    sys.stderr = _Forgiving(sys.stderr)  # type: ignore[assignment]


class _Forgiving(io.TextIOBase):
    """A text stream whose writes are dropped once its reader has closed the pipe."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._reader_gone()

    def _reader_gone(self) -> None:
        self._gone = True
        with contextlib.suppress(OSError, ValueError):  # nothing more is flushed there at exit either
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    def writable(self) -> bool:
        return True
