"""Databank search latency at 1k, 10k and 100k entries (target: at most 2x per 10x entries).

    python bench/databank_search.py [--postgres postgresql+asyncpg://user@host/db] [--repeat 20]
    python bench/databank_search.py --quick          # 100 and 1,000 entries, 3 repeats

Each database (a SQLite file in a temporary folder; with --postgres, a scratch database made
beside the one named, and dropped after) is migrated, then filled by bulk inserts to each size
in turn. Entries are made up with a fixed seed: four languages of title and summary drawn
from a 2,000-word vocabulary, 50 topic words (each in 2% of entries), a place name shared
by about 5 entries, 3 themes, 20 principles, 5 countries, 10 years. Each query goes through
`awards.databank.search.search` (the count, capped at `COUNT_CAP`, and a page of 20 in the
service's order), `--repeat` times; reported: the median in milliseconds, and its ratio to
the size before.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from awards.databank.lists import listed
from awards.databank.search import DatabankQuery, search
from awards.databank.words import words
from awards.db.database import Database
from awards.db.migrate import upgrade
from awards.db.tables import DatabankEntry

LANGUAGES = ("en", "fr", "es", "pt")
COUNTRIES = ("ES", "FR", "PT", "MX", "SN")
THEMES = ("lifelong_education", "socio_labour_integration", "cultural_community_life")
TOPICS = 50
QUERIES = {
    "place word": DatabankQuery(q="place7"),
    "topic word": DatabankQuery(q="topic3"),
    "two words": DatabankQuery(q="topic3 ecole"),
    "word+country": DatabankQuery(q="topic3", country="FR"),
    "theme+year": DatabankQuery(theme=THEMES[1], year=2020),
    "browse p.3": DatabankQuery(page=3),
}
BATCH = 5_000


def entries(
    start: int, stop: int, rng: random.Random, vocabulary: list[str]
) -> Iterator[dict[str, object]]:
    """Rows for ids `start`..`stop - 1`: their place word is shared by about 5 entries."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(start, stop):
        topic = f"topic{rng.randrange(TOPICS)}"
        place = f"place{rng.randrange(max(stop // 5, 1))}"
        title = {lang: " ".join([topic, *rng.sample(vocabulary, 4)]) for lang in LANGUAGES}
        summary = {lang: " ".join(rng.sample(vocabulary, 25)) for lang in LANGUAGES}
        text_ = " ".join([*title.values(), *summary.values(), place])
        yield {
            "id": number + 1,
            "kind": "educating-cities-award",
            "edition": "2026",
            "year": 2016 + number % 10,
            "distinction": "laureate" if number % 4 == 0 else "special_mention",
            "title": title,
            "summary": summary,
            "organisation": place,
            "city": place,
            "country": COUNTRIES[number % len(COUNTRIES)],
            "themes": listed([THEMES[number % len(THEMES)]]),
            "principles": listed([str(1 + number % 20), "17"]),
            "languages": listed(LANGUAGES),
            "target_groups": ",",
            "links": [],
            "contact": None,
            "search_text": " ".join(words(text_)),
            "published_at": now,
            "updated_at": now,
        }


async def fill(
    db: Database, start: int, stop: int, rng: random.Random, vocabulary: list[str]
) -> None:
    rows = list(entries(start, stop, rng, vocabulary))
    async with db.write() as session:
        for offset in range(0, len(rows), BATCH):
            await session.execute(insert(DatabankEntry), rows[offset : offset + BATCH])
        if not db.is_sqlite:
            await session.execute(text("ANALYZE databank_entries"))  # as autovacuum would


async def timed(db: Database, query: DatabankQuery, repeat: int) -> float:
    """Median milliseconds of `repeat` searches, after one to warm the caches."""
    times = []
    for attempt in range(repeat + 1):
        async with db.read() as session:
            started = time.perf_counter()
            await search(session, query)
            if attempt:
                times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def measure(url: str, sizes: list[int], repeat: int) -> dict[int, dict[str, float]]:
    rng = random.Random(2026)
    vocabulary = [
        f"{word}{number}"
        for number in range(400)
        for word in ("ecole", "ville", "jove", "nino", "cidade")
    ][:2000]
    vocabulary[0] = "ecole"
    db = Database(url, pooled=True)
    figures: dict[int, dict[str, float]] = {}
    try:
        filled = 0
        for size in sizes:
            await fill(db, filled, size, rng, vocabulary)
            filled = size
            figures[size] = {
                name: await timed(db, query, repeat) for name, query in QUERIES.items()
            }
    finally:
        await db.dispose()
    return figures


def report(name: str, figures: dict[int, dict[str, float]]) -> None:
    sizes = list(figures)
    header = [
        "query",
        *(f"{size:,} ms" for size in sizes),
        *(f"x {b // a}x" for a, b in itertools.pairwise(sizes)),
    ]
    print(f"\n{name}")
    print("| " + " | ".join(header) + " |")
    print("| --- " + "| ---: " * (len(header) - 1) + "|")
    for query in QUERIES:
        times = [figures[size][query] for size in sizes]
        ratios = [f"{after / before:.2f}" for before, after in itertools.pairwise(times)]
        print("| " + " | ".join([query, *(f"{t:.2f}" for t in times), *ratios]) + " |")


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A new database on the server of `url`, dropped on exit."""
    name = f"databank_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(url).set(drivername="postgresql", database="postgres")

    async def run(statement: str) -> None:
        connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a postgresql+asyncpg:// URL: also measure there")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 entries, 3 repeats")
    args = parser.parse_args(argv)
    sizes = [100, 1_000] if args.quick else [1_000, 10_000, 100_000]
    repeat = 3 if args.quick else args.repeat
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        report("SQLite (FTS5)", asyncio.run(measure(url, sizes, repeat)))
    if args.postgres:
        with scratch_postgres(args.postgres) as url:
            upgrade(url)
            report("PostgreSQL (GIN, 'simple')", asyncio.run(measure(url, sizes, repeat)))


if __name__ == "__main__":
    main()
