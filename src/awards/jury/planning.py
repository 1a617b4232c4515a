"""Who reviews what: a pure plan, so its promises can be checked on random panels.

Promises: no pair across a conflict (invariant 5); each submission gets `reviews` reviews
(every allowed juror when `reviews` is None) unless too few jurors are allowed, which is
reported; jurors' loads differ by at most one when conflicts do not force otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    pairs: list[tuple[int, int]] = field(default_factory=list)
    """New (submission id, juror id) assignments."""
    short: dict[int, int] = field(default_factory=dict)
    """Submission id -> reviews missing for want of allowed jurors."""


def plan_assignments(
    submissions: Sequence[tuple[int, int]],
    jurors: Sequence[int],
    *,
    reviews: int | None,
    blocked: set[tuple[int, int]],
    existing: AbstractSet[tuple[int, int]] = frozenset(),
    withdrawn: AbstractSet[tuple[int, int]] = frozenset(),
    outside: AbstractSet[tuple[int, int]] = frozenset(),
) -> Plan:
    """Assign `(submission id, organisation id)` pairs to `jurors`.

    Args:
        reviews: reviews wanted per submission; None for every allowed juror.
        blocked: (juror id, organisation id) pairs that must never meet.
        existing: (submission id, juror id) assignments already made; they count.
        withdrawn: (submission id, juror id) assignments withdrawn (a juror declined, or
            declared a conflict): never made again.
        outside: (submission id, juror id) pairs of a juror who sits for another category.
    """
    load = dict.fromkeys(jurors, 0)
    position = {juror: index for index, juror in enumerate(jurors)}
    for _, juror in existing:
        if juror in load:
            load[juror] += 1
    allowed = {
        submission: [
            j for j in jurors if (j, organisation) not in blocked and (submission, j) not in outside
        ]
        for submission, organisation in submissions
    }
    plan = Plan()
    # The most constrained submissions choose first, so they are not left without jurors.
    order = sorted(submissions, key=lambda pair: (len(allowed[pair[0]]), pair[0]))
    for turn, (submission, _) in enumerate(order):
        have = [j for j in allowed[submission] if (submission, j) in existing]
        free = [
            j
            for j in allowed[submission]
            if (submission, j) not in existing and (submission, j) not in withdrawn
        ]
        wanted = len(free) if reviews is None else max(reviews - len(have), 0)
        # Least loaded first; equal loads rotate with the turn, so no juror is always first.
        free.sort(key=lambda j: (load[j], (position[j] - turn) % len(jurors)))
        chosen = free[:wanted]
        for juror in chosen:
            load[juror] += 1
            plan.pairs.append((submission, juror))
        if len(chosen) < wanted:
            plan.short[submission] = wanted - len(chosen)
    return plan
