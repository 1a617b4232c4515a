"""Cost growth: listing a call's submissions and ranking its round at 1k, 10k and 100k
submissions, with each size's ratio to the size ten times smaller (linear growth is 10).

    python bench/cost_growth.py [--sizes 1000 10000 100000] [--reviews 3] [--rounds 3]
                                [--database-url postgresql+asyncpg://.../DB]
    python bench/cost_growth.py --quick

Without `--database-url`, a SQLite file in a temporary folder; a PostgreSQL database given is
dropped and created again. An award call is opened through the services; then, for each
size, bulk inserts (not HTTP, not the services: they would take hours) grow the call to that
many submissions in review, with complete answers, two per city, each with `--reviews`
final reviews by a panel of 30 jurors. Timed, as the median of `--rounds` runs in wall-clock
and this process's CPU seconds: the listing the Secretariat's call page reads
(`SubmissionService.of_call`) and the ranking of the round
(`awards.jury.standings.standings`, the `GET /calls/{id}/ranking` endpoint's service).
Databank search at the same sizes is `bench/databank_search.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from awards.assembly import build_runtime
from awards.db.migrate import upgrade
from awards.db.tables import Assignment, Organisation, PanelMember, Review, Submission, User
from awards.jury.membership import JUROR
from awards.jury.standings import standings
from awards.kinds.jury_spec import Round
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from harness.databases import recreate_postgres, repository_settings
from harness.seeding import AWARD, complete_answers, open_award_call, secretariat

JURORS = 30
BATCH = 5_000
"""Rows per INSERT: within every driver's limit on bound parameters."""


@dataclass(frozen=True)
class Target:
    call_id: int
    staff: Actor
    round: Round
    jurors: list[int]


async def prepare(runtime: Runtime) -> Target:
    """The call (through the services) and its panel of jurors."""
    staff = await secretariat(runtime)
    call_id = await open_award_call(runtime, staff)
    jury = runtime.kind(AWARD).jury
    assert jury is not None
    now = datetime.now(UTC)
    async with runtime.db.write() as session:
        first = await next_id(session, User)
        jurors = list(range(first, first + JURORS))
        await insert_rows(
            session,
            User,
            [
                {"id": juror, "email": f"juror{juror}@bench.example", "name": f"Juror {juror}"}
                | {"role": "juror", "created_at": now}
                for juror in jurors
            ],
        )
        await insert_rows(
            session,
            PanelMember,
            [{"call_id": call_id, "user_id": juror, "role": JUROR} for juror in jurors],
        )
    return Target(call_id, staff, jury.round(None), jurors)


async def grow(runtime: Runtime, target: Target, *, to: int, reviews: int) -> None:
    """Add submissions in review, their cities and final reviews until the call has `to`."""
    rng = random.Random(to)
    now = datetime.now(UTC)
    answers = complete_answers()
    criteria = [criterion.name for criterion in target.round.rubric.criteria]
    low, high = target.round.rubric.scale_min, target.round.rubric.scale_max
    async with runtime.db.write() as session:
        have = await session.scalar(
            select(func.count(col(Submission.id))).where(col(Submission.call_id) == target.call_id)
        )
        numbers = range(have or 0, to)  # sizes are even: a city's two start together
        organisation, submission, assignment, review = [
            await next_id(session, table)
            for table in (Organisation, Submission, Assignment, Review)
        ]
        await insert_rows(
            session,
            Organisation,
            [
                {"id": organisation + index // 2, "slug": f"growth-city-{n // 2}"}
                | {"name": f"Growth City {n // 2}", "country": "ES", "network": "IAEC"}
                for index, n in enumerate(numbers)
                if index % 2 == 0
            ],
        )
        await insert_rows(
            session,
            Submission,
            [
                {"id": submission + index, "call_id": target.call_id, "created_by": target.staff.id}
                | {"organisation_id": organisation + index // 2, "state": "in_review"}
                | {"answers": answers, "pseudonym": f"G{n:07d}", "overrides": {}, "inputs": {}}
                | {"created_at": now, "updated_at": now}
                for index, n in enumerate(numbers)
            ],
        )
        pairs = [
            (submission + index, target.jurors[(n + seat) % JURORS])
            for index, n in enumerate(numbers)
            for seat in range(reviews)
        ]
        await insert_rows(
            session,
            Assignment,
            [
                {"id": assignment + index, "call_id": target.call_id, "submission_id": sid}
                | {"juror_id": juror, "round": target.round.name, "created_at": now}
                for index, (sid, juror) in enumerate(pairs)
            ],
        )
        await insert_rows(
            session,
            Review,
            [
                {"id": review + index, "assignment_id": assignment + index, "final": True}
                | {"scores": {name: rng.randint(low, high) for name in criteria}}
                | {"comment_for_jury": "", "comment_for_applicant": "", "updated_at": now}
                for index in range(len(pairs))
            ],
        )


async def next_id(session: AsyncSession, table: type[SQLModel]) -> int:
    """The first id after the table's highest: bulk rows name their own ids, so that rows
    that point at them can be written without reading them back."""
    highest = await session.scalar(select(func.max(col(table.id))))  # type: ignore[attr-defined]
    return int(highest or 0) + 1


async def insert_rows(
    session: AsyncSession, table: type[SQLModel], rows: list[dict[str, Any]]
) -> None:
    for start in range(0, len(rows), BATCH):
        await session.execute(insert(table), rows[start : start + BATCH])


async def timed(work: Callable[[], Awaitable[object]], rounds: int) -> tuple[float, float]:
    """Median (wall-clock, CPU) seconds of `rounds` runs of `work`."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        await work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


async def measure(database_url: str, *, sizes: list[int], reviews: int, rounds: int) -> None:
    runtime = build_runtime(repository_settings(database_url))
    try:
        target = await prepare(runtime)
        works: dict[str, Callable[[], Awaitable[object]]] = {
            "listing": lambda: SubmissionService(runtime).of_call(
                target.call_id, actor=target.staff
            ),
            "ranking": lambda: standings(
                runtime, target.call_id, round_name=None, actor=target.staff
            ),
        }
        line = "{:>8} {:>8} " + " ".join(["{:>8} {:>7} {:>7}"] * len(works))
        heads = [(f"{name} s", "CPU s", "x prev") for name in works]
        print(line.format("size", "seed s", *(head for three in heads for head in three)))
        previous: dict[str, float] = {}
        for size in sizes:
            started = time.perf_counter()
            await grow(runtime, target, to=size, reviews=reviews)
            seeded = time.perf_counter() - started
            cells = []
            for name, work in works.items():
                wall, cpu = await timed(work, rounds)
                growth = f"{wall / previous[name]:.1f}" if name in previous else "-"
                previous[name] = wall
                cells += [f"{wall:.3f}", f"{cpu:.3f}", growth]
            print(line.format(size, f"{seeded:.1f}", *cells))
    finally:
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--reviews", type=int, default=3, help="final reviews per submission")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL database (dropped and created)")
    parser.add_argument("--quick", action="store_true", help="100 and 1000 submissions, 1 round")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.sizes, arguments.rounds = [100, 1_000], 1
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{folder}/growth.db"
        if arguments.database_url:
            recreate_postgres(url)
        upgrade(url)
        print(
            f"{url.split('://')[0]}: {arguments.reviews} final reviews per submission, "
            f"{JURORS} jurors; medians of {arguments.rounds} rounds; 'x prev' is the time over the "
            "time at the size before"
        )
        asyncio.run(
            measure(url, sizes=arguments.sizes, reviews=arguments.reviews, rounds=arguments.rounds)
        )


if __name__ == "__main__":
    main()
