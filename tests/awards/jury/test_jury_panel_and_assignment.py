"""The panel, conflict detection before inviting, and assignment that never crosses one."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.auth.users import add_user
from awards.db.tables import Assignment, ConflictOfInterest, Organisation, OutboxMessage
from awards.errors import Invalid
from awards.jury.assignment import assign_round
from awards.jury.panel import panel_conflicts, set_panel
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, candidacies_in_review

PANEL = ["ana@jury.test", "rui@lisboa.test", "chloe@jury.test", "juror@jury.test"]


async def jurors(runtime: Runtime, clock: MovableClock) -> dict[str, Actor]:
    """Four jurors: one from Lisboa's city hall, one with a standing relation to City 1."""
    people = {}
    for email, organisation in zip(PANEL, [None, "lisboa", None, None], strict=True):
        user = await add_user(
            runtime.db,
            email,
            role="juror",
            organisation=organisation,
            name=email.split("@")[0].title(),
            locale="fr",
            now=clock(),
        )
        people[email] = Actor.of(user)
    async with runtime.db.write() as session:
        city_one = await session.scalar(
            select(col(Organisation.id)).where(col(Organisation.slug) == "city-1")
        )
        assert city_one is not None
        session.add(
            ConflictOfInterest(
                user_id=people["chloe@jury.test"].id or 0,
                organisation_id=city_one,
                source="declared",
                reason="advised City 1 in 2023",
                created_at=clock(),
            )
        )
    return people


async def test_conflicts_are_listed_before_the_panel_is_invited(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=2, with_lisboa=True)
    await jurors(runtime, clock)

    findings = await panel_conflicts(
        runtime, open_award, candidates=PANEL, actor=tokens.actors["secretariat"]
    )

    assert sorted((f.juror_email, f.organisation, f.rule, f.reason) for f in findings) == [
        ("chloe@jury.test", "City 1", "declared", "advised City 1 in 2023"),
        (
            "rui@lisboa.test",
            "Lisboa",
            "email_domain",
            "rui@lisboa.test shares the mail domain of Lisboa",
        ),
        ("rui@lisboa.test", "Lisboa", "same_organisation", "rui@lisboa.test belongs to Lisboa"),
    ]
    async with runtime.db.read() as session:
        to_jurors = await session.scalars(
            select(OutboxMessage).where(col(OutboxMessage.recipient).in_(PANEL))
        )
        assert list(to_jurors) == []


async def test_a_panel_of_unknown_people_is_refused_naming_the_address(
    runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    with pytest.raises(Invalid) as refused:
        await set_panel(
            runtime,
            open_award,
            jurors=["nobody@jury.test"],
            president=None,
            actor=tokens.actors["secretariat"],
        )

    assert refused.value.extra == {"field": "jurors", "email": "nobody@jury.test"}


async def test_assignment_gives_every_candidacy_to_every_allowed_juror_and_tells_them_by_pseudonym(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    ids = await candidacies_in_review(
        runtime, clock, tokens, open_award, cities=3, with_lisboa=True
    )
    await jurors(runtime, clock)
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=PANEL, president="ana@jury.test", actor=staff)

    report = await assign_round(runtime, open_award, round_name=None, actor=staff)

    async with runtime.db.read() as session:
        pairs = {
            (a.submission_id, a.juror_id)
            for a in await session.scalars(select(Assignment).where(col(Assignment.active)))
        }
        mails = list(
            await session.scalars(
                select(OutboxMessage).where(col(OutboxMessage.template) == "juror_assigned")
            )
        )
    actors = {a.email: a.id for a in (await jurors_by_email(runtime)).values()}
    every = {s for submissions in ids.values() for s in submissions}
    blocked = {
        (ids["lisboa"][0] if "lisboa" in ids else -1, actors["rui@lisboa.test"]),
        (ids["city-1"][0], actors["chloe@jury.test"]),
    }
    expected = {(s, j) for s in every for j in actors.values()} - blocked
    assert report.round == "preselection"
    assert report.short == {}
    assert pairs == expected
    assert len(mails) == 4
    assert all(
        name not in mail.body_text + mail.body_html + mail.subject
        for mail in mails
        for name in ("Barcelona", "City 1", "City 2", "City 3", "barcelona")
    )
    assert "candidatures à évaluer" in mails[0].subject


async def jurors_by_email(runtime: Runtime) -> dict[str, Actor]:
    from awards.db.tables import User

    async with runtime.db.read() as session:
        users = await session.scalars(select(User).where(col(User.role) == "juror"))
        return {user.email: Actor.of(user) for user in users}
