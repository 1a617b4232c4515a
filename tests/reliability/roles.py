"""Everyone the security suite tries, a world with something of each of them in it, and
the routes they try.

The seven callers of issue #9 (anonymous, an applicant of another city, the applicant, a juror
of another call, the juror, the jury president, the Secretariat), each with a bearer token,
and real data made through the services: an award under review with its panel and
assignments, a second call under review with its own juror, an open call holding the
applicant's draft, documents on both, a published call whose laureate's entry holds a
document, a good practice, an e-mail and a webhook delivery given up on, an invitation for
each role and a person to take out of an organisation and erase.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

from litestar import Litestar
from pypdf import PdfWriter
from sqlalchemy import func, select, update
from sqlmodel import col

from awards.auth.invitations import InvitedRole, NewInvitation, invite
from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.commitments.obligations import send_report
from awards.databank.practices import PracticeIn
from awards.databank.service import DatabankService
from awards.databank.webhook_queue import EntryEvent, queue_delivery
from awards.db.tables import Assignment, DatabankEntry, OutboxMessage, Submission
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.notify.outbox import MailStatus
from awards.notify.seals import unseal
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, candidacies_in_review, chunks_of, draft
from harness.seeding import AWARD_TITLE

ROLES = (
    "anonymous",
    "other_applicant",
    "applicant",
    "other_juror",
    "juror",
    "president",
    "secretariat",
)
PRESIDENT_EMAIL = "chair@jury.test"
OTHER_JUROR_EMAIL = "juror@other-jury.test"
LEAVER_EMAIL = "deputy@lisboa.test"
"""An applicant of Lisboa besides its mayor, for the Secretariat to revoke and erase."""
FORMER_EMAIL = "former@lisboa.test"
"""Another applicant of Lisboa, for the Secretariat to erase from its page."""
CONSENT = ["summary", "contact", "documents"]
INVITATION_LINK = re.compile(r"/invitations/([\w-]+)")


@dataclass(frozen=True)
class World:
    """Ids of the data every role is tried on, and each role's request headers."""

    headers: Mapping[str, Mapping[str, str]]
    emails: Mapping[str, str]
    """Each signed-in role's address."""
    invitations: Mapping[str, str]
    """A link of each role's own to accept (single use): to be an applicant of Lisboa."""
    panel_invitation: int
    account_invitation: int
    """Invitations waiting to be accepted: to `award`'s panel, and to act for Lisboa."""
    open_call: int
    """Open, with the applicant's `draft` (and its `draft_annex`) and two more drafts the
    applicant may withdraw, `spare_draft` and `last_draft`."""
    draft: int
    draft_annex: int
    spare_draft: int
    last_draft: int
    award: int
    """Deciding: the applicant's `in_review` and `second_in_review`, the other city's
    `their_candidacy` (with its `their_annex`), each assigned to the juror and the president
    of its panel."""
    in_review: int
    second_in_review: int
    their_candidacy: int
    their_pseudonym: str
    """What the president calls `their_candidacy`."""
    their_annex: int
    juror_assignment: int
    """The juror's assignment of `their_candidacy`."""
    spare_assignment: int
    last_assignment: int
    """The juror's assignments of `in_review` and `second_in_review`, which a declared
    conflict may withdraw."""
    declinable_assignment: int
    page_declinable_assignment: int
    """The juror's assignments of the other city's second candidacy and of City 1's, which
    declining (over the API, on the page) withdraws."""
    other_call: int
    """Reviewing, with only the other juror on its panel."""
    entry: int
    """A published good practice."""
    published_call: int
    """Published, with the applicant's laureate in the databank as `laureate_entry`,
    which publishes its annex as document 1."""
    laureate_entry: int
    dead_mail: int
    """An e-mail the outbox gave up on."""
    dead_delivery: int
    """A webhook delivery of `entry` given up on."""
    prize_call: int
    """An equality prize decided, with the applicant's `prize_laureate`: its agreement due,
    its final report sent."""
    prize_laureate: int
    host_vote: int
    """Host bids deciding, `bid` (Barcelona's) before its Executive Committee, which votes:
    the juror and the president, who chairs it."""
    bid: int
    programme: int
    """Congress experiences deciding, `experience` (Barcelona's) before its Scientific
    Committee, which selects: the juror and the president, who chairs it."""
    experience: int
    former: int
    """The user of `FORMER_EMAIL`."""


