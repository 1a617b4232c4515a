"""Ranking a round's reviews, as a ratio to reading those reviews from the database in the same
run (target: at most 1.5 with normalisation on and off).

    python bench/ranking.py [--submissions 10000] [--reviews 5] [--criteria 6] [--rounds 5]
    python bench/ranking.py --quick

A SQLite file in a temporary folder holds a `reviews` table with one row per review and its
scores as JSON text, as the real table will. Each round reads every row back into
`ScoredReview` objects (the query, `json.loads` and the objects), then ranks them with
normalisation off and on. Reported: the median of the rounds, in wall-clock and CPU
seconds, and the median of each round's ratio to its own read. The reviews are made up with
a fixed seed: submissions of varied quality, jurors from harsh to lenient, one criterion in
ten left out.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from awards.jury.ranking import Ranking, RankingPolicy, ScoredReview, rank
from awards.kinds.jury_spec import Criterion

SCALE = (0, 10)
REVIEWS_PER_JUROR = 250
T = TypeVar("T")
WALL, CPU = 0, 1


def make_criteria(count: int) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(name=f"criterion_{number}", weight=float(1 + number % 3), label={}, help={})
        for number in range(count)
    )


def fill(
    connection: sqlite3.Connection,
    *,
    submissions: int,
    reviews: int,
    criteria: tuple[Criterion, ...],
) -> None:
    """One row per review; each submission read by `reviews` distinct jurors."""
    rng = random.Random(2026)
    jurors = max(reviews, submissions * reviews // REVIEWS_PER_JUROR)
    leniency = [rng.uniform(-2.0, 2.0) for _ in range(jurors)]
    connection.execute(
        "CREATE TABLE reviews (id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL, "
        "juror_id INTEGER NOT NULL, scores TEXT NOT NULL, UNIQUE (submission_id, juror_id))"
    )
    rows = []
    for submission_id in range(1, submissions + 1):
        quality = rng.uniform(2.0, 8.0)
        for juror_id in rng.sample(range(jurors), reviews):
            scores = {
                criterion.name: min(10, max(0, round(rng.gauss(quality + leniency[juror_id], 1))))
                for criterion in criteria
                if rng.random() >= 0.1 or criterion is criteria[0]
            }
            rows.append((submission_id, juror_id + 1, json.dumps(scores)))
    connection.executemany(
        "INSERT INTO reviews (submission_id, juror_id, scores) VALUES (?, ?, ?)", rows
    )
    connection.commit()


def read(connection: sqlite3.Connection) -> list[ScoredReview]:
    """What the jury service will do before ranking: every review of the round, as objects."""
    rows = connection.execute("SELECT submission_id, juror_id, scores FROM reviews ORDER BY id")
    return [
        ScoredReview(submission_id=submission_id, juror_id=juror_id, scores=json.loads(scores))
        for submission_id, juror_id, scores in rows
    ]


def measured(work: Callable[[], T], samples: list[tuple[float, float]]) -> T:
    """Run `work`, appending its (wall-clock, CPU) seconds to `samples`."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    samples.append((time.perf_counter() - wall, time.process_time() - cpu))
    return result


def ratio(
    steps: list[tuple[float, float]], reads: list[tuple[float, float]], *, clock: int
) -> float:
    """The median of each round's step over that round's read.

    Run back to back, the two see the same machine; CPU time is the figure judged, since other
    processes on a shared machine stretch wall-clock time, not the work done.
    """
    return statistics.median(
        step[clock] / read[clock] for step, read in zip(steps, reads, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=5, help="reviews per submission")
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="500 submissions, 3 rounds")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.submissions, arguments.rounds = 500, 3
    criteria = make_criteria(arguments.criteria)
    policies = {
        "rank": RankingPolicy(),
        "rank, normalised": RankingPolicy(normalise=True),
    }
    samples: dict[str, list[tuple[float, float]]] = {"read": [], **{name: [] for name in policies}}
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "bench.sqlite3")
        fill(
            connection,
            submissions=arguments.submissions,
            reviews=arguments.reviews,
            criteria=criteria,
        )
        for _ in range(arguments.rounds):
            reviews = measured(partial(read, connection), samples["read"])
            for name, policy in policies.items():
                # The ranking is dropped at once, as a request would: a heap still holding the
                # last one makes the garbage collector's passes longer.
                measured(
                    partial(rank, reviews, criteria=criteria, scale=SCALE, policy=policy),
                    samples[name],
                )
            del reviews  # each round starts from the same heap
        ranking = rank(read(connection), criteria=criteria, scale=SCALE, policy=RankingPolicy())
        connection.close()
    report(samples, arguments=arguments, ranking=ranking)


def report(
    samples: dict[str, list[tuple[float, float]]],
    *,
    arguments: argparse.Namespace,
    ranking: Ranking,
) -> None:
    rows = arguments.submissions * arguments.reviews
    print(
        f"{arguments.submissions} submissions x {arguments.reviews} reviews x "
        f"{arguments.criteria} criteria = {rows} rows; medians of {arguments.rounds} rounds"
    )
    print(f"{'step':<18} {'wall s':>7} {'CPU s':>7} {'rows/s':>8} {'x read':>7} {'(wall)':>7}")
    for name, steps in samples.items():
        wall, cpu = (statistics.median(step[clock] for step in steps) for clock in (WALL, CPU))
        print(
            f"{name:<18} {wall:7.3f} {cpu:7.3f} {rows / cpu:8.0f} "
            f"{ratio(steps, samples['read'], clock=CPU):7.2f} "
            f"{ratio(steps, samples['read'], clock=WALL):7.2f}"
        )
    worst = max(ratio(samples[name], samples["read"], clock=CPU) for name in samples)
    print(f"target: rank at most 1.5 x read (CPU): {'met' if worst <= 1.5 else 'NOT met'}")
    print(
        f"alpha {ranking.agreement:.3f}, panel mean {ranking.panel_mean:.3f}, "
        f"{len(ranking.jurors)} jurors, top score {ranking.entries[0].score:.3f}"
    )


if __name__ == "__main__":
    main()
