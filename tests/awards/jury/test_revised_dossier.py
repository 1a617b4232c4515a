"""A candidacy returned for revision and resubmitted reaches the jury as its latest version
only, anonymised like any other (the leak scan of invariant 4)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from test_anonymity_leaks import (
    JURORS,
    KINDS,
    Identity,
    identities,
    jury_channels,
    leaks,
    leaky_answers,
    pdf_by,
)

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.members.register import Member, upsert_members
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, chunks_of
from harness.seeding import AWARD

FIRST, REVISED = "Impact of the first version", "Impact measured again in 2025"


def revised_pdf(who: Identity) -> bytes:
    """Another annex by the same applicant, named in its metadata like the first."""
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    writer.add_metadata({"/Author": who.person, "/Title": f"{who.city} revised budget"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_a_juror_reads_only_the_latest_version_of_a_revised_candidacy_anonymised(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    (who,) = identities(1)
    staff = tokens.actors["secretariat"]
    await upsert_members(runtime.db, [Member(who.city, "ES", "Europe", "IAEC", 2000, True)])
    user = await add_user(
        runtime.db,
        who.email,
        role="applicant",
        organisation=who.city.lower(),
        name=who.person,
        now=clock(),
    )
    city = Actor.of(user)
    service = SubmissionService(runtime)
    uploads = AttachmentService(runtime)
    answers = leaky_answers(KINDS[AWARD], who)
    answers["impact"] = {language: FIRST for language in ("en", "fr", "es", "pt")}
    created = await service.create(open_award, answers, actor=city)
    assert created.id is not None
    first = await uploads.upload(
        created.id, "annex", chunks_of(pdf_by(who)), f"{who.city}.pdf", actor=city
    )
    await service.fire(created.id, "submit", actor=city)
    await service.fire(
        created.id,
        "return_for_revision",
        actor=staff,
        reason="Measure the impact again",
        inputs={"revise_by": "2025-09-20"},
    )
    current = await service.get(created.id, actor=city)
    await service.edit(
        created.id,
        {"impact": {language: REVISED for language in ("en", "fr", "es", "pt")}},
        version=current.version,
        actor=city,
    )
    second = await uploads.upload(
        created.id, "annex", chunks_of(revised_pdf(who)), f"{who.city} v2.pdf", actor=city
    )
    await service.fire(created.id, "resubmit", actor=city)
    await service.fire(created.id, "mark_eligible", actor=staff)
    calls = CallService(runtime)
    for step in ("close", "start_review"):
        await calls.fire(open_award, step, actor=staff)
    await service.fire(created.id, "start_review", actor=staff)
    headers = {}
    for email in JURORS:
        await add_user(runtime.db, email, role="juror", name=email.split("@")[0], now=clock())
        headers[email] = f"Bearer {await issue_token(runtime.db, email, now=clock())}"
    await set_panel(runtime, open_award, jurors=list(JURORS), president=JURORS[0], actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    auth = {"Authorization": headers[JURORS[1]]}
    (assignment,) = (await client.get("/api/v1/jury/assignments", headers=auth)).json()
    path = f"/api/v1/jury/assignments/{assignment['id']}"

    dossier = (await client.get(path, headers=auth)).json()
    served = await client.get(f"{path}/documents/annex", headers=auth)
    texts, _ = await jury_channels(client, runtime, headers, open_award, KINDS[AWARD])

    assert dossier["answers"]["impact"]["en"] == REVISED
    assert FIRST not in str(dossier)
    assert dossier["answers"]["annex"]["size"] == second.attachment.size != first.attachment.size
    assert served.status_code == 200, served.text
    assert PdfReader(io.BytesIO(served.content)).pages[0].mediabox.width == 300  # the second
    assert not any(FIRST in text for text in texts)
    assert leaks(texts, [who]) == []
