"""Uploads in S3-compatible storage (awards.storage.s3, awards.storage.location), against a real
S3-compatible server on loopback: what is kept reads back, a stale blob is deleted, and an
identical upload racing that deletion keeps its object, as on disk."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace

import pytest
from mypy_boto3_s3.type_defs import ObjectVersionTypeDef

from awards.errors import ConfigurationError
from awards.settings import Settings
from awards.storage import LocalFileStore, open_store
from awards.storage.blobs import REUSE_GRACE_SECONDS
from awards.storage.location import S3Location, s3_location
from awards.storage.s3 import S3FileStore
from conftest import chunks_of, s3_settings

LETTER = b"%PDF-1.4 a letter signed by the Mayor" * 5000
DIGEST = hashlib.sha256(LETTER).hexdigest()


@pytest.fixture
def s3(settings: Settings, s3_endpoint: str) -> Settings:
    return s3_settings(settings, s3_endpoint)


def bucket_store(settings: Settings) -> S3FileStore:
    store = open_store(settings)
    assert isinstance(store, S3FileStore)
    return store


async def upload(store: S3FileStore, content: bytes = LETTER) -> None:
    async with store.stage(chunks_of(content), limit=len(content)) as staged:
        await store.keep(staged)


async def read(store: S3FileStore, sha256: str = DIGEST) -> bytes:
    return b"".join([chunk async for chunk in await store.open(sha256)])


def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the store's wall clock past the grace a reused blob is given."""
    now = time.time() + 2 * REUSE_GRACE_SECONDS
    monkeypatch.setattr("awards.storage.s3.time.time", lambda: now)


async def test_a_kept_upload_reads_back_from_the_bucket_and_leaves_nothing_on_disk(
    s3: Settings,
) -> None:
    store = bucket_store(s3)
    await upload(store)

    assert await read(store) == LETTER
    assert [name async for name in store.names()] == [DIGEST]
    assert sorted(p for p in s3.data_dir.rglob("*") if p.is_file()) == []
    head = store.client.head_object(Bucket=store.bucket, Key=store.key_of(DIGEST))
    assert head["ContentLength"] == len(LETTER)
    assert store.key_of(DIGEST) == f"uploads/blobs/{DIGEST[:2]}/{DIGEST}"


async def test_a_missing_blob_raises_before_any_byte_is_sent(s3: Settings) -> None:
    with pytest.raises(FileNotFoundError):
        await bucket_store(s3).open(DIGEST)


async def test_discard_spares_a_blob_stored_within_the_grace(s3: Settings) -> None:
    store = bucket_store(s3)
    await upload(store)

    assert not await store.discard(DIGEST)
    assert await read(store) == LETTER


async def test_a_blob_stored_long_ago_is_deleted_with_every_version(
    s3: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = bucket_store(s3)
    await upload(store)
    await upload(store)
    later(monkeypatch)

    assert await store.discard(DIGEST)
    with pytest.raises(FileNotFoundError):
        await read(store)
    versions = store.client.list_object_versions(Bucket=store.bucket, Prefix=store.key_of(DIGEST))
    assert versions.get("Versions", []) == []


async def test_an_identical_upload_racing_discard_keeps_its_object(
    s3: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = bucket_store(s3)
    await upload(store)
    later(monkeypatch)
    listed = store._versions

    def listed_then_uploaded_again(key: str) -> list[ObjectVersionTypeDef]:
        versions = listed(key)
        store._keep(staged_again)  # the upload lands between the listing and the deletion
        return versions

    async with store.stage(chunks_of(LETTER), limit=len(LETTER)) as staged_again:
        monkeypatch.setattr(store, "_versions", listed_then_uploaded_again)
        await store.discard(DIGEST)

    assert await read(store) == LETTER


async def test_an_unversioned_bucket_is_refused_before_anything_is_stored(
    settings: Settings, s3_endpoint: str
) -> None:
    store = bucket_store(s3_settings(settings, s3_endpoint, versioned=False))

    with pytest.raises(ConfigurationError, match="must have versioning enabled"):
        await upload(store)
    assert [name async for name in store.names()] == []


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("", None),
        ("s3://awards-uploads", S3Location("awards-uploads", "")),
        ("s3://awards-uploads/prod/network/", S3Location("awards-uploads", "prod/network")),
    ],
)
def test_the_storage_url_names_a_bucket_and_a_prefix(url: str, location: S3Location) -> None:
    assert s3_location(url) == location


@pytest.mark.parametrize(
    "url", ["file:///var/data", "s3://", "s3://Awards/x", "s3://ab/x", "s3://bucket/x?y=1"]
)
def test_a_storage_url_that_is_no_bucket_stops_start_up(url: str) -> None:
    with pytest.raises(ConfigurationError, match="AWARDS_STORAGE_URL"):
        s3_location(url)


def test_local_disk_stays_the_default(settings: Settings) -> None:
    store = open_store(replace(settings, storage_url=""))

    assert isinstance(store, LocalFileStore)
    assert store.root == settings.data_dir
