"""`awards members import`: a register export applied to the database, all or nothing.

Lifecycle: read the whole file (a malformed row refuses the file: `awards.members.reading`)
-> plan against the database -> for a dry run, stop there having written nothing; otherwise
apply the plan and its audit rows in the transaction that planned it, so what is written is
what was compared. A file already applied plans nothing and writes nothing.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from awards.db.database import Database
from awards.db.tables import User
from awards.errors import NotFound
from awards.members.changes import RegisterPlan, apply_plan, plan_changes
from awards.members.progress import Progress, no_progress
from awards.members.reading import RegisterFile, read_register


@dataclass(frozen=True)
class ImportReport:
    register: RegisterFile
    plan: RegisterPlan
    dry_run: bool

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.plan.is_empty


async def import_register(
    db: Database,
    path: Path,
    *,
    by: str,
    now: datetime,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Read `path` and apply it (unless `dry_run`), recording `by` as who changed what."""
    register = read_register(path, progress=progress)
    if dry_run:
        async with db.read() as session:
            plan = await plan_changes(
                session, register.members, fields=register.fields, progress=progress
            )
    else:
        async with db.write() as session:
            plan = await plan_changes(
                session, register.members, fields=register.fields, progress=progress
            )
            await apply_plan(session, plan, by=by, now=now, source=register.name, progress=progress)
    return ImportReport(register, plan, dry_run)


async def user_email(db: Database, email: str) -> str:
    """The stored e-mail of a user, to record as who imported; `NotFound` if nobody has it."""
    async with db.read() as session:
        found = await session.scalar(
            select(col(User.email)).where(col(User.email) == email.lower())
        )
    if found is None:
        raise NotFound(f"no user {email}")
    return found


def operator() -> str:
    """Who runs the command line, when no user is named: `account@host (command line)`."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        account = "unknown"
    return f"{account}@{socket.gethostname()} (command line)"
