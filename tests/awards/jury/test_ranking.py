"""Ranking: weighted scores, aggregates, harsh and lenient jurors, ties, per-juror statistics."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.errors import Invalid
from awards.jury.ranking import (
    Aggregate,
    JurorStatistics,
    RankedSubmission,
    Ranking,
    RankingPolicy,
    ScoredReview,
    Spread,
    rank,
)
from awards.kinds.jury_spec import Criterion

# No deadline: timings on a shared CI machine vary more than the examples do.
PROPERTY = settings(deadline=None)

IMPACT = Criterion(name="impact", weight=2.0, label={}, help={})
METHOD = Criterion(name="method", weight=1.0, label={}, help={})
RUBRIC = (IMPACT, METHOD)
SINGLE = (Criterion(name="impact", weight=1.0, label={}, help={}),)
SCALE = (0, 10)
HARSH, LENIENT = 10, 20


def review(submission_id: int, juror_id: int, **scores: float) -> ScoredReview:
    return ScoredReview(submission_id=submission_id, juror_id=juror_id, scores=scores)


def outline(ranking: Ranking) -> list[tuple[int, int, float]]:
    """(submission id, rank, score to 6 decimals) of each entry, in ranking order."""
    return [(entry.submission_id, entry.rank, round(entry.score, 6)) for entry in ranking.entries]


# Weighted score = (2 * impact + method) / 3. The harsh juror's are 3, 5 and 4, the lenient
# juror's 7, 9 and 8: both read submission 5, and each reads two others alone.
HARSH_AND_LENIENT = (
    review(1, HARSH, impact=4, method=1),  # (8 + 1) / 3 = 3
    review(2, HARSH, impact=5, method=5),  # 5
    review(5, HARSH, impact=3, method=6),  # (6 + 6) / 3 = 4
    review(3, LENIENT, impact=6, method=9),  # (12 + 9) / 3 = 7
    review(4, LENIENT, impact=9, method=9),  # 9
    review(5, LENIENT, impact=8, method=8),  # 8
)


def test_raw_ranking_puts_the_lenient_jurors_submissions_first() -> None:
    ranking = rank(HARSH_AND_LENIENT, criteria=RUBRIC, scale=SCALE, policy=RankingPolicy())

    # Means: 4 -> 9, 3 -> 7, 5 -> (4 + 8) / 2 = 6, 2 -> 5, 1 -> 3.
    assert outline(ranking) == [(4, 1, 9.0), (3, 2, 7.0), (5, 3, 6.0), (2, 4, 5.0), (1, 5, 3.0)]
    assert ranking.entries[2] == RankedSubmission(
        submission_id=5,
        rank=3,
        score=6.0,
        raw_score=None,
        spread=Spread(sd=2.0, low=4.0, high=8.0),  # sqrt(((4 - 6)^2 + (8 - 6)^2) / 2)
        reviews=2,
        tied_with=(),
        tie_break_order=None,
    )


def test_juror_statistics_show_one_harsh_and_one_lenient_juror() -> None:
    ranking = rank(HARSH_AND_LENIENT, criteria=RUBRIC, scale=SCALE, policy=RankingPolicy())

    # Panel: mean 36 / 6 = 6, sd sqrt((9 + 1 + 4 + 1 + 9 + 4) / 6) = 2.160247.
    # Each juror: deviations -1, 0, 1 from its mean, sd sqrt(2 / 3).
    assert ranking.panel_mean == 6.0
    assert ranking.panel_sd == pytest.approx(2.160247, abs=1e-6)
    assert ranking.jurors == (
        JurorStatistics(
            juror_id=HARSH,
            count=3,
            mean=4.0,
            sd=math.sqrt(2 / 3),
            leniency=-2.0,
            scores=(3.0, 4.0, 5.0),
        ),
        JurorStatistics(
            juror_id=LENIENT,
            count=3,
            mean=8.0,
            sd=math.sqrt(2 / 3),
            leniency=2.0,
            scores=(7.0, 8.0, 9.0),
        ),
    )
    # Only submission 5 has two reviews (4 and 8): one pair, so D_o = D_e and alpha = 0.
    assert ranking.agreement == 0.0


def test_normalised_ranking_levels_the_harsh_and_the_lenient_juror() -> None:
    ranking = rank(
        HARSH_AND_LENIENT, criteria=RUBRIC, scale=SCALE, policy=RankingPolicy(normalise=True)
    )

    # A review 1 above its juror's mean has z = 1 / sqrt(2 / 3) = 1.224745 and lands at
    # 6 + 1.224745 * 2.160247 = 6 + 2.645751 = 8.645751; 1 below, at 3.354249; at the mean, 6.
    assert outline(ranking) == [
        (2, 1, 8.645751),
        (4, 1, 8.645751),
        (5, 3, 6.0),
        (1, 4, 3.354249),
        (3, 4, 3.354249),
    ]
    assert [
        (entry.submission_id, entry.raw_score, entry.tied_with, entry.tie_break_order)
        for entry in ranking.entries
    ] == [
        (2, 5.0, (4,), None),
        (4, 9.0, (2,), None),
        (5, 6.0, (), None),
        (1, 3.0, (3,), None),
        (3, 7.0, (1,), None),
    ]
    assert ranking.entries[2].spread == Spread(sd=0.0, low=6.0, high=6.0)


def test_normalising_puts_a_juror_without_spread_on_the_panel_mean_and_clamps_to_the_scale() -> (
    None
):
    reviews = [
        *(review(submission_id, 1, impact=0) for submission_id in (1, 2, 3)),
        review(4, 1, impact=10),
        review(5, 2, impact=10),
        review(6, 2, impact=10),
    ]

    ranking = rank(reviews, criteria=SINGLE, scale=SCALE, policy=RankingPolicy(normalise=True))

    # Panel: 0, 0, 0, 10, 10, 10: mean 5, sd 5. Juror 1: mean 2.5, sd sqrt(75 / 4) = 4.330127;
    # 10 -> 5 + 7.5 / 4.330127 * 5 = 13.660254, clamped to 10; 0 -> 5 - 2.5 / 4.330127 * 5 =
    # 2.113249. Juror 2 gave 10 twice: no spread, z = 0, both on the panel mean.
    assert outline(ranking) == [
        (4, 1, 10.0),
        (5, 2, 5.0),
        (6, 2, 5.0),
        (1, 4, 2.113249),
        (2, 4, 2.113249),
        (3, 4, 2.113249),
    ]


def test_tie_break_orders_tied_submissions_and_keeps_them_tied() -> None:
    policy = RankingPolicy(normalise=True, tie_break=("impact",))

    ranking = rank(HARSH_AND_LENIENT, criteria=RUBRIC, scale=SCALE, policy=policy)

    # At 8.645751 impact 9 (submission 4) beats 5 (submission 2); at 3.354249, 6 (3) beats 4 (1).
    assert [
        (entry.submission_id, entry.rank, entry.tied_with, entry.tie_break_order)
        for entry in ranking.entries
    ] == [
        (4, 1, (2,), 1),
        (2, 1, (4,), 2),
        (5, 3, (), None),
        (3, 4, (1,), 1),
        (1, 4, (3,), 2),
    ]


SPREAD_OUT, STEADY = 100, 200
FIVE_JURORS = tuple(
    review(SPREAD_OUT, juror_id, impact=score)
    for juror_id, score in zip(range(1, 6), (1, 2, 3, 7, 10), strict=True)
) + tuple(review(STEADY, juror_id, impact=4) for juror_id in range(1, 6))


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        pytest.param(RankingPolicy(), [(100, 1, 4.6), (200, 2, 4.0)], id="mean 23 / 5"),
        pytest.param(
            RankingPolicy(aggregate=Aggregate.MEDIAN), [(200, 1, 4.0), (100, 2, 3.0)], id="median"
        ),
        pytest.param(
            RankingPolicy(aggregate=Aggregate.TRIMMED_MEAN),
            [(100, 1, 4.0), (200, 1, 4.0)],
            id="trimmed 0.2 cuts 1 and 10: (2 + 3 + 7) / 3, tied",
        ),
        pytest.param(
            RankingPolicy(aggregate=Aggregate.TRIMMED_MEAN, trim=0.4),
            [(200, 1, 4.0), (100, 2, 3.0)],
            id="trimmed 0.4 keeps the median",
        ),
        pytest.param(
            RankingPolicy(aggregate=Aggregate.TRIMMED_MEAN, trim=0.0),
            [(100, 1, 4.6), (200, 2, 4.0)],
            id="trimmed 0 is the mean",
        ),
    ],
)
def test_aggregate_decides_how_an_outlying_review_counts(
    policy: RankingPolicy, expected: list[tuple[int, int, float]]
) -> None:
    ranking = rank(FIVE_JURORS, criteria=SINGLE, scale=SCALE, policy=policy)

    assert outline(ranking) == expected


def test_median_of_an_even_number_of_reviews_is_the_mean_of_the_middle_two() -> None:
    reviews = [review(1, juror_id, impact=score) for juror_id, score in enumerate((10, 1, 3, 2))]

    ranking = rank(
        reviews, criteria=SINGLE, scale=SCALE, policy=RankingPolicy(aggregate=Aggregate.MEDIAN)
    )

    assert outline(ranking) == [(1, 1, 2.5)]  # 1, 2 | 3, 10


def test_weights_decide_between_submissions_with_the_same_unweighted_mean() -> None:
    criteria = (
        Criterion(name="impact", weight=3.0, label={}, help={}),
        Criterion(name="method", weight=1.0, label={}, help={}),
    )
    reviews = [review(1, 7, impact=10, method=2), review(2, 7, impact=2, method=10)]

    ranking = rank(reviews, criteria=criteria, scale=SCALE, policy=RankingPolicy())

    # (3 * 10 + 2) / 4 = 8 and (3 * 2 + 10) / 4 = 4, where unweighted both would be 6.
    assert outline(ranking) == [(1, 1, 8.0), (2, 2, 4.0)]


def test_a_missing_optional_criterion_is_left_out_of_the_weighted_score() -> None:
    reviews = [review(1, 7, impact=6), review(1, 8, impact=6, method=3)]

    ranking = rank(reviews, criteria=RUBRIC, scale=SCALE, policy=RankingPolicy())

    # Juror 7: 2 * 6 / 2 = 6, not (12 + 0) / 3 = 4; juror 8: (12 + 3) / 3 = 5; mean 5.5.
    assert outline(ranking) == [(1, 1, 5.5)]
    assert [juror.scores for juror in ranking.jurors] == [(6.0,), (5.0,)]


def test_scores_equal_to_three_decimals_share_a_rank_and_the_next_rank_skips() -> None:
    scores = {1: 9.0, 2: 7.0004, 3: 7.0001, 4: 5.0, 5: 7.0006}
    reviews = [review(submission_id, 1, impact=score) for submission_id, score in scores.items()]

    ranking = rank(reviews, criteria=SINGLE, scale=SCALE, policy=RankingPolicy())

    # 7.0004 and 7.0001 round to 7.0: tied, their unrounded scores kept; 7.0006 is 7.001.
    assert outline(ranking) == [
        (1, 1, 9.0),
        (5, 2, 7.0006),
        (2, 3, 7.0004),
        (3, 3, 7.0001),
        (4, 5, 5.0),
    ]
    assert [entry.tied_with for entry in ranking.entries] == [(), (), (3,), (2,), ()]


def test_complete_ties_are_listed_by_submission_id_whatever_the_input_order() -> None:
    reviews = [review(30, 1, impact=5), review(10, 1, impact=5), review(20, 1, impact=5)]

    ranking = rank(reviews, criteria=SINGLE, scale=SCALE, policy=RankingPolicy())

    assert [
        (entry.submission_id, entry.rank, entry.tied_with, entry.tie_break_order)
        for entry in ranking.entries
    ] == [(10, 1, (20, 30), None), (20, 1, (10, 30), None), (30, 1, (10, 20), None)]


def test_tie_break_shares_positions_when_it_ties_too_and_puts_unscored_last() -> None:
    reviews = [
        review(4, 7, impact=6),  # 6, no method
        review(3, 7, impact=7, method=4),  # (14 + 4) / 3 = 6
        review(2, 7, impact=7, method=4),  # 6
        review(1, 7, impact=6, method=6),  # 6
    ]
    policy = RankingPolicy(tie_break=("method", "impact"))

    ranking = rank(reviews, criteria=RUBRIC, scale=SCALE, policy=policy)

    # method: 6 for 1, 4 for 2 and 3 (both impact 7 too), none for 4.
    assert [
        (entry.submission_id, entry.rank, entry.tie_break_order) for entry in ranking.entries
    ] == [(1, 1, 1), (2, 1, 2), (3, 1, 2), (4, 1, 4)]


def test_no_reviews_rank_nothing() -> None:
    ranking = rank([], criteria=RUBRIC, scale=SCALE, policy=RankingPolicy(normalise=True))

    assert ranking == Ranking(entries=(), jurors=(), agreement=None, panel_mean=None, panel_sd=None)


@pytest.mark.parametrize(
    ("reviews", "policy", "message"),
    [
        pytest.param(
            [review(1, 7, impact=11)],
            RankingPolicy(),
            "cannot rank: the review of submission 1 by juror 7 scores 'impact' 11, "
            "outside the scale 0-10",
            id="outside the scale",
        ),
        pytest.param(
            [review(1, 7, impact=5, method=float("nan"))],
            RankingPolicy(),
            "cannot rank: the review of submission 1 by juror 7 scores 'method' nan, "
            "outside the scale 0-10",
            id="not a number",
        ),
        pytest.param(
            [review(1, 7, impact=5, clarity=3, budget=2)],
            RankingPolicy(),
            "cannot rank: the review of submission 1 by juror 7 scores unknown criteria: "
            "budget, clarity",
            id="unknown criteria",
        ),
        pytest.param(
            [review(1, 7)],
            RankingPolicy(),
            "cannot rank: the review of submission 1 by juror 7 scores no criterion with a weight",
            id="empty review",
        ),
        pytest.param(
            [review(1, 7, impact=5), review(1, 7, impact=6)],
            RankingPolicy(),
            "cannot rank: the review of submission 1 by juror 7 is not the juror's only review "
            "of that submission",
            id="twice",
        ),
        pytest.param(
            [review(1, 7, impact=5)],
            RankingPolicy(tie_break=("budget",)),
            "cannot rank: tie-break criterion 'budget' is not a criterion of the rubric "
            "(impact, method)",
            id="unknown tie-break",
        ),
    ],
)
def test_unrankable_reviews_are_refused_with_the_reason(
    reviews: list[ScoredReview], policy: RankingPolicy, message: str
) -> None:
    with pytest.raises(Invalid) as refused:
        rank(reviews, criteria=RUBRIC, scale=SCALE, policy=policy)

    assert refused.value.message == message


def test_an_aggregate_named_in_a_call_kind_is_accepted_and_an_unknown_one_refused() -> None:
    policy = RankingPolicy(aggregate="trimmed_mean")  # type: ignore[arg-type]  # as YAML gives it

    with pytest.raises(Invalid) as refused:
        RankingPolicy(aggregate="mode")  # type: ignore[arg-type]

    assert policy.aggregate is Aggregate.TRIMMED_MEAN
    assert refused.value.message == (
        "cannot rank by 'mode': the aggregate is one of mean, median, trimmed_mean"
    )


def test_a_trim_beyond_half_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        RankingPolicy(aggregate=Aggregate.TRIMMED_MEAN, trim=0.6)

    assert refused.value.message == (
        "cannot rank with trim 0.6: a trimmed mean cuts between 0 and 0.5 of the reviews at "
        "each end"
    )


CRITERIA = (*RUBRIC, Criterion(name="clarity", weight=0.5, label={}, help={}))
marks = st.dictionaries(
    st.sampled_from(["impact", "method", "clarity"]),
    st.integers(0, 10).map(float) | st.floats(0, 10),
    min_size=1,
)
review_sets = st.dictionaries(
    st.tuples(st.integers(1, 10), st.integers(1, 5)), marks, max_size=30
).map(
    lambda cells: [
        ScoredReview(submission_id=submission_id, juror_id=juror_id, scores=scores)
        for (submission_id, juror_id), scores in cells.items()
    ]
)
policies = st.builds(
    RankingPolicy,
    aggregate=st.sampled_from(Aggregate),
    normalise=st.booleans(),
    trim=st.sampled_from((0.0, 0.2, 0.5)),
    tie_break=st.sampled_from(((), ("impact",), ("clarity", "method"))),
)


@PROPERTY
@given(review_sets, policies)
def test_ranks_are_a_competition_ranking_of_every_reviewed_submission(
    reviews: list[ScoredReview], policy: RankingPolicy
) -> None:
    ranking = rank(reviews, criteria=CRITERIA, scale=SCALE, policy=policy)

    entries = ranking.entries
    assert sorted(entry.submission_id for entry in entries) == sorted(
        {one.submission_id for one in reviews}
    )
    assert sum(entry.reviews for entry in entries) == len(reviews)
    for entry in entries:
        tied = [other.submission_id for other in entries if other.rounded == entry.rounded]
        assert entry.rank == 1 + sum(other.rounded > entry.rounded for other in entries)
        assert entry.tied_with == tuple(other for other in tied if other != entry.submission_id)
        if not entry.tied_with or not policy.tie_break:
            assert entry.tie_break_order is None
    for previous, entry in pairwise(entries):
        if entry.tie_break_order is not None and entry.rounded == previous.rounded:
            assert previous.tie_break_order is not None
            assert previous.tie_break_order <= entry.tie_break_order
        elif entry.tie_break_order is not None:
            assert entry.tie_break_order == 1
    assert [entry.rounded for entry in entries] == sorted(
        (entry.rounded for entry in entries), reverse=True
    )


@PROPERTY
@given(review_sets, policies)
def test_scores_stay_within_the_scale(reviews: list[ScoredReview], policy: RankingPolicy) -> None:
    ranking = rank(reviews, criteria=CRITERIA, scale=SCALE, policy=policy)

    for entry in ranking.entries:
        assert 0 <= entry.spread.low <= entry.score <= entry.spread.high <= 10
        assert entry.raw_score is None or 0 <= entry.raw_score <= 10
    for juror in ranking.jurors:
        assert 0 <= juror.scores[0] <= juror.mean <= juror.scores[-1] <= 10


@PROPERTY
@given(review_sets, policies)
def test_the_order_of_the_reviews_does_not_change_the_ranking(
    reviews: list[ScoredReview], policy: RankingPolicy
) -> None:
    ranking = rank(reviews, criteria=CRITERIA, scale=SCALE, policy=policy)

    assert rank(reversed(reviews), criteria=CRITERIA, scale=SCALE, policy=policy) == ranking


def normalised_scores(
    reviews: Sequence[ScoredReview], *, how: Aggregate, scale: tuple[int, int]
) -> dict[int, float]:
    policy = RankingPolicy(aggregate=how, normalise=True)
    ranking = rank(reviews, criteria=CRITERIA, scale=scale, policy=policy)
    return {entry.submission_id: entry.score for entry in ranking.entries}


@PROPERTY
@given(
    review_sets,
    st.integers(1, 5),
    st.sampled_from((0.5, 2.0, 3.0)),
    st.integers(-20, 20),
    st.sampled_from(Aggregate),
)
def test_an_affine_change_of_one_jurors_scores_leaves_the_normalised_order_unchanged(
    reviews: list[ScoredReview], juror_id: int, factor: float, shift: int, how: Aggregate
) -> None:
    changed = [
        ScoredReview(
            submission_id=one.submission_id,
            juror_id=one.juror_id,
            scores={name: factor * score + shift for name, score in one.scores.items()},
        )
        if one.juror_id == juror_id
        else one
        for one in reviews
    ]
    # Room enough that nothing is clamped: clamping is a different change, not an affine one.
    wide = (-1000, 1000)

    before = normalised_scores(reviews, how=how, scale=wide)
    after = normalised_scores(changed, how=how, scale=wide)

    # Every juror's z-scores are unchanged; only the panel's mean and sd move, which maps every
    # normalised score through the same increasing line. Differences below 1e-6 are float noise.
    for first, second in combinations(before, 2):
        was, now = before[first] - before[second], after[first] - after[second]
        if abs(was) > 1e-6 or abs(now) > 1e-6:
            assert was * now > 0
