"""Whose calls the Secretariat runs: a member of staff tied to one network (IAEC, AIMF) reads
and runs only the calls of that network's kinds; one tied to none, every call.

Another network's call, and whatever hangs off it, is answered as a missing one: its ids are
none of their business. The one check of ids is `check_path`, which the app's guard runs on
every request's path (`awards.http.auth.within_network`), so a route added later is covered;
the lists ask `actor.runs`, and a new call's kind is `kind_run_by`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import col

from awards.db.tables import Call, Invitation, OutboxMessage, Submission
from awards.db.types import MAX_ROW_ID
from awards.errors import Forbidden, NotFound
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

CALL_OF: Mapping[str, tuple[str, Any, Any]] = {
    "call_id": ("call", col(Call.id), col(Call.id)),
    "submission_id": ("submission", col(Submission.id), col(Submission.call_id)),
    "invitation_id": ("invitation", col(Invitation.id), col(Invitation.call_id)),
    "mail_id": ("mail", col(OutboxMessage.id), col(OutboxMessage.call_id)),
}
"""Path parameters naming something of one call: its noun, its id and its call's id. An
invitation to an organisation and a mail about no call are every network's."""


async def check_path(runtime: Runtime, params: Mapping[str, Any], actor: Actor) -> None:
    """NotFound, as for a missing id, when a path parameter of `CALL_OF` names something
    missing or of a call of another network than the Secretariat member's; nothing to check
    for anyone else (one statement per parameter named when there is)."""
    if not actor.is_secretariat or actor.network is None:
        return
    # An id out of range is the handler's to refuse as bad input, never a query.
    named = {
        name: value
        for name, value in params.items()
        if name in CALL_OF and isinstance(value, int) and 1 <= value <= MAX_ROW_ID
    }
    if not named:
        return
    its_call = aliased(Call)  # a call's own row too
    async with runtime.db.read() as session:
        for name, row_id in named.items():
            noun, key, call_id = CALL_OF[name]
            found = (
                await session.execute(
                    select(col(its_call.kind))
                    .select_from(key.class_)
                    .outerjoin(its_call, col(its_call.id) == call_id)
                    .where(key == row_id)
                )
            ).first()
            if found is None or (found.kind and not actor.runs(runtime.kind(found.kind).network)):
                raise NotFound(f"no {noun} {row_id}")


def run_by(call: Call | None, call_id: int, *, runtime: Runtime, actor: Actor) -> Call:
    """`call` if `actor` is the Secretariat of its network; Forbidden to anyone else who is
    not the Secretariat, NotFound to another network's Secretariat and for no call."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat of a call's network reads its candidacies")
    if call is None or not actor.runs(runtime.kind(call.kind).network):
        raise NotFound(f"no call {call_id}")
    return call


def kinds_run_by(runtime: Runtime, actor: Actor) -> list[CallKind]:
    """The kinds of call the Secretariat member may create calls of."""
    return [kind for kind in runtime.kinds.values() if actor.runs(kind.network)]


def kind_run_by(runtime: Runtime, slug: str, actor: Actor) -> CallKind:
    """Kind `slug` for a new call; another network's is answered as an unknown one."""
    kind = runtime.kind(slug)
    if not actor.runs(kind.network):
        raise NotFound(f"no call kind '{slug}'")
    return kind
