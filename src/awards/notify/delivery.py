"""What delivery does to outbox rows, and why no mail is lost (invariant 6).

    pending --claim--> sending --sent--------------------------------> sent
                               --temporary failure-------------------> pending, later
                               --permanent failure, or max attempts--> dead --resend--> pending
                               --not attempted (stop, lease ending)--> pending, as it was

Claiming, the lease, giving up on mail whose sending kills the worker (`awards mail dead`)
and resending are those of every queue (`awards.notify.queue`).

Delivery is at least once:
- A row exists exactly when the state change that caused it committed (same transaction).
- A claim commits before anything is sent, and the outcome is written after: no transaction
  stays open across the network. A worker that dies leaves its rows `sending` until
  `claimed_until`; then any worker claims them again. Nothing is lost.
- Two workers never hold the same row (`awards.notify.queue`).
- Outcomes are written only where the row is still held by the same worker, so a worker
  whose lease ran out cannot overwrite the outcome of the next holder; and a worker stops
  starting new messages when half its lease has passed, so that does not happen in practice.
- The one duplicate: a worker that dies after the server accepted a message and before the
  outcome of its batch was written. The message goes again with the same Message-ID and
  Date, so it is recognisable. Outcomes are written once per batch (one transaction per
  batch, not per mail), which bounds that window to one batch; after a death, to one mail.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.cas import update_if
from awards.db.database import Database
from awards.db.tables import OutboxMessage
from awards.notify.outbox import MailStatus
from awards.notify.queue import DeliveryPolicy as DeliveryPolicy
from awards.notify.queue import Queue
from awards.notify.sender import BatchReport, Failure

log = logging.getLogger(__name__)


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


OUTBOX = Queue(OutboxMessage, noun="mail", place="the outbox")
claim = OUTBOX.claim
dead_mail = OUTBOX.dead
resend = OUTBOX.resend


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
