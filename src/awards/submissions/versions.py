"""Submitted versions: what a submission's answers and documents were each time it was sent
to the Secretariat, so that one returned for revision keeps both and shows what changed.

A kind's transitions that send a submission (submit, resubmit) name the `version:record`
effect; it keeps the answers as the next version, in the transaction of the change, unless
they are those of the last version (a pre-existing submission gets its first one when it is
returned). A file answer names its attachment, which is never overwritten, so a version keeps
its documents. A juror reads only the submission's answers, that is the latest version.

The kind's `revision:` section says where the owner edits again besides the draft:

```yaml
revision:
  editable_in: [returned_for_revision]
```
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import AuditEntry, Submission, SubmissionVersion
from awards.errors import ConfigurationError
from awards.kinds.kind import CallKind
from awards.kinds.sections import Outline
from awards.kinds.yaml_nodes import mapping, require
from awards.transitions.runtime import Occasion
from workflows import LocatedDict

SECTION = "revision"


@dataclass(frozen=True)
class Revision:
    editable_in: frozenset[str] = frozenset()
    """States besides the initial one in which the owner edits answers and documents."""


def revision_section(node: LocatedDict | None, outline: Outline) -> Revision | None:
    """The kind's `revision:` section (`awards.kinds.sections`)."""
    if node is None:
        return None
    spec = mapping(node, outline.top.where(SECTION), SECTION)
    for key in spec:
        if key != "editable_in":
            raise ConfigurationError(f"{spec.where(key)}: unknown revision key '{key}'")
    states = require(spec, "editable_in", list)
    for state in states:
        if state not in outline.submission_workflow.states:
            raise ConfigurationError(f"{spec.where('editable_in')}: unknown state '{state}'")
    return Revision(frozenset(states))


def editable_states(kind: CallKind) -> frozenset[str]:
    """Where the owner may change answers and documents: the draft, and a return for revision."""
    revision = kind.section(SECTION, Revision) or Revision()
    return revision.editable_in | {kind.submission_workflow.initial}


async def record_version_effect(occasion: Occasion) -> None:
    """`version:record`: keep the submission's answers as its next version if they changed."""
    submission = occasion.subject
    if not isinstance(submission, Submission):
        raise ConfigurationError(f"{occasion.kind.slug}: version:record is for submissions")
    assert submission.id is not None
    last = await occasion.session.scalar(
        select(SubmissionVersion)
        .where(col(SubmissionVersion.submission_id) == submission.id)
        .order_by(col(SubmissionVersion.number).desc())
        .limit(1)
    )
    if last is not None and last.answers == submission.answers:
        return
    assert occasion.audit.id is not None
    occasion.session.add(
        SubmissionVersion(
            submission_id=submission.id,
            number=last.number + 1 if last else 1,
            answers=dict(submission.answers),
            audit_id=occasion.audit.id,
            at=occasion.audit.at,
        )
    )


@dataclass(frozen=True)
class Change:
    """One answer that differs from the previous version (None: not answered)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Version:
    number: int
    at: datetime
    transition: str
    audit_id: int
    """The change that sent it."""
    answers: dict[str, Any]
    changes: tuple[Change, ...]
    """Against the previous version; empty for the first."""


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[Change, ...]:
    """The answers that differ, in the order of the later version, then those dropped."""
    names = [*after, *(name for name in before if name not in after)]
    return tuple(
        Change(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )


async def versions_of(session: AsyncSession, submission_id: int) -> list[Version]:
    """The submission's versions, oldest first, each with what changed since the previous."""
    rows = (
        await session.execute(
            select(SubmissionVersion, col(AuditEntry.transition))
            .join(AuditEntry, col(AuditEntry.id) == col(SubmissionVersion.audit_id))
            .where(col(SubmissionVersion.submission_id) == submission_id)
            .order_by(col(SubmissionVersion.number))
        )
    ).all()
    found: list[Version] = []
    previous: dict[str, Any] | None = None
    for row, transition in rows:
        found.append(
            Version(
                number=row.number,
                at=row.at,
                transition=transition,
                audit_id=row.audit_id,
                answers=row.answers,
                changes=changes(previous, row.answers) if previous is not None else (),
            )
        )
        previous = row.answers
    return found
