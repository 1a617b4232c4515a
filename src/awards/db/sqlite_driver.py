"""SQLite for the async engine in one hop per statement: `sqlite+awards://`.

sqlite3 blocks, so an async engine runs it in a thread of its own per connection. aiosqlite
(SQLAlchemy's `sqlite+aiosqlite`) hops to that thread and back for every call of the DBAPI:
open a cursor, execute, fetch the rows, close the cursor; each hop costs some 70 us of CPU
(a queue, a thread woken, the event loop woken), some 150 hops per candidacy sent. Here one
hop runs the statement, reads its rows and closes its cursor, a commit or a rollback is one
hop too (none when no transaction is open), and a hop costs half of aiosqlite's (`Thread`).
Only a streamed result (`stream_scalars`) keeps its cursor open in the thread and fetches a
batch a hop.

`Database` opens every SQLite URL with this driver; migrations keep aiosqlite (Alembic)."""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.base import SQLiteExecutionContext
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine.url import URL
from sqlalchemy.util import await_

DRIVER = "awards"
DRIVERNAME = f"sqlite+{DRIVER}"
T = TypeVar("T")
Row = tuple[Any, ...]


class Thread:
    """One thread running the work it is given in order, each answer set on the awaiting
    loop's future directly: half the CPU of a hop through `concurrent.futures` (its future,
    its lock, `asyncio.wrap_future`'s callbacks)."""

    def __init__(self) -> None:
        self._work: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="sqlite", daemon=True).start()

    async def run(self, work: Callable[..., T], *arguments: Any) -> T:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[T] = loop.create_future()
        self._work.put((loop, answer, work, arguments))
        return await answer

    def send(self, work: Callable[..., Any], *arguments: Any) -> None:
        """Run `work` without waiting for it (nothing can be awaited where it is sent)."""
        self._work.put((None, None, work, arguments))

    def stop(self) -> None:
        """End the thread once the work sent before is done."""
        self._work.put(None)

    def _serve(self) -> None:
        while (item := self._work.get()) is not None:
            loop, answer, work, arguments = item
            settle: Callable[[asyncio.Future[Any], Any], None]
            try:
                settle, outcome = _succeed, work(*arguments)
            except BaseException as error:  # handed to the awaiting task, whatever it is
                settle, outcome = _fail, error
            if loop is not None:
                # The loop may have closed meanwhile (a command's, a test's): nobody waits.
                with suppress(RuntimeError):
                    loop.call_soon_threadsafe(settle, answer, outcome)


def _succeed(answer: asyncio.Future[Any], result: Any) -> None:
    if not answer.done():  # else the awaiting task was cancelled
        answer.set_result(result)


def _fail(answer: asyncio.Future[Any], error: BaseException) -> None:
    if not answer.done():
        answer.set_exception(error)


class Connection:
    """A DBAPI connection whose sqlite3 connection lives in one thread of its own."""

    def __init__(self, database: sqlite3.Connection, thread: Thread) -> None:
        self._database = database
        self._thread = thread
        self._idle = False
        """No transaction is open: known when the last hop ended, not when one was cut
        short (a cancelled request) or failed."""

    def run(self, work: Callable[..., T], *arguments: Any) -> T:
        """`work(sqlite3 connection, *arguments)` in the connection's thread, awaited."""
        self._idle = False
        state: tuple[T, bool] = self._hop(_then_state, work, self._database, *arguments)
        result, in_transaction = state
        self._idle = not in_transaction
        return result

    def _hop(self, work: Callable[..., T], *arguments: Any) -> T:
        done: T = await_(self._thread.run(work, *arguments))
        return done

    def cursor(self, server_side: bool = False) -> Cursor:
        return StreamingCursor(self) if server_side else Cursor(self)

    def commit(self) -> None:
        if not self._idle:
            self.run(sqlite3.Connection.commit)

    def rollback(self) -> None:
        # The pool rolls back every connection it takes back, most just after a commit.
        if not self._idle:
            self.run(sqlite3.Connection.rollback)

    def close(self) -> None:
        self._hop(sqlite3.Connection.close, self._database)
        self._thread.stop()

    def terminate(self) -> None:
        """Close without waiting: the pool may do so where nothing can be awaited."""
        self._thread.send(sqlite3.Connection.close, self._database)
        self._thread.stop()

    @property
    def isolation_level(self) -> str | None:
        level: str | None = self.run(getattr, "isolation_level")
        return level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self.run(setattr, "isolation_level", value)

    def create_function(self, *arguments: Any, **options: Any) -> None:
        self.run(lambda database: database.create_function(*arguments, **options))


def _then_state(
    work: Callable[..., T], database: sqlite3.Connection, *arguments: Any
) -> tuple[T, bool]:
    """What `work` returns, and whether a transaction is open after it."""
    return work(database, *arguments), database.in_transaction


