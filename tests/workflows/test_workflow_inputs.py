"""Transitions that need inputs from the caller (e.g. the mentor a decision assigns)."""

from __future__ import annotations

from workflows import (
    Engine,
    Fired,
    RefusalKind,
    Refused,
    Workflow,
    load_located,
    parse_workflow,
)

DEFINITION = """
initial: in_review
states: [in_review, awarded]
transitions:
  award:
    from: in_review
    to: awarded
    roles: [secretariat]
    inputs: [mentor, amount]
"""


def _workflow() -> Workflow:
    return parse_workflow(
        load_located(DEFINITION, source="kind.yaml"), name="w", guards=(), effect_kinds=()
    )


def test_inputs_are_parsed_in_order() -> None:
    assert _workflow().transitions["award"].inputs == ("mentor", "amount")


def test_a_missing_input_is_refused_naming_each_one() -> None:
    engine: Engine[None] = Engine({})

    result = engine.fire(
        _workflow(),
        "award",
        state="in_review",
        roles={"secretariat"},
        context=None,
        inputs={"amount"},
    )

    assert isinstance(result, Refused)
    assert result.kind is RefusalKind.INPUT_MISSING
    assert [failure.guard for failure in result.failures] == ["mentor"]
    assert result.message == "cannot award from in_review: mentor must be given"


def test_all_inputs_given_fires() -> None:
    engine: Engine[None] = Engine({})

    result = engine.fire(
        _workflow(),
        "award",
        state="in_review",
        roles={"secretariat"},
        context=None,
        inputs={"mentor", "amount"},
    )

    assert isinstance(result, Fired)
    assert result.dest == "awarded"
