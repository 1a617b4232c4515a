"""The command line as an operator uses it: migrate (what it did), demo (twice), list, token,
diagram."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from awards.db.migrate import alembic_config

ROOT = Path(__file__).resolve().parents[2]


def awards(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "AWARDS_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "awards.cli", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def empty_database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"


def test_migrate_says_whether_it_created_upgraded_or_left_the_schema(
    empty_database: str,
) -> None:
    head = ScriptDirectory.from_config(alembic_config(empty_database)).get_current_head()
    assert head is not None
    previous = ScriptDirectory.from_config(alembic_config(empty_database)).get_revision(head)
    assert isinstance(previous.down_revision, str)

    created = awards("migrate", database_url=empty_database)
    again = awards("migrate", database_url=empty_database)
    command.downgrade(alembic_config(empty_database), previous.down_revision)
    upgraded = awards("migrate", database_url=empty_database)

    where = f"on {empty_database}\n"
    assert created.stdout == f"created the schema at revision {head} {where}"
    assert again.stdout == f"already at revision {head} {where}"
    assert upgraded.stdout == (f"upgraded from revision {previous.down_revision} to {head} {where}")


def test_migrate_then_demo_twice_loads_one_open_call_per_kind(empty_database: str) -> None:
    assert awards("migrate", database_url=empty_database).returncode == 0

    first = awards("demo", database_url=empty_database)
    second = awards("demo", database_url=empty_database)
    listing = awards("calls", "list", database_url=empty_database)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "Secretariat token:  awd_" in first.stdout
    rows = [line.split() for line in listing.stdout.splitlines()[1:]]
    assert [(row[1], row[3]) for row in rows] == [
        ("membership-scholarship", "open"),
        ("educating-cities-award", "open"),
        ("congress-host-bid", "open"),
        ("congress-experiences", "open"),
        ("aimf-gender-equality-prize", "open"),
        ("aimf-femme-francophone", "open"),
    ]


def test_users_add_and_token_then_unknown_user_is_a_clear_error(empty_database: str) -> None:
    awards("migrate", database_url=empty_database)

    added = awards(
        "users", "add", "Staff@Edcities.test", "--role", "secretariat", database_url=empty_database
    )
    token = awards("token", "staff@edcities.test", database_url=empty_database)
    unknown = awards("token", "nobody@edcities.test", database_url=empty_database)
    orphan = awards("users", "add", "a@b.test", "--role", "applicant", database_url=empty_database)

    assert added.stdout == "user staff@edcities.test (secretariat)\n"
    assert token.stdout.startswith("awd_")
    assert len(token.stdout.strip()) == 47
    assert (unknown.returncode, unknown.stderr) == (2, "awards: no user nobody@edcities.test\n")
    assert orphan.stderr == "awards: an applicant belongs to an organisation: give --org\n"


def test_workflow_diagram_prints_mermaid_for_both_lifecycles(empty_database: str) -> None:
    result = awards("workflow", "diagram", "educating-cities-award", database_url=empty_database)

    assert result.returncode == 0
    assert result.stdout.count("stateDiagram-v2") == 2
    assert "    in_review --> laureate: award (secretariat)" in result.stdout
