"""The authorization matrix: every route of the app, as each of the seven roles of issue #9.

`MATRIX` holds one row per route of the app's route table (method and path template), with
the roles that succeed (2xx, or 3xx for a page form) and the roles answered 404 rather than
403 because the thing is theirs to not know about. Everyone else signed in gets 403;
anonymous gets 401 (a page asked for with GET sends them to sign in instead). A route
added to the app without a row fails the test, named.

Decided here where API.md is silent (the report of issue #9 lists them):
- a call's transitions may be read by anyone who may read the call (the buttons it shows);
- a submission's transitions by its owner, the Secretariat and the president of its jury;
- another juror's assignment, its documents and review are 404 (jurors only see their own);
- the pages follow the API they stand on; probes, schema and static files are public;
- a published databank entry and its published documents are public, like the search;
  good practices, an entry's history and the webhook's deliveries are the Secretariat's;
- an invitation link may be read and accepted by whoever holds it, signed in or not;
- the demo's mailbox is nobody's unless the mailbox transport is on, and then anyone's;
- any signed-in person may download or erase their own data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any, Protocol

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.db.tables import Call, DatabankEntry, Obligation, Review, Submission
from awards.transitions.runtime import Runtime
from conftest import Client
from reliability.roles import (
    LEAVER_EMAIL,
    PRESIDENT_EMAIL,
    ROLES,
    World,
    routes_of,
    small_pdf,
)

Request = Callable[[World, Runtime, str], Awaitable[dict[str, Any]]]
"""The body of a request (`json=`, `data=` or `files=`) by a role, made when it is sent."""

ANYONE = frozenset(ROLES)
SIGNED_IN = ANYONE - {"anonymous"}
APPLICANTS = frozenset({"applicant", "other_applicant"})
JURORS = frozenset({"juror", "president", "other_juror"})
OTHER_JURORS = frozenset({"president", "other_juror"})
APPLICANT = frozenset({"applicant"})
OTHER_APPLICANT = frozenset({"other_applicant"})
JUROR = frozenset({"juror"})
SECRETARIAT = frozenset({"secretariat"})
OWNER_AND_SECRETARIAT = frozenset({"applicant", "secretariat"})
COMMITTEE = frozenset({"juror", "president"})
OTHER_JUROR = frozenset({"other_juror"})
NOT_THEIRS = SIGNED_IN - OWNER_AND_SECRETARIAT
"""Answered 404 for a submission, as for a missing one: a 403 told which ids exist."""
CSRF_COOKIE, CSRF_HEADER = "csrftoken", "x-csrftoken"
PANEL = ["juror@jury.test", PRESIDENT_EMAIL]
SCORES = dict.fromkeys(
    ("relevance", "impact", "scope", "government_involvement", "participation", "innovation"), 7
)


PRACTICE = {
    "title": {"en": "Reading gardens", "pt": "Jardins de leitura"},
    "organisation": "Lisboa",
    "country": "PT",
    "year": 2022,
}
BARCELONA = {
    "country": "ES",
    "region": "Europe",
    "network": "IAEC",
    "member_since": "1994",
    "fees_up_to_date": "yes",
}
"""Barcelona's register fields as the organisation page's form shows them."""


def sends(**kwargs: Any) -> Request:
    """A request body that is always the same (`json=`, `data=` or `files=`)."""

    async def request(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
        return kwargs

    return request


async def own_address(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
    """A sign-in form for an address of the role's own: links are limited per address."""
    return {"data": {"email": f"{role}@example.test"}}


