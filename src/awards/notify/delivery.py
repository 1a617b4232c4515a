"""What delivery does to outbox rows, and why no mail is lost (invariant 6).

    pending --claim--> sending --sent--------------------------------> sent
                               --temporary failure-------------------> pending, later
                               --permanent failure, or max attempts--> dead --resend--> pending
                               --not attempted (stop, lease ending)--> pending, as it was
    sending, its lease over (the worker died) --claim--> sending

Delivery is at least once:
- A row exists exactly when the state change that caused it committed (same transaction).
- A claim commits before anything is sent, and the outcome is written after: no transaction
  stays open across the network. A worker that dies leaves its rows `sending` until
  `claimed_until`; then any worker claims them again. Nothing is lost.
- Two workers never hold the same row. On PostgreSQL the claim locks the due rows with
  `FOR UPDATE SKIP LOCKED`, so a second worker takes the next ones instead of waiting; on
  SQLite the claim runs in a `BEGIN IMMEDIATE` transaction, which writers take one at a time.
  Either way the UPDATE checks again that each row is still claimable (compare-and-set).
- Outcomes are written only where the row is still held by the same worker, so a worker
  whose lease ran out cannot overwrite the outcome of the next holder; and a worker stops
  starting new messages when half its lease has passed, so that does not happen in practice.
- The one duplicate: a worker that dies after the server accepted a message and before the
  outcome of its batch was written. The message goes again with the same Message-ID and
  Date, so it is recognisable. Outcomes are written once per batch (one transaction per
  batch, not per mail), which bounds that window to one batch.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.cas import update_if
from awards.db.database import Database
from awards.db.tables import OutboxMessage
from awards.errors import Conflict, NotFound
from awards.notify.outbox import MailStatus
from awards.notify.sender import BatchReport, Failure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How much a worker takes at once, how long it may hold it, and how it retries."""

    batch_size: int = 100
    lease: timedelta = timedelta(minutes=5)
    """How long a claim holds; longer than a batch takes, or a batch could go twice."""
    max_attempts: int = 12
    """With the defaults below, a mail is retried for two and a half to five hours."""
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(hours=1)
    poll_seconds: float = 1.0
    """How long an idle worker waits before looking for due mail again."""

    def retry_delay(self, attempts: int, *, rng: Callable[[], float] = random.random) -> timedelta:
        """The wait after failed attempt number `attempts` (1, 2, ...).

        Exponential up to the cap, with "equal jitter": between half and all of
        `min(cap, base * 2 ** (attempts - 1))`. The shortest wait after attempt n+1 is the
        longest after attempt n, so waits still grow; the jitter spreads out mails that failed
        together (a relay that was down) instead of retrying them in one burst.
        """
        ceiling = min(
            self.retry_cap.total_seconds(),
            self.retry_base.total_seconds() * 2.0 ** min(attempts - 1, 64),
        )
        return timedelta(seconds=ceiling * (0.5 + 0.5 * rng()))


@dataclass(frozen=True)
class Tally:
    """What became of the rows of one or more batches."""

    sent: int = 0
    retrying: int = 0
    dead: int = 0
    released: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.dead + self.released

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            sent=self.sent + other.sent,
            retrying=self.retrying + other.retrying,
            dead=self.dead + other.dead,
            released=self.released + other.released,
        )

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.dead} dead, "
            f"{self.released} released"
        )


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(
            col(OutboxMessage.status) == MailStatus.PENDING,
            col(OutboxMessage.next_attempt_at) <= now,
        ),
        and_(
            col(OutboxMessage.status) == MailStatus.SENDING,
            col(OutboxMessage.claimed_until) <= now,
        ),
    )


async def claim(
    db: Database, *, worker: str, now: datetime, policy: DeliveryPolicy
) -> list[OutboxMessage]:
    """Take up to `policy.batch_size` due rows for `worker`, oldest due first, and commit."""
    due = (
        select(col(OutboxMessage.id))
        .where(_claimable(now))
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(policy.batch_size)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite serialises writers instead
    )
    async with db.write() as session:
        # Two statements: as a subquery of the UPDATE, PostgreSQL may run the locking
        # SELECT again for each row and claim far more than a batch.
        ids = list(await session.scalars(due))
        if not ids:
            return []
        rows = await session.scalars(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), _claimable(now))
            .values(status=MailStatus.SENDING, claimed_by=worker, claimed_until=now + policy.lease)
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        return sorted(rows, key=lambda row: row.id or 0)


