"""Backup (issue #9): `awards backup DEST` copies the database and the uploads while the
service takes writes; `awards restore SRC` puts them into a new database and data directory,
where a server finds every candidacy acknowledged before the backup began, with its document,
and no row naming a document the copy lacks."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlmodel import col

from awards.assembly import build_runtime
from awards.db.tables import Attachment
from awards.errors import ConfigurationError, Invalid
from awards.ops.backup import back_up, restore
from awards.settings import Settings
from awards.storage import LocalFileStore
from harness.applying import Candidacy, send
from harness.databases import on_postgres_server, repository_settings
from reliability.conftest import (
    CITIES,
    Launcher,
    Stage,
    assert_kept,
    candidacies,
    candidacy,
    sha256,
    surge,
    until,
)

BEFORE = 12
WRITERS = 6


@pytest.fixture
def restored(stage: Stage, tmp_path: Path) -> Iterator[Settings]:
    """Settings of a new, empty place to restore into: a SQLite file, or a PostgreSQL
    database created for the test."""
    data_dir = tmp_path / "restored" / "data"
    url = make_url(stage.settings.database_url)
    if url.get_backend_name() == "sqlite":
        target = tmp_path / "restored" / "awards.db"
        yield replace(
            stage.settings, database_url=f"sqlite+aiosqlite:///{target}", data_dir=data_dir
        )
        return
    name = f"{url.database}_restored"
    on_postgres_server(stage.settings.database_url, f'CREATE DATABASE "{name}"')
    target_url = url.set(database=name).render_as_string(hide_password=False)
    yield replace(stage.settings, database_url=target_url, data_dir=data_dir)
    on_postgres_server(stage.settings.database_url, f'DROP DATABASE "{name}" WITH (FORCE)')


async def test_a_backup_taken_during_writes_restores_all_acknowledged_before_it(
    stage: Stage, launch: Launcher, restored: Settings, tmp_path: Path
) -> None:
    server = launch.serve()
    before = candidacies(stage, BEFORE)
    during: list[Candidacy] = []
    backup = tmp_path / "backup"
    async with httpx.AsyncClient(timeout=30) as http:
        await surge(http, [server.base_url], stage.call_id, before)
        assert [mine.failure for mine in before] == [None] * BEFORE

        stop = asyncio.Event()
        numbers = itertools.count(2 * CITIES)

        async def write_drafts() -> None:
            """New drafts with their documents, one after the other, until told to stop."""
            while not stop.is_set():
                mine = candidacy(stage, next(numbers))
                during.append(mine)
                await send(http, server.base_url, stage.call_id, mine, submit=False)
                assert mine.failure is None

        writers = [asyncio.create_task(write_drafts()) for _ in range(WRITERS)]
        await until(lambda: any(mine.attachment_id for mine in during), within=10, what="upload")
        backed_up = launch.spawn("backup", str(backup))
        status = await asyncio.to_thread(backed_up.popen.wait)
        stop.set()
        await asyncio.gather(*writers)
    assert status == 0, backed_up.output
    assert f"backed up to {backup}" in backed_up.output

    await asyncio.to_thread(restore, restored, backup)  # what `awards restore SRC` runs
    async with httpx.AsyncClient(timeout=30) as http:
        await assert_kept(http, launch.serve(settings=restored).base_url, before)

    # Drafts written during the backup may or may not be in it; what is there is whole.
    runtime = build_runtime(restored, pooled=False)
    try:
        async with runtime.db.read() as session:
            documents = list(await session.scalars(select(col(Attachment.sha256))))
    finally:
        await runtime.close()
    assert BEFORE < len(documents) <= BEFORE + len(during)
    store = LocalFileStore(restored.data_dir)
    assert all(sha256(store.path_of(document).read_bytes()) == document for document in documents)


def test_a_postgresql_backup_without_pg_dump_says_what_to_install(tmp_path: Path) -> None:
    settings = repository_settings("postgresql+asyncpg://awards:secret@127.0.0.1:1/awards")
    with pytest.raises(ConfigurationError) as refused:
        back_up(settings, tmp_path / "backup", path=str(tmp_path))  # a PATH without pg_dump
    assert refused.value.message == (
        "pg_dump is not installed: install PostgreSQL's client tools (e.g. apt-get install "
        "postgresql-client) of the server's major version, or run pg_dump yourself "
        "(docs/deploy.md, Backups)"
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # pg_restore refuses alone
def test_a_restore_never_overwrites_a_database(settings: Settings, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    back_up(settings, backup)
    with pytest.raises(Invalid) as refused:
        restore(settings, backup)
    database = make_url(settings.database_url).database
    assert refused.value.message == (
        f"{database} exists: restore into a new database, or move it away"
    )
