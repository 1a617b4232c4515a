"""Every candidacy of a call with its answers, as one table: what the Secretariat sends to a
committee (`awards.formats` writes it as CSV or XLSX).

One row per candidacy sent (drafts are not candidacies yet), one column per question of the
form, each answer as a person reads it in the chosen language (`FormField.as_read`).
Anonymised unless asked otherwise, as the jury reads them (`jury.anonymise`): no
organisation or country, no identifying question, no e-mail or web address, free text
redacted with the applicant's names, documents under neutral names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from awards.calls.networks import run_by
from awards.db.tables import Call, Organisation, Submission, User
from awards.jury.anonymise import DOCUMENT, anonymised_answers, withheld_fields
from awards.jury.dossier import applicant_redactor
from awards.kinds.forms import FieldType, FormField
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor, Role
from awards.transitions.runtime import Runtime


@dataclass(frozen=True)
class Row:
    number: int
    pseudonym: str
    organisation: str | None
    """None when anonymised, with `country`."""
    country: str | None
    state: str
    answers: list[object]
    """In the order of `CandidacyTable.fields`."""


@dataclass(frozen=True)
class CandidacyTable:
    call: Call
    kind: CallKind
    fields: list[FormField]
    rows: list[Row]
    anonymised: bool


async def candidacy_table(
    runtime: Runtime, call_id: int, *, language: str, anonymised: bool, actor: Actor
) -> CandidacyTable:
    """The call's candidacies in `language` (the call's default when it is not one of it)."""
    async with runtime.db.read() as session:
        call = run_by(await session.get(Call, call_id), call_id, runtime=runtime, actor=actor)
        kind = runtime.kind(call.kind)
        rows = (
            await session.execute(
                select(Submission, Organisation)
                .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
                .where(
                    col(Submission.call_id) == call_id,
                    col(Submission.state) != kind.submission_workflow.initial,
                )
                .order_by(col(Submission.id))
            )
        ).all()
        people: dict[int, list[str]] = defaultdict(list)
        if anonymised:
            named = await session.execute(
                select(col(User.organisation_id), col(User.name)).where(
                    col(User.organisation_id).in_({o.id for _, o in rows}),
                    col(User.role) == Role.APPLICANT,
                )
            )
            for organisation_id, name in named:
                people[organisation_id or 0].append(name)
    withheld = withheld_fields(kind.form) if anonymised else []
    fields = [f for f in kind.form.fields if f not in withheld]
    read_in = language if language in call.languages else kind.default_language

    def answers_of(submission: Submission, organisation: Organisation) -> dict[str, Any]:
        if not anonymised:
            return submission.answers
        redactor = applicant_redactor(
            kind, submission, organisation, people=people[organisation.id or 0]
        )
        shown = anonymised_answers(
            kind.form, submission.answers, redactor=redactor, languages=tuple(call.languages)
        )
        return {
            name: {"filename": value["name"]}
            if isinstance(value, dict) and DOCUMENT in value
            else value
            for name, value in shown.items()
        }

    table = []
    for submission, organisation in rows:
        answers = answers_of(submission, organisation)
        table.append(
            Row(
                number=submission.id or 0,
                pseudonym=submission.pseudonym,
                organisation=None if anonymised else organisation.name,
                country=None if anonymised else organisation.country,
                state=submission.state,
                answers=[
                    _cell(f, answers.get(f.name), language=read_in, default=kind.default_language)
                    for f in fields
                ],
            )
        )
    return CandidacyTable(call, kind, fields, table, anonymised)


def _cell(field: FormField, value: Any, *, language: str, default: str) -> object:
    """Numbers stay numbers (a spreadsheet sums them); everything else as a person reads it."""
    if value is None:
        return None
    if field.type is FieldType.NUMBER and isinstance(value, int | float):
        return value
    return field.as_read(value, language=language, default=default)
