"""`bench/surge.py --quick` runs end to end: real servers, real uploads, nothing lost."""

from __future__ import annotations

import re

from bench_runs import run_bench


def test_quick_surge_acknowledges_every_submission_and_reports_the_ratio(
    database_url: str,
) -> None:
    on_postgres = database_url.startswith("postgresql")
    arguments = ["--postgres", database_url, "--no-sqlite"] if on_postgres else []

    output = run_bench("surge.py", "--quick", *arguments)

    assert ("PostgreSQL, 2 server" if on_postgres else "SQLite, 1 server") in output
    for load in ("floor ping", "ours /health"):
        assert re.search(rf"^{load} +40 +0 ", output, re.MULTILINE), output
    for load in ("floor upload", "ours surge"):
        assert re.search(rf"^{load} +8 +0 ", output, re.MULTILINE), output
    for step in ("draft", "upload", "submit"):
        assert re.search(rf"^  {step} +8 ", output, re.MULTILINE), output
    assert "in the database: 8 submitted with 8 attachments, 8 acknowledged" in output
    assert re.search(
        r"^ours/floor: \d+\.\d\d \(median of rounds: [\d.]+\), 0 errors", output, re.MULTILINE
    ), output
