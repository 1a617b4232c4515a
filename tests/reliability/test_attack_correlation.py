"""A juror of the anonymised Educating Cities Award tries to learn which city is behind a
dossier without reading a name: from the ids, the orders and the times the jury's API, pages,
mails and their own data export give, compared with what is public (the register's order,
the order candidacies came in, the same city in another call).

Eight cities of the register, in its (alphabetical) order, submit one candidacy each in that
order, an hour apart, each with an annex: so their organisation, submission and attachment
ids all follow that order, and anything the juror sees that follows the ids names the city.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from edition_steps import mails, open_call
from pypdf import PdfWriter
from sqlalchemy import select
from sqlmodel import col

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.db.tables import Attachment, Submission
from awards.jury.anonymise import pseudonym
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.jury.reviews import ReviewInput, assignments_of, save_review
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review, chunks_of, draft
from harness.seeding import AWARD, AWARD_TITLE, applicant, city, open_award_call

CITIES = ("Alcoi", "Badalona", "Cadaqués", "Dénia", "Elx", "Figueres", "Girona", "Huesca")
"""In the register's order, which is alphabetical: the order a juror can guess."""
PRESIDENT = "president@jury.test"


@dataclass(frozen=True)
class Round:
    call_id: int
    in_register_order: list[int]
    """Submission ids, city by city in the register's order (which is also their order)."""
    pseudonyms: dict[int, str]
    """Submission id -> pseudonym, as the Secretariat knows it."""
    applicants: list[Actor]
    """An applicant of each city, in the register's order."""
    juror: dict[str, str]
    president: Actor


def annex(name: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": f"{name} annex"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def round_in_register_order(runtime: Runtime, clock: MovableClock, tokens: Tokens) -> Round:
    """The award's preselection with the eight cities' candidacies, submitted in the
    register's order an hour apart, all assigned to the fixture's juror (and the president)."""
    staff = tokens.actors["secretariat"]
    service = SubmissionService(runtime)
    call_id = await open_award_call(runtime, staff, opens_at=clock())
    submissions, applicants = [], []
    for name in CITIES:
        actor = await applicant(runtime, clock, city(name))
        applicants.append(actor)
        submission = await draft(runtime, call_id, actor)
        await AttachmentService(runtime).upload(
            submission, "annex", chunks_of(annex(name)), f"{name} annex.pdf", actor=actor
        )
        await service.fire(submission, "submit", actor=actor)
        submissions.append(submission)
        clock.advance(timedelta(hours=1))
    for submission in submissions:
        await service.fire(submission, "mark_eligible", actor=staff)
    for step in ("close", "start_review"):
        await CallService(runtime).fire(call_id, step, actor=staff)
    for submission in submissions:
        await service.fire(submission, "start_review", actor=staff)
    president = Actor.of(await add_user(runtime.db, PRESIDENT, role="juror", now=clock()))
    juror = tokens.actors["juror"].email
    await set_panel(runtime, call_id, jurors=[juror, PRESIDENT], president=PRESIDENT, actor=staff)
    await assign_round(runtime, call_id, round_name=None, actor=staff)
    labels = await pseudonyms_of(runtime, submissions)
    return Round(call_id, submissions, labels, applicants, tokens.juror, president)


async def pseudonyms_of(runtime: Runtime, submissions: Iterable[int]) -> dict[int, str]:
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(col(Submission.id), col(Submission.pseudonym)).where(
                col(Submission.id).in_(list(submissions))
            )
        )
        return {submission or 0: label for submission, label in rows}


async def listing(client: Client, seen: Round) -> list[dict[str, Any]]:
    found = await client.get("/api/v1/jury/assignments", headers=seen.juror)
    assert found.status_code == 200, found.text
    items: list[dict[str, Any]] = found.json()
    assert len(items) == len(CITIES)
    return items


def keys(value: object) -> Iterator[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)


def in_submission_order(seen: Round) -> list[str]:
    return [seen.pseudonyms[s] for s in seen.in_register_order]


