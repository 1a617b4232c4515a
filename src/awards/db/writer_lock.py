"""The turn of one SQLite writer among processes: an exclusive `flock` on `<database>.writer`.

SQLite lets one writer in at a time, and a writer that finds the database locked sleeps in
growing steps (up to 100 ms) in its busy handler before it tries again: the writers of
several `awards serve` processes, or a server and an `awards worker`, lost seconds in those
sleeps under a surge. With the lock file they queue in the kernel instead, and the next one
starts as soon as the previous one lets go. A process's own writers already take turns on an
`asyncio.Lock`, so at most one of them waits here, in a thread.

`flock` locks belong to an open file: the file is opened again in a child process, which
would otherwise share its parent's lock. A writer waits at most `timeout` (the database
gives as long as SQLite's busy handler), then is told the service is busy (`Unavailable`, 503
with `Retry-After`) rather than hang behind a process that holds the lock and never lets go.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from awards.errors import Unavailable


class WriterLock:
    """An exclusive lock on `path`, taken around each write transaction."""

    def __init__(self, path: Path, *, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._descriptor: int | None = None
        self._owner = 0
        """The process that opened `_descriptor`."""

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Hold the lock for the body; waiting for it blocks a thread, never the loop."""
        descriptor = self._opened()
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: no hop to a thread
        except BlockingIOError:
            await _wait_for(descriptor, at_most=self.timeout)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._descriptor is not None and self._owner == os.getpid():
            os.close(self._descriptor)
        self._descriptor = None

    def _opened(self) -> int:
        if self._descriptor is None or self._owner != os.getpid():
            self._descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._owner = os.getpid()
        return self._descriptor


async def _wait_for(descriptor: int, *, at_most: float) -> None:
    taking = asyncio.ensure_future(asyncio.to_thread(fcntl.flock, descriptor, fcntl.LOCK_EX))
    try:
        await asyncio.wait_for(asyncio.shield(taking), at_most)
    except (asyncio.CancelledError, TimeoutError) as stopped:
        # The thread cannot be stopped: let go of the lock as soon as it has it.
        taking.add_done_callback(partial(_let_go, descriptor))
        if isinstance(stopped, TimeoutError):
            raise Unavailable(
                f"another process has held the database's writer lock for {at_most:g} s: "
                "try again shortly"
            ) from None
        raise


def _let_go(descriptor: int, taking: asyncio.Future[None]) -> None:
    if not taking.cancelled() and taking.exception() is None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
