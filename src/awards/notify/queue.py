"""What every delivered row goes through, whatever it carries (mail, webhook pushes).

    pending --claim--> sending --outcome (written by the row's deliverer)--> sent, pending or dead
    dead --resend--> pending
    sending, its lease over (the worker died) --claim, alone--> sending
                                              --at max attempts--> dead

An attempt counts when its outcome is written or, if the worker died first, when its lease
is found over. So a row whose delivery kills the worker (no error to record) is not claimed
again forever: when its last attempt is found abandoned it is dead, with an error that says
so. A worker that died left its whole batch behind: those rows are claimed one per batch,
fewest attempts first, so the row that kills workers takes down only itself.

Two workers never hold the same row. On PostgreSQL the claim locks the due rows with
`FOR UPDATE SKIP LOCKED`, so a second worker takes the next ones instead of waiting; on
SQLite the claim runs in a `BEGIN IMMEDIATE` transaction, which writers take one at a time.
Either way the UPDATE checks again that each row is still claimable (compare-and-set).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, and_, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.cas import update_if
from awards.db.database import Database
from awards.db.tables import QueueRow
from awards.errors import Conflict, NotFound
from awards.notify.outbox import MailStatus as Status

log = logging.getLogger(__name__)

Row = TypeVar("Row", bound=QueueRow)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How much a worker takes at once, how long it may hold it, and how it retries."""

    batch_size: int = 100
    lease: timedelta = timedelta(minutes=5)
    """How long a claim holds; longer than a batch takes, or a batch could go twice."""
    max_attempts: int = 12
    """Attempts before a row is dead. With the defaults below, a row that keeps failing is
    retried for two and a half to five hours; one that kills its worker, for an hour."""
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(hours=1)
    poll_seconds: float = 1.0
    """How long an idle worker waits before looking for due rows again."""

    def retry_delay(self, attempts: int, *, rng: Callable[[], float] = random.random) -> timedelta:
        """The wait after failed attempt number `attempts` (1, 2, ...).

        Exponential up to the cap, with "equal jitter": between half and all of
        `min(cap, base * 2 ** (attempts - 1))`. The shortest wait after attempt n+1 is the
        longest after attempt n, so waits still grow; the jitter spreads out rows that failed
        together (a relay that was down) instead of retrying them in one burst.
        """
        ceiling = min(
            self.retry_cap.total_seconds(),
            self.retry_base.total_seconds() * 2.0 ** min(attempts - 1, 64),
        )
        return timedelta(seconds=ceiling * (0.5 + 0.5 * rng()))


@dataclass(frozen=True)
class Queue(Generic[Row]):
    """A table of rows to deliver, and how its logs and errors name a row."""

    table: type[Row]
    noun: str
    """What one row is: "mail", "webhook delivery"."""
    place: str
    """Where rows wait, for "no mail 7 in the outbox"."""
    ready: ColumnElement[bool] = field(default_factory=true)
    """What a due row must also meet to be claimed (say, that no earlier row it follows waits)."""

    def due(self, now: datetime) -> ColumnElement[bool]:
        return and_(
            col(self.table.status) == Status.PENDING,
            col(self.table.next_attempt_at) <= now,
        )

    def abandoned(self, now: datetime) -> ColumnElement[bool]:
        """Held by a worker whose lease ended without an outcome: it died or hung mid-batch."""
        return and_(
            col(self.table.status) == Status.SENDING,
            col(self.table.claimed_until) <= now,
        )

    async def claim(
        self, db: Database, *, worker: str, now: datetime, policy: DeliveryPolicy
    ) -> list[Row]:
        """Take rows for `worker` and commit: one abandoned row alone if there is one (its
        lost attempt counted), else up to `policy.batch_size` due rows, oldest due first."""
        table = self.table
        abandoned = (
            select(col(table.id), col(table.claimed_by))
            .where(self.abandoned(now), self.ready, col(table.attempts) + 1 < policy.max_attempts)
            .order_by(col(table.attempts), col(table.id))
            .limit(1)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite serialises writers instead
        )
        due = (
            select(col(table.id))
            .where(self.due(now), self.ready)
            .order_by(col(table.next_attempt_at), col(table.id))
            .limit(policy.batch_size)
            .with_for_update(skip_locked=True)
        )
        async with db.write() as session:
            await self._bury_killers(session, now=now, policy=policy)
            # Two statements: as a subquery of the UPDATE, PostgreSQL may run the locking
            # SELECT again for each row and claim far more than a batch.
            suspect = (await session.execute(abandoned)).first()
            if suspect is not None:
                log.warning(
                    "%s %s: worker %s stopped while delivering it",
                    self.noun,
                    suspect.id,
                    suspect.claimed_by,
                )
            ids = [suspect.id] if suspect is not None else list(await session.scalars(due))
            if not ids:
                return []
            rows = await session.scalars(
                update(table)
                .where(
                    col(table.id).in_(ids),
                    or_(self.due(now), self.abandoned(now)),
                    self.ready,
                )
                .values(
                    status=Status.SENDING,
                    attempts=col(table.attempts) + (0 if suspect is None else 1),
                    claimed_by=worker,
                    claimed_until=now + policy.lease,
                )
                .returning(table)
                .execution_options(synchronize_session=False)
            )
            return sorted(rows, key=lambda row: row.id or 0)

    async def _bury_killers(
        self, session: AsyncSession, *, now: datetime, policy: DeliveryPolicy
    ) -> None:
        """Give up on abandoned rows whose lost attempt was their last: they may be what
        kills workers."""
        buried = await session.scalars(
            update(self.table)
            .where(self.abandoned(now), col(self.table.attempts) + 1 >= policy.max_attempts)
            .values(
                status=Status.DEAD,
                attempts=col(self.table.attempts) + 1,
                last_error=(
                    f"sending never finished: the worker stopped (crashed or was killed) during "
                    f"attempt {policy.max_attempts} of {policy.max_attempts}; not tried again, "
                    f"in case this {self.noun} is what stops it"
                ),
                next_attempt_at=now,
                claimed_by=None,
                claimed_until=None,
            )
            .returning(col(self.table.id))
            .execution_options(synchronize_session=False)
        )
        for row_id in buried:
            log.warning("%s %s is dead: its last attempt never finished", self.noun, row_id)

    async def dead(self, db: Database) -> list[Row]:
        """Rows given up on, oldest first, with the error that ended each: for the Secretariat."""
        async with db.read() as session:
            rows = await session.scalars(
                select(self.table)
                .where(col(self.table.status) == Status.DEAD)
                .order_by(col(self.table.id))
            )
            return list(rows)

    async def resend(self, db: Database, row_id: int, *, now: datetime) -> Row:
        """Queue dead row `row_id` again with a fresh count of attempts (same identity, so
        the receiver still recognises a repeat)."""
        async with db.write() as session:
            row = await session.get(self.table, row_id)
            if row is None:
                raise NotFound(f"no {self.noun} {row_id} in {self.place}")
            if not await update_if(
                session,
                self.table,
                row_id,
                expect={"status": Status.DEAD},
                values={"status": Status.PENDING, "attempts": 0, "next_attempt_at": now},
            ):
                raise Conflict(f"cannot resend {self.noun} {row_id}: it is {row.status}, not dead")
            await session.refresh(row)
        return row
