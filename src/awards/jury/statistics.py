"""Descriptive statistics of review scores: the aggregates a call may rank by, and spreads.

Plain Python over short collections: a submission has a handful of reviews, a juror a few
hundred. Each function takes any sized collection, so that a ranking can pass a dict's
`.values()` without copying it.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

SPREAD_EPSILON = 1e-9
"""Standard deviations below this count as zero. Weighted scores that are equal on paper can
differ in the last bit of a float; dividing by that noise would turn a juror who gave every
submission the same score into one with extreme z-scores."""


class Aggregate(StrEnum):
    """How a submission's review scores become its one score (the call kind's `aggregate`)."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    """The mean once a fraction of the reviews is cut at each end: one outlying juror, harsh or
    lenient on this submission alone, no longer moves it."""


def mean(values: Collection[float]) -> float:
    """The arithmetic mean, never outside the values' range.

    `fsum` so that the order of the reviews cannot change the result; the clamp because the
    division's rounding can leave the range by one unit in the last place (three equal scores
    can average to a hair more), and a score must stay on its scale.
    """
    return min(max(math.fsum(values) / len(values), min(values)), max(values))


def population_sd(values: Collection[float], centre: float) -> float:
    """The standard deviation around `centre` (the values' mean), dividing by n, not n - 1.

    A juror's reviews are all they scored, not a sample of it, and a single review has a
    spread of 0 rather than an undefined one.
    """
    return math.sqrt(math.fsum([(value - centre) ** 2 for value in values]) / len(values))


def median(values: Collection[float]) -> float:
    """The middle value, or the mean of the two middle values of an even count."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def trimmed_mean(values: Collection[float], trim: float) -> float:
    """The mean after cutting `floor(trim * n)` values at each end, keeping at least one.

    With five reviews and `trim=0.2` the highest and the lowest go; with fewer than five none
    does. `trim=0.5` is the median. The small epsilon keeps `0.29 * 100` from flooring to 28.
    """
    ordered = sorted(values)
    count = len(ordered)
    cut = min(int(trim * count + 1e-9), (count - 1) // 2)
    return mean(ordered[cut : count - cut])


def aggregate(values: Collection[float], how: Aggregate, *, trim: float) -> float:
    """One score from several (never empty); `trim` is used by the trimmed mean only."""
    if how is Aggregate.MEAN:
        return mean(values)
    if how is Aggregate.MEDIAN:
        return median(values)
    return trimmed_mean(values, trim)


@dataclass(frozen=True, slots=True)
class Spread:
    """How far a submission's review scores are apart: a wide one is worth discussing."""

    sd: float
    """Population standard deviation."""
    low: float
    high: float


def spread(values: Collection[float]) -> Spread:
    low, high = min(values), max(values)
    centre = min(max(math.fsum(values) / len(values), low), high)  # `mean`, sharing min and max
    return Spread(sd=population_sd(values, centre), low=low, high=high)
