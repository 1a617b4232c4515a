"""Clean copies of uploaded PDFs, made once per original and kept for every later download.

Rebuilding a long PDF (`awards.jury.pdf_metadata`) takes seconds of a thread; every juror of
a panel downloads the same documents. So the first download of an original rebuilds it and
keeps the result as a blob of its own, recorded in `cleaned_pdfs` (original SHA-256 ->
cleaned SHA-256); later downloads read that blob. Both are content-addressed: identical
uploads share one clean copy, and two originals may have the same one (an edited PDF
and its earlier revision, once rebuilt). Retention discards the clean copy with its original
(`awards.privacy.retention`). A document that cannot be rebuilt is not recorded: each
download tries again and refuses again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from awards.db.tables import Attachment, CleanedPdf
from awards.jury.pdf_metadata import strip_pdf_metadata
from awards.transitions.runtime import Runtime

log = logging.getLogger(__name__)


async def clean_copy(runtime: Runtime, sha256: str) -> bytes:
    """The clean copy of the PDF blob `sha256`, read if it was made before, else made now.

    Raises:
        UnreadablePdf: the original cannot be rebuilt.
    """
    async with runtime.db.read() as session:
        made = await session.get(CleanedPdf, sha256)
    if made is not None:
        try:
            return await _read(runtime, made.cleaned_sha256)
        except FileNotFoundError:  # a store restored without it: made again
            log.warning("clean copy %s of %s is missing; rebuilt", made.cleaned_sha256, sha256)
    original = await _read(runtime, sha256)
    cleaned = await asyncio.to_thread(
        strip_pdf_metadata, original, max_pages=runtime.settings.pdf_max_pages
    )
    async with runtime.files.stage(_once(cleaned), limit=len(cleaned)) as staged:
        await runtime.files.keep(staged)
    await _record(runtime, sha256, staged.sha256)
    log.info("clean copy %s made of PDF %s", staged.sha256, sha256)
    return cleaned


async def _record(runtime: Runtime, original: str, cleaned: str) -> None:
    try:
        async with runtime.db.write() as session:
            made = await session.get(CleanedPdf, original)
            if made is not None:  # its blob was missing; another pypdf may rebuild otherwise
                made.cleaned_sha256 = cleaned
            # Not recorded if retention removed the original meanwhile: it would outlive it.
            elif await session.scalar(
                select(col(Attachment.id)).where(col(Attachment.sha256) == original).limit(1)
            ):
                session.add(
                    CleanedPdf(
                        original_sha256=original, cleaned_sha256=cleaned, created_at=runtime.clock()
                    )
                )
    except IntegrityError:
        pass  # another download recorded the same copy first


async def _read(runtime: Runtime, sha256: str) -> bytes:
    return b"".join([chunk async for chunk in await runtime.files.open(sha256)])


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data
