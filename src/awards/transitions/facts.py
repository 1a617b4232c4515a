"""Loading the facts guards and rules read (`awards.transitions.context`), in the caller's
transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import AuditEntry, Call, Extension, Organisation, Submission
from awards.kinds.edition import EditionSettings
from awards.transitions.context import Facts, GuardContext, Peer, PeerScope
from awards.transitions.runtime import Runtime


async def guard_context(
    session: AsyncSession, runtime: Runtime, call: Call, submission: Submission | None
) -> GuardContext:
    """Everything the transitions of `submission` (or of `call` itself) are decided on."""
    kind = runtime.kind(call.kind)
    return GuardContext(
        kind=kind,
        call=call,
        submission=submission,
        now=runtime.clock(),
        facts=await load_facts(session, call, submission, scope=runtime.judge(kind).peers),
    )


async def load_facts(
    session: AsyncSession, call: Call, submission: Submission | None, *, scope: PeerScope
) -> Facts:
    """The facts of `submission` (or of `call`), with only the peers in `scope`: the cost of
    a transition must not grow with the call.

    A draft being created (no id yet) has no history, and starting one is decided on the call
    and the organisation's deadline alone: its peers are not read.
    """
    organisation = extension = None
    if submission is not None:
        organisation, extension = await _organisation_and_extension(session, call, submission)
        if submission.id is None:
            return Facts(
                organisation=organisation,
                extension_until=extension,
                edition=EditionSettings.parse(call.settings),
            )
    if submission is None:
        history = await session.scalars(_CALL_HISTORY, {"call_id": call.id})
    else:
        parameters = {"call_id": call.id, "submission_id": submission.id}
        history = await session.scalars(_HISTORY, parameters)
    return Facts(
        organisation=organisation,
        peers=await _peers(session, call, submission, scope),
        history=tuple(history),
        extension_until=extension,
        edition=EditionSettings.parse(call.settings),
    )


_TRANSITIONS = select(col(AuditEntry.transition)).where(
    col(AuditEntry.call_id) == bindparam("call_id")
)
_HISTORY = _TRANSITIONS.where(col(AuditEntry.submission_id) == bindparam("submission_id")).order_by(
    col(AuditEntry.id)
)
_CALL_HISTORY = _TRANSITIONS.where(col(AuditEntry.submission_id).is_(None)).order_by(
    col(AuditEntry.id)
)
"""A submission's transitions, or the call's own, in order."""
_ORGANISATION_AND_EXTENSION = (
    select(Organisation, col(Extension.until))
    .outerjoin(
        Extension,
        and_(
            col(Extension.organisation_id) == col(Organisation.id),
            col(Extension.call_id) == bindparam("call_id"),
        ),
    )
    .where(col(Organisation.id) == bindparam("organisation_id"))
)
"""Built once, as the history: building a statement costs more than running it."""


async def _organisation_and_extension(
    session: AsyncSession, call: Call, submission: Submission
) -> tuple[Organisation | None, datetime | None]:
    """The submission's organisation and the extension it was granted in `call`, read
    together."""
    parameters = {"call_id": call.id, "organisation_id": submission.organisation_id}
    row = (await session.execute(_ORGANISATION_AND_EXTENSION, parameters)).first()
    return (row[0], row[1]) if row else (None, None)


async def _peers(
    session: AsyncSession, call: Call, submission: Submission | None, scope: PeerScope
) -> tuple[Peer, ...]:
    """The call's submissions in `scope`, by id. Each part of the scope is its own indexed
    query and the parts are united: one query with an OR reads every submission of the call."""
    category = col(Submission.answers)["category"].as_string()
    of_call = select(
        col(Submission.id), col(Submission.organisation_id), col(Submission.state), category
    ).where(col(Submission.call_id) == call.id)
    parts = []
    if scope.states:
        parts.append(of_call.where(col(Submission.state).in_(sorted(scope.states))))
    if scope.own_organisation and submission is not None:
        parts.append(of_call.where(col(Submission.organisation_id) == submission.organisation_id))
    if not parts:
        return ()
    rows = await session.execute(union(*parts) if len(parts) > 1 else parts[0])
    return tuple(sorted((Peer(*row) for row in rows), key=lambda peer: peer.id))