def routes_of(app: Litestar) -> Iterator[str]:
    """`METHOD /path` of every handler in the app's route table (Litestar's own OPTIONS
    answers aside)."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(getattr(handler, "http_methods", ())):
                if method != "OPTIONS":
                    yield f"{method} {route.path}"


def small_pdf() -> bytes:
    """A one-page PDF pypdf can read and clean."""
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def upload_annex(runtime: Runtime, submission: int, actor: Actor) -> int:
    """The id of a PDF uploaded as the `annex` of the draft `submission`."""

    service = AttachmentService(runtime)
    uploaded = await service.upload(
        submission, "annex", chunks_of(small_pdf()), "annex.pdf", actor=actor
    )
    assert uploaded.attachment.id is not None
    return uploaded.attachment.id


async def build_world(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_call: int
) -> World:
    staff = tokens.actors["secretariat"]
    headers = {
        "anonymous": tokens.anonymous,
        "other_applicant": tokens.other_applicant,
        "applicant": tokens.owner,
        "juror": tokens.juror,
        "secretariat": tokens.secretariat,
    }
    for role, email in (("president", PRESIDENT_EMAIL), ("other_juror", OTHER_JUROR_EMAIL)):
        await add_user(runtime.db, email, role="juror", now=clock())
        headers[role] = {
            "Authorization": f"Bearer {await issue_token(runtime.db, email, now=clock())}"
        }

    barcelona = tokens.actors["owner"]
    drafts = [await draft(runtime, open_call, barcelona) for _ in range(3)]
    draft_annex = await upload_annex(runtime, drafts[0], barcelona)

    award = await _open_call(runtime, clock, staff, edition="2024")
    lisboa = tokens.actors["other_applicant"]
    their_candidacy = await draft(runtime, award, lisboa)
    their_annex = await upload_annex(runtime, their_candidacy, lisboa)
    their_second = await draft(runtime, award, lisboa)
    submissions = SubmissionService(runtime)
    for candidacy in (their_candidacy, their_second):
        for step, actor in (("submit", lisboa), ("mark_eligible", staff)):
            await submissions.fire(candidacy, step, actor=actor)
    reviewed = await candidacies_in_review(runtime, clock, tokens, award, cities=1)
    in_review = reviewed["barcelona"]
    for candidacy in (their_candidacy, their_second):
        await submissions.fire(candidacy, "start_review", actor=staff)
    await _jury(runtime, award, ["juror@jury.test", PRESIDENT_EMAIL], PRESIDENT_EMAIL, staff)
    await CallService(runtime).fire(award, "deliberate", actor=staff)

    other_call = await _open_call(runtime, clock, staff, edition="2022")
    await candidacies_in_review(runtime, clock, tokens, other_call, cities=0)
    await _jury(runtime, other_call, [OTHER_JUROR_EMAIL], None, staff)

    juror_id = tokens.actors["juror"].id
    async with runtime.db.write() as session:
        assignments = {
            row.submission_id: row.id or 0
            for row in await session.scalars(
                select(Assignment).where(col(Assignment.juror_id) == juror_id)
            )
        }
        dead_mail = await session.scalar(select(func.min(col(OutboxMessage.id))))
        await session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == dead_mail)
            .values(status=MailStatus.DEAD)
        )
        await session.flush()
    assert dead_mail is not None
    entry = await DatabankService(runtime).add_practice(
        PracticeIn(
            title={"en": "Open schoolyards"}, organisation="Barcelona", country="ES", year=2024
        ),
        actor=staff,
    )
    published_call, laureate_entry = await _published_laureate(runtime, clock, tokens)
    await add_user(runtime.db, LEAVER_EMAIL, role="applicant", organisation="lisboa", now=clock())
    former = await add_user(
        runtime.db, FORMER_EMAIL, role="applicant", organisation="lisboa", now=clock()
    )
    emails = {
        role: tokens.actors[who].email
        for role, who in (
            ("other_applicant", "other_applicant"),
            ("applicant", "owner"),
            ("juror", "juror"),
            ("secretariat", "secretariat"),
        )
    } | {"president": PRESIDENT_EMAIL, "other_juror": OTHER_JUROR_EMAIL}
    host_vote, bid = await _before_a_body(runtime, clock, tokens, "congress-host-bid")
    programme, experience = await _before_a_body(runtime, clock, tokens, "congress-experiences")
    return World(
        headers=headers,
        emails=emails,
        invitations={role: await _invitation(runtime, role, staff) for role in ROLES},
        panel_invitation=await _waiting(
            runtime, NewInvitation("waiting@jury.test", InvitedRole.JUROR, call_id=award), staff
        ),
        account_invitation=await _waiting(
            runtime,
            NewInvitation("waiting@lisboa.test", InvitedRole.APPLICANT, organisation="lisboa"),
            staff,
        ),
        open_call=open_call,
        draft=drafts[0],
        draft_annex=draft_annex,
        spare_draft=drafts[1],
        last_draft=drafts[2],
        award=award,
        in_review=in_review[0],
        second_in_review=in_review[1],
        their_candidacy=their_candidacy,
        their_pseudonym=(await submissions.get(their_candidacy, actor=staff)).pseudonym,
        their_annex=their_annex,
        juror_assignment=assignments[their_candidacy],
        spare_assignment=assignments[in_review[0]],
        last_assignment=assignments[in_review[1]],
        declinable_assignment=assignments[their_second],
        page_declinable_assignment=assignments[reviewed["city-1"][0]],
        other_call=other_call,
        entry=entry.id,
        published_call=published_call,
        laureate_entry=laureate_entry,
        dead_mail=dead_mail,
        dead_delivery=await _dead_delivery(runtime, clock, entry.id),
        **await _prize_laureate(runtime, tokens),
        host_vote=host_vote,
        bid=bid,
        programme=programme,
        experience=experience,
        former=former.id or 0,
    )


async def _published_laureate(
    runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> tuple[int, int]:
    """A call taken to publication with the applicant's laureate, which consented to
    publish everything and has an annex: the call's id and the laureate's databank entry."""
    staff, barcelona = tokens.actors["secretariat"], tokens.actors["owner"]
    call = await _open_call(runtime, clock, staff, edition="2023")
    laureate = await draft(runtime, call, barcelona, publication_consent=CONSENT)
    await upload_annex(runtime, laureate, barcelona)
    submissions, calls = SubmissionService(runtime), CallService(runtime)
    steps: list[tuple[SubmissionService | CallService, int, str, Actor]] = [
        (submissions, laureate, "submit", barcelona),
        (submissions, laureate, "mark_eligible", staff),
        (calls, call, "close", staff),
        (calls, call, "start_review", staff),
        (submissions, laureate, "start_review", staff),
        (calls, call, "deliberate", staff),
        (submissions, laureate, "award", staff),
        (calls, call, "publish", staff),
        (submissions, laureate, "publish", staff),
    ]
    for service, subject, trigger, actor in steps:
        await service.fire(subject, trigger, actor=actor)
    async with runtime.db.read() as session:
        entry = await session.scalar(
            select(col(DatabankEntry.id)).where(col(DatabankEntry.submission_id) == laureate)
        )
    assert entry is not None
    return call, entry


async def _prize_laureate(runtime: Runtime, tokens: Tokens) -> dict[str, int]:
    """The applicant's laureate of an equality prize, with commitments to follow."""
    staff, barcelona = tokens.actors["secretariat"], tokens.actors["owner"]
    now = runtime.clock()
    calls, submissions = CallService(runtime), SubmissionService(runtime)
    call = await calls.create(
        NewCall(
            kind="aimf-gender-equality-prize",
            edition="2025",
            title={"fr": "Prix Égalité 2025", "en": "Equality Prize 2025"},
            opens_at=now,
            closes_at=now + timedelta(days=30),
            timezone="Europe/Paris",
            languages=["fr", "en"],
            settings={},
        ),
        actor=staff,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=staff)
    laureate = await submissions.create(call.id, PRIZE_CANDIDACY, actor=barcelona)
    assert laureate.id is not None
    steps: list[tuple[SubmissionService | CallService, int, str, Actor]] = [
        (submissions, laureate.id, "submit", barcelona),
        (submissions, laureate.id, "mark_eligible", staff),
        (calls, call.id, "close", staff),
        (calls, call.id, "start_review", staff),
        (submissions, laureate.id, "start_review", staff),
        (calls, call.id, "deliberate", staff),
        (submissions, laureate.id, "award", staff),
    ]
    for service, subject, trigger, actor in steps:
        await service.fire(subject, trigger, actor=actor)
    await send_report(
        runtime,
        laureate.id,
        "final",
        answers={"results": "Done.", "scaling": "Two more towns."},
        indicators={"women_reached": "900", "grant_spent": "100"},
        version=1,
        actor=barcelona,
    )
    return {"prize_call": call.id, "prize_laureate": laureate.id}


