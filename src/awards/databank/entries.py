"""Publishing a submission as a databank entry: the `databank:publish` workflow effect.

Runs inside the transition's transaction (awards.lifecycle), so the entry appears with the
`published` state or not at all. Idempotent: an entry per submission, updated in place.
Only the award's public facts (title, organisation, city, country, distinction, year, themes,
principles) and what the applicant consented to (summary and links; contact) are copied.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.calls.kinds import CallKind
from awards.databank.mapping import Consent, DatabankMapping
from awards.db.tables import Call, DatabankEntry, Organisation, Submission
from awards.errors import ConfigurationError


def listed(values: Iterable[str]) -> str:
    """`,a,b,`: a set of names one `LIKE '%,a,%'` finds on every database."""
    return "," + "".join(f"{value}," for value in values)


def unlisted(text: str) -> list[str]:
    return [value for value in text.split(",") if value]


async def publish_submission(
    session: AsyncSession,
    submission: Submission,
    *,
    call: Call,
    kind: CallKind,
    from_state: str,
    now: datetime,
) -> DatabankEntry:
    """Create or update the entry of `submission`, distinguished as it was in `from_state`."""
    spec = kind.databank
    if spec is None or from_state not in spec.distinctions:
        raise ConfigurationError(
            f"{kind.slug}: submission {submission.id} cannot be published from {from_state}"
        )
    organisation = await session.get(Organisation, submission.organisation_id)
    assert organisation is not None
    entry = await session.scalar(
        select(DatabankEntry).where(col(DatabankEntry.submission_id) == submission.id)
    )
    if entry is None:
        entry = DatabankEntry(
            submission_id=submission.id,
            published_at=now,
            year=0,
            distinction="",
            organisation="",
            country="",
        )
    fields = _fields(spec, submission.answers, kind=kind)
    fields.update(
        kind=kind.slug,
        edition=call.edition,
        year=int(call.edition) if call.edition.isdigit() else call.closes_at.year,
        distinction=str(spec.distinctions[from_state]),
        organisation=organisation.name,
        city=organisation.city or organisation.name,
        country=organisation.country,
        unpublished_at=None,
        unpublished_reason=None,
    )
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.search_text = search_text(entry)
    session.add(entry)
    await session.flush()
    return entry


def search_text(entry: DatabankEntry) -> str:
    """What full-text search reads: every language of the title and summary, and the place."""
    parts = [*entry.title.values(), *entry.summary.values(), entry.organisation, entry.city or ""]
    return " ".join(part for part in parts if part).lower()


def _fields(spec: DatabankMapping, answers: dict[str, Any], *, kind: CallKind) -> dict[str, Any]:
    consent = set(answers.get(spec.consent_field) or ())
    title = _texts(answers.get(spec.title), kind.default_language)
    shared = Consent.SUMMARY in consent
    return {
        "title": title,
        "summary": _texts(answers.get(spec.summary), kind.default_language) if shared else {},
        "languages": listed(language for language, text in title.items() if text),
        "themes": listed(_names(answers.get(spec.themes)) if spec.themes else ()),
        "principles": listed(_names(answers.get(spec.principles)) if spec.principles else ()),
        "links": [str(answers[name]) for name in spec.links if answers.get(name)] if shared else [],
        "contact": {name: str(answers[name]) for name in spec.contact if answers.get(name)}
        if Consent.CONTACT in consent
        else None,
    }


def _texts(value: Any, default_language: str) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(language): str(text) for language, text in value.items() if text}
    return {default_language: str(value)} if value else {}


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)] if value else []
