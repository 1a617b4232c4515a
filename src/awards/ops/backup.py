"""`awards backup DEST` and `awards restore SRC`: the database and the uploads, copied while
the service runs and takes writes, and put back into a new database.

The database is copied first, then the blobs. A blob is kept (flushed to disk) before the row
that names it commits, and is never changed or deleted afterwards, so every blob the copied
database names is on disk when the copy of the blobs starts. Blobs newer than the database
copy come along too; they are merely unreferenced.

- SQLite: sqlite3's online backup API copies the whole file in one step, inside one read
  transaction: a snapshot, while writers carry on (WAL).
- PostgreSQL: `pg_dump --format=custom`, a snapshot too, when PostgreSQL's client tools are
  installed; `pg_restore` reads it back into an empty database.

A backup is a directory: `awards.db` (SQLite) or `awards.dump` (PostgreSQL), and
`data/blobs/` laid out as `AWARDS_DATA_DIR/blobs/`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from awards.db.database import SQLITE_BUSY_TIMEOUT_MS
from awards.errors import AwardsError, ConfigurationError, Invalid
from awards.settings import Settings
from awards.storage import LocalFileStore

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
    """Copy the database, then the blobs, into `destination` (a new or empty directory).

    `path` is where to look for `pg_dump` (default: `PATH`).
    """
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise Invalid(f"{destination} is not empty: a backup goes into a new directory")
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        database = destination / SQLITE_FILE
        _copy_sqlite(_sqlite_file(url, must_exist=True), database)
    else:
        database = destination / DUMP_FILE
        _run("pg_dump", "--format=custom", f"--file={database}", url=url, path=path)
    blobs = _copy_blobs(
        LocalFileStore(settings.data_dir).blobs, LocalFileStore(destination / DATA_DIR).blobs
    )
    return Copied(database, blobs)


def restore(settings: Settings, source: Path, *, path: str | None = None) -> Copied:
    """Put the backup in `source` into the configured database, which must be new (SQLite)
    or empty (PostgreSQL), and its blobs into the data directory."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        database = _sqlite_file(url, must_exist=False)
        if database.exists():
            raise Invalid(f"{database} exists: restore into a new database, or move it away")
        database.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(_backup_file(source, SQLITE_FILE), database)
    else:
        dump = _backup_file(source, DUMP_FILE)
        _run(
            "pg_restore",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
            url=url,
            path=path,
        )
        database = Path(url.database or "")
    blobs = _copy_blobs(
        LocalFileStore(source / DATA_DIR).blobs, LocalFileStore(settings.data_dir).blobs
    )
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


def _copy_blobs(origin: Path, target: Path) -> int:
    """Copy the blobs `target` lacks; each appears under its name only once complete."""
    copied = 0
    for blob in sorted(origin.glob("*/*")):
        kept = target / blob.relative_to(origin)
        if kept.exists():
            continue
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.partial")
        shutil.copyfile(blob, partial)
        os.replace(partial, kept)
        copied += 1
    return copied


def _run(tool: str, *arguments: str, url: URL, path: str | None) -> None:
    """Run a PostgreSQL client tool on `url`; the password goes in the environment, not in
    the command line that `ps` shows."""
    program = shutil.which(tool, path=path)
    if program is None:
        raise ConfigurationError(
            f"{tool} is not installed: install PostgreSQL's client tools (e.g. apt-get install "
            f"postgresql-client) of the server's major version, or run {tool} yourself "
            "(docs/deploy.md, Backups)"
        )
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
