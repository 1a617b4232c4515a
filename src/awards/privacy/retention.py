"""Retention: a submission's answers and documents are deleted when its call kind's
`retention:` section says (`awards.privacy.policy`), counted from the call's deadline.

- a draft never submitted, `draft_months` after the call closes;
- a dossier that is not in the databank (never published, or taken down), `dossier_years`
  after the call closes.

Deleting means: the answers and the inputs of its transitions emptied, its versions sent
(`awards.submissions.versions`), its attachments and their files removed (with the clean
copies of its PDFs an anonymised jury read, `awards.jury.clean_copies`), the mail about it
that was sent or given up on removed. The row stays, with its state, pseudonym, audit trail
and reviews, so rankings and the history hold; its
`purged_at` records when, and an audit entry (`retention_purge`) says why. Each submission is
its own transaction, and a pass waits while a backup runs. The worker runs `apply_retention`
on every tick;
`awards privacy retention --dry-run` lists what it would do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.clock import months_after
from awards.db.blob_turns import deletion_turn
from awards.db.tables import (
    Attachment,
    Call,
    CleanedPdf,
    DatabankEntry,
    Obligation,
    OutboxMessage,
    Submission,
    SubmissionVersion,
)
from awards.kinds.kind import CallKind
from awards.notify.outbox import MailStatus
from awards.privacy.policy import retention_of
from awards.transitions.actor import SYSTEM
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState

log = logging.getLogger(__name__)

PURGE = "retention_purge"
NOT_CLOSED = (CallState.DRAFT, CallState.OPEN)


@dataclass(frozen=True)
class Purge:
    """A submission whose contents are due for deletion."""

    submission_id: int
    call_id: int
    kind: str
    what: str
    """`draft` or `dossier`."""
    due: datetime


@dataclass
class RetentionReport:
    purged: list[Purge] = field(default_factory=list)
    """Done, or with a dry run, due."""

    def __str__(self) -> str:
        drafts = sum(1 for purge in self.purged if purge.what == "draft")
        return f"{drafts} drafts and {len(self.purged) - drafts} dossiers"


async def due_purges(runtime: Runtime, *, now: datetime) -> list[Purge]:
    """Submissions whose contents their kind's retention says to delete by `now`."""
    due: list[Purge] = []
    live_entries = select(col(DatabankEntry.submission_id)).where(
        col(DatabankEntry.unpublished_at).is_(None), col(DatabankEntry.submission_id).is_not(None)
    )
    async with runtime.db.read() as session:
        for kind in runtime.kinds.values():
            shortest = retention_of(kind).shortest_months
            if shortest is None:
                continue
            # The worker asks on every tick: only calls closed long enough ago can have
            # anything due (a few days' margin for months of different lengths); `_due` decides.
            closed_before = months_after(now, -shortest) + timedelta(days=4)
            rows = await session.execute(
                select(
                    col(Submission.id),
                    col(Submission.call_id),
                    col(Submission.state),
                    col(Call.closes_at),
                )
                .join(Call, col(Call.id) == col(Submission.call_id))
                .where(
                    col(Call.kind) == kind.slug,
                    col(Call.state).not_in(NOT_CLOSED),
                    col(Call.closes_at) <= closed_before,
                    col(Submission.purged_at).is_(None),
                    col(Submission.id).not_in(live_entries),
                )
                .order_by(col(Submission.id))
            )
            for submission_id, call_id, state, closes_at in rows:
                assert submission_id is not None
                purge = _due(kind, submission_id, call_id, state, closes_at, now=now)
                if purge is not None:
                    due.append(purge)
    return due


def _due(
    kind: CallKind,
    submission_id: int,
    call_id: int,
    state: str,
    closes_at: datetime,
    *,
    now: datetime,
) -> Purge | None:
    what = "draft" if state == kind.submission_workflow.initial else "dossier"
    retention = retention_of(kind)
    deadline = (
        retention.draft_deadline(closes_at)
        if what == "draft"
        else retention.dossier_deadline(closes_at)
    )
    if deadline is None or now < deadline:
        return None
    return Purge(submission_id, call_id, kind.slug, what, deadline)


