"""The pages of a body that votes or selects: a member votes or abstains, the chair settles a
tie and closes the vote; a member marks each candidacy, the chair confirms the programme."""

from __future__ import annotations

import re

from pages import Browser, section, signed_in, text
from sqlalchemy import select, update
from sqlmodel import col
from test_kind_congress_experiences import experiences_before_the_committee
from test_kind_congress_host_bid import bids_before_the_committee

from awards.db.tables import Submission, User
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens


async def member(client: Client, runtime: Runtime, email: str, language: str) -> Browser:
    """The member's browser, their interface in `language`."""
    async with runtime.db.write() as session:
        await session.execute(update(User).where(col(User.email) == email).values(locale=language))
    async with runtime.db.read() as session:
        user = await session.scalar(select(User).where(col(User.email) == email))
    assert user is not None
    return await signed_in(client, runtime, Actor.of(user), language=language)


async def pseudonyms(runtime: Runtime, ids: dict[str, int]) -> dict[str, str]:
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(col(Submission.id), col(Submission.pseudonym)).where(
                col(Submission.id).in_(ids.values())
            )
        )
        by_id = dict(rows.all())
    return {slug: by_id[submission] for slug, submission in ids.items()}


async def test_the_executive_committee_votes_from_its_page_and_its_president_settles_and_closes(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    call, bids, _ = await bids_before_the_committee(client, runtime, tokens, clock)
    page = f"/jury/calls/{call}/vote"
    president = await member(client, runtime, "president@edcities.test", "fr")
    lyon = await member(client, runtime, "lyon@edcities.test", "fr")
    named = await pseudonyms(runtime, bids)

    home = text((await lyon.get("/jury")).text)
    ballot = await lyon.get(page)
    cast = await lyon.post(page, {"choice": str(bids["cascais"])})
    await president.post(page, {"choice": str(bids["andong"])})
    short = await president.post(f"{page}/close")
    votes = [
        ("katowice@edcities.test", str(bids["andong"])),
        ("sevilla@edcities.test", str(bids["cascais"])),
        ("rosario@edcities.test", "abstain"),
    ]
    for email, choice in votes:
        voted = await (await member(client, runtime, email, "es")).post(page, {"choice": choice})
        assert voted.url.query == b"done=voted", voted.text
    tied = (await president.get(page)).text
    by_a_member = await lyon.post(f"{page}/deciding", {"choice": str(bids["cascais"])})
    await president.post(f"{page}/deciding", {"choice": str(bids["andong"])})
    closed = await president.post(f"{page}/close")

    assert "Vote : Accueil du XIXe Congrès international" in home
    assert "Comité exécutif : le vote" in text(ballot.text)
    assert "Cascais" in section(ballot.text, "candidacies")  # the Committee knows the cities
    assert "Votre vote est enregistré." in text(cast.text)
    assert section(cast.text, "ballot") == (
        "Votre vote Votre vote est enregistré ; son contenu n'est pas conservé."
    )
    assert short.status_code == 409
    assert "seuls 2 des 5 membres ont voté ; le quorum est de 3" in text(short.text)
    assert "5 membres sur 5 ont voté ; le quorum est de 3." in section(tied, "tally")
    assert "Égalité à 2 voix chacune : votre voix prépondérante" in section(tied, "tally")
    assert re.findall(r'name="choice" value="(\d+)"', tied.split('id="tally"')[1]) == [
        str(bids["cascais"]),
        str(bids["andong"]),
    ]
    assert by_a_member.status_code == 403
    assert closed.status_code == 200, text(closed.text)
    assert "Le vote est clos." in text(closed.text)
    assert f"Le vote est clos : {named['andong']} est retenue." in section(closed.text, "tally")
    async with runtime.db.read() as session:
        host = await session.get(Submission, bids["andong"])
    assert host is not None and host.state == "chosen"


async def test_the_scientific_committee_marks_from_its_page_and_its_chair_confirms_the_programme(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    call, ids, _ = await experiences_before_the_committee(client, runtime, tokens, clock)
    page = f"/jury/calls/{call}/selection"
    chair = await member(client, runtime, "chair@granollers2026.test", "es")
    colleague = await member(client, runtime, "member@granollers2026.test", "es")
    workshop = {"programme_format": "workshop", "programme_slot": "day_2"}
    others = [slug for slug in ids if slug not in ("granollers", "gunsan")]

    seen = await colleague.get(page)
    own_city = section(seen.text, f"candidacy-{ids['granollers']}")
    marked = await colleague.post(f"{page}/{ids['gunsan']}", {"mark": "accepted", **workshop})
    await chair.post(f"{page}/{ids['gunsan']}", {"mark": "accepted", **workshop})
    proposed = (await chair.get(page)).text
    programme = {f"mark.{ids[slug]}": "rejected" for slug in others}
    programme |= {f"mark.{ids['granollers']}": "waitlisted", f"mark.{ids['gunsan']}": "accepted"}
    programme |= {f"{name}.{ids['gunsan']}": value for name, value in workshop.items()}
    confirmed = await chair.post(f"{page}/confirm", programme)

    assert "Comité Científico: la selección" in text(seen.text)
    assert 'id="programme"' not in seen.text  # a member confirms nothing
    assert "Tiene un conflicto de intereses con esta candidatura: no la juzga." in own_city
    assert f'action="{page}/{ids["granollers"]}"' not in seen.text  # nor marks it
    assert "Su marca está guardada." in text(marked.text)
    assert "Aceptada: 2 · Rechazada: 0 · En lista de espera: 0" in section(
        proposed, f"marks-{ids['gunsan']}"
    )
    assert re.search(
        rf'name="mark\.{ids["gunsan"]}"[^>]*>\s*<option value="accepted" selected', proposed
    )
    assert '<option value="workshop" selected>Taller</option>' in proposed
    assert "El programa está confirmado." in text(confirmed.text)
    async with runtime.db.read() as session:
        gunsan = await session.get(Submission, ids["gunsan"])
    assert gunsan is not None and (gunsan.state, gunsan.inputs) == ("selected", workshop)
