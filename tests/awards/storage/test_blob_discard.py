"""Retention deletes a blob nothing references any more; an identical upload at that moment
keeps its file (awards.storage.blobs)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from awards.storage import LocalFileStore
from awards.storage.blobs import REUSE_GRACE_SECONDS
from conftest import chunks_of

LETTER = b"%PDF-1.4 a letter signed by the Mayor"


async def upload(store: LocalFileStore) -> Path:
    async with store.stage(chunks_of(LETTER), limit=1000) as staged:
        await store.keep(staged)
    return store.path_of(staged.sha256)


def age(path: Path) -> None:
    long_ago = time.time() - 2 * REUSE_GRACE_SECONDS
    os.utime(path, (long_ago, long_ago))


async def test_a_blob_stored_long_ago_is_deleted(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    blob = await upload(store)
    age(blob)

    assert await store.discard(blob.name)
    assert list(store.blobs.rglob("*")) == [blob.parent]


async def test_a_blob_an_upload_has_just_reused_is_spared(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    age(await upload(store))
    blob = await upload(store)  # the same bytes again, just before retention deletes them

    assert not await store.discard(blob.name)
    assert blob.read_bytes() == LETTER


async def test_an_upload_after_the_blob_was_deleted_stores_its_own_copy(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    blob = await upload(store)
    age(blob)
    assert await store.discard(blob.name)

    assert await upload(store) == blob
    assert blob.read_bytes() == LETTER