async def record(
    db: Database,
    claimed: Sequence[OutboxMessage],
    report: BatchReport,
    *,
    worker: str,
    now: datetime,
    policy: DeliveryPolicy,
) -> Tally:
    """Write the outcome of a batch `worker` claimed, and release what it did not attempt."""
    rows = {row.id: row for row in claimed if row.id is not None}
    untouched = rows.keys() - report.failed.keys() - set(report.sent)
    fates: list[MailStatus | None] = []
    async with db.write() as session:
        sent = await _update_held(
            session,
            report.sent,
            worker=worker,
            values={
                "status": MailStatus.SENT,
                "sent_at": now,
                "attempts": col(OutboxMessage.attempts) + 1,
                "last_error": None,
            },
        )
        for row_id, failure in report.failed.items():
            fates.append(
                await _record_failure(
                    session, rows[row_id], failure, worker=worker, now=now, policy=policy
                )
            )
        released = await _update_held(session, untouched, worker=worker, values={})
    tally = Tally(
        sent=sent,
        retrying=fates.count(MailStatus.PENDING),
        dead=fates.count(MailStatus.DEAD),
        released=released,
    )
    if tally.claimed < len(rows):
        log.warning(
            "worker %s lost its lease on %d mails before recording them",
            worker,
            len(rows) - tally.claimed,
        )
    return tally


async def _record_failure(
    session: AsyncSession,
    row: OutboxMessage,
    failure: Failure,
    *,
    worker: str,
    now: datetime,
    policy: DeliveryPolicy,
) -> MailStatus | None:
    """Retry `row` later, or give up on it; `None` if `worker` no longer holds it."""
    assert row.id is not None
    attempts = row.attempts + 1
    status = (
        MailStatus.DEAD
        if failure.permanent or attempts >= policy.max_attempts
        else MailStatus.PENDING
    )
    retry_at = now + policy.retry_delay(attempts) if status is MailStatus.PENDING else now
    held = await update_if(
        session,
        OutboxMessage,
        row.id,
        expect={"status": MailStatus.SENDING, "claimed_by": worker},
        values={
            "status": status,
            "attempts": attempts,
            "last_error": failure.error,
            "next_attempt_at": retry_at,
            "claimed_by": None,
            "claimed_until": None,
        },
    )
    if not held:
        return None
    if status is MailStatus.DEAD:
        log.warning(
            "mail %s to %s is dead after %d attempts: %s",
            row.id,
            row.recipient,
            attempts,
            failure.error,
        )
    return status


async def _update_held(
    session: AsyncSession, ids: Collection[int], *, worker: str, values: Mapping[str, Any]
) -> int:
    """Set `values` on the rows of `ids` that `worker` still holds, and let go of them."""
    if not ids:
        return 0
    statement = (
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id).in_(ids),
            col(OutboxMessage.status) == MailStatus.SENDING,
            col(OutboxMessage.claimed_by) == worker,
        )
        .values({"status": MailStatus.PENDING, "claimed_by": None, "claimed_until": None, **values})
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], await session.execute(statement)).rowcount


async def dead_mail(db: Database) -> list[OutboxMessage]:
    """Mail given up on, oldest first, with the error that ended it: for the Secretariat."""
    async with db.read() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(col(OutboxMessage.status) == MailStatus.DEAD)
            .order_by(col(OutboxMessage.id))
        )
        return list(rows)


async def resend(db: Database, mail_id: int, *, now: datetime) -> OutboxMessage:
    """Queue dead mail `mail_id` again with a fresh count of attempts (same Message-ID)."""
    async with db.write() as session:
        mail = await session.get(OutboxMessage, mail_id)
        if mail is None:
            raise NotFound(f"no mail {mail_id} in the outbox")
        if not await update_if(
            session,
            OutboxMessage,
            mail_id,
            expect={"status": MailStatus.DEAD},
            values={"status": MailStatus.PENDING, "attempts": 0, "next_attempt_at": now},
        ):
            raise Conflict(f"cannot resend mail {mail_id}: it is {mail.status}, not dead")
        await session.refresh(mail)
    return mail
