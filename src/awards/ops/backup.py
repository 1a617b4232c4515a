"""`awards backup DEST` and `awards restore SRC`: the database and the uploads, copied while
the service runs and takes writes, and put back into a new database.

The database is copied first, then the blobs. A blob is kept (flushed to disk, or written and
verified in the bucket) before the row that names it commits, and retention, the only thing
that deletes blobs, is held off from before the database copy until the last blob is copied
(`awards.db.blob_turns`): so every blob the copied database names is in the backup. Blobs
newer than the database copy come along too; they are merely unreferenced.

- SQLite: sqlite3's online backup API copies the whole file in one step, inside one read
  transaction: a snapshot, while writers carry on (WAL).
- PostgreSQL: `pg_dump --format=custom`, a snapshot too, when PostgreSQL's client tools are
  installed; `pg_restore` reads it back into an empty database.
- The blobs come from the configured store, local disk or S3 (`AWARDS_STORAGE_URL`), and go
  back into the configured store, which may be the other kind: a bucket's backup is a copy of
  its blobs on the backup's disk, with the database.

A backup is a directory: `awards.db` (SQLite) or `awards.dump` (PostgreSQL), and
`data/blobs/` laid out as `AWARDS_DATA_DIR/blobs/`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import URL, make_url

from awards.db.blob_turns import backup_turn
from awards.db.database import SQLITE_BUSY_TIMEOUT_MS, Database
from awards.errors import AwardsError, ConfigurationError, Invalid
from awards.settings import Settings
from awards.storage import FileStore, LocalFileStore, open_store

SQLITE_FILE = "awards.db"
DUMP_FILE = "awards.dump"
DATA_DIR = "data"


class BackupFailed(AwardsError):
    """pg_dump or pg_restore stopped with an error; their message is kept."""


@dataclass(frozen=True)
class Copied:
    """What a backup or a restore copied."""

    database: Path
    blobs: int

    def __str__(self) -> str:
        return f"database {self.database}, {self.blobs} uploaded files"


def back_up(settings: Settings, destination: Path, *, path: str | None = None) -> Copied:
    """Copy the database, then the blobs, into `destination` (a new or empty directory),
    retention held off meanwhile.

    `path` is where to look for `pg_dump` (default: `PATH`).
    """
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise Invalid(f"{destination} is not empty: a backup goes into a new directory")
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        database = destination / SQLITE_FILE
        copy = partial(_copy_sqlite, _sqlite_file(url, must_exist=True), database)
    else:
        database = destination / DUMP_FILE
        dump = (_tool("pg_dump", path), "--format=custom", f"--file={database}")
        copy = partial(_run, *dump, url=url)
    blobs = asyncio.run(_copy_held(settings, copy, destination / DATA_DIR / "blobs"))
    return Copied(database, blobs)


async def _copy_held(settings: Settings, copy: Callable[[], None], blobs: Path) -> int:
    """`copy` the database, then the blobs into `blobs`, retention held off meanwhile."""
    db = Database(settings.database_url, pooled=False)
    try:
        async with backup_turn(db):
            await asyncio.to_thread(copy)
            return await _copy_out(open_store(settings), blobs)
    finally:
        await db.dispose()


def restore(settings: Settings, source: Path, *, path: str | None = None) -> Copied:
    """Put the backup in `source` into the configured database, which must be new (SQLite)
    or empty (PostgreSQL), and its blobs into the configured store."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        database = _sqlite_file(url, must_exist=False)
        if database.exists():
            raise Invalid(f"{database} exists: restore into a new database, or move it away")
        database.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(_backup_file(source, SQLITE_FILE), database)
    else:
        dump = _backup_file(source, DUMP_FILE)
        program = _tool("pg_restore", path)
        _run(program, "--no-owner", "--single-transaction", "--exit-on-error", str(dump), url=url)
        database = Path(url.database or "")
    blobs = asyncio.run(_copy_in(LocalFileStore(source / DATA_DIR), open_store(settings)))
    return Copied(database, blobs)


