"""Blobs in S3-compatible object storage, under `<prefix>/blobs/<sha[:2]>/<sha>`.

The same contract as `LocalFileStore`: content-addressed, and durable before anyone is told.
An upload is staged on local disk (so its content can be inspected), then `keep` writes the
object with its SHA-256 checksum (which S3 verifies) and reads its metadata back: only an
object that is there with the staged size lets the row that names it commit.

`discard` must not lose an identical upload racing it. S3 has no rename to set a blob aside
as the disk does, so the bucket must be versioned: every `keep` writes a new version, even
of content already there, and `discard` deletes only the versions it listed, and only if
the newest of them is older than `REUSE_GRACE_SECONDS`. A version written after that
listing survives; all versions of a key hold the same bytes, so any survivor will do.

boto3 is synchronous: each call runs in a thread, like the disk's file operations.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.response import StreamingBody

from awards.errors import ConfigurationError
from awards.settings import Settings
from awards.storage.blobs import (
    CHUNK_SIZE,
    REUSE_GRACE_SECONDS,
    LocalFileStore,
    StagedBlob,
    check_digest,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectVersionTypeDef

_MISSING = frozenset({"404", "NoSuchKey", "NoSuchVersion", "NotFound"})


class BlobNotVerified(Exception):
    """The object read back after a write is not the one written: the upload fails."""


def s3_client(settings: Settings) -> S3Client:
    """A client for the configured endpoint; empty credentials leave boto3 its own chain."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=settings.s3_endpoint_url or None,
        region_name=settings.s3_region or None,
        aws_access_key_id=settings.s3_access_key_id or None,
        aws_secret_access_key=settings.s3_secret_access_key or None,
        config=Config(retries={"mode": "standard", "max_attempts": 5}),
    )


class S3FileStore:
    """Blobs in `bucket` (versioned) under `prefix`, staged by the local store `staging`."""

    def __init__(self, client: S3Client, bucket: str, prefix: str, *, staging: LocalFileStore):
        self.client = client
        self.bucket = bucket
        self.blobs = f"{prefix}/blobs/" if prefix else "blobs/"
        self.staging = staging
        self._versioned = False

    def key_of(self, sha256: str) -> str:
        check_digest(sha256)
        return f"{self.blobs}{sha256[:2]}/{sha256}"

    def stage(
        self, chunks: AsyncIterable[bytes], *, limit: int
    ) -> AbstractAsyncContextManager[StagedBlob]:
        return self.staging.stage(chunks, limit=limit)

    async def keep(self, staged: StagedBlob) -> None:
        await asyncio.to_thread(self._keep, staged)

    def _keep(self, staged: StagedBlob) -> None:
        self._require_versioning()
        key = self.key_of(staged.sha256)
        checksum = base64.b64encode(bytes.fromhex(staged.sha256)).decode("ascii")
        with staged.path.open("rb") as body:
            written = self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=body,
                ContentLength=staged.size,
                ChecksumSHA256=checksum,
            )
        found = self.client.head_object(
            Bucket=self.bucket, Key=key, VersionId=written["VersionId"], ChecksumMode="ENABLED"
        )
        if found["ContentLength"] != staged.size or found.get("ChecksumSHA256", checksum) != (
            checksum
        ):
            raise BlobNotVerified(f"{key} read back differs from what was written")

    async def discard(self, sha256: str) -> bool:
        """Delete a blob nothing references any more, unless an upload reused it meanwhile;
        True if it was deleted."""
        return await asyncio.to_thread(self._discard, self.key_of(sha256))

    def _discard(self, key: str) -> bool:
        self._require_versioning()
        versions = self._versions(key)
        if not versions:
            return False
        # Object times are the server's wall-clock times, whatever clock the service runs on.
        newest = max(version["LastModified"].timestamp() for version in versions)
        if time.time() - newest < REUSE_GRACE_SECONDS:
            return False
        for version in versions:
            self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=version["VersionId"])
        return True

    def _versions(self, key: str) -> list[ObjectVersionTypeDef]:
        found: list[ObjectVersionTypeDef] = []
        for page in self.client.get_paginator("list_object_versions").paginate(
            Bucket=self.bucket, Prefix=key
        ):
            found += [version for version in page.get("Versions", []) if version["Key"] == key]
        return found

    def _require_versioning(self) -> None:
        """Refuse an unversioned bucket before any write: `discard` would not be safe."""
        if self._versioned:
            return
        status = self.client.get_bucket_versioning(Bucket=self.bucket).get("Status")
        if status != "Enabled":
            raise ConfigurationError(
                f"the S3 bucket {self.bucket} must have versioning enabled (it is "
                f"{status or 'off'}): without it, deleting an unused upload could lose an "
                "identical one stored at the same moment"
            )
        self._versioned = True

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        key = self.key_of(sha256)
        try:
            answer = await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(key) from None
            raise
        return _read(answer["Body"])

    async def names(self) -> AsyncIterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.blobs
        )
        for page in await asyncio.to_thread(list, pages):
            for entry in page.get("Contents", []):
                yield entry["Key"].rsplit("/", 1)[-1]


async def _read(body: StreamingBody) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(body.read, CHUNK_SIZE):
            yield chunk
    finally:
        body.close()
