"""Assignment plans on random panels: never across a conflict, as many reviews as allowed,
loads balanced within one when nothing forbids it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from awards.jury.planning import plan_assignments

panels = st.integers(min_value=1, max_value=8).flatmap(
    lambda jurors: st.tuples(
        st.just(list(range(100, 100 + jurors))),
        st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=40),
    )
)


@settings(max_examples=300, deadline=None)
@given(
    panel=panels,
    reviews=st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    blocked_share=st.floats(min_value=0, max_value=0.6),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_no_pair_crosses_a_conflict_and_every_allowed_review_is_made(
    panel: tuple[list[int], list[int]], reviews: int | None, blocked_share: float, seed: int
) -> None:
    jurors, organisations = panel
    submissions = [(index, organisation) for index, organisation in enumerate(organisations)]
    pairs = [(j, o) for j in jurors for o in set(organisations)]
    blocked = {
        pair for n, pair in enumerate(pairs) if (n * 7919 + seed) % 100 < blocked_share * 100
    }

    plan = plan_assignments(submissions, jurors, reviews=reviews, blocked=blocked)

    organisation_of = dict(submissions)
    assert all((j, organisation_of[s]) not in blocked for s, j in plan.pairs)
    assert len(plan.pairs) == len(set(plan.pairs))
    for submission, organisation in submissions:
        allowed = sum((j, organisation) not in blocked for j in jurors)
        wanted = allowed if reviews is None else min(reviews, allowed)
        got = sum(s == submission for s, _ in plan.pairs)
        assert got == wanted
        assert plan.short.get(submission, 0) == (0 if reviews is None else reviews - wanted)


@settings(max_examples=200, deadline=None)
@given(
    jurors=st.integers(min_value=2, max_value=9),
    submissions=st.integers(min_value=1, max_value=60),
    reviews=st.integers(min_value=1, max_value=3),
)
def test_without_conflicts_loads_differ_by_at_most_one(
    jurors: int, submissions: int, reviews: int
) -> None:
    panel = list(range(jurors))
    plan = plan_assignments(
        [(s, s) for s in range(submissions)], panel, reviews=min(reviews, jurors), blocked=set()
    )

    loads = [sum(j == juror for _, j in plan.pairs) for juror in panel]
    assert max(loads) - min(loads) <= 1


def test_existing_assignments_count_towards_the_reviews_wanted() -> None:
    plan = plan_assignments(
        [(1, 10)], [100, 101, 102], reviews=2, blocked=set(), existing={(1, 101)}
    )

    assert len(plan.pairs) == 1
    assert plan.pairs[0][1] != 101
