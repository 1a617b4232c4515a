"""A kind whose agreement is downloaded, signed and uploaded: the laureate uploads the signed
PDF, which signs the agreement (who and when) and which it and the Secretariat download; a
file that is no PDF is refused."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlmodel import col

from awards.app import create_app
from awards.assembly import build_runtime
from awards.auth.tokens import issue_token
from awards.clock import months_after
from awards.db.tables import Call, Obligation
from awards.privacy.retention import apply_retention
from awards.settings import Settings
from awards.storage import LocalFileStore
from awards.transitions.runtime import Runtime
from conftest import ROOT, Client, MovableClock, Tokens
from harness.laureates import KIND, Prize, decided_prize

SIGNED = b"%PDF-1.7\n% the grant agreement, signed by the Mayor\n%%EOF\n"


@pytest.fixture
def uploading(settings: Settings, tmp_path: Path) -> Settings:
    """The shipped kinds, the equality prize's agreement signed by uploading it (the
    templates and static files beside them, as in the repository)."""
    for shared in ("templates", "static"):
        (tmp_path / shared).symlink_to(ROOT / shared)
    calls = tmp_path / "config" / "calls"
    shutil.copytree(ROOT / "config" / "calls", calls)
    prize = calls / f"{KIND}.yaml"
    prize.write_text(
        prize.read_text(encoding="utf-8").replace("signature: accept", "signature: upload"),
        encoding="utf-8",
    )
    return replace(settings, config_dir=tmp_path / "config")


@pytest.fixture
async def served(uploading: Settings, clock: MovableClock) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create_app(uploading, clock=clock)) as test_client:
        yield test_client


@pytest.fixture
async def prize(
    uploading: Settings, clock: MovableClock, tokens: Tokens
) -> AsyncIterator[tuple[Runtime, Prize]]:
    runtime = build_runtime(uploading, clock=clock, pooled=False)
    try:
        yield runtime, await decided_prize(runtime, clock, tokens.actors["secretariat"])
    finally:
        await runtime.close()


async def test_the_laureate_uploads_its_signed_agreement_and_the_secretariat_reads_it(
    served: Client, prize: tuple[Runtime, Prize], clock: MovableClock, tokens: Tokens
) -> None:
    runtime, decided = prize
    laureate = decided.laureates[0]
    owner = {
        "Authorization": "Bearer "
        + await issue_token(runtime.db, decided.applicants[0].email, now=clock())
    }
    url = f"/api/v1/submissions/{laureate}/commitments/agreement"

    accepting = await served.post(url, headers=owner)
    not_a_pdf = await served.post(
        f"{url}/signed", files={"file": ("agreement.pdf", b"just text")}, headers=owner
    )
    uploaded = await served.post(
        f"{url}/signed", files={"file": ("Convention signée.pdf", SIGNED)}, headers=owner
    )
    read_back = await served.get(f"{url}/signed", headers=tokens.secretariat)

    assert accepting.status_code == 422
    assert not_a_pdf.status_code == 422
    assert uploaded.status_code == 201
    agreement = uploaded.json()["obligations"][0]
    assert (agreement["state"], agreement["document"]) == ("signed", "Convention signée.pdf")
    assert read_back.status_code == 200
    assert read_back.content == SIGNED
    assert read_back.headers["content-type"] == "application/pdf"
    assert (
        "filename*=UTF-8''Convention%20sign%C3%A9e.pdf" in read_back.headers["content-disposition"]
    )


async def test_retention_purges_the_signed_copy_with_the_dossier_and_keeps_who_signed(
    served: Client, prize: tuple[Runtime, Prize], clock: MovableClock, tokens: Tokens
) -> None:
    runtime, decided = prize
    laureate = decided.laureates[0]
    owner = {
        "Authorization": "Bearer "
        + await issue_token(runtime.db, decided.applicants[0].email, now=clock())
    }
    url = f"/api/v1/submissions/{laureate}/commitments/agreement/signed"
    uploaded = await served.post(url, files={"file": ("signed.pdf", SIGNED)}, headers=owner)
    async with runtime.db.read() as session:
        call = await session.get(Call, decided.call)
        agreement = await session.scalar(
            select(Obligation).where(col(Obligation.submission_id) == laureate)
        )
    assert call is not None and agreement is not None and agreement.document_sha256
    stored = LocalFileStore(runtime.settings.data_dir).path_of(agreement.document_sha256)
    uploaded_long_ago = datetime(2025, 9, 1, tzinfo=UTC).timestamp()
    os.utime(stored, (uploaded_long_ago, uploaded_long_ago))  # file times are wall-clock times
    clock.now = months_after(call.closes_at, 12 * 10) + timedelta(minutes=1)

    purged = await apply_retention(runtime)
    gone = await served.get(url, headers=tokens.secretariat)

    assert uploaded.status_code == 201
    assert laureate in [p.submission_id for p in purged.purged]
    assert gone.status_code == 404
    assert not stored.exists()
    async with runtime.db.read() as session:
        kept = await session.get(Obligation, agreement.id)
    assert kept is not None
    assert (kept.state, kept.sent_by, kept.document_name) == (
        "signed",
        decided.applicants[0].id,
        None,
    )
