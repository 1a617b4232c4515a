"""A kind's own `terms:` name what it brings in the reader's language: its round `shortlist`
reads "Lista corta" on a Spanish juror's pages and in the mail about it, with no catalogue
entry for it and no change to the code."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pages import signed_in, text
from sqlalchemy import select
from sqlmodel import col

from awards.auth.users import add_user
from awards.db.tables import OutboxMessage
from awards.jury.assignment import assign_round, close_round
from awards.jury.deadlines import set_deadline
from awards.jury.panel import set_panel
from awards.settings import Settings
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.i18n import term
from conftest import ROOT, Client, MovableClock, Tokens, candidacies_in_review

TERMS = (
    "terms:\n"
    "  round:\n"
    "    shortlist: {en: Shortlist, fr: Liste restreinte, es: Lista corta, pt: Lista curta}\n"
    "  state:\n"
    "    shortlisted: {en: On the shortlist, fr: Retenue, es: En la lista, pt: Na lista}\n"
)


@pytest.fixture
def settings(settings: Settings, kind_directory: Path) -> Settings:
    """The shipped kinds, the award's preselection round called `shortlist` and labelled."""
    site = kind_directory / "site"
    shutil.copytree(ROOT / "config" / "calls", site / "config" / "calls")
    (site / "templates").symlink_to(ROOT / "templates")
    award = site / "config" / "calls" / "educating-cities-award.yaml"
    text = award.read_text(encoding="utf-8")
    award.write_text(
        text.replace("      - name: preselection\n", "      - name: shortlist\n") + TERMS,
        encoding="utf-8",
    )
    return replace(settings, config_dir=site / "config")


@pytest.fixture
async def lucia(runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int) -> Actor:
    """A Spanish juror given the award's candidacies in its shortlist round."""
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    user = await add_user(
        runtime.db, "lucia@jury.test", role="juror", name="Lucía", locale="es", now=clock()
    )
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=[user.email], president=None, actor=staff)
    await assign_round(runtime, open_award, round_name="shortlist", actor=staff)
    await set_deadline(
        runtime,
        open_award,
        round_name="shortlist",
        review_by=clock() + timedelta(days=10),
        reminder_days=None,
        actor=staff,
    )
    return Actor.of(user)


async def test_a_spanish_jurors_list_names_the_round_by_the_kinds_spanish_label(
    client: Client, runtime: Runtime, lucia: Actor
) -> None:
    page = await (await signed_in(client, runtime, lucia)).get("/jury")

    assert page.status_code == 200
    assert "Lista corta" in text(page.text)
    assert "shortlist" not in text(page.text)


async def test_the_round_closed_mail_names_the_round_by_the_kinds_label_in_spanish(
    runtime: Runtime, tokens: Tokens, open_award: int, lucia: Actor
) -> None:
    await close_round(
        runtime, open_award, round_name="shortlist", actor=tokens.actors["secretariat"]
    )

    async with runtime.db.read() as session:
        [mail] = await session.scalars(
            select(OutboxMessage).where(col(OutboxMessage.template) == "round_closed")
        )
    assert (mail.recipient, mail.language) == ("lucia@jury.test", "es")
    assert mail.subject.startswith("La ronda Lista corta de ")
    assert "La ronda Lista corta del jurado" in mail.body_text


def test_a_kinds_label_wins_then_the_catalogue_then_the_name_as_written(runtime: Runtime) -> None:
    award = runtime.kind("educating-cities-award")
    seal = runtime.kind("educating-city-seal")

    assert term(award, "state", "shortlisted", "es") == "En la lista"  # the kind's own
    assert term(seal, "state", "shortlisted", "es") == "Preseleccionada"  # the catalogue's
    assert term(award, "round", "final", "fr") == "Finale"  # not labelled: the catalogue's
    assert term(award, "round", "longlist", "es") == "longlist"  # nobody's: as written
