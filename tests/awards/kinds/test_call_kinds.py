"""Call-kind files: the shipped ones load; a broken one fails at load time, naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from awards.assembly import load_kind, load_kinds
from awards.errors import ConfigurationError
from awards.transitions.guards import GUARDS
from conftest import ROOT
from workflows import RefusalKind

AWARD = ROOT / "config" / "calls" / "educating-cities-award.yaml"


def test_every_shipped_call_kind_loads() -> None:
    kinds = load_kinds(ROOT / "config" / "calls")

    assert "educating-cities-award" in kinds
    assert all(kind.languages[0] for kind in kinds.values())


@pytest.mark.parametrize(
    ("old", "new", "transition", "problem"),
    [
        (
            "guards: [call_accepting_submissions, answers_complete,",
            "guards: [call_accepting_submissions, answers_completed,",
            "submit",
            "transition 'submit': unknown guard 'answers_completed'",
        ),
        (
            "        to: laureate\n",
            "        to: laureat\n",
            "award",
            "transition 'award': unknown state 'laureat'",
        ),
        (
            'effects: ["version:record", "mail:submission_received"]',
            'effects: ["version:record", "fax:submission_received"]',
            "submit",
            "transition 'submit': unknown effect kind 'fax'",
        ),
        (
            "        roles: [owner]\n        guards: [call_accepting_submissions",
            "        roles: []\n        guards: [call_accepting_submissions",
            "submit",
            "transition 'submit' names no role",
        ),
    ],
)
def test_a_broken_workflow_fails_at_load_naming_file_line_and_fault(
    kind_directory: Path, old: str, new: str, transition: str, problem: str
) -> None:
    text = AWARD.read_text(encoding="utf-8")
    assert old in text
    broken = kind_directory / "educating-cities-award.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    submission_part = text.index("  submission:")
    line = text[: text.index(f"      {transition}:", submission_part)].count("\n") + 1
    assert raised.value.message == f"{broken}:{line}: {problem}"


def test_an_unreachable_state_fails_at_load(kind_directory: Path) -> None:
    text = AWARD.read_text(encoding="utf-8").replace(
        "        to: special_mention\n", "        to: laureate\n"
    )
    broken = kind_directory / "educating-cities-award.yaml"
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    states_line = next(
        n
        for n, row in enumerate(text.splitlines(), 1)
        if row.startswith("    states: [draft, submitted")
    )
    assert raised.value.message == (
        f"{broken}:{states_line}: unreachable state(s) from 'draft': special_mention"
    )


def test_a_label_missing_in_one_language_fails_at_load(kind_directory: Path) -> None:
    text = AWARD.read_text(encoding="utf-8").replace(
        "label: {en: Summary, fr: Résumé, es: Resumen, pt: Resumo}",
        "label: {en: Summary, fr: Résumé, es: Resumen}",
    )
    broken = kind_directory / "educating-cities-award.yaml"
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    line = next(n for n, row in enumerate(text.splitlines(), 1) if "label: {en: Summary" in row)
    assert raised.value.message == f"{broken}:{line}: 'label' has no text in pt"


def test_a_call_workflow_with_a_state_outside_the_shared_lifecycle_fails(
    kind_directory: Path,
) -> None:
    text = (
        AWARD.read_text(encoding="utf-8")
        .replace(
            "states: [draft, open, closed, reviewing, deciding, published, archived]",
            "states: [draft, open, closed, reviewing, deciding, published, archived, paused]",
        )
        .replace(
            "      archive:\n        from: published\n",
            "      pause:\n        from: open\n        to: paused\n        roles: [secretariat]\n"
            "      archive:\n        from: published\n",
        )
    )
    broken = kind_directory / "educating-cities-award.yaml"
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    assert (
        "uses only the states draft, open, closed, reviewing, deciding, published, archived; not paused"
        in raised.value.message
    )


def test_every_state_and_trigger_pair_of_the_award_is_refused_unless_the_workflow_allows_it() -> (
    None
):
    """The transition table, exhaustively: a trigger fires only from its listed sources."""
    from workflows import Engine

    kind = load_kind(AWARD)
    always = dict.fromkeys([*GUARDS, *kind.rules], lambda context: None)
    engine: Engine[None] = Engine(always)
    for workflow in (kind.call_workflow, kind.submission_workflow):
        for state in workflow.states:
            for transition in workflow.transitions.values():
                result = engine.fire(
                    workflow,
                    transition.name,
                    state=state,
                    roles=transition.roles,
                    context=None,
                    reason="because",
                    inputs=transition.inputs,
                )
                if state in transition.sources:
                    assert getattr(result, "dest", None) == transition.dest, (
                        state,
                        transition.name,
                    )
                else:
                    assert getattr(result, "kind", None) is RefusalKind.WRONG_STATE, (
                        state,
                        transition.name,
                    )


def test_a_label_split_by_an_unquoted_comma_fails_at_load(kind_directory: Path) -> None:
    text = AWARD.read_text(encoding="utf-8").replace(
        "label: {en: Scope, fr: Portée, es: Alcance, pt: Alcance}",
        "label: {en: Scope, reach and scale, fr: Portée, es: Alcance, pt: Alcance}",
    )
    broken = kind_directory / "educating-cities-award.yaml"
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Scope, reach" in row)
    assert raised.value.message == (
        f"{broken}:{line}: 'label' has a key without text: reach and scale "
        "(quote a text that contains a comma)"
    )


def test_a_rubric_level_overlapping_the_one_before_fails_at_load(kind_directory: Path) -> None:
    text = AWARD.read_text(encoding="utf-8").replace("    - min: 3\n", "    - min: 2\n", 1)
    broken = kind_directory / "educating-cities-award.yaml"
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == "    - min: 2")
    assert raised.value.message == (
        f"{broken}:{line}: level 2-4.5 must lie in the scale 0-10, above the level before it"
    )


SHORTLIST = "      - name: shortlist\n"
TERMS = (
    "terms:\n"
    "  round:\n"
    "    shortlist: {en: Shortlist, fr: Liste restreinte, es: Lista corta, pt: Lista curta}\n"
    "  state:\n"
    "    shortlisted: {en: On the shortlist, fr: Retenue, es: En la lista, pt: Na lista}\n"
)


def award_with(terms: str) -> str:
    """The award with its preselection round called `shortlist`, and `terms` at its end."""
    return AWARD.read_text(encoding="utf-8").replace("      - name: preselection\n", SHORTLIST) + (
        terms
    )


def test_a_kinds_terms_label_its_round_and_states_in_each_language(kind_directory: Path) -> None:
    path = kind_directory / "educating-cities-award.yaml"
    path.write_text(award_with(TERMS), encoding="utf-8")

    kind = load_kind(path)

    assert kind.term("round", "shortlist") == {
        "en": "Shortlist",
        "fr": "Liste restreinte",
        "es": "Lista corta",
        "pt": "Lista curta",
    }
    assert kind.term("state", "shortlisted")["es"] == "En la lista"
    assert kind.term("round", "final") == {}


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  round:\n", "  rounds:\n", "terms: unknown family 'rounds'; families: "),
        ("    shortlist: {", "    longlist: {", "terms: the kind has no round 'longlist'"),
        (", pt: Lista curta}", "}", "'shortlist' has no text in pt"),
        ("    shortlisted: {", "    elected: {", "terms: the kind has no state 'elected'"),
    ],
)
def test_a_broken_term_fails_at_load_naming_file_line_and_fault(
    kind_directory: Path, old: str, new: str, problem: str
) -> None:
    text = award_with(TERMS.replace(old, new, 1))
    path = kind_directory / "educating-cities-award.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(path)

    line = text.count("\n", 0, text.index(new.strip(), text.index("\nterms:"))) + 1
    assert raised.value.message.startswith(f"{path}:{line}: {problem}")
