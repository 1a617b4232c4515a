"""Resident memory and CPU time of process trees, read from Linux's /proc (no extra
dependency)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")
KIB = 1024
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in (PROC / str(current) / "task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue  # the task ended while we looked
    return found


def rss_bytes(pid: int) -> int:
    """The process's resident set, 0 once it has ended."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * KIB
    return 0


def trees_rss(pids: Iterable[int]) -> int:
    """The resident memory of these processes and all their descendants, summed."""
    return sum(rss_bytes(member) for pid in pids for member in tree(pid))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used, 0 once it has ended."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    # Fields after the command name, which is in parentheses and may hold spaces.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def trees_cpu_seconds(pids: Iterable[int]) -> float:
    """CPU time of these processes and all their descendants, summed."""
    return sum(cpu_seconds(member) for pid in pids for member in tree(pid))


class PeakMemory:
    """Samples `trees_rss(pids)` every `interval` seconds while it runs; `peak` is the most."""

    def __init__(self, pids: Iterable[int], *, interval: float = 0.05) -> None:
        self.pids = list(pids)
        self.interval = interval
        self.peak = trees_rss(self.pids)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> PeakMemory:
        self._task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self.peak = max(self.peak, trees_rss(self.pids))

    async def _sample(self) -> None:
        while True:
            # Reading /proc is a few system calls: cheap enough to do on the event loop.
            self.peak = max(self.peak, trees_rss(self.pids))
            await asyncio.sleep(self.interval)
