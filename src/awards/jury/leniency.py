"""Harsh and lenient jurors: each juror's statistics, and the correction that ranks on them.

Two jurors may agree on the order of everything they read, one scoring 3 to 5 and the other
7 to 9. When each reviews a different share of the submissions, the lenient juror's share
takes the top places. Normalising puts every juror's scores on the panel's footing before
they are aggregated (DOMAIN.md: users ask for it, pretalx #656): `Footing`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from awards.jury.statistics import SPREAD_EPSILON, mean, population_sd
from awards.jury.weighting import ScoreTable


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True)
class Footing:
    """Where each juror's reviews land once every juror is put on the panel's footing.

    For a review of weighted score `w` by juror `j`:

        z = (w - mean_j) / sd_j
        normalised = clamp(panel_mean + z * panel_sd, scale_min, scale_max)

    where `mean_j` and `sd_j` (population) are taken over juror j's reviews, and `panel_mean`
    and `panel_sd` over every review's raw weighted score. A juror's harshness (a low mean) and
    narrowness (a small spread) are both undone; rescaling keeps the result on the rubric's
    scale, so it reads like a score. A juror with one review, or who gave every submission the
    same score, carries no information on order: z = 0, every review lands on the panel mean.
    The clamp catches a juror's lone extreme score: far from the juror's own mean and spread,
    it can land beyond the scale.
    """

    panel_mean: float
    scale: tuple[float, float]
    jurors: Mapping[int, tuple[float, float]]
    """juror id -> (mean_j, panel_sd / sd_j), or (mean_j, 0) for a juror without spread."""

    @classmethod
    def of(
        cls,
        jurors: Iterable[JurorStatistics],
        *,
        panel_mean: float,
        panel_sd: float,
        scale: tuple[float, float],
    ) -> Footing:
        return cls(
            panel_mean=panel_mean,
            scale=scale,
            jurors={
                juror.juror_id: (
                    juror.mean,
                    0.0 if juror.sd < SPREAD_EPSILON else panel_sd / juror.sd,
                )
                for juror in jurors
            },
        )

    def normalised(self, row: Mapping[int, float]) -> list[float]:
        """The normalised scores of one submission's reviews (`row`: juror id -> weighted)."""
        low, high = self.scale
        values = []
        for juror_id, score in row.items():
            centre, factor = self.jurors[juror_id]
            value = self.panel_mean + (score - centre) * factor
            # Comparisons rather than min() and max(): this runs once per review.
            values.append(low if value < low else high if value > high else value)
        return values
