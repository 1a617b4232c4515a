"""A signed agreement uploaded by its laureate (kinds whose agreement's `signature` is
`upload`): a PDF, kept as a blob before the obligation names it, so an acknowledged signature
survives a crash, as an attachment does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator

from awards.commitments.access import acting_laureate, laureate
from awards.commitments.obligations import sign_agreement
from awards.commitments.spec import AGREEMENT, Signature
from awards.db.tables import Obligation
from awards.errors import Forbidden, Invalid, NotFound
from awards.kinds.forms import DEFAULT_MAX_SIZE_MB, MEGABYTE
from awards.storage import FileFamily, LocalFileStore, TooLarge, Unacceptable, identify
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


async def upload_signed_agreement(
    runtime: Runtime,
    submission_id: int,
    stream: AsyncIterable[bytes],
    filename: str,
    *,
    actor: Actor,
) -> Obligation:
    """The laureate's signed copy of its agreement: checked, kept, then the agreement signed."""
    async with runtime.db.read() as session:
        found = await acting_laureate(session, runtime, submission_id, actor=actor)
    if not actor.owns(found.submission):
        raise Forbidden(f"only the laureate signs submission {submission_id}'s agreement")
    if found.spec.agreement is None or found.spec.agreement.signature != Signature.UPLOAD:
        raise Invalid(
            f"submission {submission_id}'s agreement is accepted on its page, not uploaded",
            extra={"field": "file"},
        )
    store = LocalFileStore(runtime.settings.data_dir)
    try:
        async with store.stage(stream, limit=DEFAULT_MAX_SIZE_MB * MEGABYTE) as staged:
            try:
                identified = await asyncio.to_thread(identify, staged.path, filename)
            except Unacceptable as refusal:
                raise Invalid(str(refusal), extra={"field": "file"}) from None
            if identified.kind.family != FileFamily.PDF:
                raise Invalid(
                    f"the signed agreement is a PDF; '{identified.filename}' is "
                    f"{identified.kind.label}",
                    extra={"field": "file"},
                )
            await store.keep(staged)
    except TooLarge:
        raise Invalid(
            f"the signed agreement has at most {DEFAULT_MAX_SIZE_MB} MB", extra={"field": "file"}
        ) from None
    return await sign_agreement(
        runtime, submission_id, actor=actor, document=(identified.filename, staged.sha256)
    )


async def signed_copy(
    runtime: Runtime, submission_id: int, *, actor: Actor
) -> tuple[str, AsyncIterator[bytes]]:
    """The uploaded signed agreement's name and bytes, for its laureate and the Secretariat."""
    async with runtime.db.read() as session:
        found = await laureate(session, runtime, submission_id, actor=actor)
    agreement = found.obligations.get(AGREEMENT)
    if agreement is None or agreement.document_sha256 is None:
        raise NotFound(f"submission {submission_id} has no signed agreement uploaded")
    store = LocalFileStore(runtime.settings.data_dir)
    return agreement.document_name or "agreement.pdf", await store.open(agreement.document_sha256)
