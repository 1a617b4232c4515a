"""SQLite through `sqlite+awards`: what the ORM reads and writes, errors, streamed results,
a cancelled statement; and the cost, counted: one hop to the connection's thread per
statement, its rows with it."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from awards.db import sqlite_driver
from awards.db.database import Database
from awards.db.tables import Organisation


@pytest.fixture
async def db(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    path = tmp_path / "awards.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite+aiosqlite:///{path}")
    yield database
    await database.dispose()


@contextmanager
def hops() -> Iterator[list[str]]:
    """The work sent to a connection's thread while the block runs, by name."""
    sent: list[str] = []
    run = sqlite_driver.Connection.run

    def counted(self: sqlite_driver.Connection, work: Any, *arguments: Any) -> Any:
        sent.append(getattr(work, "__name__", repr(work)))
        return run(self, work, *arguments)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite_driver.Connection, "run", counted)
        yield sent


async def add(db: Database, *slugs: str) -> None:
    async with db.write() as session:
        session.add_all(Organisation(slug=slug, name=slug.title(), country="ES") for slug in slugs)


async def test_the_engine_speaks_sqlite_through_the_one_hop_driver(db: Database) -> None:
    assert db.engine.dialect.driver == sqlite_driver.DRIVER

    await add(db, "girona", "lleida")

    async with db.read() as session:
        slugs = list(await session.scalars(select(col(Organisation.slug)).order_by("slug")))
        mode = await session.scalar(text("PRAGMA journal_mode"))
    assert slugs == ["girona", "lleida"]
    assert mode == "wal"


async def test_a_statement_and_its_rows_cost_one_hop(db: Database) -> None:
    await add(db, *(f"city-{number}" for number in range(50)))

    async with db.read() as session:
        await session.connection()
        with hops() as sent:
            slugs = list(await session.scalars(select(col(Organisation.slug))))

    assert len(slugs) == 50
    assert sent == ["_executed"]


async def test_a_write_is_its_statements_and_one_commit(db: Database) -> None:
    await add(db, "tarragona")  # the pool's connection opened

    with hops() as sent:
        await add(db, "reus")

    # BEGIN IMMEDIATE, the INSERT, the commit; no rollback as the pool takes it back.
    assert sent == ["_executed", "_executed", "commit"]


async def test_a_refused_write_rolls_back_and_the_connection_serves_the_next(
    db: Database,
) -> None:
    await add(db, "vic")

    with pytest.raises(IntegrityError):
        await add(db, "vic")
    await add(db, "olot")

    async with db.read() as session:
        count = await session.scalar(select(func.count(col(Organisation.id))))
    assert count == 2


async def test_a_streamed_result_reads_every_row_in_batches(db: Database) -> None:
    await add(db, *(f"town-{number:03}" for number in range(250)))

    async with db.read() as session:
        await session.connection()
        with hops() as sent:
            streamed = await session.stream_scalars(
                select(col(Organisation.slug))
                .order_by(col(Organisation.slug))
                .execution_options(yield_per=100)
            )
            slugs = [slug async for slug in streamed]

    assert slugs == [f"town-{number:03}" for number in range(250)]
    # The statement, then the rows in batches of 100 and the close: not a hop a row.
    assert sent[0] == "opened"
    assert 3 <= sent.count("_read") < 10


async def test_a_cancelled_statement_leaves_the_database_usable(db: Database) -> None:
    await add(db, "manresa")

    async def slow_read() -> None:
        async with db.read() as session:
            await session.execute(
                text(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 3000000) SELECT count(*) FROM n"
                )
            )

    task = asyncio.create_task(slow_read())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await add(db, "berga")

    async with db.read() as session:
        count = await session.scalar(select(func.count(col(Organisation.id))))
    assert count == 2