PRIZE_CANDIDACY = {
    "category": "local_authorities",
    "project_title": "Women in the city",
    "summary": "A project run with the women it serves.",
    "equality_objectives": "Equal access to decision-making.",
    "beneficiaries": "2,000 women and girls.",
    "budget_forecast": {"amount": "52000", "currency": "EUR"},
    "budget_use": "Training, equipment, evaluation.",
    "scaling_plan": "Three more districts in year two.",
    "contact_name": "Ada Serra",
    "contact_email": "ada@barcelona.test",
}


async def _invitation(runtime: Runtime, role: str, staff: Actor) -> str:
    """The link token of a new invitation to be an applicant of Lisboa, read from its mail."""
    email = f"{role}@invited.test"
    await invite(
        runtime,
        NewInvitation(email=email, role=InvitedRole.APPLICANT, organisation="lisboa"),
        actor=staff,
    )
    async with runtime.db.read() as session:
        body = await session.scalar(
            select(col(OutboxMessage.body_text)).where(col(OutboxMessage.recipient) == email)
        )
    found = INVITATION_LINK.search(unseal(body or "", secret_key=runtime.settings.secret_key))
    assert found, body
    return found.group(1)


async def _waiting(runtime: Runtime, new: NewInvitation, staff: Actor) -> int:
    """The id of a new invitation nobody accepts."""
    invitation = await invite(runtime, new, actor=staff)
    assert invitation.id is not None
    return invitation.id


