"""Stored script: every text an applicant or a register import can write (answers in each
language, good practices' and laureates' entries, organisation names and cities, people's
names) set to markup that runs if it reaches a page unescaped; then every page and feed the
authorization matrix lists is fetched as every role it allows. None carries the markup as
markup: no page or feed runs a script someone else wrote."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select, update
from sqlmodel import col

from awards.db.tables import DatabankEntry, Organisation, Submission, User
from awards.transitions.runtime import Runtime
from conftest import Client
from reliability.roles import ROLES, World
from reliability.test_authorization import MATRIX

PAYLOAD = """</textarea></title>"'><script>alert("xss")</script><img src=x onerror=alert(1)>"""
LIVE = ("<script>alert", "<img src=x onerror", "onerror=alert(1)>")
"""What the payload keeps only if a page shows it unescaped."""
SHOWN_AS_DOCUMENTS = ("text/html", "application/atom+xml", "application/xml", "text/xml")


def poisoned(value: Any) -> Any:
    """A free-text answer (one text, or one per language) replaced by the payload; choices,
    dates, numbers and documents kept, as the form would refuse the payload there."""
    if isinstance(value, str) and not value.isdigit() and "-" not in value[:5]:
        return f"{value} {PAYLOAD}"
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return {language: f"{text} {PAYLOAD}" for language, text in value.items()}
    return value


async def poison_every_text(runtime: Runtime) -> None:
    async with runtime.db.write() as session:
        for submission in await session.scalars(select(Submission)):
            submission.answers = {name: poisoned(v) for name, v in submission.answers.items()}
        for entry in await session.scalars(select(DatabankEntry)):
            entry.title = poisoned(entry.title)
            entry.summary = poisoned(entry.summary)
            entry.organisation = f"{entry.organisation} {PAYLOAD}"[:200]
            entry.city = f"{entry.city or ''} {PAYLOAD}"
        await session.execute(
            update(Organisation).values(name=col(Organisation.name) + " " + PAYLOAD, city=PAYLOAD)
        )
        await session.execute(update(User).values(name=PAYLOAD))


async def test_no_page_or_feed_shows_what_a_user_wrote_as_markup(
    client: Client, runtime: Runtime, world: World
) -> None:
    await poison_every_text(runtime)
    fields = asdict(world)
    live: list[str] = []
    shown = 0
    for route, row in MATRIX.items():
        if not route.startswith("GET "):
            continue
        for role in sorted(row.allowed & set(ROLES)):
            url = row.url.format(**fields, invitation=world.invitations[role])
            answer = await client.get(url, headers=dict(world.headers[role]))
            assert answer.status_code < 500, f"{route} as {role}: {answer.text[:300]}"
            kind = answer.headers.get("content-type", "").split(";")[0]
            if kind not in SHOWN_AS_DOCUMENTS and not url.endswith((".atom", ".ics")):
                continue
            shown += PAYLOAD.split(">")[0] in answer.text or "&lt;script&gt;" in answer.text
            live += [f"{route} as {role}: {mark!r}" for mark in LIVE if mark in answer.text]
    assert not live, "\n".join(live)
    assert shown > 10, shown  # the payload did reach the pages, escaped