async def test_the_pseudonyms_do_not_follow_the_registers_order(
    runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    seen = await round_in_register_order(runtime, clock, tokens)

    assert sorted(seen.pseudonyms.values()) != in_submission_order(seen)
    assert len(set(seen.pseudonyms.values())) == len(CITIES)


async def test_the_jurors_list_is_in_pseudonym_order_not_the_order_cities_applied_in(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    seen = await round_in_register_order(runtime, clock, tokens)

    shown = [item["pseudonym"] for item in await listing(client, seen)]

    assert shown == sorted(seen.pseudonyms.values())
    assert shown != in_submission_order(seen)


async def test_assignment_ids_follow_the_pseudonyms_not_the_order_cities_applied_in(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    """Sorting the list by assignment id used to give the submissions' order back."""
    seen = await round_in_register_order(runtime, clock, tokens)

    by_id = [
        item["pseudonym"] for item in sorted(await listing(client, seen), key=lambda i: i["id"])
    ]

    assert by_id == sorted(seen.pseudonyms.values())
    assert by_id != in_submission_order(seen)


async def test_the_jurors_page_lists_the_dossiers_in_pseudonym_order(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    seen = await round_in_register_order(runtime, clock, tokens)
    labels = "|".join(re.escape(label) for label in seen.pseudonyms.values())

    page = await client.get("/jury", headers=seen.juror)

    assert page.status_code == 200, page.text
    shown = list(dict.fromkeys(re.findall(labels, page.text)))
    assert shown == sorted(seen.pseudonyms.values())


async def test_a_dossier_addresses_its_documents_by_field_not_by_a_global_attachment_id(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    """Attachment ids are given in upload order across the whole service: a dossier that
    showed them (and a route that took them) told the juror which city uploaded first."""
    seen = await round_in_register_order(runtime, clock, tokens)
    async with runtime.db.read() as session:
        attachment_ids = {
            str(a)
            for a in await session.scalars(
                select(col(Attachment.id)).where(
                    col(Attachment.submission_id).in_(seen.in_register_order)
                )
            )
        }
    item = (await listing(client, seen))[0]
    path = f"/api/v1/jury/assignments/{item['id']}"

    dossier = await client.get(path, headers=seen.juror)
    document = await client.get(f"{path}/documents/annex", headers=seen.juror)
    page = await client.get(f"/jury/assignments/{item['id']}", headers=seen.juror)

    assert dossier.status_code == 200, dossier.text
    shown = dossier.json()["answers"]["annex"]
    assert {key: shown[key] for key in shown if key != "size"} == {
        "document": "annex",
        "name": "annex-1.pdf",
        "content_type": "application/pdf",
    }
    assert document.status_code == 200, document.text
    assert document.content.startswith(b"%PDF")
    assert f"{path}/documents/annex" in page.text
    links = re.findall(r"/(?:attachments|documents)/([^\"'/?]+)", page.text)
    assert links and not set(links) & attachment_ids
    for attachment in attachment_ids:  # no route answers a guessed global id
        probe = await client.get(f"{path}/attachments/{attachment}", headers=seen.juror)
        assert probe.status_code == 404


async def test_nothing_the_juror_reads_carries_a_time_of_the_applicant(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    """Creation, upload and submission times order the candidacies: none reach the jury;
    the review deadline (`review_by`) does."""
    seen = await round_in_register_order(runtime, clock, tokens)
    items = await listing(client, seen)
    dossiers = [
        (await client.get(f"/api/v1/jury/assignments/{item['id']}", headers=seen.juror)).json()
        for item in items
    ]

    assert {key for key in keys([items, dossiers]) if key.endswith(("_at", "_on"))} == {
        "started_on"  # the experience's own start, an answer of the form
    }
    assert {key for item in items for key in item} == {
        "id",
        "call_id",
        "call_title",
        "round",
        "pseudonym",
        "title",
        "review_by",
        "review",
    }
    assert not {key for key in keys(dossiers) if key.endswith("_id")} - {
        "assignment_id",
        "call_id",
    }


async def test_the_assignment_mail_lists_pseudonyms_in_their_own_order(
    runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    seen = await round_in_register_order(runtime, clock, tokens)

    [mail] = await mails(runtime, template="juror_assigned", recipient="juror@jury.test")

    labels = "|".join(re.escape(label) for label in seen.pseudonyms.values())
    assert re.findall(labels, mail.body_text) == sorted(seen.pseudonyms.values())


async def test_a_jurors_data_export_ties_no_pseudonym_to_an_organisation_or_submission_id(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    """Declaring a conflict on a dossier wrote the applicant's organisation id (the register's
    order) and submission id into what the juror may download about themselves."""
    seen = await round_in_register_order(runtime, clock, tokens)
    item = (await listing(client, seen))[0]
    declared = await client.post(
        f"/api/v1/jury/assignments/{item['id']}/conflict",
        json={"reason": "I advised this city"},
        headers=seen.juror,
    )
    assert declared.status_code == 200, declared.text

    export = (await client.get("/api/v1/me/export", headers=seen.juror)).json()

    [conflict] = export["conflicts"]
    assert conflict["reason"] == "I advised this city"
    assert "organisation_id" not in conflict
    [entry] = [e for e in export["audit"] if e["transition"] == "declare_conflict"]
    assert "submission_id" not in entry
    assert entry["submission"] == item["pseudonym"]
    assert export["mail"] and {mail["submission_id"] for mail in export["mail"]} == {None}


async def test_the_same_city_gets_unrelated_pseudonyms_in_two_calls(
    runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    """Two editions side by side: a city's code in one says nothing of its code in the
    other, and without the service's secret no code can be made from the ids."""
    first = await round_in_register_order(runtime, clock, tokens)
    second_call = await open_call(
        runtime,
        tokens.actors["secretariat"],
        AWARD,
        edition="2028",
        title={lang: text.replace("2026", "2028") for lang, text in AWARD_TITLE.items()},
        opens_at=clock(),
        closes_at=clock() + timedelta(days=30),
        timezone="Europe/Madrid",
    )
    again = {
        await draft(runtime, second_call, actor): earlier
        for actor, earlier in zip(first.applicants, first.in_register_order, strict=True)
    }
    labels = await pseudonyms_of(runtime, again)

    def code(label: str) -> str:
        return label.split("-")[1]

    first_codes = {code(label) for label in first.pseudonyms.values()}
    assert not {code(label) for label in labels.values()} & first_codes
    assert sorted(again, key=labels.__getitem__) != sorted(
        again, key=lambda s: first.pseudonyms[again[s]]
    )
    for submission_id, label in first.pseudonyms.items():
        keyed = partial(
            pseudonym, prefix="ECA26", call_id=first.call_id, submission_id=submission_id
        )
        assert keyed(runtime.settings.secret_key) == label
        assert keyed("a guessed secret") != label


async def test_the_presidents_ranking_and_proposals_name_candidacies_by_pseudonym_only(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    """Every candidacy scored alike, a complete tie: the president used to read the ranking
    with each candidacy's submission id, tied ones in id order, and to propose by id."""
    seen = await round_in_register_order(runtime, clock, tokens)
    rubric = runtime.kind(AWARD).rubric
    same = ReviewInput(scores={c.name: 7 for c in rubric.criteria}, final=True)
    for member in (tokens.actors["juror"], seen.president):
        for view in await assignments_of(runtime, actor=member):
            await save_review(runtime, view.assignment.id or 0, same, actor=member)
    await CallService(runtime).fire(seen.call_id, "deliberate", actor=tokens.actors["secretariat"])
    chair = {"Authorization": f"Bearer {await issue_token(runtime.db, PRESIDENT, now=clock())}"}

    ranking = await client.get(f"/api/v1/calls/{seen.call_id}/ranking", headers=chair)
    page = await client.get(f"/jury/calls/{seen.call_id}", headers=chair)
    first = ranking.json()[0]["entries"][0]["pseudonym"]
    proposed = await client.post(
        f"/api/v1/calls/{seen.call_id}/ranking/{first}/transitions",
        json={"name": "propose_laureate"},
        headers=chair,
    )

    assert ranking.status_code == 200, ranking.text
    [standing] = ranking.json()
    assert [e["submission_id"] for e in standing["entries"]] == [None] * len(CITIES)
    assert [e["pseudonym"] for e in standing["entries"]] == sorted(seen.pseudonyms.values())
    assert page.status_code == 200, page.text
    actions = re.findall(r'action="([^"]*/transitions)"', page.text)
    assert actions and all("/ranking/ECA26-" in action for action in actions)
    assert not re.findall(r"/submissions/\d+", page.text)
    assert proposed.status_code == 200, proposed.text
    assert proposed.json() == {
        "call_id": seen.call_id,
        "pseudonym": first,
        "state": "proposed_laureate",
        "version": proposed.json()["version"],
    }


async def test_a_refused_proposal_names_the_rule_not_the_city(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    """Barcelona's two candidacies, both proposed by the president: the second is refused by
    the one-per-city rule, whose text names the city and its other candidacy."""
    staff = tokens.actors["secretariat"]
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    president = Actor.of(await add_user(runtime.db, PRESIDENT, role="juror", now=clock()))
    jurors = [tokens.actors["juror"].email, PRESIDENT]
    await set_panel(runtime, open_award, jurors=jurors, president=PRESIDENT, actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    same = ReviewInput(scores={c.name: 7 for c in runtime.kind(AWARD).rubric.criteria}, final=True)
    for member in (tokens.actors["juror"], president):
        for view in await assignments_of(runtime, actor=member):
            await save_review(runtime, view.assignment.id or 0, same, actor=member)
    await CallService(runtime).fire(open_award, "deliberate", actor=staff)
    chair = {"Authorization": f"Bearer {await issue_token(runtime.db, PRESIDENT, now=clock())}"}
    labels = await pseudonyms_of(runtime, ids["barcelona"])
    path = f"/api/v1/calls/{open_award}/ranking"

    first, second = [
        await client.post(
            f"{path}/{labels[s]}/transitions", json={"name": "propose_laureate"}, headers=chair
        )
        for s in ids["barcelona"]
    ]

    assert first.status_code == 200, first.text
    assert second.status_code == 409, second.text
    assert second.json()["extra"]["failed_guards"] == [
        {
            "guard": "one_laureate_per_city",
            "code": "rule_not_met",
            "reason": "the rule 'one_laureate_per_city' is not met",
        }
    ]
    assert "barcelona" not in second.text.casefold()
    assert not set(map(str, ids["barcelona"])) & set(re.findall(r"\d+", second.json()["detail"]))


async def test_the_president_naming_submission_ids_learns_nothing(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens
) -> None:
    """The engine's own routes take ids: the president guessing them used to be answered
    (which ids exist, each one's options) and to propose by id, the answer pairing the id
    with its pseudonym. An anonymised jury is answered as for an id that does not exist."""
    seen = await round_in_register_order(runtime, clock, tokens)
    await CallService(runtime).fire(seen.call_id, "deliberate", actor=tokens.actors["secretariat"])
    chair = {"Authorization": f"Bearer {await issue_token(runtime.db, PRESIDENT, now=clock())}"}
    missing = max(seen.in_register_order) + 100

    answers = [
        await client.get(f"/api/v1/submissions/{submission}/transitions", headers=chair)
        for submission in (*seen.in_register_order, missing)
    ]
    proposed = await client.post(
        f"/api/v1/submissions/{seen.in_register_order[0]}/transitions",
        json={"name": "propose_laureate"},
        headers=chair,
    )

    assert {answer.status_code for answer in answers} == {404}
    assert proposed.status_code == 404, proposed.text
    assert not set(seen.pseudonyms.values()) & set(re.findall(r"ECA26-\w+", proposed.text))
