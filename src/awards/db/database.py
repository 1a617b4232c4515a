"""The database handle: one async engine, and sessions that own their transaction.

Use cases open `read()` for queries and `write()` for changes. On SQLite a write transaction
starts with `BEGIN IMMEDIATE`, so two writers queue on `busy_timeout` instead of failing when
one of them upgrades a read lock; PostgreSQL needs nothing special.

SQLite commits one writer at a time, and a writer that finds the database locked sleeps in
growing steps (up to 100 ms) before it tries again: under a surge, writers that kept losing
that race waited seconds. So the writers of one process also take turns on an
`asyncio.Lock`, first come first served: the next starts as soon as the previous commits;
and then on a lock file beside a database file (`awards.db.writer_lock`) with the writers of
other processes (`awards serve --workers N`, an `awards worker`). `busy_timeout` is left for
what takes neither (a migration, a backup).

On PostgreSQL a transaction may still lose to a concurrent one: a deadlock the server broke,
a serialisation failure. `write()` rolls it back and raises `WriteContention`; the unit of
work that opened it (a request: `awards.http.retries`) runs again from the start, which an
`async with` body cannot do by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from awards.db import sqlite_driver
from awards.db.writer_lock import WriterLock
from awards.errors import Unavailable

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITER_LOCK_TIMEOUT_SECONDS = SQLITE_BUSY_TIMEOUT_MS / 1000
"""How long a writer waits for another process's turn (`WriterLock`): as long as SQLite's
busy handler would."""
_IMMEDIATE = "awards_begin_immediate"
_writing: ContextVar[bool] = ContextVar("awards_writing", default=False)


CONTENDED = frozenset({"40001", "40P01"})
"""SQLSTATEs of a transaction that lost to a concurrent one: serialization_failure,
deadlock_detected. Running it again may succeed."""


class NestedWrite(RuntimeError):
    """A programming error: one use case must write in one transaction."""


class WriteContention(Unavailable):
    """A write transaction lost to a concurrent one and was rolled back; nothing of it stays."""


class Attempt:
    """The write transactions of one attempt at a unit of work: may it run again?"""

    def __init__(self) -> None:
        self.committed = False
        """A write of this attempt committed: running it again would repeat that write."""
        self.contended = False
        """A write of this attempt lost to a concurrent one (`WriteContention`)."""

    @property
    def retryable(self) -> bool:
        return self.contended and not self.committed


_attempt: ContextVar[Attempt | None] = ContextVar("awards_attempt", default=None)


@contextmanager
def attempt() -> Iterator[Attempt]:
    """Follow the write transactions opened in this context (and the tasks it starts)."""
    current = Attempt()
    token = _attempt.set(current)
    try:
        yield current
    finally:
        _attempt.reset(token)


class Database:
    """An async engine and the sessions made from it."""

    def __init__(self, url: str, *, pooled: bool = True) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        options: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
        if self.is_sqlite and self.url.database:
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLite in one hop to its thread per statement (`awards.db.sqlite_driver`).
        driven = self.url.set(drivername=sqlite_driver.DRIVERNAME) if self.is_sqlite else self.url
        self.engine: AsyncEngine = create_async_engine(driven, **options)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        # One lock per event loop: a lock is bound to the first loop that waits on it, and a
        # command may run one loop after another on the same database.
        self._writers: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            WeakKeyDictionary()
        )
        self._writer_lock = _writer_lock_of(self.url.database) if self.is_sqlite else None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries; its transaction is rolled back at the end."""
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits at the end, or rolls back on an error.

        A `write()` inside another (or in a task it starts) raises `NestedWrite`: on SQLite
        the inner one would wait for the outer one forever. A transaction that lost to a
        concurrent one raises `WriteContention`.
        """
        if _writing.get():
            raise NestedWrite("a write transaction was opened inside another one")
        current = _attempt.get()
        async with self._turn_to_write(), self._sessions() as session:
            token = _writing.set(True)
            try:
                await session.connection(execution_options={_IMMEDIATE: True})
                yield session
                await session.commit()
            except DBAPIError as error:
                await session.rollback()
                if getattr(error.orig, "sqlstate", None) not in CONTENDED:
                    raise
                if current is not None:
                    current.contended = True
                raise WriteContention(
                    "the change met a concurrent one and was not made: try again"
                ) from error
            except BaseException:
                await session.rollback()
                raise
            finally:
                _writing.reset(token)
        if current is not None:
            current.committed = True

    @asynccontextmanager
    async def _turn_to_write(self) -> AsyncIterator[None]:
        if not self.is_sqlite:
            yield
            return
        loop = asyncio.get_running_loop()
        if loop not in self._writers:
            self._writers[loop] = asyncio.Lock()
        async with self._writers[loop]:
            if self._writer_lock is None:
                yield
            else:
                async with self._writer_lock.held():
                    yield

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.close()


def _writer_lock_of(database: str | None) -> WriterLock | None:
    """The lock file of a SQLite database file; none for a database in memory."""
    if not database or database == ":memory:":
        return None
    return WriterLock(Path(f"{database}.writer"), timeout=WRITER_LOCK_TIMEOUT_SECONDS)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is always DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
