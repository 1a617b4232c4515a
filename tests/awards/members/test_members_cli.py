"""`awards members import` as the Secretariat runs it: dry run, import, import again, and a
malformed file refused with nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from awards.db.tables import Organisation
from awards.transitions.runtime import Runtime
from conftest import ROOT
from harness.processes import run_awards


async def organisation_count(runtime: Runtime) -> int:
    async with runtime.db.read() as session:
        return await session.scalar(select(func.count()).select_from(Organisation)) or 0


async def test_dry_run_then_import_then_again_says_what_changes_each_time(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    sample = tmp_path / "members.csv"
    shutil.copy(ROOT / "config" / "demo" / "members.csv", sample)

    dry = run_awards("members", "import", str(sample), "--dry-run", database_url=database_url)
    count_after_dry_run = await organisation_count(runtime)
    real = run_awards("members", "import", str(sample), database_url=database_url)
    again = run_awards("members", "import", str(sample), database_url=database_url)

    assert (dry.returncode, real.returncode, again.returncode) == (0, 0, 0)
    assert dry.stdout.splitlines()[2] == (
        'new: Barcelona [barcelona]: country="ES", region="Europe", network="IAEC", '
        'member_since=1994, fees_up_to_date=yes, note="real city; dates and fees illustrative", '
        'aliases="Barcelone; BCN"'
    )
    assert dry.stdout.splitlines()[-1] == (
        "dry run: 36 new, 0 changed, 0 unchanged; nothing was written"
    )
    assert count_after_dry_run == 0
    assert real.stdout.splitlines()[-1] == "imported: 36 new, 0 changed, 0 unchanged"
    assert again.stdout.splitlines()[-2:] == [
        "unchanged: 36",
        "nothing to change: the database already matches members.csv",
    ]
    assert await organisation_count(runtime) == 36
    assert dry.stderr == real.stderr == ""  # a short file shows no progress


async def test_a_malformed_file_exits_2_naming_the_line_and_writes_nothing(
    runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("name,country,member_since\nLille,FR,1990\nParis,FR,long ago\n")

    result = run_awards("members", "import", str(broken), database_url=database_url)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "awards: broken.csv: 1 row is malformed; nothing was imported\n"
        "  line 3: member_since 'long ago' is not a year\n"
    )
    assert await organisation_count(runtime) == 0
