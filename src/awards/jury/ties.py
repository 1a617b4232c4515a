"""Ties: submissions with equal scores share a rank; a call's tie-break orders them.

Scores are compared rounded to 3 decimals, so that submissions equal on paper are tied
whatever the order of the float additions. A tie-break only orders a tie for display and
deliberation: the submissions stay tied, and deciding between them is the jury's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from itertools import groupby

from awards.jury.statistics import Aggregate, aggregate
from awards.jury.weighting import ScoredReview

SCORE_DECIMALS = 3

TieBreakKey = tuple[tuple[int, float], ...]


def tied_groups(
    scores: Mapping[int, float],
    reviews: Sequence[ScoredReview],
    *,
    tie_break: Sequence[str],
    how: Aggregate,
    trim: float,
) -> Iterator[tuple[list[int], Mapping[int, int]]]:
    """The submissions of each rounded score, best first, each with its tie-break positions.

    A group is in the tie-break's order, then by submission id. The positions map each member
    of a tie to its place in that order, starting at 1; members equal on every tie-break
    criterion share a place. They are empty for a group of one, or without a tie-break.

    Groups are made one at a time, so that a ranking keeps no list per submission: the garbage
    collector's passes grow with the objects alive.
    """
    rounded = {key: round(score, SCORE_DECIMALS) for key, score in scores.items()}
    # Two stable sorts with a builtin key: no Python call and no tuple per submission.
    order = sorted(rounded)
    order.sort(key=rounded.__getitem__, reverse=True)
    marks = _tie_break_marks(rounded, reviews, tie_break=tie_break) if tie_break else {}
    for _, members in groupby(order, key=rounded.__getitem__):
        group = list(members)
        if len(group) == 1 or not tie_break:
            yield group, {}
        else:
            yield _break_tie(group, marks, tie_break=tie_break, how=how, trim=trim)


def _tie_break_marks(
    rounded: Mapping[int, float], reviews: Sequence[ScoredReview], *, tie_break: Sequence[str]
) -> dict[int, dict[str, list[float]]]:
    """Tied submission id -> tie-break criterion -> the scores its reviews gave on it.

    Only the reviews of tied submissions are read.
    """
    sizes = Counter(rounded.values())
    marks: dict[int, dict[str, list[float]]] = {
        submission_id: {} for submission_id, score in rounded.items() if sizes[score] > 1
    }
    for review in reviews:
        given = marks.get(review.submission_id)
        if given is not None:
            for name in tie_break:
                score = review.scores.get(name)
                if score is not None:
                    given.setdefault(name, []).append(score)
    return marks


def _break_tie(
    group: list[int],
    marks: Mapping[int, Mapping[str, list[float]]],
    *,
    tie_break: Sequence[str],
    how: Aggregate,
    trim: float,
) -> tuple[list[int], dict[int, int]]:
    """A tie in the tie-break's order, and each member's position in it.

    A tie-break criterion compares the members' raw scores on that criterion, aggregated like
    the ranking (not normalised: normalising applies to weighted scores), best first; a member
    no juror scored on it comes after those that were.
    """

    def key(submission_id: int) -> TieBreakKey:
        given = marks[submission_id]
        return tuple(
            (0, -round(aggregate(given[name], how, trim=trim), SCORE_DECIMALS))
            if name in given
            else (1, 0.0)
            for name in tie_break
        )

    keys = {submission_id: key(submission_id) for submission_id in group}
    members = sorted(group, key=lambda submission_id: (keys[submission_id], submission_id))
    positions: dict[int, int] = {}
    for index, submission_id in enumerate(members):
        previous = members[index - 1]
        same = index > 0 and keys[submission_id] == keys[previous]
        positions[submission_id] = positions[previous] if same else index + 1
    return members, positions
