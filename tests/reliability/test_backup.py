"""Backup (issue #9): `awards backup DEST` copies the database and the uploads while the
service takes writes; `awards restore SRC` puts them into a new database and data directory,
where a server finds every candidacy acknowledged before the backup began, with its document,
and no row naming a document the copy lacks. Retention is held off while a backup runs, so a
restore after a backup taken during retention has every blob its database names, on disk or
in a bucket."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlmodel import col

from awards.assembly import build_runtime
from awards.clock import months_after
from awards.db.tables import Attachment, Call
from awards.errors import ConfigurationError, Invalid
from awards.ops import backup as backup_module
from awards.ops.backup import back_up, restore
from awards.privacy.retention import RetentionReport, apply_retention
from awards.settings import Settings
from awards.storage import FileStore, LocalFileStore
from awards.storage.blobs import REUSE_GRACE_SECONDS
from awards.submissions.attachments import AttachmentService
from awards.timers import fire_due_timers
from conftest import MovableClock, Tokens, chunks_of, draft, s3_settings
from harness.applying import Candidacy, send
from harness.databases import on_postgres_server, repository_settings
from reliability.conftest import (
    CITIES,
    DOCUMENT_FIELD,
    Launcher,
    Stage,
    assert_kept,
    candidacies,
    candidacy,
    pdf,
    sha256,
    surge,
    until,
)

BEFORE = 12
WRITERS = 6


@pytest.fixture
def restored(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """Settings of a new, empty place to restore into: a SQLite file, or a PostgreSQL
    database created for the test; uploads on local disk."""
    data_dir = tmp_path / "restored" / "data"
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        target = tmp_path / "restored" / "awards.db"
        yield replace(settings, database_url=f"sqlite+aiosqlite:///{target}", data_dir=data_dir)
        return
    name = f"{url.database}_restored"
    on_postgres_server(settings.database_url, f'CREATE DATABASE "{name}"')
    target_url = url.set(database=name).render_as_string(hide_password=False)
    yield replace(settings, database_url=target_url, data_dir=data_dir)
    on_postgres_server(settings.database_url, f'DROP DATABASE "{name}" WITH (FORCE)')


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
    documents = await documents_named(restored)
    assert BEFORE < len(documents) <= BEFORE + len(during)
    store = LocalFileStore(restored.data_dir)
    assert all(sha256(store.path_of(document).read_bytes()) == document for document in documents)


async def documents_named(settings: Settings) -> list[str]:
    """The SHA-256 of every document the database of `settings` names."""
    runtime = build_runtime(settings, pooled=False)
    try:
        async with runtime.db.read() as session:
            return list(await session.scalars(select(col(Attachment.sha256))))
    finally:
        await runtime.close()


@pytest.fixture(params=["disk", "bucket"])
def uploads(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The test's settings with uploads on local disk, or in a bucket of its own."""
    if request.param == "disk":
        return settings
    return s3_settings(settings, request.getfixturevalue("s3_endpoint"))


async def test_a_backup_during_retention_restores_every_blob_its_database_names(
    uploads: Settings,
    restored: Settings,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime = build_runtime(uploads, clock=clock, pooled=False)
    owner = tokens.actors["owner"]
    forgotten = await draft(runtime, open_award, owner)
    await AttachmentService(runtime).upload(
        forgotten, DOCUMENT_FIELD, chunks_of(pdf(1)), "letter.pdf", actor=owner
    )
    async with runtime.db.read() as session:
        call = await session.get(Call, open_award)
        assert call is not None
    clock.now = call.closes_at + timedelta(minutes=1)
    await fire_due_timers(runtime)
    clock.now = months_after(call.closes_at, 6) + timedelta(minutes=1)
    # The file was stored long enough ago for retention to delete it.
    now = time.time() + 2 * REUSE_GRACE_SECONDS
    monkeypatch.setattr(time, "time", lambda: now)

    copy_out = backup_module._copy_out
    during: list[RetentionReport] = []

    async def retention_between_database_and_blobs(store: FileStore, target: Path) -> int:
        """Retention runs in another process after the database copy, before the blobs'."""
        elsewhere = build_runtime(uploads, clock=clock, pooled=False)
        try:
            during.append(await apply_retention(elsewhere))
        finally:
            await elsewhere.close()
        return await copy_out(store, target)

    monkeypatch.setattr(backup_module, "_copy_out", retention_between_database_and_blobs)
    await asyncio.to_thread(back_up, uploads, tmp_path / "backup")
    assert [report.purged for report in during] == [[]]  # held off while the backup ran
    after = await apply_retention(runtime)  # and done once it is over
    assert [purge.submission_id for purge in after.purged] == [forgotten]
    with pytest.raises(FileNotFoundError):
        await runtime.files.open(sha256(pdf(1)))
    await runtime.close()

    await asyncio.to_thread(restore, restored, tmp_path / "backup")
    named = await documents_named(restored)
    assert named == [sha256(pdf(1))]
    store = LocalFileStore(restored.data_dir)
    assert [sha256(store.path_of(document).read_bytes()) for document in named] == named


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
