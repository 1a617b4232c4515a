"""The Secretariat's console pages that read across a call: the dashboard (every live call
with its deadline, candidacies by state, what waits for the Secretariat, jurors late, mails
undelivered) and the ranking as a committee reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from awards.calls.networks import run_by
from awards.calls.service import CallService, CallSummary
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.jury.deadlines import LateJuror, late_jurors
from awards.jury.standings import standings
from awards.kinds.kind import CallKind
from awards.notify.delivery import dead_mail
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor, WorkflowRole
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState
from awards.web.charts import histogram
from awards.web.page import render, visitor
from awards.web.secretariat import about
from awards.web.wording import Wording

LIVE = (CallState.OPEN, CallState.CLOSED, CallState.REVIEWING, CallState.DECIDING)
"""The calls a dashboard follows: from opening to the decision."""


@dataclass(frozen=True)
class LiveCall:
    summary: CallSummary
    kind: CallKind
    waiting: dict[str, int]
    """Candidacies in a state only a step of the Secretariat moves on, by state."""
    overdue: bool
    """Still open though its deadline has passed: it waits to be closed."""
    late: list[LateJuror]


def waiting_states(kind: CallKind) -> set[str]:
    """States a candidacy leaves by a step of the Secretariat."""
    workflow = kind.submission_workflow
    return {
        state
        for state in workflow.states
        if any(WorkflowRole.SECRETARIAT in t.roles for t in workflow.leaving(state))
    }


class ConsolePages(Controller):
    path = "/secretariat"
    guards = (secretariat,)

    @get("/dashboard")
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Secretariat: what needs it now, call by call, in the calls of its network."""
        now = runtime.clock()
        live = []
        for summary in await calls.visible(actor=actor):
            kind = runtime.kind(summary.call.kind)
            if summary.call.state not in LIVE:
                continue
            waiting = waiting_states(kind)
            live.append(
                LiveCall(
                    summary,
                    kind,
                    {s: n for s, n in sorted(summary.counts.items()) if s in waiting and n},
                    overdue=summary.call.state == CallState.OPEN and summary.call.closes_at < now,
                    late=await late_jurors(runtime, summary.call.id or 0, actor=actor)
                    if kind.jury
                    else [],
                )
            )
        dead = about(await dead_mail(runtime.db), {c.summary.call.id for c in live})
        reader = visitor(request)
        return render(
            request,
            "secretariat/dashboard.html",
            live=sorted(live, key=lambda c: c.summary.call.closes_at),
            dead=dead,
            words={c.kind.slug: Wording(c.kind, reader) for c in live},
        )

    @get("/calls/{call_id:int}/ranking")
    async def committee_ranking(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
        round: FromQuery[str | None] = None,
    ) -> Template:
        """Secretariat of the call's network: a round's ranking, to hand to a committee."""
        call = run_by(await calls.get(call_id, actor=actor), call_id, runtime=runtime, actor=actor)
        kind = runtime.kind(call.kind)
        found = await standings(runtime, call_id, round_name=round, actor=actor)
        entries = await submissions.of_call(call_id, actor=actor)
        return render(
            request,
            "secretariat/ranking.html",
            call=call,
            kind=kind,
            standings=found,
            titles={e.submission.id: e.submission.answers.get("title") for e in entries},
            histogram=histogram,
            w=Wording(kind, visitor(request)),
        )
