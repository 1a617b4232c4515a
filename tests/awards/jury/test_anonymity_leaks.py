"""Invariant 4, tried for real: for every call kind whose file says `anonymised: true`,
applicants with distinctive names go through an anonymised round, and nothing a juror can
read (API responses, documents, e-mails) names one of them."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from edition_steps import before_the_body, file, open_call
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import Link, Text
from pypdf.generic import NameObject, TextStringObject
from sqlalchemy import select
from sqlmodel import col
from test_pdf_metadata import texts_in

from awards.assembly import load_kinds
from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.db.tables import OutboxMessage
from awards.jury.assignment import assign_round
from awards.kinds.forms import TEXT_TYPES, FieldType, FormField
from awards.kinds.kind import CallKind
from awards.members.register import Member, slugify, upsert_members
from awards.submissions.attachments import AttachmentService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import ROOT, Client, MovableClock, Tokens, chunks_of
from harness.seeding import AWARD

KINDS = load_kinds(ROOT / "config" / "calls")
ANONYMISED = sorted(slug for slug, kind in KINDS.items() if kind.anonymised)
SYLLABLES = ("vor", "kel", "zan", "thu", "mir", "quo", "bex", "dra", "lyn", "osk")
JURORS = ("ana@jury.test", "ben@jury.test", "chloe@jury.test")


def applicants(kind: CallKind) -> int:
    """The Award, the largest anonymised round, with 40 (names enough to collide: every city's
    redaction meets 39 others'); any other kind with 20 (CI time)."""
    return 40 if kind.slug == AWARD else 20


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


def identities(count: int) -> list[Identity]:
    people = []
    for n in range(count):
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


def story(who: Identity, *, max_words: int | None) -> str:
    """A text naming the applicant every way one does, shortened to fit a short field."""
    told = (
        f"{who.city} City Council launched it in 2021. Ask {who.person} ({who.email}, "
        f"{who.phone}) or see https://www.{who.city.lower()}.test/schools. The mayor of "
        f"{who.city.upper()} thanks {who.person.split()[-1]}'s team."
    )
    if max_words is not None and len(told.split()) > max_words:
        told = f"{who.person} of {who.city}, {who.email}, {who.phone}"
    return told


def leaky_answer(kind: CallKind, field: FormField, who: Identity) -> object:
    """A valid answer to `field` that says who applied wherever its type lets it."""
    if field.type in TEXT_TYPES:
        text = story(who, max_words=field.max_words)
        return {language: text for language in kind.languages} if field.multilingual else text
    return {
        FieldType.EMAIL: who.email,
        FieldType.URL: f"https://www.{who.city.lower()}.test",
        FieldType.CHOICE: field.options[0] if field.options else None,
        FieldType.MULTI_CHOICE: list(field.options[:1]),
        FieldType.DATE: "2022-09-01",
        FieldType.NUMBER: 30,
        FieldType.MONEY: {"amount": "25000.00", "currency": "EUR"},
        FieldType.ORGANISATION: slugify(who.city),
    }[field.type]


def leaky_answers(kind: CallKind, who: Identity) -> dict[str, object]:
    """Answers to every field of the kind's form but its files, which say who applied in
    every way an applicant does."""
    return {
        field.name: leaky_answer(kind, field, who)
        for field in kind.form.fields
        if field.type is not FieldType.FILE
    }


def pdf_by(who: Identity) -> bytes:
    """A page by `who`, who is named in its metadata and in each other part a PDF has: an
    attached file, a link, a note with its author and its name, a script run on opening."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {"/Author": who.person, "/Title": f"{who.city} candidacy", "/Producer": f"{who.city} IT"}
    )
    writer.add_attachment(f"{who.city}.txt", story(who, max_words=None))
    writer.add_annotation(
        0, Link(rect=(10, 10, 50, 50), url=f"https://www.{who.city.lower()}.test")
    )
    note = Text(rect=(60, 60, 80, 80), text="See the budget")
    note.update(
        {
            NameObject("/T"): TextStringObject(who.person),
            NameObject("/NM"): TextStringObject(who.email),
        }
    )
    writer.add_annotation(0, note)
    writer.add_open_action(JavaScript(f"app.alert('{who.phone}');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x110000) if unicodedata.combining(chr(c))) + "]"
)
"""Every combining mark, as one character class: a regex drops them from megabytes at once."""


def fold(text: str) -> str:
    """Case and accents folded: "Maëlle" is "maelle"."""
    return COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def leaks(texts: Iterable[str], people: list[Identity]) -> list[tuple[str, str]]:
    """(secret, where) for every secret of any applicant found in any text."""
    secrets = [(secret, fold(secret)) for who in people for secret in who.secrets]
    found = []
    for text in texts:
        folded = fold(text)
        found += [(secret, text[:80]) for secret, key in secrets if key in folded]
    return found


def pdf_texts(data: bytes) -> list[str]:
    """The raw bytes, every stream decoded and every string, and everything pypdf reads back:
    metadata, XMP, page text."""
    reader = PdfReader(io.BytesIO(data))
    texts = [texts_in(data).decode("latin-1"), str(reader.metadata or {})]
    if reader.xmp_metadata is not None:
        texts.append(str(reader.xmp_metadata.rdf_root.toxml()))
    texts.extend(page.extract_text() for page in reader.pages)
    return texts


def title(kind: CallKind) -> dict[str, str]:
    return {
        language: f"{kind.name.get(language, kind.name[kind.default_language])} 2026"
        for language in kind.languages
    }


async def anonymised_round(
    runtime: Runtime, clock: MovableClock, staff: Actor, kind: CallKind
) -> tuple[int, list[Identity], dict[str, str]]:
    """A call of `kind` in its body's hands: a candidacy of each made-up applicant, with a
    document by them in every file field, three jurors assigned; the call, the applicants and
    the jurors' tokens."""
    people = identities(applicants(kind))
    call_id = await open_call(
        runtime,
        staff,
        kind.slug,
        edition="2026",
        title=title(kind),
        opens_at=clock(),
        closes_at=clock() + timedelta(days=30),
        timezone="Europe/Madrid",
    )
    await upsert_members(
        runtime.db, [Member(who.city, "ES", "Europe", kind.network, 2000, True) for who in people]
    )
    uploads = AttachmentService(runtime)
    files = [field.name for field in kind.form.fields if field.type is FieldType.FILE]
    proposals = {}
    for who in people:
        user = await add_user(
            runtime.db,
            who.email,
            role="applicant",
            organisation=slugify(who.city),
            name=who.person,
            now=clock(),
        )
        actor = Actor.of(user)
        submission = await file(runtime, call_id, actor, leaky_answers(kind, who))
        for field in files:
            await uploads.upload(
                submission, field, chunks_of(pdf_by(who)), f"{who.city} {field}.pdf", actor=actor
            )
        proposals[submission] = actor
    await before_the_body(runtime, call_id, staff, proposals, panel=JURORS)
    await assign_round(runtime, call_id, round_name=None, actor=staff)
    headers = {
        email: f"Bearer {await issue_token(runtime.db, email, now=clock())}" for email in JURORS
    }
    return call_id, people, headers


async def jury_channels(
    client: Client, runtime: Runtime, headers: dict[str, str], call_id: int, kind: CallKind
) -> tuple[list[str], int]:
    """Everything the jury can read: each endpoint, each document, each e-mail to a juror;
    and how many dossiers they read."""
    texts: list[str] = []
    read = 0
    scores = {kind.rubric.criteria[0].name: 7}
    for token in headers.values():
        auth = {"Authorization": token}
        listing = await client.get("/api/v1/jury/assignments", headers=auth)
        page = await client.get("/jury", headers=auth)  # the titles, as the juror's list shows
        assert page.status_code == 200, page.text
        texts += [listing.text, page.text]
        for item in listing.json():
            path = f"/api/v1/jury/assignments/{item['id']}"
            dossier = await client.get(path, headers=auth)
            assert dossier.status_code == 200, dossier.text
            texts.append(dossier.text)
            read += 1
            documents = [
                answer["document"]
                for answer in dossier.json()["answers"].values()
                if isinstance(answer, dict) and "document" in answer
            ]
            for field in documents:
                document = await client.get(f"{path}/documents/{field}", headers=auth)
                assert document.status_code == 200, document.text
                texts.append(document.headers["content-disposition"])
                texts.extend(pdf_texts(document.content))
            review = await client.put(
                f"{path}/review",
                json={"scores": scores, "comment": "clear", "final": False},
                headers=auth,
            )
            assert review.status_code == 200, review.text
            texts.append(review.text)
        texts.append((await client.get(f"/api/v1/calls/{call_id}/ranking", headers=auth)).text)
    async with runtime.db.read() as session:
        mails = await session.scalars(
            select(OutboxMessage).where(col(OutboxMessage.recipient).in_(JURORS))
        )
        texts.extend(m.subject + m.body_text + m.body_html for m in mails)
    return texts, read


@pytest.mark.parametrize("slug", ANONYMISED)
async def test_no_jury_facing_response_document_or_mail_names_an_applicant(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, slug: str
) -> None:
    kind = KINDS[slug]
    call_id, people, headers = await anonymised_round(
        runtime, clock, tokens.actors["secretariat"], kind
    )

    texts, read = await jury_channels(client, runtime, headers, call_id, kind)

    assert read >= len(people)
    assert leaks(texts, people) == []


@pytest.mark.parametrize("slug", ANONYMISED)
def test_the_scanner_finds_an_identity_where_one_is(slug: str) -> None:
    """Guards the test above: what the Secretariat reads does name the applicant."""
    people = identities(1)
    who = people[0]

    found = leaks([str(leaky_answers(KINDS[slug], who)), *pdf_texts(pdf_by(who))], people)
    in_the_pdf = leaks(pdf_texts(pdf_by(who)), people)

    assert {secret for secret, _ in found} == set(who.secrets)
    assert {secret for secret, _ in in_the_pdf} == set(who.secrets)


def test_every_anonymised_kind_is_scanned() -> None:
    """The kinds the files say are anonymised are the ones parametrised above."""
    assert {AWARD, "aimf-femme-francophone"} <= set(ANONYMISED)
