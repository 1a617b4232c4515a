"""Weighted scores: one number per review, from its criteria, checked against the rubric.

A review's weighted score is sum(weight_i * score_i) / sum(weight_i) over the criteria it
scores, so a missing optional criterion neither helps nor hurts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from awards.errors import Invalid
from awards.kinds.jury_spec import Criterion

ScoreTable = Mapping[int, Mapping[int, float]]
"""submission id -> juror id -> that juror's weighted score for that submission."""


@dataclass(frozen=True, slots=True)
class ScoredReview:
    """One juror's review of one submission, as the ranking needs it."""

    submission_id: int
    juror_id: int
    scores: Mapping[str, float]
    """Criterion name -> score on the rubric's scale; a criterion that is not required may be
    absent."""


def check_rubric(criteria: Sequence[Criterion], *, scale: tuple[int, int]) -> None:
    """Refuse a rubric no weighted score can be taken on: reversed scale, negative weight."""
    low, high = scale
    if low > high:
        raise Invalid(f"cannot rank on the scale {low}-{high}: its minimum is above its maximum")
    for criterion in criteria:
        if criterion.weight < 0:
            raise Invalid(f"cannot rank: criterion '{criterion.name}' has a negative weight")


def weigh(
    reviews: Sequence[ScoredReview], *, criteria: Sequence[Criterion], scale: tuple[int, int]
) -> dict[int, dict[int, float]]:
    """submission id -> juror id -> weighted score, checking each review on the way.

    Raises `Invalid`, naming the review, for a score outside the scale (NaN included) or of a
    criterion not in `criteria`, a review scoring no weighted criterion, and a juror's second
    review of a submission.

    The hot loop of a ranking (reviews x criteria), kept to plain local operations: measured,
    this beats handing the criteria to `map`, `sum` and `min`/`max`, whose per-review setup
    costs more than six iterations. Unknown criteria are found by counting, not by a set per
    review. The sum runs in the rubric's order whatever the review's, so equal reviews weigh
    exactly equal.
    """
    weights = [(criterion.name, criterion.weight) for criterion in criteria]
    low, high = scale
    table: dict[int, dict[int, float]] = {}
    for review in reviews:
        scores = review.scores
        total = weight_sum = 0.0
        present = 0
        for name, weight in weights:
            score = scores.get(name)
            if score is None:
                continue
            if not low <= score <= high:  # NaN too
                raise _invalid(review, f"scores '{name}' {score}, outside the scale {low}-{high}")
            total += weight * score
            weight_sum += weight
            present += 1
        if present != len(scores):
            unknown = sorted(set(scores) - {name for name, _ in weights})
            raise _invalid(review, f"scores unknown criteria: {', '.join(unknown)}")
        if weight_sum <= 0:
            raise _invalid(review, "scores no criterion with a weight")
        row = table.setdefault(review.submission_id, {})
        if review.juror_id in row:
            raise _invalid(review, "is not the juror's only review of that submission")
        row[review.juror_id] = total / weight_sum
    return table


def _invalid(review: ScoredReview, problem: str) -> Invalid:
    return Invalid(
        f"cannot rank: the review of submission {review.submission_id} by juror "
        f"{review.juror_id} {problem}",
        extra={"submission_id": review.submission_id, "juror_id": review.juror_id},
    )
