"""A juror's score distribution as an SVG bar chart, drawn on the server (no script).

Only geometry is computed here; `templates/pages/_chart.html` draws it, with a title and a
text description for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 240
HEIGHT = 90
AXIS = 16
"""Room under the bars for the scale's labels."""


@dataclass(frozen=True)
class Bar:
    score: int
    """The bin: weighted scores from `score` to just under `score + 1` (the top one closed)."""
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Histogram:
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: int
    most: int

    @property
    def description(self) -> str:
        """`0: 1, 1: 0, ...`: the counts, for who cannot see the bars."""
        return ", ".join(f"{bar.score}: {bar.count}" for bar in self.bars)


def histogram(scores: Iterable[float], *, low: int, high: int) -> Histogram:
    """One bar per whole score of the scale `low`..`high`, as tall as its share of reviews."""
    counts = dict.fromkeys(range(low, high + 1), 0)
    for score in scores:
        counts[min(max(math.floor(score), low), high)] += 1
    most = max(counts.values())
    baseline = HEIGHT - AXIS
    slot = WIDTH / len(counts)
    bars = []
    for index, (score, count) in enumerate(counts.items()):
        tall = 0.0 if most == 0 else (baseline - 4) * count / most
        bars.append(
            Bar(
                score=score,
                count=count,
                x=round(index * slot + 1, 2),
                y=round(baseline - tall, 2),
                width=round(slot - 2, 2),
                height=round(tall, 2),
            )
        )
    return Histogram(tuple(bars), WIDTH, HEIGHT, baseline, most)


@dataclass(frozen=True)
class Progress:
    """One laureate's value of an indicator, as a horizontal bar against the target."""

    label: str
    value: Decimal
    y: float
    width: float


@dataclass(frozen=True)
class IndicatorChart:
    bars: tuple[Progress, ...]
    width: int
    height: int
    target_x: float
    """Where the target's line stands."""

    @property
    def description(self) -> str:
        return ", ".join(f"{bar.label}: {bar.value}" for bar in self.bars)


ROW = 18


def indicator_chart(
    values: Iterable[tuple[str, Decimal]], *, target: Decimal, highest: Decimal
) -> IndicatorChart:
    """A bar per (label, value), as long as its share of `highest`, with the target marked."""
    scale = WIDTH / float(highest) if highest > 0 else 0.0
    bars = tuple(
        Progress(label, value, y=index * ROW + 2, width=round(max(float(value), 0) * scale, 2))
        for index, (label, value) in enumerate(values)
    )
    return IndicatorChart(bars, WIDTH, max(len(bars), 1) * ROW + 4, round(float(target) * scale, 2))
