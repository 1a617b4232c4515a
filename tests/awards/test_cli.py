"""The command line as an operator uses it: migrate (what it did), demo (twice), list, token,
diagram."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from awards.db.migrate import alembic_config
from harness.processes import run_awards


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

    created = run_awards("migrate", database_url=empty_database)
    again = run_awards("migrate", database_url=empty_database)
    command.downgrade(alembic_config(empty_database), previous.down_revision)
    upgraded = run_awards("migrate", database_url=empty_database)

    where = f"on {empty_database}\n"
    assert created.stdout == f"created the schema at revision {head} {where}"
    assert again.stdout == f"already at revision {head} {where}"
    assert upgraded.stdout == (f"upgraded from revision {previous.down_revision} to {head} {where}")


def test_migrate_then_demo_twice_loads_one_open_call_per_kind(empty_database: str) -> None:
    assert run_awards("migrate", database_url=empty_database).returncode == 0

    first = run_awards("demo", database_url=empty_database)
    second = run_awards("demo", database_url=empty_database)
    listing = run_awards("calls", "list", database_url=empty_database)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "Secretariat token:  awd_" in first.stdout
    rows = [line.split() for line in listing.stdout.splitlines()[1:]]
    assert [(row[1], row[3]) for row in rows] == [
        ("monograph-articles", "open"),
        ("membership-scholarship", "open"),
        ("educating-city-seal", "open"),
        ("educating-cities-award", "open"),
        ("congress-host-bid", "open"),
        ("congress-experiences", "open"),
        ("aimf-pilot-projects", "open"),
        ("aimf-gender-equality-prize", "open"),
        ("aimf-femme-francophone", "open"),
    ]


def test_users_add_and_token_then_unknown_user_is_a_clear_error(empty_database: str) -> None:
    run_awards("migrate", database_url=empty_database)

    added = run_awards(
        "users", "add", "Staff@Edcities.test", "--role", "secretariat", database_url=empty_database
    )
    token = run_awards("token", "staff@edcities.test", database_url=empty_database)
    unknown = run_awards("token", "nobody@edcities.test", database_url=empty_database)
    orphan = run_awards(
        "users", "add", "a@b.test", "--role", "applicant", database_url=empty_database
    )

    assert added.stdout == "user staff@edcities.test (secretariat)\n"
    assert token.stdout.startswith("awd_")
    assert len(token.stdout.strip()) == 47
    assert (unknown.returncode, unknown.stderr) == (2, "awards: no user nobody@edcities.test\n")
    assert orphan.stderr == "awards: an applicant belongs to an organisation: give --org\n"


def test_workflow_diagram_prints_mermaid_for_both_lifecycles(empty_database: str) -> None:
    result = run_awards(
        "workflow", "diagram", "educating-cities-award", database_url=empty_database
    )

    assert result.returncode == 0
    assert result.stdout.count("stateDiagram-v2") == 2
    assert "    in_review --> laureate: award (secretariat)" in result.stdout


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_serve_and_worker_refuse_the_demos_secret_key_outside_the_demo(
    empty_database: str, command: str
) -> None:
    refused = run_awards(command, database_url=empty_database, AWARDS_MAIL_TRANSPORT="smtp")

    assert refused.returncode == 2
    assert refused.stderr.startswith("awards: AWARDS_SECRET_KEY is the demo's published key")