async def own_confirmation(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
    """An erasure confirmed with the role's own address (anonymous has none)."""
    return {"json": {"confirm": world.emails.get(role, "")}}


async def review_form(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
    """The review page's form, at the version of the review the API saved before."""
    async with runtime.db.read() as session:
        review = await session.scalar(
            select(Review).where(col(Review.assignment_id) == world.juror_assignment)
        )
    assert review is not None
    return {"data": {"version": review.version, **{f"score.{name}": "8" for name in SCORES}}}


def paid_today(instalment: str, amount: str, *, form: bool = False) -> Request:
    """A payment of `instalment` recorded as paid today, as the service's clock has it: a
    JSON body, or the page's form."""

    async def request(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
        paid_on = runtime.clock().date().isoformat()
        body = {
            "instalment": instalment,
            "amount": amount,
            "currency": "EUR",
            "paid_on": paid_on,
            "reference": "VIR-2025-0042",
        }
        return {"data" if form else "json": body}

    return request


def report_form(name: str, answers: dict[str, str]) -> Request:
    """The laureate page's form of report `name`, at the version it has now."""

    async def request(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
        async with runtime.db.read() as session:
            report = await session.scalar(
                select(Obligation).where(
                    col(Obligation.submission_id) == world.prize_laureate,
                    col(Obligation.name) == name,
                )
            )
        assert report is not None
        values = {"indicator.women_reached": "950", "indicator.grant_spent": "100"}
        return {"data": {"version": str(report.version), **answers, **values}}

    return request


def reopened_until(*, form: bool = False) -> Request:
    """A round reopened for a month from the service's clock: an instant with its offset, or
    the page's `datetime-local` box in the call's time zone."""

    async def request(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
        until = runtime.clock() + timedelta(days=30)
        if form:
            return {"data": {"review_by": until.strftime("%Y-%m-%dT%H:%M"), "reason": "Again"}}
        return {"json": {"review_by": until.isoformat(), "reason": "Again"}}

    return request


class Versioned(Protocol):
    """A table whose rows carry the version a change must name."""

    version: int


def at_version(
    table: type[Versioned], which: str, make: Callable[[int], dict[str, Any]]
) -> Request:
    """A request naming the current version of `table` row `which` (a `World` field)."""

    async def request(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
        async with runtime.db.read() as session:
            row = await session.get(table, getattr(world, which))
        assert row is not None
        return make(row.version)

    return request


def a_week_later(which: str) -> Request:
    """Call `which` (a `World` field) with its deadline a week later, at its version."""

    async def request(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
        async with runtime.db.read() as session:
            call = await session.get(Call, getattr(world, which))
        assert call is not None
        later = call.closes_at + timedelta(days=7)
        dates = {"opens_at": call.opens_at.isoformat(), "closes_at": later.isoformat()}
        return {"json": dates | {"version": call.version}}

    return request


def at_field(which: str, make: Callable[[int], dict[str, Any]]) -> Request:
    """A request naming `World` field `which`."""

    async def request(world: World, runtime: Runtime, role: str) -> dict[str, Any]:
        return make(getattr(world, which))

    return request


@dataclass(frozen=True)
class Row:
    url: str
    """The path tried, with `World` fields in braces; `{invitation}` is the role's own."""
    allowed: frozenset[str]
    hidden: frozenset[str] = frozenset()
    """Roles answered 404 instead of 403."""
    send: Request = field(default=sends())
    page: bool = False
    """A web page: anonymous visitors asking with GET are sent to `/login`."""
    status: int | None = None
    """The exact status every allowed role gets, when it is not a plain success."""


MATRIX: dict[str, Row] = {
    # Call kinds and calls.
    "GET /api/v1/call-kinds": Row("/api/v1/call-kinds", ANYONE),
    "GET /api/v1/calls": Row("/api/v1/calls", ANYONE),
    "POST /api/v1/calls": Row(
        "/api/v1/calls",
        SECRETARIAT,
        send=sends(
            json={
                "kind": "educating-cities-award",
                "edition": "2030",
                "title": {"en": "Award 2030", "fr": "Prix 2030", "es": "Premio", "pt": "Prémio"},
                "opens_at": "2025-10-01T00:00:00Z",
                "closes_at": "2025-12-01T00:00:00Z",
                "timezone": "Europe/Madrid",
                "languages": ["en", "fr", "es", "pt"],
            }
        ),
    ),
    "GET /api/v1/calls/{call_id:int}": Row("/api/v1/calls/{award}", ANYONE),
    "PATCH /api/v1/calls/{call_id:int}": Row(
        "/api/v1/calls/{open_call}",
        SECRETARIAT,
        send=at_version(Call, "open_call", lambda v: {"json": {"settings": {}, "version": v}}),
    ),
    "PUT /api/v1/calls/{call_id:int}/dates": Row(
        "/api/v1/calls/{open_call}/dates", SECRETARIAT, send=a_week_later("open_call")
    ),
    "GET /api/v1/calls/{call_id:int}/transitions": Row("/api/v1/calls/{award}/transitions", ANYONE),
    "POST /api/v1/calls/{call_id:int}/transitions": Row(
        "/api/v1/calls/{other_call}/transitions",
        SECRETARIAT,
        send=sends(json={"name": "deliberate"}),
    ),
    "POST /api/v1/calls/{call_id:int}/extensions": Row(
        "/api/v1/calls/{open_call}/extensions",
        SECRETARIAT,
        send=sends(
            json={
                "organisation": "barcelona",
                "until": "2025-12-01T00:00:00Z",
                "reason": "The council meets late",
            }
        ),
    ),
    "POST /api/v1/calls/{call_id:int}/submissions": Row(
        "/api/v1/calls/{open_call}/submissions", APPLICANTS, send=sends(json={"answers": {}})
    ),
    # Submissions.
    "GET /api/v1/submissions/{submission_id:int}": Row(
        "/api/v1/submissions/{draft}", OWNER_AND_SECRETARIAT, hidden=NOT_THEIRS
    ),
    "PATCH /api/v1/submissions/{submission_id:int}": Row(
        "/api/v1/submissions/{draft}",
        OWNER_AND_SECRETARIAT,
        hidden=NOT_THEIRS,
        send=at_version(
            Submission,
            "draft",
            lambda v: {"json": {"answers": {"contact_name": "Ada Serra"}, "version": v}},
        ),
    ),
    "GET /api/v1/submissions/{submission_id:int}/transitions": Row(
        # The jury of an anonymised call names candidacies by pseudonym, never by id.
        "/api/v1/submissions/{in_review}/transitions",
        OWNER_AND_SECRETARIAT,
        hidden=NOT_THEIRS,
    ),
    "POST /api/v1/submissions/{submission_id:int}/transitions": Row(
        "/api/v1/submissions/{spare_draft}/transitions",
        APPLICANT,
        hidden=NOT_THEIRS,
        send=sends(json={"name": "withdraw"}),
    ),
    "GET /api/v1/submissions/{submission_id:int}/history": Row(
        "/api/v1/submissions/{in_review}/history", OWNER_AND_SECRETARIAT, hidden=NOT_THEIRS
    ),
    "GET /api/v1/submissions/{submission_id:int}/versions": Row(
        "/api/v1/submissions/{in_review}/versions", OWNER_AND_SECRETARIAT, hidden=NOT_THEIRS
    ),
    "POST /api/v1/submissions/{submission_id:int}/overrides": Row(
        "/api/v1/submissions/{in_review}/overrides",
        SECRETARIAT,
        send=sends(json={"rule": "not_excluded", "reason": "Excluded by mistake"}),
    ),
    "POST /api/v1/submissions/{submission_id:int}/attachments": Row(
        "/api/v1/submissions/{draft}/attachments",
        APPLICANT,
        hidden=NOT_THEIRS,
        send=sends(
            files={"file": ("annex.pdf", small_pdf(), "application/pdf")},
            data={"field": "annex"},
        ),
    ),
    "GET /api/v1/submissions/{submission_id:int}/attachments/{attachment_id:int}": Row(
        "/api/v1/submissions/{draft}/attachments/{draft_annex}",
        OWNER_AND_SECRETARIAT,
        hidden=NOT_THEIRS,
    ),
    # The jury, for the Secretariat.
    "PUT /api/v1/calls/{call_id:int}/panel": Row(
        "/api/v1/calls/{award}/panel",
        SECRETARIAT,
        send=sends(json={"jurors": PANEL, "president": PRESIDENT_EMAIL}),
    ),
    "POST /api/v1/calls/{call_id:int}/conflicts": Row(
        "/api/v1/calls/{award}/conflicts", SECRETARIAT, send=sends(json={})
    ),
    "POST /api/v1/calls/{call_id:int}/assignments": Row(
        "/api/v1/calls/{award}/assignments", SECRETARIAT, send=sends(json={})
    ),
    "GET /api/v1/calls/{call_id:int}/exports/{table:str}": Row(
        "/api/v1/calls/{award}/exports/reviews.csv", SECRETARIAT
    ),
    "GET /api/v1/calls/{call_id:int}/ranking": Row(
        "/api/v1/calls/{award}/ranking", SECRETARIAT | {"president"}
    ),
    "POST /api/v1/calls/{call_id:int}/ranking/{pseudonym:str}/transitions": Row(
        "/api/v1/calls/{award}/ranking/{their_pseudonym}/transitions",
        frozenset({"president"}),
        hidden=JURORS - {"president"},
        send=sends(json={"name": "propose_mention"}),
    ),
    # The jury, for jurors.
    "GET /api/v1/jury/assignments": Row("/api/v1/jury/assignments", JURORS),
    "GET /api/v1/jury/assignments/{assignment_id:int}": Row(
        "/api/v1/jury/assignments/{juror_assignment}", JUROR, hidden=OTHER_JURORS
    ),
    "GET /api/v1/jury/assignments/{assignment_id:int}/documents/{field:str}": Row(
        "/api/v1/jury/assignments/{juror_assignment}/documents/annex",
        JUROR,
        hidden=OTHER_JURORS,
    ),
    "PUT /api/v1/jury/assignments/{assignment_id:int}/review": Row(
        "/api/v1/jury/assignments/{juror_assignment}/review",
        JUROR,
        hidden=OTHER_JURORS,
        send=sends(json={"scores": SCORES, "comment": "Solid"}),
    ),
    "POST /api/v1/jury/assignments/{assignment_id:int}/conflict": Row(
        "/api/v1/jury/assignments/{spare_assignment}/conflict",
        JUROR,
        hidden=OTHER_JURORS,
        send=sends(json={"reason": "I advised this city"}),
    ),
    "POST /api/v1/jury/assignments/{assignment_id:int}/accept": Row(
        "/api/v1/jury/assignments/{juror_assignment}/accept", JUROR, hidden=OTHER_JURORS
    ),
    "POST /api/v1/jury/assignments/{assignment_id:int}/decline": Row(
        "/api/v1/jury/assignments/{declinable_assignment}/decline",
        JUROR,
        hidden=OTHER_JURORS,
        send=sends(json={"reason": "Away in January"}),
    ),
    # Jurors' time, for the Secretariat.
    "PUT /api/v1/calls/{call_id:int}/rounds/{round_name:str}/deadline": Row(
        "/api/v1/calls/{award}/rounds/preselection/deadline",
        SECRETARIAT,
        send=sends(json={"review_by": "2025-12-01T23:59:00+01:00"}),
    ),
    "GET /api/v1/calls/{call_id:int}/late-reviews": Row(
        "/api/v1/calls/{award}/late-reviews", SECRETARIAT
    ),
    # A body that votes: its members, its chair, the Secretariat (`congress-host-bid`).
    "GET /api/v1/calls/{call_id:int}/candidacies": Row(
        "/api/v1/calls/{host_vote}/candidacies", COMMITTEE, hidden=OTHER_JUROR
    ),
    "POST /api/v1/calls/{call_id:int}/candidacies/{submission_id:int}/conflict": Row(
        "/api/v1/calls/{host_vote}/candidacies/{bid}/conflict",
        COMMITTEE,
        hidden=OTHER_JUROR,
        send=sends(json={"reason": "I advised this city"}),
    ),
    "GET /api/v1/calls/{call_id:int}/vote": Row(
        "/api/v1/calls/{host_vote}/vote", COMMITTEE, hidden=OTHER_JUROR
    ),
    "PUT /api/v1/calls/{call_id:int}/vote": Row(
        "/api/v1/calls/{host_vote}/vote",
        COMMITTEE,
        hidden=OTHER_JUROR,
        send=sends(json={"submission_id": None}),
    ),
    # Allowed, and refused as there is no tie to settle.
    "POST /api/v1/calls/{call_id:int}/vote/deciding": Row(
        "/api/v1/calls/{host_vote}/vote/deciding",
        frozenset({"president"}),
        hidden=OTHER_JUROR,
        send=at_field("bid", lambda bid: {"json": {"submission_id": bid}}),
        status=409,
    ),
    "GET /api/v1/calls/{call_id:int}/vote/tally": Row(
        "/api/v1/calls/{host_vote}/vote/tally",
        SECRETARIAT | {"president"},
        hidden=APPLICANTS | OTHER_JUROR,
    ),
    # Allowed, and refused as every member abstained.
    "POST /api/v1/calls/{call_id:int}/vote/close": Row(
        "/api/v1/calls/{host_vote}/vote/close",
        SECRETARIAT | {"president"},
        hidden=APPLICANTS | OTHER_JUROR,
        status=409,
    ),
    # Its pages: the members vote (refused: they voted through the API above), the chair
    # settles a tie (refused: there is none) and closes (refused: every member abstained).
    "GET /jury/calls/{call_id:int}/vote": Row(
        "/jury/calls/{host_vote}/vote", COMMITTEE, hidden=OTHER_JUROR, page=True
    ),
    "POST /jury/calls/{call_id:int}/vote": Row(
        "/jury/calls/{host_vote}/vote",
        COMMITTEE,
        hidden=OTHER_JUROR,
        page=True,
        send=sends(data={"choice": "abstain"}),
        status=409,
    ),
    "POST /jury/calls/{call_id:int}/vote/deciding": Row(
        "/jury/calls/{host_vote}/vote/deciding",
        frozenset({"president"}),
        hidden=OTHER_JUROR,
        page=True,
        send=at_field("bid", lambda bid: {"data": {"choice": str(bid)}}),
        status=409,
    ),
    "POST /jury/calls/{call_id:int}/vote/close": Row(
        "/jury/calls/{host_vote}/vote/close",
        frozenset({"president"}),
        hidden=OTHER_JUROR,
        page=True,
        status=409,
    ),
    "POST /jury/calls/{call_id:int}/candidacies/{submission_id:int}/conflict": Row(
        "/jury/calls/{host_vote}/candidacies/{bid}/conflict",
        COMMITTEE,
        hidden=OTHER_JUROR,
        page=True,
        send=sends(data={"reason": "I advised this city"}),
    ),
    # A body that selects (`congress-experiences`).
    "GET /api/v1/calls/{call_id:int}/selection": Row(
        "/api/v1/calls/{programme}/selection",
        COMMITTEE | SECRETARIAT,
        hidden=APPLICANTS | OTHER_JUROR,
    ),
    "PUT /api/v1/calls/{call_id:int}/selection/{submission_id:int}": Row(
        "/api/v1/calls/{programme}/selection/{experience}",
        COMMITTEE,
        hidden=OTHER_JUROR,
        send=sends(json={"mark": "waitlisted"}),
    ),
    # Its pages, before the API's chair confirms the programme.
    "GET /jury/calls/{call_id:int}/selection": Row(
        "/jury/calls/{programme}/selection", COMMITTEE, hidden=OTHER_JUROR, page=True
    ),
    "POST /jury/calls/{call_id:int}/selection/{submission_id:int}": Row(
        "/jury/calls/{programme}/selection/{experience}",
        COMMITTEE,
        hidden=OTHER_JUROR,
        page=True,
        send=sends(data={"mark": "waitlisted"}),
    ),
    "POST /api/v1/calls/{call_id:int}/selection/confirm": Row(
        "/api/v1/calls/{programme}/selection/confirm",
        frozenset({"president"}),
        hidden=OTHER_JUROR,
        send=at_field(
            "experience",
            lambda s: {"json": {"programme": [{"submission_id": s, "mark": "waitlisted"}]}},
        ),
    ),
    # Once the API's chair has confirmed it, nothing is left before the body to confirm.
    "POST /jury/calls/{call_id:int}/selection/confirm": Row(
        "/jury/calls/{programme}/selection/confirm",
        frozenset({"president"}),
        hidden=OTHER_JUROR,
        page=True,
    ),
    # The databank.
    "GET /api/v1/databank": Row("/api/v1/databank", ANYONE),
    "GET /api/v1/databank/{entry_id:int}": Row("/api/v1/databank/{laureate_entry}", ANYONE),
    "GET /api/v1/databank/{entry_id:int}/documents/{number:int}": Row(
        "/api/v1/databank/{laureate_entry}/documents/1", ANYONE
    ),
    "GET /api/v1/databank/export.json": Row("/api/v1/databank/export.json", ANYONE),
    "GET /api/v1/databank/export.csv": Row("/api/v1/databank/export.csv", ANYONE),
    "POST /api/v1/databank/{entry_id:int}/unpublish": Row(
        "/api/v1/databank/{entry}/unpublish",
        SECRETARIAT,
        send=sends(json={"reason": "The city asked"}),
    ),
    "POST /api/v1/databank/{entry_id:int}/republish": Row(
        "/api/v1/databank/{entry}/republish", SECRETARIAT
    ),
    "POST /api/v1/databank": Row("/api/v1/databank", SECRETARIAT, send=sends(json=PRACTICE)),
    "PUT /api/v1/databank/{entry_id:int}": Row(
        "/api/v1/databank/{entry}",
        SECRETARIAT,
        send=at_version(DatabankEntry, "entry", lambda v: {"json": {**PRACTICE, "version": v}}),
    ),
    "GET /api/v1/databank/{entry_id:int}/history": Row(
        "/api/v1/databank/{entry}/history", SECRETARIAT
    ),
    "GET /api/v1/databank/deliveries": Row("/api/v1/databank/deliveries", SECRETARIAT),
    "POST /api/v1/databank/deliveries/{delivery_id:int}/resend": Row(
        "/api/v1/databank/deliveries/{dead_delivery}/resend", SECRETARIAT
    ),
    "GET /databank": Row("/databank", ANYONE, page=True),
    "GET /calls/{call_id:int}": Row("/calls/{open_call}", ANYONE, page=True),
    "GET /calls/{call_id:int}/results": Row("/calls/{published_call}/results", ANYONE, page=True),
    "GET /databank/feed.atom": Row("/databank/feed.atom", ANYONE),
    "GET /calls.ics": Row("/calls.ics", ANYONE),
    # Operations, the OpenAPI document and static files: anyone on the network.
    "GET /health": Row("/health", ANYONE),
    "GET /ready": Row("/ready", ANYONE),
    "GET /metrics": Row("/metrics", ANYONE),
    "GET /schema": Row("/schema", ANYONE),
    "GET /schema/openapi.json": Row("/schema/openapi.json", ANYONE),
    "GET /schema/openapi.yaml": Row("/schema/openapi.yaml", ANYONE),
    "GET /schema/openapi.yml": Row("/schema/openapi.yml", ANYONE),
    "GET /schema/elements": Row("/schema/elements", ANYONE),
    "GET /schema/rapidoc": Row("/schema/rapidoc", ANYONE),
    "GET /schema/redoc": Row("/schema/redoc", ANYONE),
    "GET /schema/swagger": Row("/schema/swagger", ANYONE),
    "GET /schema/oauth2-redirect.html": Row("/schema/oauth2-redirect.html", ANYONE),
    "GET /schema/{path:str}": Row("/schema/nothing-here", ANYONE, status=404),
    "GET /static/{file_path:path}": Row("/static/js/awards.js", ANYONE),
    "HEAD /static/{file_path:path}": Row("/static/js/awards.js", ANYONE),
    # Public pages.
    "GET /": Row("/", ANYONE, page=True),
    "GET /login": Row("/login", ANYONE, page=True),
    "POST /login": Row("/login", ANYONE, page=True, send=own_address),
    # An unknown sign-in link is refused alike, whoever follows it.
    "GET /login/link/{token:str}": Row("/login/link/not-a-link", ANYONE, page=True, status=409),
    "POST /login/link/{token:str}": Row("/login/link/not-a-link", ANYONE, page=True, status=409),
    "POST /language": Row("/language", ANYONE, page=True, send=sends(data={"language": "en"})),
    "POST /logout": Row("/logout", ANYONE, page=True),
    # The demo's mailbox exists only with AWARDS_MAIL_TRANSPORT=mailbox, and then anyone reads
    # it (tests/awards/web/test_mailbox_page.py); with the default, SMTP, it is 404 for all.
    "GET /mailbox": Row("/mailbox", ANYONE, page=True, status=404),
    # Applicant pages.
    "GET /my": Row("/my", APPLICANTS, page=True),
    "POST /my/calls/{call_id:int}/submissions": Row(
        "/my/calls/{open_call}/submissions", APPLICANTS, page=True
    ),
    "GET /my/submissions/{submission_id:int}": Row(
        "/my/submissions/{draft}", APPLICANT, hidden=OTHER_APPLICANT, page=True
    ),
    "GET /my/submissions/{submission_id:int}/preview": Row(
        "/my/submissions/{draft}/preview", APPLICANT, hidden=OTHER_APPLICANT, page=True
    ),
    # A sent candidacy's receipt (`in_review` was sent): its owner's only.
    "GET /my/submissions/{submission_id:int}/receipt.pdf": Row(
        "/my/submissions/{in_review}/receipt.pdf", APPLICANT, hidden=OTHER_APPLICANT, page=True
    ),
    "PATCH /my/submissions/{submission_id:int}": Row(
        "/my/submissions/{draft}",
        APPLICANT,
        hidden=OTHER_APPLICANT,
        page=True,
        send=at_version(
            Submission, "draft", lambda v: {"data": {"version": v, "contact_name": "Ada"}}
        ),
    ),
    "POST /my/submissions/{submission_id:int}": Row(
        "/my/submissions/{draft}",
        APPLICANT,
        hidden=OTHER_APPLICANT,
        page=True,
        send=at_version(
            Submission, "draft", lambda v: {"data": {"version": v, "contact_name": "Ada S."}}
        ),
    ),
    "POST /my/submissions/{submission_id:int}/transitions": Row(
        "/my/submissions/{last_draft}/transitions",
        APPLICANT,
        hidden=OTHER_APPLICANT,
        page=True,
        send=sends(data={"name": "withdraw"}),
    ),
    # Jury pages.
    "GET /jury": Row("/jury", JURORS, page=True),
    "GET /jury/assignments/{assignment_id:int}": Row(
        "/jury/assignments/{juror_assignment}", JUROR, hidden=OTHER_JURORS, page=True
    ),
    "GET /jury/assignments/{assignment_id:int}/documents/{field:str}": Row(
        "/jury/assignments/{juror_assignment}/documents/annex",
        JUROR,
        hidden=OTHER_JURORS,
        page=True,
    ),
    "POST /jury/assignments/{assignment_id:int}/review": Row(
        "/jury/assignments/{juror_assignment}/review",
        JUROR,
        hidden=OTHER_JURORS,
        page=True,
        send=review_form,
    ),
    "POST /jury/assignments/{assignment_id:int}/accept": Row(
        "/jury/assignments/{juror_assignment}/accept", JUROR, hidden=OTHER_JURORS, page=True
    ),
    "POST /jury/assignments/{assignment_id:int}/decline": Row(
        "/jury/assignments/{page_declinable_assignment}/decline",
        JUROR,
        hidden=OTHER_JURORS,
        page=True,
    ),
    "POST /jury/assignments/{assignment_id:int}/conflict": Row(
        "/jury/assignments/{last_assignment}/conflict",
        JUROR,
        hidden=OTHER_JURORS,
        page=True,
        send=sends(data={"reason": "I advised this city"}),
    ),
    "GET /jury/calls/{call_id:int}": Row(
        "/jury/calls/{award}", frozenset({"president"}), hidden=JURORS - {"president"}, page=True
    ),
    "POST /jury/calls/{call_id:int}/ranking/{pseudonym:str}/transitions": Row(
        "/jury/calls/{award}/ranking/{their_pseudonym}/transitions",
        frozenset({"president"}),
        hidden=JURORS - {"president"},
        page=True,
        # The API's row above proposed it for a mention.
        send=sends(data={"name": "reconsider", "reason": "Once more"}),
    ),
    # Secretariat pages.
    "GET /secretariat": Row("/secretariat", SECRETARIAT, page=True),
    "GET /secretariat/calls/{call_id:int}": Row(
        "/secretariat/calls/{award}", SECRETARIAT, page=True
    ),
    "GET /secretariat/calls/{call_id:int}/conflicts": Row(
        "/secretariat/calls/{award}/conflicts", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/{call_id:int}/panel": Row(
        "/secretariat/calls/{award}/panel",
        SECRETARIAT,
        page=True,
        send=sends(data={"jurors": "\n".join(PANEL), "president": PRESIDENT_EMAIL}),
    ),
    "POST /secretariat/calls/{call_id:int}/deadline": Row(
        "/secretariat/calls/{award}/deadline",
        SECRETARIAT,
        page=True,
        send=sends(data={"round": "preselection", "review_by": "2025-12-01T18:00"}),
    ),
    "POST /secretariat/calls/{call_id:int}/assignments": Row(
        "/secretariat/calls/{award}/assignments", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/{call_id:int}/submissions/{submission_id:int}/transitions": Row(
        "/secretariat/calls/{award}/submissions/{second_in_review}/transitions",
        SECRETARIAT,
        page=True,
        send=sends(data={"name": "reject"}),
    ),
    "POST /secretariat/calls/{call_id:int}/transitions": Row(
        "/secretariat/calls/{other_call}/transitions",
        SECRETARIAT,
        page=True,
        send=sends(data={"name": "declare_void", "reason": "No candidacy met the bar"}),
    ),
    "GET /secretariat/submissions/{submission_id:int}": Row(
        "/secretariat/submissions/{their_candidacy}", SECRETARIAT, page=True
    ),
    "GET /secretariat/submissions/{submission_id:int}/documents/{attachment_id:int}": Row(
        "/secretariat/submissions/{their_candidacy}/documents/{their_annex}", SECRETARIAT, page=True
    ),
    "GET /secretariat/calls/{call_id:int}/candidacies": Row(
        "/secretariat/calls/{award}/candidacies", SECRETARIAT, page=True
    ),
    "GET /secretariat/calls/{call_id:int}/ranking": Row(
        "/secretariat/calls/{award}/ranking", SECRETARIAT, page=True
    ),
    "GET /secretariat/dashboard": Row("/secretariat/dashboard", SECRETARIAT, page=True),
    "POST /secretariat/submissions/{submission_id:int}/overrides": Row(
        "/secretariat/submissions/{in_review}/overrides",
        SECRETARIAT,
        page=True,
        send=sends(data={"rule": "not_excluded", "reason": "Excluded by mistake"}),
    ),
    # Bulk steps: a step refused for each (the call is not published) is still a report.
    "GET /secretariat/calls/{call_id:int}/bulk": Row(
        "/secretariat/calls/{award}/bulk?name=publish&id={second_in_review}",
        SECRETARIAT,
        page=True,
    ),
    "POST /secretariat/calls/{call_id:int}/bulk": Row(
        "/secretariat/calls/{award}/bulk",
        SECRETARIAT,
        page=True,
        send=at_field("second_in_review", lambda i: {"data": {"name": "publish", "id": str(i)}}),
    ),
    "GET /secretariat/calls/{call_id:int}/confirm": Row(
        "/secretariat/calls/{other_call}/confirm?name=declare_void", SECRETARIAT, page=True
    ),
    # People: a panel chosen and invited from its page, an organisation's applicants invited.
    "GET /secretariat/calls/{call_id:int}/panel": Row(
        "/secretariat/calls/{award}/panel", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/{call_id:int}/invitations": Row(
        "/secretariat/calls/{award}/invitations",
        SECRETARIAT,
        page=True,
        send=sends(data={"invitees": "new.juror@jury.test Nova Jurada", "role": "juror"}),
    ),
    "POST /secretariat/calls/{call_id:int}/invitations/{invitation_id:int}/resend": Row(
        "/secretariat/calls/{award}/invitations/{panel_invitation}/resend",
        SECRETARIAT,
        page=True,
    ),
    "POST /secretariat/organisations/{slug:str}/invitations": Row(
        "/secretariat/organisations/lisboa/invitations",
        SECRETARIAT,
        page=True,
        send=sends(data={"invitees": "new.deputy@lisboa.test"}),
    ),
    "POST /secretariat/organisations/{slug:str}/invitations/{invitation_id:int}/resend": Row(
        "/secretariat/organisations/lisboa/invitations/{account_invitation}/resend",
        SECRETARIAT,
        page=True,
    ),
    # A call created and edited in the browser; an open call is no longer edited there.
    "GET /secretariat/calls/new": Row(
        "/secretariat/calls/new?kind=educating-cities-award", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/new": Row(
        "/secretariat/calls/new",
        SECRETARIAT,
        page=True,
        send=sends(
            data={
                "kind": "educating-cities-award",
                "edition": "2031",
                "languages": ["en"],
                "title.en": "Award 2031",
                "timezone": "Europe/Madrid",
                "opens_at": "2030-10-01T09:00",
                "closes_at": "2031-01-31T18:00",
            }
        ),
    ),
    "GET /secretariat/calls/{call_id:int}/edit": Row(
        "/secretariat/calls/{open_call}/edit", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/{call_id:int}/edit": Row(
        "/secretariat/calls/{open_call}/edit",
        SECRETARIAT,
        page=True,
        status=409,
        send=at_version(
            Call,
            "open_call",
            lambda v: {
                "data": {
                    "languages": ["en"],
                    "title.en": "Award",
                    "timezone": "UTC",
                    "opens_at": "2025-01-01T00:00",
                    "closes_at": "2026-01-01T00:00",
                    "version": str(v),
                }
            },
        ),
    ),
    # An open call's deadline moved, once confirmed; a person erased from their page.
    "GET /secretariat/calls/{call_id:int}/dates": Row(
        "/secretariat/calls/{open_call}/dates", SECRETARIAT, page=True
    ),
    "GET /secretariat/calls/{call_id:int}/dates/confirm": Row(
        "/secretariat/calls/{open_call}/dates/confirm?closes_at=2099-01-31T18:00",
        SECRETARIAT,
        page=True,
    ),
    "POST /secretariat/calls/{call_id:int}/dates": Row(
        "/secretariat/calls/{open_call}/dates",
        SECRETARIAT,
        page=True,
        send=at_version(
            Call,
            "open_call",
            lambda v: {"data": {"closes_at": "2099-01-31T18:00", "version": str(v)}},
        ),
    ),
    "GET /secretariat/people/{user_id:int}/erasure": Row(
        "/secretariat/people/{former}/erasure", SECRETARIAT, page=True
    ),
    "POST /secretariat/people/{user_id:int}/erasure": Row(
        "/secretariat/people/{former}/erasure", SECRETARIAT, page=True
    ),
    "GET /secretariat/mail": Row("/secretariat/mail", SECRETARIAT, page=True),
    "POST /secretariat/mail/{mail_id:int}/resend": Row(
        "/secretariat/mail/{dead_mail}/resend", SECRETARIAT, page=True
    ),
    "GET /secretariat/organisations": Row("/secretariat/organisations", SECRETARIAT, page=True),
    "GET /secretariat/organisations/{slug:str}": Row(
        "/secretariat/organisations/barcelona", SECRETARIAT, page=True
    ),
    "POST /secretariat/organisations/{slug:str}": Row(
        "/secretariat/organisations/barcelona",
        SECRETARIAT,
        page=True,
        send=sends(data=BARCELONA | {"region": "Southern Europe"}),
    ),
    # A laureate's commitments: the applicant signs and reports, the Secretariat decides on
    # them, pays and follows them (the agreement signed before its instalment is paid).
    "GET /api/v1/submissions/{submission_id:int}/commitments": Row(
        "/api/v1/submissions/{prize_laureate}/commitments", OWNER_AND_SECRETARIAT
    ),
    "POST /api/v1/submissions/{submission_id:int}/commitments/agreement": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/agreement", APPLICANT
    ),
    # The prize's agreement is accepted on the page: an upload is refused (422) and there is
    # no signed copy to read (404), once the caller is allowed that far.
    "POST /api/v1/submissions/{submission_id:int}/commitments/agreement/signed": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/agreement/signed",
        APPLICANT,
        send=sends(files={"file": ("agreement.pdf", small_pdf())}),
        status=422,
    ),
    "GET /api/v1/submissions/{submission_id:int}/commitments/agreement/signed": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/agreement/signed",
        OWNER_AND_SECRETARIAT,
        status=404,
    ),
    "POST /api/v1/submissions/{submission_id:int}/commitments/payments": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/payments",
        SECRETARIAT,
        send=paid_today("first", "18000.00"),
    ),
    "PUT /api/v1/submissions/{submission_id:int}/commitments/reports/{name:str}": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/reports/interim",
        APPLICANT,
        send=sends(
            json={
                "answers": {"progress": "Forty women trained."},
                "indicators": {"women_reached": "40", "grant_spent": "20"},
                "version": 1,
            }
        ),
    ),
    "POST /api/v1/submissions/{submission_id:int}/commitments/reports/{name:str}/accept": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/reports/interim/accept", SECRETARIAT
    ),
    "POST /api/v1/submissions/{submission_id:int}/commitments/reports/{name:str}/return": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/reports/final/return",
        SECRETARIAT,
        send=sends(json={"reason": "Give the figures per district."}),
    ),
    "POST /api/v1/submissions/{submission_id:int}/commitments/{name:str}/due-date": Row(
        "/api/v1/submissions/{prize_laureate}/commitments/final/due-date",
        SECRETARIAT,
        send=sends(json={"due_on": "2030-01-31", "reason": "The council meets in January."}),
    ),
    "GET /api/v1/calls/{call_id:int}/commitments": Row(
        "/api/v1/calls/{prize_call}/commitments", SECRETARIAT
    ),
    "GET /api/v1/calls/{call_id:int}/payments.csv": Row(
        "/api/v1/calls/{prize_call}/payments.csv", SECRETARIAT
    ),
    # Their pages, on the same laureate: the final report returned above is sent again,
    # its due date moved and accepted; the second instalment follows the interim report.
    "GET /my/submissions/{submission_id:int}/commitments": Row(
        "/my/submissions/{prize_laureate}/commitments", APPLICANT, page=True
    ),
    "GET /my/submissions/{submission_id:int}/commitments/agreement/blank": Row(
        "/my/submissions/{prize_laureate}/commitments/agreement/blank", APPLICANT, page=True
    ),
    "POST /my/submissions/{submission_id:int}/commitments/agreement": Row(
        "/my/submissions/{prize_laureate}/commitments/agreement",
        APPLICANT,
        page=True,
        status=409,  # signed through the API above
    ),
    "POST /my/submissions/{submission_id:int}/commitments/reports/{name:str}": Row(
        "/my/submissions/{prize_laureate}/commitments/reports/final",
        APPLICANT,
        page=True,
        send=report_form("final", {"answer.results": "Done.", "answer.scaling": "Four towns."}),
    ),
    "GET /secretariat/calls/{call_id:int}/commitments": Row(
        "/secretariat/calls/{prize_call}/commitments", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/{call_id:int}/commitments/{submission_id:int}/due-dates/{name:str}": Row(
        "/secretariat/calls/{prize_call}/commitments/{prize_laureate}/due-dates/final",
        SECRETARIAT,
        page=True,
        send=sends(data={"due_on": "2030-02-28", "reason": "The board meets in February."}),
    ),
    "POST /secretariat/calls/{call_id:int}/commitments/{submission_id:int}/reports/{name:str}": Row(
        "/secretariat/calls/{prize_call}/commitments/{prize_laureate}/reports/final",
        SECRETARIAT,
        page=True,
        send=sends(data={"decision": "accept"}),
    ),
    "POST /secretariat/calls/{call_id:int}/commitments/{submission_id:int}/payments": Row(
        "/secretariat/calls/{prize_call}/commitments/{prize_laureate}/payments",
        SECRETARIAT,
        page=True,
        send=paid_today("second", "12000.00", form=True),
    ),
    # Accounts: invitations (each role follows a link of its own: each is single use) and
    # a person's own data.
    "POST /api/v1/invitations": Row(
        "/api/v1/invitations",
        SECRETARIAT,
        send=sends(
            json={"email": "new@lisboa.test", "role": "applicant", "organisation": "lisboa"}
        ),
    ),
    "GET /api/v1/invitations/{token:str}": Row("/api/v1/invitations/{invitation}", ANYONE),
    "GET /invitations/{token:str}": Row("/invitations/{invitation}", ANYONE, page=True),
    "POST /invitations/{token:str}": Row("/invitations/{invitation}", ANYONE, page=True),
    "GET /api/v1/me/export": Row("/api/v1/me/export", SIGNED_IN),
    # Last: once the round is closed, its reviews and assignments no longer change.
    "POST /api/v1/calls/{call_id:int}/rounds/{round_name:str}/close": Row(
        "/api/v1/calls/{award}/rounds/preselection/close", SECRETARIAT
    ),
    # Then the Secretariat reopens it until a new deadline; the juror's review of their
    # candidacy, a draft, is not final: reopening it is refused (409) once allowed that far.
    "POST /api/v1/calls/{call_id:int}/rounds/{round_name:str}/reopen": Row(
        "/api/v1/calls/{award}/rounds/preselection/reopen", SECRETARIAT, send=reopened_until()
    ),
    "GET /secretariat/calls/{call_id:int}/rounds/{round_name:str}/reopen": Row(
        "/secretariat/calls/{award}/rounds/preselection/reopen", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/{call_id:int}/rounds/{round_name:str}/reopen": Row(
        "/secretariat/calls/{award}/rounds/preselection/reopen",
        SECRETARIAT,
        page=True,
        send=reopened_until(form=True),
    ),
    "POST /api/v1/calls/{call_id:int}/assignments/{assignment_id:int}/reopen": Row(
        "/api/v1/calls/{award}/assignments/{juror_assignment}/reopen",
        SECRETARIAT,
        send=sends(json={"reason": "Look again"}),
        status=409,
    ),
    "GET /secretariat/calls/{call_id:int}/assignments/{assignment_id:int}/reopen": Row(
        "/secretariat/calls/{award}/assignments/{juror_assignment}/reopen", SECRETARIAT, page=True
    ),
    "POST /secretariat/calls/{call_id:int}/assignments/{assignment_id:int}/reopen": Row(
        "/secretariat/calls/{award}/assignments/{juror_assignment}/reopen",
        SECRETARIAT,
        page=True,
        send=sends(data={"reason": "Look again"}),
        status=409,
    ),
    # Then the people leave: the Secretariat takes one out of Lisboa and erases them, and
    # each signed-in role erases itself (its token is revoked with it).
    "POST /api/v1/revocations": Row(
        "/api/v1/revocations",
        SECRETARIAT,
        send=sends(json={"email": LEAVER_EMAIL, "organisation": "lisboa"}),
    ),
    "POST /api/v1/erasures": Row(
        "/api/v1/erasures", SECRETARIAT, send=sends(json={"email": LEAVER_EMAIL})
    ),
    "POST /api/v1/me/erasure": Row("/api/v1/me/erasure", SIGNED_IN, send=own_confirmation),
}


