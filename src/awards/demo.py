"""`awards demo`: demo organisations, users and one open call of each kind (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.db.tables import Call
from awards.members.register import read_members_csv, upsert_members
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

SECRETARIAT = "secretariat@demo.awards.local"
JURORS = ("juror1@demo.awards.local", "juror2@demo.awards.local", "juror3@demo.awards.local")
# (organisation slug, locale) of the demo applicants, one per organisation.
APPLICANTS = (
    ("barcelona", "es"),
    ("lisboa", "pt"),
    ("rosario", "es"),
    ("dakar", "fr"),
    ("lille", "fr"),
    ("gunsan", "en"),
    ("cidade-modelo", "pt"),  # candidates for a membership scholarship
    ("villa-nueva-de-prueba", "es"),
)
TIMEZONE_OF_NETWORK = {"IAEC": "Europe/Madrid", "AIMF": "Europe/Paris"}
_WINNER_2024 = "winner of the 2024 edition"
# The settings of each kind's demo edition, as the Secretariat gives them (awards.kinds.edition).
EDITION_SETTINGS: dict[str, dict[str, object]] = {
    "educating-cities-award": {
        "excluded": [
            {"organisation": "granollers", "reason": "host of the 18th International Congress"},
            {"organisation": "ciudad-de-mexico", "reason": _WINNER_2024},
            {"organisation": "odivelas", "reason": _WINNER_2024},
            {"organisation": "santo-andre", "reason": _WINNER_2024},
        ],
        "started_before": "2023-06-30",
    },
}


@dataclass(frozen=True)
class DemoLogins:
    secretariat_token: str
    applicant_email: str
    applicant_token: str


def applicant_email(slug: str) -> str:
    return f"applicant@{slug}.demo.awards.local"


async def load_demo(runtime: Runtime, *, members_csv: Path) -> DemoLogins:
    now = runtime.clock()
    db = runtime.db
    await upsert_members(db, read_members_csv(members_csv))
    secretariat = await add_user(db, SECRETARIAT, role="secretariat", now=now, name="Secretariat")
    for number, email in enumerate(JURORS, start=1):
        await add_user(db, email, role="juror", now=now, name=f"Juror {number}")
    for slug, locale in APPLICANTS:
        await add_user(
            db, applicant_email(slug), role="applicant", organisation=slug, locale=locale, now=now
        )
    actor = Actor.of(secretariat)
    calls = CallService(runtime)
    for kind in runtime.kinds.values():
        edition = str(now.year)
        async with db.read() as session:
            exists = await session.scalar(
                select(col(Call.id)).where(
                    col(Call.kind) == kind.slug, col(Call.edition) == edition
                )
            )
        if exists is not None:
            continue
        call = await calls.create(
            NewCall(
                kind=kind.slug,
                edition=edition,
                title={language: f"{kind.name[language]} {edition}" for language in kind.languages},
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=60),
                timezone=TIMEZONE_OF_NETWORK.get(kind.network, "UTC"),
                languages=kind.languages,
                settings=EDITION_SETTINGS.get(kind.slug, {}),
            ),
            actor=actor,
        )
        assert call.id is not None
        await calls.fire(call.id, "open", actor=actor)
    first_applicant = applicant_email(APPLICANTS[0][0])
    return DemoLogins(
        secretariat_token=await issue_token(db, SECRETARIAT, now=now, name="demo"),
        applicant_email=first_applicant,
        applicant_token=await issue_token(db, first_applicant, now=now, name="demo"),
    )