def _executed(
    database: sqlite3.Connection, operation: str, parameters: Sequence[Any] | None
) -> tuple[Any, int, int | None, list[Row]]:
    """Run one statement to its end: (description, rowcount, lastrowid, rows)."""
    cursor = database.execute(operation, parameters or ())
    try:
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _executed_many(
    database: sqlite3.Connection, operation: str, parameters: Sequence[Sequence[Any]]
) -> tuple[int, int | None]:
    cursor = database.executemany(operation, parameters)
    try:
        return cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class Cursor:
    """A DBAPI cursor over rows read with their statement, in its one hop."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._rows: deque[Row] = deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def execute(self, operation: str, parameters: Sequence[Any] | None = None) -> None:
        self.description, self.rowcount, self.lastrowid, rows = self._connection.run(
            _executed, operation, parameters
        )
        self._rows = deque(rows)

    def executemany(self, operation: str, parameters: Sequence[Sequence[Any]]) -> None:
        self.rowcount, self.lastrowid = self._connection.run(_executed_many, operation, parameters)
        self.description, self._rows = None, deque()

    def fetchone(self) -> Row | None:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Row]:
        count = min(len(self._rows), size or self.arraysize)
        return [self._rows.popleft() for _ in range(count)]

    def fetchall(self) -> list[Row]:
        rows, self._rows = list(self._rows), deque()
        return rows

    def setinputsizes(self, *sizes: Any) -> None:
        """DBAPI's hint, which sqlite3 ignores."""

    def close(self) -> None:
        self._rows.clear()

    async def _async_soft_close(self) -> None:
        """What SQLAlchemy's asyncio results await of every cursor they return (to close it
        while the rows stay readable): nothing is open here."""


class StreamingCursor(Cursor):
    """A cursor left open in the connection's thread, its rows fetched a batch a hop."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._cursor: sqlite3.Cursor | None = None

    def execute(self, operation: str, parameters: Sequence[Any] | None = None) -> None:
        def opened(database: sqlite3.Connection) -> tuple[sqlite3.Cursor, Any, int]:
            cursor = database.execute(operation, parameters or ())
            return cursor, cursor.description, cursor.rowcount

        self._cursor, self.description, self.rowcount = self._connection.run(opened)

    def fetchone(self) -> Row | None:
        rows = self.fetchmany(1)
        return rows[0] if rows else None

    def fetchmany(self, size: int | None = None) -> list[Row]:
        return self._fetched(lambda cursor: cursor.fetchmany(size or self.arraysize))

    def fetchall(self) -> list[Row]:
        return self._fetched(sqlite3.Cursor.fetchall)

    def close(self) -> None:
        if self._cursor is not None:
            self._fetched(sqlite3.Cursor.close)
            self._cursor = None

    def _fetched(self, read: Callable[[sqlite3.Cursor], Any]) -> list[Row]:
        if self._cursor is None:
            return []
        rows: list[Row] = self._connection.run(_read, self._cursor, read)
        return rows


def _read(_database: sqlite3.Connection, cursor: sqlite3.Cursor, read: Callable[..., Any]) -> Any:
    return read(cursor)


class DBAPI:
    """The module-level part of DBAPI the dialect reads: sqlite3's errors and constants."""

    paramstyle = "qmark"
    Error = sqlite3.Error
    DatabaseError = sqlite3.DatabaseError
    IntegrityError = sqlite3.IntegrityError
    NotSupportedError = sqlite3.NotSupportedError
    OperationalError = sqlite3.OperationalError
    ProgrammingError = sqlite3.ProgrammingError
    InterfaceError = sqlite3.InterfaceError
    Binary = sqlite3.Binary
    PARSE_COLNAMES = sqlite3.PARSE_COLNAMES
    PARSE_DECLTYPES = sqlite3.PARSE_DECLTYPES
    sqlite_version = sqlite3.sqlite_version
    sqlite_version_info = sqlite3.sqlite_version_info

    def connect(self, *arguments: Any, **options: Any) -> Connection:
        thread = Thread()
        database = await_(thread.run(partial(sqlite3.connect, *arguments, **options)))
        return Connection(database, thread)


class ExecutionContext(SQLiteExecutionContext):
    def create_server_side_cursor(self) -> Any:
        return self._dbapi_connection.cursor(server_side=True)


class Dialect(SQLiteDialect_pysqlite):
    driver = DRIVER
    is_async = True
    has_terminate = True
    supports_statement_cache = True
    supports_server_side_cursors = True
    execution_ctx_cls = ExecutionContext

    @classmethod
    def import_dbapi(cls) -> Any:
        return DBAPI()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool

    def get_driver_connection(self, connection: Any) -> Any:
        return connection._database

    def do_terminate(self, dbapi_connection: Any) -> None:
        dbapi_connection.terminate()


registry.register(f"sqlite.{DRIVER}", __name__, "Dialect")