async def csrf_token(client: Client) -> str:
    """The token a browser's form carries: a visitor without a token is one, and the page
    forms refuse it anything without (403)."""
    if CSRF_COOKIE not in client.cookies:
        await client.get("/login")
    return str(client.cookies[CSRF_COOKIE])


def expected(row: Row, method: str, role: str) -> str:
    """What `role` should get from `row`: "2xx/3xx" or an exact status."""
    if role in row.allowed:
        return str(row.status) if row.status else "success"
    if role == "anonymous":
        return "302" if row.page and method == "GET" else "401"
    return "404" if role in row.hidden else "403"


def got(status: int) -> str:
    return "success" if 200 <= status < 400 else str(status)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # reads no data
async def test_every_route_of_the_app_has_a_row_in_the_matrix(client: Client) -> None:
    routes = set(routes_of(client.app))

    undeclared = sorted(routes - MATRIX.keys())
    assert not undeclared, (
        f"routes without a row in tests/reliability/test_authorization.py MATRIX: {undeclared}; "
        "add one saying which roles may call each (API.md)"
    )
    assert sorted(MATRIX.keys() - routes) == []


async def test_each_role_gets_only_what_the_matrix_allows(
    client: Client, runtime: Runtime, world: World
) -> None:
    fields = asdict(world)
    wrong = []
    for route, row in MATRIX.items():
        method = route.split(" ")[0]
        # The refusals first, so the allowed roles act on the data as it was made.
        for role in sorted(ROLES, key=lambda role: role in row.allowed):
            url = row.url.format(**fields, invitation=world.invitations[role])
            headers = dict(world.headers[role])
            if row.page and method != "GET" and role == "anonymous":
                token = await csrf_token(client)
                # Sent by hand: the cookie is `Secure` and the test client speaks http.
                headers |= {CSRF_HEADER: token, "cookie": f"{CSRF_COOKIE}={token}"}
            response = await client.request(
                method,
                url,
                headers=headers,
                follow_redirects=False,
                **await row.send(world, runtime, role),
            )
            want = expected(row, method, role)
            if got(response.status_code) != want and str(response.status_code) != want:
                wrong.append(
                    f"{route} as {role}: {response.status_code}, not {want}: {response.text[:160]!r}"
                )
    assert not wrong, "\n".join(wrong)
