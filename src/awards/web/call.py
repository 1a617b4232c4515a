"""The public page of a call, before anyone signs in: what it is, who may apply, its deadline,
the documents and languages it asks for, and an eligibility pre-check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from markupsafe import Markup

from awards.calls.eligibility import Claims, Verdict, asked_rules, check, networks, questions
from awards.calls.service import CallService
from awards.http.params import RowId
from awards.kinds.forms import FieldType
from awards.kinds.kind import CallKind
from awards.kinds.rule_specs import RuleSpec
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.i18n import has
from awards.web.page import Visitor, render, visitor
from awards.web.wording import Wording

REGIONS = ("Africa", "Asia-Pacific", "Europe", "Latin America", "Middle East", "North America")
"""The regions of the members register (`region.<name>` in the catalogue)."""
SUBMIT = "submit"


class CallPage(Controller):
    @get("/calls/{call_id:int}")
    async def call_page(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Anyone: a call open, closed or published, and what the pre-check form asked."""
        call = await calls.get(call_id, actor=actor)
        kind = runtime.kind(call.kind)
        reader = visitor(request)
        words = Wording(kind, reader)
        claims = _claims(request.query_params, name=reader.t("precheck.your_organisation"))
        verdicts = check(kind, call, claims, now=runtime.clock()) if claims else None
        return render(
            request,
            "public/call.html",
            call=call,
            kind=kind,
            w=words,
            now=runtime.clock(),
            conditions=[_condition(spec, reader) for spec in _submit_rules(kind)],
            documents=[f for f in kind.form.fields if f.type is FieldType.FILE],
            questions=questions(kind),
            networks=networks(kind),
            regions=_regions(kind),
            asked=dict(request.query_params),
            verdicts=verdicts,
            unmet=[v for v in verdicts or [] if v.reason is not None],
            sentence=lambda verdict: _sentence(verdict, words),
        )


def _submit_rules(kind: CallKind) -> list[RuleSpec]:
    """The rules that decide whether a candidacy may be sent, in the kind's order."""
    guards = kind.submission_workflow.transitions[SUBMIT].guards
    return [kind.rules[name] for name in guards if name in kind.rules]


def _condition(spec: RuleSpec, reader: Visitor) -> str:
    """A rule said as a condition of taking part (`condition.<type>`), its values in the
    reader's words; the rule's name when the catalogue has no sentence for it."""
    values = {
        "network": reader.term("network", str(spec.params.get("network", ""))),
        "regions": ", ".join(reader.term("region", r) for r in spec.params.get("regions", [])),
        "years": spec.params.get("years", ""),
        "max": spec.params.get("max", ""),
    }
    key = f"condition.{spec.type}"
    return reader.t(key, **values) if has(key) else reader.term("rule", spec.type)


def _regions(kind: CallKind) -> list[str]:
    """The regions to choose from: the register's and those the kind's rules name."""
    named = [r for spec in asked_rules(kind) for r in spec.params.get("regions", [])]
    return list(dict.fromkeys([*REGIONS, *named]))


def _sentence(verdict: Verdict, words: Wording) -> Markup:
    """Why a rule would fail, as a sentence (the reason names "your organisation" first)."""
    assert verdict.reason is not None
    said = words.reason(verdict.reason)
    return Markup(said[:1].upper() + said[1:])


def _claims(query: Mapping[str, str], *, name: str) -> Claims | None:
    """What the pre-check form said of the organisation; None before it is sent."""
    if "asked" not in query:
        return None
    since = query.get("member_since", "").strip()
    return Claims(
        name=name,
        network=query.get("network") or None,
        fees_up_to_date=query.get("fees") == "yes",
        region=query.get("region") or None,
        member_since=int(since) if since.isdigit() and len(since) == 4 else None,
    )
