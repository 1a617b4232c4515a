"""Harsh and lenient jurors: each juror's statistics, and the correction that ranks on them.

Two jurors may agree on the order of everything they read, one scoring 3 to 5 and the other
7 to 9. When each reviews a different share of the submissions, the lenient juror's share
takes the top places. Normalising puts every juror's scores on the panel's footing before
they are aggregated (DOMAIN.md: users ask for it, pretalx #656).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from awards.jury.statistics import SPREAD_EPSILON, mean, population_sd

ScoreTable = Mapping[int, Mapping[int, float]]
"""submission id -> juror id -> that juror's weighted score for that submission."""


@dataclass(frozen=True)
class JurorStatistics:
    """One juror's scoring habits, shown to the Secretariat beside the ranking."""

    juror_id: int
    count: int
    mean: float
    sd: float
    """Population standard deviation of the juror's weighted scores."""
    leniency: float
    """The juror's mean minus the mean of every review's weighted score: below zero for a
    harsh juror, above for a lenient one."""
    scores: tuple[float, ...]
    """The juror's weighted scores, ascending: the data of a distribution chart."""


def juror_statistics(table: ScoreTable, *, panel_mean: float) -> tuple[JurorStatistics, ...]:
    """Every juror of `table`, by juror id; `panel_mean` is the mean of all its scores."""
    by_juror: dict[int, list[float]] = {}
    for row in table.values():
        for juror_id, score in row.items():
            by_juror.setdefault(juror_id, []).append(score)
    statistics = []
    for juror_id in sorted(by_juror):
        scores = sorted(by_juror[juror_id])
        centre = mean(scores)
        statistics.append(
            JurorStatistics(
                juror_id=juror_id,
                count=len(scores),
                mean=centre,
                sd=population_sd(scores, centre),
                leniency=centre - panel_mean,
                scores=tuple(scores),
            )
        )
    return tuple(statistics)


def normalise(
    table: ScoreTable,
    *,
    jurors: Sequence[JurorStatistics],
    panel_mean: float,
    panel_sd: float,
    scale: tuple[float, float],
) -> dict[int, list[float]]:
    """Each submission's review scores, every juror put on the panel's footing.

    For a review of weighted score `w` by juror `j`:

        z = (w - mean_j) / sd_j
        normalised = clamp(panel_mean + z * panel_sd, scale_min, scale_max)

    where `mean_j` and `sd_j` (population) are taken over juror j's reviews, and `panel_mean`
    and `panel_sd` over every review's raw weighted score. A juror's harshness (a low mean) and
    narrowness (a small spread) are both undone; rescaling keeps the result on the rubric's
    scale, so it reads like a score. A juror with one review, or who gave every submission the
    same score, carries no information on order: z = 0, every review lands on the panel mean.
    The clamp only bites for a juror whose few reviews include an extreme outlier.
    """
    low, high = scale
    footing: dict[int, tuple[float, float]] = {}
    for juror in jurors:
        factor = 0.0 if juror.sd < SPREAD_EPSILON else panel_sd / juror.sd
        footing[juror.juror_id] = (juror.mean, factor)
    normalised: dict[int, list[float]] = {}
    for submission_id, row in table.items():
        values = []
        for juror_id, score in row.items():
            centre, factor = footing[juror_id]
            values.append(min(high, max(low, panel_mean + (score - centre) * factor)))
        normalised[submission_id] = values
    return normalised
