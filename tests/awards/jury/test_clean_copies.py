"""Clean copies: a PDF is rebuilt for an anonymised jury once per original content, kept as a
blob of its own for every later download, and deleted by retention with its original; one
that cannot be rebuilt is withheld, each time (counted, not timed)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from awards.clock import months_after
from awards.db.tables import Call, CleanedPdf
from awards.jury import clean_copies
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.jury.pdf_metadata import strip_pdf_metadata
from awards.privacy.retention import apply_retention
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review, long_pdf

LONG_AGO = 1_600_000_000.0
"""A file time (wall clock) past the store's grace for blobs an upload has just reused."""


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each PDF rebuilt, in order."""
    counted: list[int] = []

    def counting(data: bytes, **options: Any) -> bytes:
        counted.append(len(data))
        return strip_pdf_metadata(data, **options)

    monkeypatch.setattr(clean_copies, "strip_pdf_metadata", counting)
    return counted


async def annexes_for_a_juror(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, call: int, annex: bytes
) -> list[str]:
    """Barcelona's two candidacies with the same annex, assigned to the juror: the address of
    each annex as the juror downloads it."""
    await candidacies_in_review(runtime, clock, tokens, call, cities=0, annex=annex)
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, call, jurors=["juror@jury.test"], president=None, actor=staff)
    await assign_round(runtime, call, round_name=None, actor=staff)
    paths = []
    for item in (await client.get("/api/v1/jury/assignments", headers=tokens.juror)).json():
        path = f"/api/v1/jury/assignments/{item['id']}"
        dossier = (await client.get(path, headers=tokens.juror)).json()
        paths.append(f"{path}/documents/{dossier['answers']['annex']['document']}")
    return paths


def blobs(runtime: Runtime) -> list[Path]:
    return sorted(p for p in (runtime.settings.data_dir / "blobs").rglob("*") if p.is_file())


async def test_a_pdf_is_rebuilt_once_and_every_later_download_reads_the_copy(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    rebuilds: list[int],
) -> None:
    annex = long_pdf(300)
    first, second = await annexes_for_a_juror(client, runtime, clock, tokens, open_award, annex)

    downloads = [await client.get(path, headers=tokens.juror) for path in (first, first, second)]

    assert [d.status_code for d in downloads] == [200, 200, 200]
    assert downloads[0].content == downloads[1].content == downloads[2].content
    assert downloads[0].content != annex
    assert rebuilds == [len(annex)]  # one rebuild for three downloads of two identical uploads
    async with runtime.db.read() as session:
        made = list(await session.scalars(select(CleanedPdf)))
    assert [path.name for path in blobs(runtime)] == sorted(
        [made[0].original_sha256, made[0].cleaned_sha256]
    )


async def test_a_pdf_that_cannot_be_rebuilt_is_withheld_at_every_download(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    rebuilds: list[int],
) -> None:
    broken = b"%PDF-1.7\nnot really a PDF"
    first, _ = await annexes_for_a_juror(client, runtime, clock, tokens, open_award, broken)

    downloads = [await client.get(first, headers=tokens.juror) for _ in range(2)]

    assert [d.status_code for d in downloads] == [409, 409]
    assert "cannot be cleaned of its metadata, so it is withheld" in downloads[0].json()["detail"]
    assert rebuilds == [len(broken), len(broken)]
    async with runtime.db.read() as session:
        assert list(await session.scalars(select(CleanedPdf))) == []


async def test_retention_deletes_the_clean_copy_with_its_original(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    rebuilds: list[int],
) -> None:
    first, _ = await annexes_for_a_juror(client, runtime, clock, tokens, open_award, long_pdf(3))
    assert (await client.get(first, headers=tokens.juror)).status_code == 200
    assert len(blobs(runtime)) == 2
    for path in blobs(runtime):  # neither was just reused by an upload
        os.utime(path, (LONG_AGO, LONG_AGO))
    async with runtime.db.read() as session:
        call = await session.get(Call, open_award)
        assert call is not None
    clock.now = months_after(call.closes_at, 12 * 5) + timedelta(minutes=1)

    purged = (await apply_retention(runtime)).purged

    assert len(purged) == 2
    assert blobs(runtime) == []
    async with runtime.db.read() as session:
        assert list(await session.scalars(select(CleanedPdf))) == []


async def test_a_clean_copy_missing_from_the_store_is_made_again(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    rebuilds: list[int],
) -> None:
    first, _ = await annexes_for_a_juror(client, runtime, clock, tokens, open_award, long_pdf(3))
    served = await client.get(first, headers=tokens.juror)
    async with runtime.db.read() as session:
        made = await session.scalar(select(CleanedPdf))
    assert made is not None
    (copy,) = [path for path in blobs(runtime) if path.name == made.cleaned_sha256]
    copy.unlink()  # as a store restored from an older backup would lack it

    again = await client.get(first, headers=tokens.juror)

    assert (again.status_code, again.content) == (200, served.content)
    assert len(rebuilds) == 2
    assert copy.exists()
