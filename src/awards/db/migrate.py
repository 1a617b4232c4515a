"""`awards migrate`: Alembic, configured in code (no alembic.ini to keep in step)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext

from awards.db.database import Database

MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Migration:
    """What `upgrade` did: the revision the database was at (None: no schema), and is at."""

    before: str | None
    after: str

    def __str__(self) -> str:
        if self.before is None:
            return f"created the schema at revision {self.after}"
        if self.before == self.after:
            return f"already at revision {self.after}"
        return f"upgraded from revision {self.before} to {self.after}"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> Migration:
    """Create or upgrade the schema. Runs its own event loop: call it outside one."""
    before = current_revision(database_url)
    command.upgrade(alembic_config(database_url), revision)
    after = current_revision(database_url)
    assert after is not None, "an upgrade leaves the database at a revision"
    return Migration(before=before, after=after)


def current_revision(database_url: str) -> str | None:
    """The revision the database is at; None before the first migration."""

    async def read() -> str | None:
        database = Database(database_url, pooled=False)
        try:
            async with database.engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_revision()
                )
        finally:
            await database.dispose()

    return asyncio.run(read())


def autogenerate(database_url: str, message: str) -> None:
    """Write a new revision from the difference between the tables and the database."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