async def _dead_delivery(runtime: Runtime, clock: MovableClock, entry_id: int) -> int:
    """A push of entry `entry_id` to the external databank that was given up on."""
    async with runtime.db.write() as session:
        entry = await session.get(DatabankEntry, entry_id)
        assert entry is not None
        delivery = queue_delivery(session, entry, EntryEvent.PUBLISHED, now=clock())
        delivery.status = MailStatus.DEAD
        await session.flush()
    assert delivery.id is not None
    return delivery.id


async def _open_call(runtime: Runtime, clock: MovableClock, staff: Actor, *, edition: str) -> int:
    calls = CallService(runtime)
    call = await calls.create(
        NewCall(
            kind="educating-cities-award",
            edition=edition,
            title=AWARD_TITLE,
            opens_at=clock(),
            closes_at=clock() + timedelta(days=30),
            timezone="Europe/Madrid",
            languages=["en", "fr", "es", "pt"],
        ),
        actor=staff,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=staff)
    return call.id


async def _before_a_body(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, kind: str
) -> tuple[int, int]:
    """A call of `kind` deciding, with a candidacy of Barcelona's put in review directly (the
    matrix needs one before the body, not the way it got there), and the juror and the
    president on its body."""
    staff, calls = tokens.actors["secretariat"], CallService(runtime)
    call = await calls.create(
        NewCall(
            kind=kind,
            edition="2030",
            title={"en": "Host 2030", "fr": "Hôte 2030", "es": "Sede 2030", "pt": "Sede 2030"},
            opens_at=clock(),
            closes_at=clock() + timedelta(days=30),
            timezone="Europe/Madrid",
            languages=["en", "fr", "es", "pt"],
        ),
        actor=staff,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=staff)
    candidacy = await SubmissionService(runtime).create(call.id, {}, actor=tokens.actors["owner"])
    async with runtime.db.write() as session:
        await session.execute(
            update(Submission).where(col(Submission.id) == candidacy.id).values(state="in_review")
        )
    for trigger in ("close", "start_review", "deliberate"):
        await calls.fire(call.id, trigger, actor=staff)
    await set_panel(
        runtime, call.id, jurors=["juror@jury.test"], president=PRESIDENT_EMAIL, actor=staff
    )
    return call.id, candidacy.id or 0


async def _jury(
    runtime: Runtime, call: int, jurors: list[str], president: str | None, staff: Actor
) -> None:
    await set_panel(runtime, call, jurors=jurors, president=president, actor=staff)
    await assign_round(runtime, call, round_name=None, actor=staff)
