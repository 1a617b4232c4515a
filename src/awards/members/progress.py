"""Progress of a long import, told as `(stage, done, total)`, and shown on stderr.

On a terminal one line is rewritten in place at each percent; elsewhere (a cron job's log) a
line is written every `every` items. A file shorter than `every` rows shows nothing: it is
over before anyone would read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """Say nothing."""


class TerminalProgress:
    def __init__(self, stream: TextIO, *, every: int = 1000) -> None:
        self.stream = stream
        self.every = every
        self.interactive = stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < self.every:
            return
        if self.interactive:
            if done == total or done % max(1, total // 100) == 0:
                end = "\n" if done == total else ""
                self.stream.write(f"\r{stage}: {done}/{total} ({100 * done // total}%){end}")
                self.stream.flush()
        elif done % self.every == 0 or done == total:
            self.stream.write(f"{stage}: {done}/{total}\n")
            self.stream.flush()
