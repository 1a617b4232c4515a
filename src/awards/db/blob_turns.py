"""Backups and retention take turns on the uploads, across processes and machines.

A backup copies the database, then the blobs it names; retention deletes a row's blobs after
the row. Were retention to delete a blob between the backup's copy of the database and its
copy of the blobs, the backup would name a blob it lacks. So a backup holds a shared turn
from before its database copy until its last blob is copied, and a retention pass runs only
if it gets the exclusive turn at once: while any backup runs, retention waits for its next
tick (a backup, in turn, waits for a retention pass under way to finish).

PostgreSQL: a session-level advisory lock, released with the connection if a process dies.
SQLite (one machine): `flock` on a file beside the database, released with the process too.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text

from awards.db.database import Database

ADVISORY_KEY = 0x6177_6172_6473  # "awards": any constant no other lock of the database uses


@asynccontextmanager
async def backup_turn(db: Database) -> AsyncIterator[None]:
    """Hold retention off until the block ends; waits for a retention pass under way."""
    if db.is_sqlite:
        async with _flocked(db, fcntl.LOCK_SH):
            yield
        return
    async with db.engine.connect() as connection:
        await connection.execute(
            text("SELECT pg_advisory_lock_shared(:key)"), {"key": ADVISORY_KEY}
        )
        try:
            yield
        finally:
            await connection.execute(
                text("SELECT pg_advisory_unlock_shared(:key)"), {"key": ADVISORY_KEY}
            )


@asynccontextmanager
async def deletion_turn(db: Database) -> AsyncIterator[bool]:
    """True (and held until the block ends) if no backup runs; False at once otherwise."""
    if db.is_sqlite:
        async with _flocked(db, fcntl.LOCK_EX | fcntl.LOCK_NB) as taken:
            yield taken
        return
    async with db.engine.connect() as connection:
        taken = await connection.scalar(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        )
        try:
            yield bool(taken)
        finally:
            if taken:
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )


@asynccontextmanager
async def _flocked(db: Database, operation: int) -> AsyncIterator[bool]:
    """`flock` on `<database>.blob-turns`: whether it was taken (False only with `LOCK_NB`).
    An in-memory database has no other process to take turns with."""
    if not db.url.database or db.url.database == ":memory:":
        yield True
        return
    descriptor = os.open(Path(f"{db.url.database}.blob-turns"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            await asyncio.to_thread(fcntl.flock, descriptor, operation)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # releases the lock
