"""Jurors' time on the pages: the Secretariat sets a round's deadline in the call's time zone
and sees who is late; a juror accepts or declines each assignment, in their language."""

from __future__ import annotations

import re
from datetime import timedelta

from pages import section, signed_in, text

from awards.auth.users import add_user
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review


async def test_a_deadline_set_on_the_call_page_lists_the_late_jurors_once_it_passes(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=["juror@jury.test"], president=None, actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    browser = await signed_in(client, runtime, staff)
    path = f"/secretariat/calls/{open_award}"

    saved = await browser.post(
        f"{path}/deadline",
        {"round": "preselection", "review_by": "2025-09-10T18:00", "reminder_days": "3"},
    )
    clock.advance(timedelta(days=9, hours=6, seconds=1))  # 18:00:01 in Madrid
    late = await (await signed_in(client, runtime, staff)).get(path)  # a session of that day

    assert "The deadline is saved; jurors with reviews left are reminded before it." in text(
        saved.text
    )
    assert "No juror is late." in section(saved.text, "jury")
    assert text(section(saved.text, "deadlines")) == (
        "Preselection: 2025-09-10 18:00 Europe/Madrid · reminders 3 day(s) before"
    )
    assert "juror@jury.test" in section(late.text, "late")
    assert "2025-09-10 18:00 Europe/Madrid 2" in section(late.text, "late")


async def test_a_juror_accepts_one_assignment_and_declines_another_on_the_jury_page(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    chloe = await add_user(runtime.db, "second@jury.test", role="juror", now=clock())
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=["juror@jury.test"], president=None, actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    await set_panel(
        runtime,
        open_award,
        jurors=["juror@jury.test", "second@jury.test"],
        president=None,
        actor=staff,
    )
    juror = await signed_in(client, runtime, tokens.actors["juror"])
    page = await juror.get("/jury")
    first, second = re.findall(r'action="/jury/assignments/(\d+)/accept"', page.text)

    accepted = await juror.post(f"/jury/assignments/{first}/accept")
    declined = await juror.post(f"/jury/assignments/{second}/decline")

    assert text(page.text).count("Accepter Décliner") == 2
    assert "L'évaluation est acceptée." in text(accepted.text)
    after = text(declined.text)
    assert "Vous avez décliné l'évaluation ; elle est confiée à un autre membre du jury." in after
    assert after.count("Acceptée") == 1 and "Accepter Décliner" not in after
    second_juror = await signed_in(client, runtime, Actor.of(chloe))
    assert (
        len(re.findall(r'href="/jury/assignments/\d+"', (await second_juror.get("/jury")).text))
        == 1
    )
