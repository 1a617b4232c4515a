"""Reviews: drafts, finals, the rubric's rules, versions, closed rounds, declared conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.auth.users import add_user
from awards.db.tables import Assignment, ConflictOfInterest, Organisation, Submission
from awards.errors import Conflict, Invalid, NotFound
from awards.jury.assignment import assign_round, close_round
from awards.jury.dossier import dossier
from awards.jury.panel import set_panel
from awards.jury.reviews import ReviewInput, assignments_of, declare_conflict, save_review
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, candidacies_in_review

FULL = {
    "relevance": 8,
    "impact": 7,
    "scope": 6,
    "government_involvement": 9,
    "participation": 5,
    "innovation": 7.5,
}


async def panel(runtime: Runtime, clock: MovableClock, tokens: Tokens, call_id: int) -> list[Actor]:
    """Two jurors on the panel, assignments made for the preselection."""
    people = []
    for email in ("ana@jury.test", "ben@jury.test"):
        people.append(Actor.of(await add_user(runtime.db, email, role="juror", now=clock())))
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, call_id, jurors=[p.email for p in people], president=None, actor=staff)
    await assign_round(runtime, call_id, round_name=None, actor=staff)
    return people


async def test_a_juror_edits_a_draft_until_the_round_closes_and_a_final_review_never(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    ana, ben = await panel(runtime, clock, tokens, open_award)
    first = (await assignments_of(runtime, actor=ana))[0].assignment.id or 0
    bens = (await assignments_of(runtime, actor=ben))[0].assignment.id or 0

    draft = await save_review(runtime, first, ReviewInput(scores={"impact": 6}), actor=ana)
    with pytest.raises(Conflict) as stale:
        await save_review(runtime, first, ReviewInput(scores=FULL, version=0), actor=ana)
    final = await save_review(
        runtime,
        first,
        ReviewInput(scores=FULL, comment_for_jury="solid", final=True, version=draft.version),
        actor=ana,
    )
    with pytest.raises(Conflict) as reopened:
        await save_review(
            runtime, first, ReviewInput(scores={"impact": 1}, version=final.version), actor=ana
        )
    bens_draft = await save_review(runtime, bens, ReviewInput(scores={"impact": 6}), actor=ben)
    await close_round(
        runtime, open_award, round_name="preselection", actor=tokens.actors["secretariat"]
    )
    with pytest.raises(Conflict) as closed:
        await save_review(
            runtime, bens, ReviewInput(scores=FULL, version=bens_draft.version), actor=ben
        )

    assert (draft.version, final.version, final.final) == (1, 2, True)
    assert stale.value.extra == {"version": 1}
    assert reopened.value.message == (
        f"the review of assignment {first} is final: it can no longer change"
    )
    assert closed.value.message == (
        f"round preselection of call {open_award} is closed: reviews can no longer change"
    )


async def test_a_juror_reads_the_others_final_comments_redacted_only_once_final(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    barcelona = (await candidacies_in_review(runtime, clock, tokens, open_award, cities=0))[
        "barcelona"
    ][0]
    ana, ben = await panel(runtime, clock, tokens, open_award)
    mine, bens = [
        next(
            a.assignment.id or 0
            for a in await assignments_of(runtime, actor=juror)
            if a.assignment.submission_id == barcelona
        )
        for juror in (ana, ben)
    ]
    await save_review(
        runtime,
        bens,
        ReviewInput(scores=FULL, comment_for_jury="The Barcelona project, clearly", final=True),
        actor=ben,
    )
    draft = await save_review(
        runtime, mine, ReviewInput(scores=FULL, comment_for_jury="My draft"), actor=ana
    )

    before = (await dossier(runtime, mine, actor=ana)).comments
    seen_by_ben = (await dossier(runtime, bens, actor=ben)).comments
    await save_review(
        runtime, mine, ReviewInput(scores=FULL, final=True, version=draft.version), actor=ana
    )
    after = (await dossier(runtime, mine, actor=ana)).comments

    assert (before, seen_by_ben) == ([], [])
    assert [(c.juror, c.comment, c.final) for c in after] == [
        ("a juror", "The [redacted] project, clearly", True)
    ]


@pytest.mark.parametrize(
    ("review", "field"),
    [
        (ReviewInput(scores={"impact": 11}), "scores.impact"),
        (ReviewInput(scores={"impact": -1}), "scores.impact"),
        (ReviewInput(scores={"charisma": 5}), "scores.charisma"),
        (ReviewInput(scores={"impact": 5}, final=True), "scores"),
    ],
)
async def test_a_review_outside_the_rubric_is_refused_naming_the_criterion(
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    review: ReviewInput,
    field: str,
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    ana, _ = await panel(runtime, clock, tokens, open_award)
    first = (await assignments_of(runtime, actor=ana))[0].assignment.id or 0

    with pytest.raises(Invalid) as refused:
        await save_review(runtime, first, review, actor=ana)

    assert refused.value.extra["field"] == field


async def test_another_jurors_assignment_does_not_exist_for_me(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    ana, ben = await panel(runtime, clock, tokens, open_award)
    bens = (await assignments_of(runtime, actor=ben))[0].assignment.id or 0

    with pytest.raises(NotFound):
        await save_review(runtime, bens, ReviewInput(scores={"impact": 5}), actor=ana)


async def test_a_declared_conflict_withdraws_the_assignment_and_is_remembered(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    ana, _ = await panel(runtime, clock, tokens, open_award)
    mine = {
        v.assignment.submission_id: v.assignment.id
        for v in await assignments_of(runtime, actor=ana)
    }
    city_one = ids["city-1"][0]

    await declare_conflict(runtime, mine[city_one] or 0, reason="my sister runs it", actor=ana)

    left = {v.assignment.submission_id for v in await assignments_of(runtime, actor=ana)}
    assert city_one not in left
    async with runtime.db.read() as session:
        withdrawn = await session.get(Assignment, mine[city_one])
        declared = list(await session.scalars(select(ConflictOfInterest)))
    assert withdrawn is not None
    assert (withdrawn.active, withdrawn.withdrawn_reason) == (
        False,
        "conflict declared: my sister runs it",
    )
    assert [(c.user_id, c.source, c.reason) for c in declared] == [
        (ana.id, "declared", "my sister runs it")
    ]
    with pytest.raises(Invalid):
        await declare_conflict(runtime, mine[ids["barcelona"][0]] or 0, reason=" ", actor=ana)


async def test_finalising_without_every_required_score_keeps_what_was_written_as_a_draft(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    ana, _ = await panel(runtime, clock, tokens, open_award)
    first = (await assignments_of(runtime, actor=ana))[0].assignment.id or 0
    partial = ReviewInput(scores={"impact": 6}, comment_for_jury="Strong on impact", final=True)

    with pytest.raises(Invalid) as refused:
        await save_review(runtime, first, partial, actor=ana)

    assert refused.value.extra["kept"] == "draft"
    assert "impact" not in refused.value.extra["missing"]
    kept = (await assignments_of(runtime, actor=ana))[0].review
    assert kept is not None
    assert (kept.scores, kept.comment_for_jury, kept.final) == (
        {"impact": 6},
        "Strong on impact",
        False,
    )


async def test_the_dossier_hides_the_citys_other_names_in_the_register_and_split_names(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    """Only the register's name was redacted: "Barcelone", a short form, and a name split
    by an invisible character (a soft hyphen pasted from Word) reached the jury."""
    async with runtime.db.write() as session:
        barcelona = await session.scalar(
            select(Organisation).where(col(Organisation.slug) == "barcelona")
        )
        assert barcelona is not None
        barcelona.aliases = "Barcelone; BCN"
    written = (
        "Barcelone, BCN, Bar\u00adcelona, Barce\u200dlona, Bar\u200bcelone and "
        "\uff22\uff41\uff52\uff43\uff45\uff4c\uff4f\uff4e\uff41 open their schoolyards"
    )
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    async with runtime.db.write() as session:
        for submission in await session.scalars(select(Submission)):
            submission.answers = {**submission.answers, "description": {"en": written}}
    [ana, _] = await panel(runtime, clock, tokens, open_award)
    first = (await assignments_of(runtime, actor=ana))[0].assignment.id or 0

    shown = (await dossier(runtime, first, actor=ana)).answers["description"]["en"]

    assert shown == (
        "[redacted], [redacted], [redacted], [redacted], [redacted] and [redacted] "
        "open their schoolyards"
    )
