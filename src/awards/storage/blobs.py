"""Blobs: uploaded bytes stored once per content, durable before anyone is told they are.

An upload is first *staged*: streamed to a temporary file while its SHA-256 and size are
counted, refused as soon as it passes its limit (the rest is never read), and flushed to
disk. The caller inspects the staged file, then *keeps* it: renamed to
`blobs/<sha[:2]>/<sha>` and the directory flushed, so after `keep` returns a crash loses
nothing (invariant 3). Identical content lands on the same name and is stored once.

A blob kept for an upload whose database write then failed is merely unreferenced. A blob
is deleted only by `discard`, once retention has removed its last reference; an identical
upload racing that deletion must not lose its file, so `keep` marks a reused blob as fresh
(its mtime) and `discard` spares a blob touched within `REUSE_GRACE`.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
import time
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK_SIZE = 64 * 1024
WRITE_BATCH = 1024 * 1024
"""How much of an upload is hashed and written per hop to a thread: the request's body comes
in pieces of some 64 KB, and a 1 MB document takes one hop, not sixteen."""
REUSE_GRACE_SECONDS = 3600.0
_SHA256 = re.compile(r"[0-9a-f]{64}")


class TooLarge(Exception):
    """The upload passed its limit; what was received is discarded."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class StagedBlob:
    """Bytes received in full and flushed to a local file, not yet kept as a blob."""

    path: Path
    sha256: str
    size: int


class FileStore(Protocol):
    """Where blobs live. Staging is always on local disk, so content can be inspected."""

    def stage(
        self, chunks: AsyncIterable[bytes], *, limit: int
    ) -> AbstractAsyncContextManager[StagedBlob]:
        """Receive `chunks` (at most `limit` bytes, else `TooLarge`); dropped on exit unless
        kept."""
        ...

    async def keep(self, staged: StagedBlob) -> None:
        """Make `staged` the durable blob named by its SHA-256."""
        ...

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        """The blob's bytes in chunks; a missing blob raises `FileNotFoundError` now, not
        midway."""
        ...

    async def discard(self, sha256: str) -> bool:
        """Delete a blob nothing references any more, unless an upload reused it within
        `REUSE_GRACE_SECONDS`; True if it was deleted."""
        ...

    def names(self) -> AsyncIterator[str]:
        """The SHA-256 of every blob kept (for a backup)."""
        ...


class LocalFileStore:
    """Blobs under `root/blobs`, staged in `root/tmp` (same file system, so renames are
    atomic)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.staging = root / "tmp"

    def path_of(self, sha256: str) -> Path:
        check_digest(sha256)
        return self.blobs / sha256[:2] / sha256

    @asynccontextmanager
    async def stage(self, chunks: AsyncIterable[bytes], *, limit: int) -> AsyncIterator[StagedBlob]:
        await asyncio.to_thread(_make_durable_dirs, self.staging)
        handle, name = tempfile.mkstemp(dir=self.staging, prefix="upload-")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as file:
                digest, size = await _copy(chunks, file, limit=limit)
                await asyncio.to_thread(_flush, file)
            yield StagedBlob(path=path, sha256=digest, size=size)
        finally:
            path.unlink(missing_ok=True)  # noqa: ASYNC240 - quick; an await here could be cancelled and leave the file

    async def keep(self, staged: StagedBlob) -> None:
        await asyncio.to_thread(self._keep, staged)

    def _keep(self, staged: StagedBlob) -> None:
        target = self.path_of(staged.sha256)
        _make_durable_dirs(target.parent)
        try:
            os.utime(target)  # the same content is already a blob: mark it reused now
            staged.path.unlink()
        except FileNotFoundError:  # no such blob, or `discard` has just taken it away
            os.replace(staged.path, target)
        # Also when the blob existed: its writer may have crashed before flushing the entry.
        _fsync_directory(target.parent)

    async def discard(self, sha256: str) -> bool:
        """Delete a blob nothing references any more, unless an upload reused it meanwhile.

        The blob is first renamed aside, so a `keep` from then on stores its own copy; if
        `keep` touched it before the rename, it is put back. True if it was deleted.
        """
        return await asyncio.to_thread(self._discard, self.path_of(sha256))

    def _discard(self, target: Path) -> bool:
        aside = target.with_name(f"{target.name}.discarded")
        try:
            os.rename(target, aside)
        except FileNotFoundError:
            return False
        # File times are wall-clock times, whatever clock the service runs on.
        if time.time() - aside.stat().st_mtime < REUSE_GRACE_SECONDS:
            os.replace(aside, target)  # reused by an upload: a copy with the same bytes
            return False
        aside.unlink()
        _fsync_directory(target.parent)
        return True

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        file = await asyncio.to_thread(self.path_of(sha256).open, "rb")
        return _read(file)

    async def names(self) -> AsyncIterator[str]:
        for path in await asyncio.to_thread(sorted, self.blobs.glob("*/*")):
            if _SHA256.fullmatch(path.name):  # not a blob set aside by `discard`
                yield path.name


def check_digest(sha256: str) -> None:
    """Refuse anything but a SHA-256 digest as a blob's name (no path in disguise)."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 digest: {sha256!r}")


async def _copy(chunks: AsyncIterable[bytes], file: BinaryIO, *, limit: int) -> tuple[str, int]:
    """Write `chunks` to `file` and hash them in the same pass, off the event loop: a batch of
    `WRITE_BATCH` bytes at a time goes to a thread (the hash of a large batch releases the GIL:
    the loop serves other requests meanwhile)."""
    digest = hashlib.sha256()
    size = 0
    batch: list[bytes] = []
    batched = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        batch.append(chunk)
        batched += len(chunk)
        if batched >= WRITE_BATCH:
            await asyncio.to_thread(_write_hashed, file, digest, batch)
            batch, batched = [], 0
    if batch:
        await asyncio.to_thread(_write_hashed, file, digest, batch)
    return digest.hexdigest(), size


def _write_hashed(file: BinaryIO, digest: hashlib._Hash, batch: list[bytes]) -> None:
    for chunk in batch:
        digest.update(chunk)
        file.write(chunk)


async def _read(file: BinaryIO) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(file.read, CHUNK_SIZE):
            yield chunk
    finally:
        file.close()


def _flush(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())


def _make_durable_dirs(path: Path) -> None:
    """Create `path` and its missing parents, each entry flushed in its parent."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(exist_ok=True)
        _fsync_directory(directory.parent)


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
