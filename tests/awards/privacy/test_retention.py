"""Retention per call kind, applied by the worker's tick: a draft never submitted loses its
answers and documents 6 months after the award closes, an unpublished dossier 5 years after
(config/calls/educating-cities-award.yaml); the rows, their audit trail and scores stay."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.clock import months_after
from awards.db.tables import Attachment, AuditEntry, Call
from awards.privacy.retention import PURGE, apply_retention
from awards.storage import LocalFileStore
from awards.submissions.service import SubmissionService
from awards.timers import fire_due_timers
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, chunks_of, draft


async def attach(runtime: Runtime, submission_id: int, uploaded_by: int) -> Path:
    """A stored document of the draft; returns the path of its file."""
    store = LocalFileStore(runtime.settings.data_dir)

    letter = b"%PDF-1.4 a letter signed by the Mayor"
    async with store.stage(chunks_of(letter), limit=1000) as staged:
        await store.keep(staged)
    async with runtime.db.write() as session:
        session.add(
            Attachment(
                submission_id=submission_id,
                field="support_letter",
                filename="letter.pdf",
                content_type="application/pdf",
                size=staged.size,
                sha256=staged.sha256,
                created_at=runtime.clock(),
                uploaded_by=uploaded_by,
            )
        )
    path = store.path_of(staged.sha256)
    uploaded_long_ago = (datetime(2025, 9, 1, tzinfo=UTC)).timestamp()
    os.utime(path, (uploaded_long_ago, uploaded_long_ago))  # file times are wall-clock times
    return path


async def test_the_worker_deletes_contents_past_their_kind_retention(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    owner, lisboa = tokens.actors["owner"], tokens.actors["other_applicant"]
    forgotten = await draft(runtime, open_award, owner)
    document = await attach(runtime, forgotten, owner.id or 0)
    dossier = await draft(runtime, open_award, lisboa)
    await SubmissionService(runtime).fire(dossier, "submit", actor=lisboa)
    async with runtime.db.read() as session:
        call = await session.get(Call, open_award)
        assert call is not None
    clock.now = call.closes_at + timedelta(minutes=1)
    assert (await fire_due_timers(runtime)).closed == [open_award]

    clock.now = months_after(call.closes_at, 6) - timedelta(minutes=1)
    assert (await fire_due_timers(runtime)).purged == 0
    clock.advance(timedelta(minutes=2))
    due = await apply_retention(runtime, dry_run=True)
    assert [(p.submission_id, p.what) for p in due.purged] == [(forgotten, "draft")]
    with caplog.at_level(logging.INFO, logger="awards.privacy.retention"):
        assert (await fire_due_timers(runtime)).purged == 1
    assert f"deleted the contents of 1 drafts and 0 dossiers: submissions {forgotten}" in (
        caplog.text
    )

    shown = (await client.get(f"/api/v1/submissions/{forgotten}", headers=tokens.owner)).json()
    assert shown["answers"] == {}
    kept = (await client.get(f"/api/v1/submissions/{dossier}", headers=tokens.secretariat)).json()
    assert kept["answers"]["contact_name"] == "Ada Serra"
    async with runtime.db.read() as session:
        assert await session.scalar(select(Attachment)) is None
        audit = list(
            await session.scalars(
                select(col(AuditEntry.submission_id)).where(col(AuditEntry.transition) == PURGE)
            )
        )
    assert audit == [forgotten]
    assert not document.exists()
    assert (await apply_retention(runtime)).purged == []

    versions = f"/api/v1/submissions/{dossier}/versions"
    sent = (await client.get(versions, headers=tokens.secretariat)).json()
    assert [v["answers"]["contact_name"] for v in sent] == ["Ada Serra"]

    clock.now = months_after(call.closes_at, 12 * 5) + timedelta(minutes=1)
    assert [p.submission_id for p in (await apply_retention(runtime)).purged] == [dossier]
    kept = (await client.get(f"/api/v1/submissions/{dossier}", headers=tokens.secretariat)).json()
    assert (kept["answers"], kept["state"]) == ({}, "submitted")
    assert (await client.get(versions, headers=tokens.secretariat)).json() == []


def test_a_month_later_is_the_same_day_or_the_end_of_a_shorter_month() -> None:
    assert months_after(datetime(2025, 8, 31, 21, 59, tzinfo=UTC), 6) == datetime(
        2026, 2, 28, 21, 59, tzinfo=UTC
    )
    assert months_after(datetime(2025, 10, 15, tzinfo=UTC), 60).year == 2030
