"""The migrations build exactly the schema the tables declare, on each database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlmodel import SQLModel

from awards.db.tables import include_name
from awards.transitions.runtime import Runtime


async def test_migrated_schema_matches_the_tables(runtime: Runtime) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, SQLModel.metadata))

    async with runtime.db.engine.connect() as connection:
        diff = await connection.run_sync(differences)
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))

    assert diff == []
    assert {"calls", "submissions", "audit_entries", "outbox", "users", "organisations"} <= tables
