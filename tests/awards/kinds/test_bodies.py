"""The `body:` section of a call kind: who judges its calls, and in which mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from awards.assembly import load_kind
from awards.errors import ConfigurationError
from awards.kinds.bodies import Mode
from conftest import ROOT

AWARD = ROOT / "config" / "calls" / "educating-cities-award.yaml"


def broken(kind_directory: Path, old: str, new: str) -> tuple[Path, int]:
    """The Award's file with `old` replaced, and the line `new` starts on."""
    text = AWARD.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = kind_directory / AWARD.name
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(new)].count("\n") + 1


def test_the_award_is_judged_by_an_anonymised_jury_that_scores_in_two_rounds() -> None:
    kind = load_kind(AWARD)

    assert kind.body is not None
    assert kind.body.mode is Mode.SCORE
    assert kind.body.name["fr"] == "Jury international"
    assert kind.body.anonymised
    assert kind.jury is kind.body.score
    assert kind.jury is not None
    assert [r.name for r in kind.jury.rounds] == ["preselection", "final"]
    assert kind.jury.conflicts == kind.body.conflicts


def test_a_body_in_an_unknown_mode_fails_at_load_naming_the_line(kind_directory: Path) -> None:
    path, line = broken(kind_directory, "  mode: score\n", "  mode: acclaim\n")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(path)

    assert raised.value.message == f"{path}:{line}: mode must be one of score, vote, select"


def test_a_scoring_body_with_the_settings_of_a_vote_fails_at_load(kind_directory: Path) -> None:
    path, line = broken(kind_directory, "  score:\n", "  vote: {quorum: 3}\n  score:\n")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(path)

    assert raised.value.message == f"{path}:{line}: a score body has no 'vote'"


def test_the_former_jury_section_is_refused_so_an_old_file_is_not_judged_by_nobody(
    kind_directory: Path,
) -> None:
    path, line = broken(kind_directory, "body:\n", "jury:\n")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(path)

    assert raised.value.message == f"{path}:{line}: unknown section 'jury'"


EXPERIENCES = ROOT / "config" / "calls" / "congress-experiences.yaml"


def test_the_scientific_committee_selects_with_an_outcome_for_each_mark() -> None:
    body = load_kind(EXPERIENCES).body

    assert body is not None and body.select is not None
    assert body.mode is Mode.SELECT
    assert body.select.outcomes == {
        "accepted": "select",
        "rejected": "reject",
        "waitlisted": "waitlist",
    }


def test_a_selecting_body_without_a_waiting_list_fails_at_load(kind_directory: Path) -> None:
    text = EXPERIENCES.read_text(encoding="utf-8")
    old = "outcomes: {accepted: select, rejected: reject, waitlisted: waitlist}"
    path = kind_directory / EXPERIENCES.name
    path.write_text(text.replace(old, "outcomes: {accepted: select, rejected: reject}"))

    with pytest.raises(ConfigurationError) as raised:
        load_kind(path)

    line = text[: text.index(old)].count("\n") + 1
    assert raised.value.message == (
        f"{path}:{line}: give the transition of each of accepted, rejected, waitlisted"
    )