def _sqlite_file(url: URL, *, must_exist: bool) -> Path:
    if not url.database or url.database == ":memory:":
        raise ConfigurationError("AWARDS_DATABASE_URL names no SQLite file to back up")
    database = Path(url.database)
    if must_exist and not database.exists():
        raise ConfigurationError(f"no SQLite database at {database}: nothing to back up")
    return database


def _backup_file(source: Path, name: str) -> Path:
    found = source / name
    if not found.exists():
        raise Invalid(f"{source} holds no {name}: not a backup of this kind of database")
    return found


def _copy_sqlite(source: Path, target: Path) -> None:
    """The whole database in one step: one read transaction, so a consistent snapshot."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        origin.backup(copy)


async def _copy_out(store: FileStore, target: Path) -> int:
    """Copy each blob of `store` into `target/<sha[:2]>/<sha>`; each appears under its name
    only once complete."""
    copied = 0
    async for name in store.names():
        chunks = await store.open(name)
        file = await asyncio.to_thread(_partial_file, target / name[:2] / name)
        try:
            async for chunk in chunks:
                await asyncio.to_thread(file.write, chunk)
        finally:
            file.close()
        await asyncio.to_thread(os.replace, file.name, target / name[:2] / name)
        copied += 1
    return copied


def _partial_file(kept: Path) -> BinaryIO:
    """Where a blob is copied before it appears under its name."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    return kept.with_name(f"{kept.name}.partial").open("wb")


async def _copy_in(backup: LocalFileStore, store: FileStore) -> int:
    """Keep each blob of the backup in `store`, checked against its name on the way."""
    copied = 0
    async for name in backup.names():
        size = await asyncio.to_thread(os.path.getsize, backup.path_of(name))
        async with store.stage(await backup.open(name), limit=size) as staged:
            if staged.sha256 != name:
                raise Invalid(f"the backup's blob {name} holds other bytes: it is damaged")
            await store.keep(staged)
        copied += 1
    return copied


def _tool(name: str, path: str | None) -> str:
    program = shutil.which(name, path=path)
    if program is None:
        raise ConfigurationError(
            f"{name} is not installed: install PostgreSQL's client tools (e.g. apt-get install "
            f"postgresql-client) of the server's major version, or run {name} yourself "
            "(docs/deploy.md, Backups)"
        )
    return program


def _run(program: str, *arguments: str, url: URL) -> None:
    """Run a PostgreSQL client tool on `url`; the password goes in the environment, not in
    the command line that `ps` shows."""
    environment = {**os.environ, "PGPASSWORD": url.password or ""}
    target = url.set(drivername="postgresql", password=None, query={})
    done = subprocess.run(
        [program, *arguments, f"--dbname={target.render_as_string(hide_password=False)}"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tool = Path(program).name
        raise BackupFailed(f"{tool} failed ({done.returncode}): {done.stderr.strip()}")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `awards backup DEST` and `awards restore SRC` to the command line."""
    backup = commands.add_parser(
        "backup", help="copy the database and the uploads, while the service runs"
    )
    backup.add_argument("destination", type=Path, metavar="DEST", help="a new or empty directory")
    backup.set_defaults(run=_back_up_command)
    again = commands.add_parser(
        "restore", help="put a backup into a new database and data directory"
    )
    again.add_argument("source", type=Path, metavar="SRC", help="a directory `backup` wrote")
    again.set_defaults(run=_restore_command)


def _back_up_command(settings: Settings, args: argparse.Namespace) -> int:
    print(f"backed up to {args.destination}: {back_up(settings, args.destination)}")
    return 0


def _restore_command(settings: Settings, args: argparse.Namespace) -> int:
    print(f"restored from {args.source}: {restore(settings, args.source)}")
    return 0
