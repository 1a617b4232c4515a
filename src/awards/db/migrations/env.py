"""Alembic environment: runs migrations on the async engine of `awards.db.database`."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import awards.db.tables  # registers the tables on SQLModel.metadata; include_name
from awards.db.database import Database


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        include_name=awards.db.tables.include_name,  # not SQLite's full-text index
    )
    with context.begin_transaction():
        context.run_migrations()


async def _migrate(url: str) -> None:
    database = Database(url, pooled=False)
    async with database.engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await database.dispose()


asyncio.run(_migrate(context.config.get_main_option("sqlalchemy.url") or ""))
