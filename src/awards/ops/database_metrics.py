"""Metrics read from the database at each scrape: the outbox and the audit trail.

They hold for the whole service, whichever process answers the scrape. Each scrape runs three
small aggregate queries; if the database cannot answer, `awards_database_up` says so and the
request metrics are still served.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import col

from awards.db.database import Database
from awards.db.tables import AuditEntry, Call, OutboxMessage
from awards.notify.outbox import MailStatus
from awards.ops.exposition import Family, Sample

log = logging.getLogger(__name__)
WAITING = (MailStatus.PENDING, MailStatus.SENDING)


async def database_families(db: Database, *, now: datetime) -> list[Family]:
    try:
        async with db.read() as session:
            by_status = dict(
                (
                    await session.execute(
                        select(col(OutboxMessage.status), func.count()).group_by(
                            col(OutboxMessage.status)
                        )
                    )
                ).all()
            )
            oldest = await session.scalar(
                select(func.min(col(OutboxMessage.created_at))).where(
                    col(OutboxMessage.status).in_(WAITING)
                )
            )
            transitions = (
                await session.execute(
                    select(col(Call.kind), col(AuditEntry.transition), func.count())
                    .join(Call, col(Call.id) == col(AuditEntry.call_id))
                    .group_by(col(Call.kind), col(AuditEntry.transition))
                    .order_by(col(Call.kind), col(AuditEntry.transition))
                )
            ).all()
    except Exception:
        log.exception("metrics: the database did not answer")
        return [_up(False)]
    return [
        _up(True),
        Family(
            "awards_outbox_messages",
            "gauge",
            "Outbox depth by status: pending and sending wait for delivery, dead were given up.",
            [Sample({"status": str(status)}, by_status.get(status, 0)) for status in MailStatus],
        ),
        Family(
            "awards_outbox_oldest_pending_age_seconds",
            "gauge",
            "Age of the oldest message waiting for delivery; 0 when none waits.",
            [Sample({}, 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds()))],
        ),
        Family(
            "awards_transitions_total",
            "counter",
            "Workflow transitions applied (audit trail), by call kind and transition.",
            [
                Sample({"call_kind": kind, "transition": transition}, count)
                for kind, transition, count in transitions
            ],
        ),
    ]


def _up(up: bool) -> Family:
    return Family(
        "awards_database_up",
        "gauge",
        "1 if the database answered the metrics queries of this scrape.",
        [Sample({}, 1 if up else 0)],
    )
