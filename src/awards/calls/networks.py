"""Whose calls the Secretariat runs: a member of staff tied to one network (IAEC, AIMF) reads
only the calls of that network's kinds; one tied to none reads every call.

Another network's call is answered as a missing one: its ids are none of their business.
"""

from __future__ import annotations

from awards.db.tables import Call
from awards.errors import Forbidden, NotFound
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


def run_by(call: Call | None, call_id: int, *, runtime: Runtime, actor: Actor) -> Call:
    """`call` if `actor` is the Secretariat of its network; Forbidden to anyone else who is
    not the Secretariat, NotFound to another network's Secretariat and for no call."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat of a call's network reads its candidacies")
    if call is None or not actor.runs(runtime.kind(call.kind).network):
        raise NotFound(f"no call {call_id}")
    return call