async def apply_retention(runtime: Runtime, *, dry_run: bool = False) -> RetentionReport:
    """Delete what is due (nothing with `dry_run`); the report lists it."""
    now = runtime.clock()
    report = RetentionReport()
    due = await due_purges(runtime, now=now)
    if dry_run or not due:
        report.purged += due
        return report
    # Files go only in turn with backups (awards.db.blob_turns); `_purge` checks each again.
    async with deletion_turn(runtime.db) as allowed:
        if not allowed:
            log.info("retention: a backup is running; what is due is deleted on a later tick")
            return report
        for purge in due:
            if await _purge(runtime, purge, now=now):
                report.purged.append(purge)
    if report.purged:
        log.info(
            "retention: deleted the contents of %s: submissions %s",
            report,
            ", ".join(str(purge.submission_id) for purge in report.purged),
        )
    return report


async def _purge(runtime: Runtime, purge: Purge, *, now: datetime) -> bool:
    async with runtime.db.write() as session:
        submission = await session.get(Submission, purge.submission_id)
        if submission is None or submission.purged_at is not None:
            return False  # another worker did it
        digests = set(
            await session.scalars(
                select(col(Attachment.sha256)).where(col(Attachment.submission_id) == submission.id)
            )
        )
        digests |= await _drop_signed_copies(session, submission)
        await session.execute(
            delete(SubmissionVersion).where(col(SubmissionVersion.submission_id) == submission.id)
        )
        await session.execute(
            delete(Attachment).where(col(Attachment.submission_id) == submission.id)
        )
        await session.execute(
            delete(OutboxMessage).where(
                col(OutboxMessage.submission_id) == submission.id,
                col(OutboxMessage.status).in_([MailStatus.SENT, MailStatus.DEAD]),
            )
        )
        submission.answers, submission.inputs = {}, {}
        submission.purged_at, submission.version = now, submission.version + 1
        record_change(
            session,
            submission,
            PURGE,
            actor=SYSTEM,
            now=now,
            reason=f"{purge.what} past its retention ({purge.kind}, due {purge.due:%Y-%m-%d})",
        )
        unused = digests - await _referenced(session, digests)
        copies = await _drop_clean_copies(session, unused)
        unused |= copies - await _referenced(session, copies)
    # After the commit: a crash before this leaves unreferenced files, never a dangling row.
    for digest in unused:
        await runtime.files.discard(digest)
    return True


async def _referenced(session: AsyncSession, digests: set[str]) -> set[str]:
    """Which of the blobs `digests` a row still names: an attachment, a signed agreement, a
    PDF's clean copy (identical content is one blob, whoever uploaded it)."""
    named = set()
    for column in (Attachment.sha256, Obligation.document_sha256, CleanedPdf.cleaned_sha256):
        named |= set(await session.scalars(select(col(column)).where(col(column).in_(digests))))
    return {digest for digest in named if digest is not None}


async def _drop_clean_copies(session: AsyncSession, originals: set[str]) -> set[str]:
    """Forget the clean copies made of `originals` for an anonymised jury; their blobs."""
    made = col(CleanedPdf.original_sha256).in_(originals)
    copies = set(await session.scalars(select(col(CleanedPdf.cleaned_sha256)).where(made)))
    await session.execute(delete(CleanedPdf).where(made))
    return copies


async def _drop_signed_copies(session: AsyncSession, submission: Submission) -> set[str]:
    """Forget the signed agreements the laureate uploaded (who signed and when stay); their
    files' digests."""
    signed = list(
        await session.scalars(
            select(Obligation).where(
                col(Obligation.submission_id) == submission.id,
                col(Obligation.document_sha256).is_not(None),
            )
        )
    )
    digests = {obligation.document_sha256 for obligation in signed}
    for obligation in signed:
        obligation.document_sha256 = obligation.document_name = None
        obligation.version += 1
    return {digest for digest in digests if digest is not None}
