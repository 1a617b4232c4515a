"""Write transactions take turns: in one process, on whichever event loop they run, and on
SQLite with those of other processes (other engines) on the database's lock file."""

from __future__ import annotations

import asyncio
import fcntl
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from awards.db import database
from awards.db.database import Database, NestedWrite
from awards.db.tables import Organisation
from awards.db.writer_lock import WriterLock
from awards.errors import Unavailable

WRITERS = 5


async def add_cities(db: Database, prefix: str) -> None:
    """`WRITERS` concurrent write transactions, so that they wait for their turn."""

    async def add(number: int) -> None:
        async with db.write() as session:
            session.add(Organisation(slug=f"{prefix}-{number}", name=prefix, country="ES"))

    await asyncio.gather(*(add(number) for number in range(WRITERS)))


def test_concurrent_writers_on_one_loop_then_another_all_commit(database_url: str) -> None:
    # A command may run one event loop after another on the same database; a lock waited
    # on in the first loop would refuse to be waited on in the next.
    db = Database(database_url, pooled=False)

    for prefix in ("north", "south"):
        asyncio.run(add_cities(db, prefix))

    async def count() -> int | None:
        async with db.read() as session:
            return await session.scalar(select(func.count(col(Organisation.id))))

    assert asyncio.run(count()) == 2 * WRITERS
    asyncio.run(db.dispose())


async def test_a_write_opened_inside_another_is_refused_instead_of_waiting_forever(
    database_url: str,
) -> None:
    db = Database(database_url, pooled=False)
    try:
        async with db.write() as session:
            session.add(Organisation(slug="outer", name="Outer", country="ES"))
            with pytest.raises(NestedWrite):
                async with db.write():
                    pass  # pragma: no cover - refused before the body
        async with db.write() as session:  # the refusal left nothing behind
            session.add(Organisation(slug="after", name="After", country="ES"))
        async with db.read() as session:
            slugs = set(await session.scalars(select(col(Organisation.slug))))
        assert {"outer", "after"} <= slugs
    finally:
        await db.dispose()


async def test_writers_of_two_engines_on_one_sqlite_file_take_turns_without_the_busy_handler(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no busy timeout at all, a writer that met another engine's transaction would fail
    at once with "database is locked": they wait for each other on `<database>.writer`."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL lets concurrent writers in")
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 0)
    flock = fcntl.flock
    taken: list[str] = []

    def counted(descriptor: int, operation: int) -> None:
        flock(descriptor, operation)  # a lock not free raises: not taken
        if operation & fcntl.LOCK_EX:
            taken.append(Path(f"/proc/self/fd/{descriptor}").readlink().name)

    monkeypatch.setattr(fcntl, "flock", counted)
    engines = [Database(database_url, pooled=False) for _ in range(2)]

    async def add_slowly(db: Database, prefix: str, number: int) -> None:
        async with db.write() as session:
            session.add(Organisation(slug=f"{prefix}-{number}", name=prefix, country="ES"))
            await session.flush()
            await asyncio.sleep(0.01)  # holding SQLite's write lock: the other engine's turn

    try:
        await asyncio.gather(
            *(
                add_slowly(db, prefix, number)
                for db, prefix in zip(engines, ("north", "south"), strict=True)
                for number in range(WRITERS)
            )
        )
        async with engines[0].read() as session:
            count = await session.scalar(select(func.count(col(Organisation.id))))
    finally:
        for db in engines:
            await db.dispose()

    assert count == 2 * WRITERS
    lock_file = f"{Path(engines[0].url.database or '').name}.writer"
    assert taken == [lock_file] * (2 * WRITERS)


async def test_a_writer_behind_a_process_that_never_lets_go_is_told_to_try_again(
    tmp_path: Path,
) -> None:
    lock = WriterLock(tmp_path / "awards.db.writer", timeout=0.2)
    other_process = os.open(lock.path, os.O_RDWR | os.O_CREAT)  # its own open file
    fcntl.flock(other_process, fcntl.LOCK_EX)

    with pytest.raises(Unavailable, match=r"writer lock for 0\.2 s"):
        async with lock.held():
            pass  # pragma: no cover - refused before the body
    fcntl.flock(other_process, fcntl.LOCK_UN)
    async with lock.held():  # the turn comes once the lock is let go
        pass
    os.close(other_process)
    lock.close()
