"""Publishing a submission as a databank entry: the `databank:publish` workflow effect.

Runs inside the transition's transaction (`awards.transitions.apply`), so the entry appears with the
`published` state or not at all. Idempotent: an entry per submission, updated in place, and
publishing what is already public changes nothing (no new `updated_at`, no webhook push).
Only the award's public facts (title, organisation, city, country, distinction, year, themes,
principles, target groups) and what the applicant consented to (summary, start date and
links; contact; documents) are copied. A change is queued for the external databank's
webhook only when one is configured (`push`): setting a URL later sends no history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.databank.documents import published_documents
from awards.databank.lists import listed
from awards.databank.mapping import Consent, DatabankMapping, Distinction, mapping_of
from awards.databank.webhook_queue import EntryEvent, queue_delivery
from awards.databank.words import words
from awards.db.tables import Call, DatabankEntry, Organisation, Submission
from awards.errors import ConfigurationError
from awards.kinds.kind import CallKind
from awards.transitions.runtime import Occasion


async def publish_effect(occasion: Occasion) -> None:
    """The `databank:publish` effect: the submission's entry, as it was distinguished in the
    state it leaves."""
    submission = occasion.subject
    if not isinstance(submission, Submission):
        return
    await publish_submission(
        occasion.session,
        submission,
        call=occasion.call,
        kind=occasion.kind,
        from_state=occasion.audit.from_state,
        now=occasion.audit.at,
        push=bool(occasion.runtime.settings.databank_webhook_url),
    )


async def publish_submission(
    session: AsyncSession,
    submission: Submission,
    *,
    call: Call,
    kind: CallKind,
    from_state: str,
    now: datetime,
    push: bool = False,
) -> DatabankEntry:
    """Create or update the entry of `submission`, distinguished as it was in `from_state`;
    `push`: queue the change for the external databank's webhook."""
    spec = mapping_of(kind)
    if spec is None or from_state not in spec.distinctions:
        raise ConfigurationError(
            f"{kind.slug}: submission {submission.id} cannot be published from {from_state}"
        )
    entry = await session.scalar(
        select(DatabankEntry).where(col(DatabankEntry.submission_id) == submission.id)
    )
    fields = await submission_fields(
        session, submission, call=call, kind=kind, distinction=spec.distinctions[from_state]
    )
    entry = entry or blank_entry(submission_id=submission.id)
    await put_entry(session, entry, fields, now=now, push=push)
    return entry


async def submission_fields(
    session: AsyncSession,
    submission: Submission,
    *,
    call: Call,
    kind: CallKind,
    distinction: Distinction,
) -> dict[str, Any]:
    """What the entry of `submission` shows: public facts, and what its applicant consented to."""
    spec = mapping_of(kind)
    assert spec is not None
    organisation = await session.get(Organisation, submission.organisation_id)
    assert organisation is not None
    shares_documents = Consent.DOCUMENTS in _consent(spec, submission.answers)
    fields = _answered(spec, submission.answers, kind=kind)
    fields.update(
        documents=await published_documents(session, submission, spec.documents)
        if shares_documents
        else [],
        kind=kind.slug,
        edition=call.edition,
        year=edition_year(call),
        distinction=str(distinction),
        organisation=organisation.name,
        city=organisation.city or organisation.name,
        country=organisation.country,
    )
    return fields


def edition_year(call: Call) -> int:
    """The year the databank files `call`'s entries under: its edition when that is a year
    ("2026"), else the year it closed ("2025-2026", "spring")."""
    return int(call.edition) if call.edition.isdigit() else call.closes_at.year


def blank_entry(*, submission_id: int | None = None) -> DatabankEntry:
    """A new entry, to be filled by `put_entry`."""
    return DatabankEntry(
        submission_id=submission_id, year=0, distinction="", organisation="", country=""
    )


async def put_entry(
    session: AsyncSession,
    entry: DatabankEntry,
    fields: dict[str, Any],
    *,
    now: datetime,
    push: bool = False,
) -> EntryEvent | None:
    """Write `fields` on `entry` (a new `version` if they change it) and make it public; with
    `push`, queue the change for the external databank's webhook.

    Returns what happened, or None when the entry was already public exactly so.
    """
    live = entry.id is not None and entry.unpublished_at is None
    changed = any(getattr(entry, name) != value for name, value in fields.items())
    if live and not changed:
        return None
    event = EntryEvent.UPDATED if live else EntryEvent.PUBLISHED
    for name, value in fields.items():
        setattr(entry, name, value)
    if entry.id is None:
        entry.published_at = now
    elif changed:
        entry.version += 1
    entry.unpublished_at = None
    entry.unpublished_reason = None
    entry.updated_at = now
    entry.search_text = search_text(entry)
    session.add(entry)
    await session.flush()
    if push:
        queue_delivery(session, entry, event, now=now)
    return event


def search_text(entry: DatabankEntry) -> str:
    """What full-text search reads: every language of the title and summary, and the place,
    as folded words (`awards.databank.words`)."""
    parts = [*entry.title.values(), *entry.summary.values(), entry.organisation, entry.city or ""]
    return " ".join(words(" ".join(parts)))


def _consent(spec: DatabankMapping, answers: dict[str, Any]) -> set[str]:
    return set(answers.get(spec.consent_field) or ())


def _answered(spec: DatabankMapping, answers: dict[str, Any], *, kind: CallKind) -> dict[str, Any]:
    consent = _consent(spec, answers)
    title = _texts(answers.get(spec.title), kind.default_language)
    shared = Consent.SUMMARY in consent
    started = answers.get(spec.started_on) if spec.started_on and shared else None
    return {
        "title": title,
        "summary": _texts(answers.get(spec.summary), kind.default_language) if shared else {},
        "languages": listed(language for language, text in title.items() if text),
        "themes": listed(_names(answers.get(spec.themes)) if spec.themes else ()),
        "principles": listed(_names(answers.get(spec.principles)) if spec.principles else ()),
        "target_groups": listed(
            _names(answers.get(spec.target_groups)) if spec.target_groups else ()
        ),
        "started_on": date.fromisoformat(str(started)) if started else None,
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
