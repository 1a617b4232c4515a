"""Write transactions of one process take turns, on whichever event loop they run."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from awards.db.database import Database, NestedWrite
from awards.db.tables import Organisation

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
