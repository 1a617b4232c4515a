"""Compare-and-set (`update_if`): a row changes only while it holds what was expected, NULL
included, and the session's copy of it shows the change."""

from __future__ import annotations

import pytest

from awards.db.cas import update_if
from awards.db.database import Database
from awards.db.tables import Organisation


@pytest.fixture
async def db(database_url: str) -> Database:
    return Database(database_url, pooled=False)


async def city(db: Database) -> int:
    async with db.write() as session:
        row = Organisation(slug="girona", name="Girona", country="ES")
        session.add(row)
        await session.flush()
        assert row.id is not None
        return row.id


async def test_a_row_changes_while_it_holds_what_was_expected_null_included(
    db: Database,
) -> None:
    row_id = await city(db)

    async with db.write() as session:
        loaded = await session.get(Organisation, row_id)
        first = await update_if(
            session, Organisation, row_id, expect={"region": None}, values={"region": "Europe"}
        )
        again = await update_if(
            session, Organisation, row_id, expect={"region": None}, values={"region": "Asia"}
        )
        wrong = await update_if(
            session, Organisation, row_id, expect={"name": "Lleida"}, values={"note": "no"}
        )

    assert (first, again, wrong) == (True, False, False)
    assert loaded is not None and loaded.region == "Europe"
    async with db.read() as session:
        stored = await session.get(Organisation, row_id)
    assert stored is not None and (stored.region, stored.note) == ("Europe", None)
    await db.dispose()
