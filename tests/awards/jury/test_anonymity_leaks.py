"""Invariant 4, tried for real: 100 applicants with distinctive names go through an anonymised
round, and nothing a juror can read (API responses, documents, e-mails) names one of them."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlmodel import col

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.db.tables import OutboxMessage
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.members.register import Member, upsert_members
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, chunks_of
from harness.seeding import complete_answers

APPLICANTS = 100
SYLLABLES = ("vor", "kel", "zan", "thu", "mir", "quo", "bex", "dra", "lyn", "osk")
JURORS = ("ana@jury.test", "ben@jury.test", "chloe@jury.test")


def word(n: int, *, offset: int) -> str:
    """A made-up word no text would contain by chance: `Vorkelzan`..."""
    a, b, c = (n + offset) % 10, (n // 10 + offset) % 10, (n // 100 + offset + 3) % 10
    return (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c]).capitalize()


@dataclass(frozen=True)
class Identity:
    city: str
    person: str
    email: str
    phone: str

    @property
    def secrets(self) -> tuple[str, ...]:
        surname = self.person.split()[-1]
        return (self.city, surname, self.email, self.email.split("@")[1], self.phone)


def identities() -> list[Identity]:
    people = []
    for n in range(APPLICANTS):
        city, surname = word(n, offset=0), word(n, offset=5)
        people.append(
            Identity(
                city=f"{city}",
                person=f"Maëlle {surname}",
                email=f"m.{surname.lower()}@{city.lower()}-ajuntament.test",
                phone=f"+34 93 {400 + n:03d} {n % 100:02d} {(n * 7) % 100:02d}",
            )
        )
    return people


def leaky_answers(who: Identity) -> dict[str, object]:
    """Answers that say who applied in every way an applicant does."""
    answers = complete_answers()
    story = (
        f"{who.city} City Council launched it in 2021. Ask {who.person} ({who.email}, "
        f"{who.phone}) or see https://www.{who.city.lower()}.test/schools. The mayor of "
        f"{who.city.upper()} thanks {who.person.split()[-1]}'s team."
    )
    answers["description"] = {language: story for language in ("en", "fr", "es", "pt")}
    answers["contact_name"] = who.person
    answers["contact_email"] = who.email
    answers["website"] = f"https://{who.city.lower()}.test"
    return answers


def pdf_by(who: Identity) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {"/Author": who.person, "/Title": f"{who.city} candidacy", "/Producer": f"{who.city} IT"}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


def leaks(texts: Iterable[str], people: list[Identity]) -> list[tuple[str, str]]:
    """(secret, where) for every secret of any applicant found in any text."""
    found = []
    for text in texts:
        folded = fold(text)
        for who in people:
            for secret in who.secrets:
                if fold(secret) in folded:
                    found.append((secret, text[:80]))
    return found


def pdf_texts(data: bytes) -> list[str]:
    """The raw bytes and everything pypdf reads back: metadata, XMP, page text."""
    reader = PdfReader(io.BytesIO(data))
    texts = [data.decode("latin-1"), str(reader.metadata or {})]
    if reader.xmp_metadata is not None:
        texts.append(str(reader.xmp_metadata.rdf_root.toxml()))
    texts.extend(page.extract_text() for page in reader.pages)
    return texts


async def anonymised_round(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, call_id: int
) -> tuple[list[Identity], dict[str, str]]:
    """100 candidacies in review with documents, three jurors assigned; their tokens."""
    people = identities()
    staff = tokens.actors["secretariat"]
    await upsert_members(
        runtime.db, [Member(who.city, "ES", "Europe", "IAEC", 2000, True) for who in people]
    )
    service = SubmissionService(runtime)
    uploads = AttachmentService(runtime)
    for who in people:
        user = await add_user(
            runtime.db,
            who.email,
            role="applicant",
            organisation=who.city.lower(),
            name=who.person,
            now=clock(),
        )
        actor = Actor.of(user)
        submission = await service.create(call_id, leaky_answers(who), actor=actor)
        assert submission.id is not None
        await uploads.upload(
            submission.id, "annex", chunks_of(pdf_by(who)), f"{who.city}.pdf", actor=actor
        )
        await uploads.upload(
            submission.id,
            "support_letter",
            chunks_of(pdf_by(who)),
            f"{who.city} letter.pdf",
            actor=actor,
        )
        await service.fire(submission.id, "submit", actor=actor)
        await service.fire(submission.id, "mark_eligible", actor=staff)
    calls = CallService(runtime)
    for step in ("close", "start_review"):
        await calls.fire(call_id, step, actor=staff)
    headers = {}
    for email in JURORS:
        await add_user(runtime.db, email, role="juror", name=email.split("@")[0], now=clock())
        headers[email] = f"Bearer {await issue_token(runtime.db, email, now=clock())}"
    for submission_id in range(1, APPLICANTS + 1):
        await service.fire(submission_id, "start_review", actor=staff)
    await set_panel(runtime, call_id, jurors=list(JURORS), president=JURORS[0], actor=staff)
    await assign_round(runtime, call_id, round_name=None, actor=staff)
    return people, headers


async def jury_channels(
    client: Client, runtime: Runtime, headers: dict[str, str], call_id: int
) -> list[str]:
    """Everything the jury can read: each endpoint, each document, each e-mail to a juror."""
    texts: list[str] = []
    for token in headers.values():
        auth = {"Authorization": token}
        listing = await client.get("/api/v1/jury/assignments", headers=auth)
        texts.append(listing.text)
        for item in listing.json():
            path = f"/api/v1/jury/assignments/{item['id']}"
            dossier = await client.get(path, headers=auth)
            assert dossier.status_code == 200, dossier.text
            texts.append(dossier.text)
            annex = dossier.json()["answers"]["annex"]
            document = await client.get(
                f"{path}/attachments/{annex['attachment_id']}", headers=auth
            )
            assert document.status_code == 200, document.text
            texts.append(document.headers["content-disposition"])
            texts.extend(pdf_texts(document.content))
            review = await client.put(
                f"{path}/review",
                json={"scores": {"impact": 7}, "comment": "clear", "final": False},
                headers=auth,
            )
            texts.append(review.text)
        texts.append((await client.get(f"/api/v1/calls/{call_id}/ranking", headers=auth)).text)
    async with runtime.db.read() as session:
        mails = await session.scalars(
            select(OutboxMessage).where(col(OutboxMessage.recipient).in_(JURORS))
        )
        texts.extend(m.subject + m.body_text + m.body_html for m in mails)
    return texts


async def test_no_jury_facing_response_document_or_mail_names_an_applicant(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    people, headers = await anonymised_round(runtime, clock, tokens, open_award)

    texts = await jury_channels(client, runtime, headers, open_award)

    assert len(texts) > 3 * APPLICANTS * 3
    assert leaks(texts, people) == []


def test_the_scanner_finds_an_identity_where_one_is() -> None:
    """Guards the test above: what the Secretariat reads does name the applicant."""
    people = identities()[:1]
    who = people[0]

    found = leaks([str(leaky_answers(who)), *pdf_texts(pdf_by(who))], people)

    assert {secret for secret, _ in found} == set(who.secrets)
