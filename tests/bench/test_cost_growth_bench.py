"""`bench/cost_growth.py --quick` seeds a call, then lists and ranks it at two sizes."""

from __future__ import annotations

import re

from bench_runs import run_bench


def test_quick_cost_growth_lists_and_ranks_each_size(database_url: str) -> None:
    on_postgres = database_url.startswith("postgresql")
    arguments = ["--database-url", database_url] if on_postgres else []

    output = run_bench("cost_growth.py", "--quick", *arguments)

    assert output.startswith("postgresql+asyncpg:" if on_postgres else "sqlite+aiosqlite:")
    seconds = r"\d+\.\d{3}"
    first = rf"^ +100 +[\d.]+ +{seconds} +{seconds} +- +{seconds} +{seconds} +-$"
    second = rf"^ +1000 +[\d.]+ +{seconds} +{seconds} +[\d.]+ +{seconds} +{seconds} +[\d.]+$"
    assert re.search(first, output, re.MULTILINE), output
    assert re.search(second, output, re.MULTILINE), output
