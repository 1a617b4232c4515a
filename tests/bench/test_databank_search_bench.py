"""`bench/databank_search.py --quick` runs and reports every query at each size (no timing
is asserted: the figures belong to bench/README.md)."""

from __future__ import annotations

import re

import pytest

import databank_search
from conftest import POSTGRES_URL


def test_the_quick_databank_search_benchmark_reports_each_query_at_each_size(
    capsys: pytest.CaptureFixture[str],
) -> None:
    databank_search.main(["--quick", *(["--postgres", POSTGRES_URL] if POSTGRES_URL else [])])

    printed = capsys.readouterr().out
    databases = ["SQLite (FTS5)", *(["PostgreSQL (GIN, 'simple')"] if POSTGRES_URL else [])]
    assert [line for line in printed.splitlines() if line in databases] == databases
    for query in databank_search.QUERIES:
        rows = re.findall(
            rf"^\| {re.escape(query)} \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", printed, re.M
        )
        assert len(rows) == len(databases), query
