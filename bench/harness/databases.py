"""What a run stands on: the service's settings on a given database, and PostgreSQL databases
made and dropped for it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import asyncpg
from sqlalchemy.engine import make_url

from awards.settings import Settings, load_settings
from harness.processes import ROOT


def repository_settings(database_url: str, **variables: str) -> Settings:
    """The settings `awards serve` reads in this repository on `database_url` and `variables`
    (`AWARDS_*` names): the defaults of `config/settings.toml`, the call kinds of `config/`."""
    settings = load_settings(
        {"AWARDS_DATABASE_URL": database_url, **variables},
        defaults_file=ROOT / "config" / "settings.toml",
    )
    return replace(settings, config_dir=ROOT / "config")


def is_postgres(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


def on_postgres_server(database_url: str, *statements: str) -> None:
    """Run `statements` in turn on the PostgreSQL server of `database_url`, connected to its
    `postgres` database: a database is neither made nor dropped from inside itself."""
    url = make_url(database_url).set(drivername="postgresql", database="postgres")

    async def run() -> None:
        connection = await asyncpg.connect(url.render_as_string(hide_password=False))
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def recreate_postgres(database_url: str) -> None:
    """Drop and create the database of `database_url`: each run starts from nothing."""
    name = make_url(database_url).database
    on_postgres_server(
        database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
