"""Tests for `workflows.definition`: parsing and checking workflow definitions."""

from __future__ import annotations

from typing import Any

import pytest

from workflows import (
    Effect,
    Transition,
    Workflow,
    WorkflowDefinitionError,
    load_located,
    parse_workflow,
)

NAME = "call/submission"
GUARDS = frozenset({"call_open", "complete"})
EFFECT_KINDS = frozenset({"mail", "audit"})

# Each test that needs a faulty definition changes lines of this one in place (a removed
# line becomes a comment), so the line numbers below hold for every variant.
BASE_LINES = (
    "version: 1",  # 1
    "initial: draft",  # 2
    "states: [draft, submitted, withdrawn]",  # 3
    "transitions:",  # 4
    "  submit:",  # 5
    "    from: draft",  # 6
    "    to: submitted",  # 7
    "    roles: [owner]",  # 8
    "    guards: [call_open, complete]",  # 9
    '    effects: ["mail:submission_received", audit]',  # 10
    "  withdraw:",  # 11
    "    from: [draft, submitted]",  # 12
    "    to: withdrawn",  # 13
    "    roles: owner",  # 14
    "    reason: true",  # 15
)


def variant(changes: dict[int, str] | None = None) -> str:
    """BASE_LINES as YAML text, with the given 1-based lines replaced."""
    lines = list(BASE_LINES)
    for number, text in (changes or {}).items():
        lines[number - 1] = text
    return "\n".join(lines) + "\n"


def parse(text: str) -> Workflow:
    return parse_workflow(
        load_located(text, source="kind.yaml"),
        name=NAME,
        guards=GUARDS,
        effect_kinds=EFFECT_KINDS,
    )


SUBMIT = Transition(
    name="submit",
    sources=("draft",),
    dest="submitted",
    roles=frozenset({"owner"}),
    guards=("call_open", "complete"),
    effects=(Effect("mail", "submission_received"), Effect("audit", "")),
    requires_reason=False,
)
WITHDRAW = Transition(
    name="withdraw",
    sources=("draft", "submitted"),
    dest="withdrawn",
    roles=frozenset({"owner"}),
    guards=(),
    effects=(),
    requires_reason=True,
)


# --- a valid definition -------------------------------------------------------------------


def test_parse_workflow_valid_definition_returns_exact_workflow() -> None:
    # Arrange
    text = variant()

    # Act
    workflow = parse(text)

    # Assert
    assert workflow == Workflow(
        name=NAME,
        version=1,
        initial="draft",
        states=("draft", "submitted", "withdrawn"),
        transitions={"submit": SUBMIT, "withdraw": WITHDRAW},
    )


def test_parse_workflow_valid_definition_keeps_transition_order() -> None:
    # Act
    workflow = parse(variant())

    # Assert
    assert list(workflow.transitions) == ["submit", "withdraw"]


def test_parse_workflow_version_missing_defaults_to_one() -> None:
    # Arrange
    text = variant({1: "# no version"})

    # Act
    workflow = parse(text)

    # Assert
    assert workflow.version == 1


def test_parse_workflow_version_given_is_kept() -> None:
    # Arrange
    text = variant({1: "version: 3"})

    # Act
    workflow = parse(text)

    # Assert
    assert workflow.version == 3


def test_parse_workflow_reason_absent_does_not_require_reason() -> None:
    # Arrange
    text = variant({15: "# no reason"})

    # Act
    workflow = parse(text)

    # Assert
    assert workflow.transitions["withdraw"].requires_reason is False


def test_parse_workflow_single_names_become_one_element_tuples() -> None:
    # Arrange
    text = "initial: only\nstates: only\ntransitions:\n  stay: {from: only, to: only, roles: a}\n"

    # Act
    workflow = parse(text)

    # Assert
    assert workflow.states == ("only",)
    assert workflow.transitions["stay"] == Transition(
        name="stay",
        sources=("only",),
        dest="only",
        roles=frozenset({"a"}),
        guards=(),
        effects=(),
    )


def test_parse_workflow_empty_transitions_with_single_state_is_valid() -> None:
    # Arrange
    text = "initial: only\nstates: [only]\ntransitions: {}\n"

    # Act
    workflow = parse(text)

    # Assert
    assert workflow.transitions == {}
    assert workflow.states == ("only",)


def test_parse_workflow_plain_dict_is_accepted() -> None:
    # Arrange
    node: dict[str, Any] = {
        "initial": "a",
        "states": ["a", "b"],
        "transitions": {"go": {"from": "a", "to": "b", "roles": ["x"]}},
    }

    # Act
    workflow = parse_workflow(node, name="plain", guards=(), effect_kinds=())

    # Assert
    assert workflow == Workflow(
        name="plain",
        version=1,
        initial="a",
        states=("a", "b"),
        transitions={
            "go": Transition(
                name="go",
                sources=("a",),
                dest="b",
                roles=frozenset({"x"}),
                guards=(),
                effects=(),
            )
        },
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", ["submit", "withdraw"]),
        ("submitted", ["withdraw"]),
        ("withdrawn", []),
        ("nowhere", []),
    ],
)
def test_leaving_state_lists_transitions_from_it_in_definition_order(
    state: str, expected: list[str]
) -> None:
    # Arrange
    workflow = parse(variant())

    # Act
    leaving = workflow.leaving(state)

    # Assert
    assert [transition.name for transition in leaving] == expected


# --- faulty definitions -------------------------------------------------------------------

FAULTS = [
    pytest.param(
        variant({2: "# no initial"}),
        "kind.yaml:1",
        f"workflow {NAME} has no 'initial'",
        id="missing-initial",
    ),
    pytest.param(
        variant({1: "# no version", 2: "# no initial"}),
        "kind.yaml:3",
        f"workflow {NAME} has no 'initial'",
        id="missing-initial-mapping-starts-later",
    ),
    pytest.param(
        variant({3: "# no states"}),
        "kind.yaml:1",
        f"workflow {NAME} has no 'states'",
        id="missing-states",
    ),
    pytest.param(
        variant({4: "# no transitions", **{n: "#" for n in range(5, 16)}}),
        "kind.yaml:1",
        f"workflow {NAME} has no 'transitions'",
        id="missing-transitions",
    ),
    pytest.param(
        variant({1: "version: two"}),
        "kind.yaml:1",
        "'version' must be an integer",
        id="version-word",
    ),
    pytest.param(
        variant({1: "initial: draft", 2: "version: '2'"}),
        "kind.yaml:2",
        "'version' must be an integer",
        id="version-quoted-number",
    ),
    pytest.param(
        variant({1: "version: 1.5"}),
        "kind.yaml:1",
        "'version' must be an integer",
        id="version-float",
    ),
    pytest.param(
        variant({1: "version: yes"}),
        "kind.yaml:1",
        "'version' must be an integer",
        id="version-boolean",
    ),
    pytest.param(
        variant({3: "states: [draft, submitted, withdrawn, submitted]"}),
        "kind.yaml:3",
        "a state is listed twice",
        id="duplicate-state",
    ),
    pytest.param(
        variant({2: "initial: sent"}),
        "kind.yaml:2",
        "unknown initial state 'sent'",
        id="unknown-initial",
    ),
    pytest.param(
        variant({4: "transitions: [submit, withdraw]", **{n: "#" for n in range(5, 16)}}),
        "kind.yaml:4",
        "'transitions' must be a mapping",
        id="transitions-list",
    ),
    pytest.param(
        variant({4: "transitions:", **{n: "#" for n in range(5, 16)}}),
        "kind.yaml:4",
        "'transitions' must be a mapping",
        id="transitions-empty",
    ),
    pytest.param(
        variant({12: "    # no from"}),
        "kind.yaml:11",
        "transition 'withdraw' needs 'from' and 'to'",
        id="transition-without-from",
    ),
    pytest.param(
        variant({7: "    # no to"}),
        "kind.yaml:5",
        "transition 'submit' needs 'from' and 'to'",
        id="transition-without-to",
    ),
    pytest.param(
        variant({11: "  withdraw: later", 12: "#", 13: "#", 14: "#", 15: "#"}),
        "kind.yaml:11",
        "transition 'withdraw' needs 'from' and 'to'",
        id="transition-scalar",
    ),
    pytest.param(
        variant({11: "  withdraw:", 12: "#", 13: "#", 14: "#", 15: "#"}),
        "kind.yaml:11",
        "transition 'withdraw' needs 'from' and 'to'",
        id="transition-empty",
    ),
    pytest.param(
        variant({6: "    from: sent"}),
        "kind.yaml:5",
        "transition 'submit': unknown state 'sent'",
        id="unknown-from-state",
    ),
    pytest.param(
        variant({12: "    from: [draft, sent]"}),
        "kind.yaml:11",
        "transition 'withdraw': unknown state 'sent'",
        id="unknown-second-from-state",
    ),
    pytest.param(
        variant({13: "    to: archived"}),
        "kind.yaml:11",
        "transition 'withdraw': unknown state 'archived'",
        id="unknown-to-state",
    ),
    pytest.param(
        variant({14: "    # no roles"}),
        "kind.yaml:11",
        "transition 'withdraw' names no role",
        id="roles-missing",
    ),
    pytest.param(
        variant({8: "    roles: []"}),
        "kind.yaml:5",
        "transition 'submit' names no role",
        id="roles-empty",
    ),
    pytest.param(
        variant({9: "    guards: [call_open, call_closed]"}),
        "kind.yaml:5",
        "transition 'submit': unknown guard 'call_closed'",
        id="unknown-guard",
    ),
    pytest.param(
        variant({10: '    effects: ["mail:submission_received", "sms:owner"]'}),
        "kind.yaml:5",
        "transition 'submit': unknown effect kind 'sms'",
        id="unknown-effect-kind",
    ),
    pytest.param(
        variant({3: "states: [draft, submitted, 3]"}),
        "kind.yaml:3",
        "'states' must be a name or a list of names",
        id="states-not-strings",
    ),
    pytest.param(
        variant({3: "states: {draft: 1}"}),
        "kind.yaml:3",
        "'states' must be a name or a list of names",
        id="states-mapping",
    ),
    pytest.param(
        variant({12: "    from: {draft: 1}"}),
        "kind.yaml:11",
        "'from' must be a name or a list of names",
        id="from-mapping",
    ),
    pytest.param(
        variant({6: "    from:"}),
        "kind.yaml:5",
        "'from' must be a name or a list of names",
        id="from-empty",
    ),
    pytest.param(
        variant({14: "    roles: [owner, 7]"}),
        "kind.yaml:11",
        "'roles' must be a name or a list of names",
        id="roles-not-strings",
    ),
    pytest.param(
        variant({9: "    guards: 3"}),
        "kind.yaml:5",
        "'guards' must be a name or a list of names",
        id="guards-number",
    ),
    pytest.param(
        variant({10: "    effects: [mail, [audit]]"}),
        "kind.yaml:5",
        "'effects' must be a name or a list of names",
        id="effects-nested-list",
    ),
    pytest.param(
        variant({3: "states: [draft, submitted, withdrawn, archived, appealed]"}),
        "kind.yaml:3",
        "unreachable state(s) from 'draft': appealed, archived",
        id="unreachable-states",
    ),
    pytest.param(
        variant({12: "    from: submitted", 6: "    from: withdrawn"}),
        "kind.yaml:3",
        "unreachable state(s) from 'draft': submitted, withdrawn",
        id="unreachable-because-no-transition-leaves-initial",
    ),
]


@pytest.mark.parametrize(("text", "where", "problem"), FAULTS)
def test_parse_workflow_faulty_definition_raises_with_where_and_problem(
    text: str, where: str, problem: str
) -> None:
    # Arrange
    node = load_located(text, source="kind.yaml")

    # Act
    with pytest.raises(WorkflowDefinitionError) as caught:
        parse_workflow(node, name=NAME, guards=GUARDS, effect_kinds=EFFECT_KINDS)

    # Assert
    assert caught.value.where == where
    assert caught.value.problem == problem
    assert str(caught.value) == f"{where}: {problem}"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- draft\n- submitted\n", id="list"),
        pytest.param("draft\n", id="scalar"),
        pytest.param("", id="empty"),
    ],
)
def test_parse_workflow_not_a_mapping_raises_without_location(text: str) -> None:
    # Arrange
    node = load_located(text, source="kind.yaml")

    # Act
    with pytest.raises(WorkflowDefinitionError) as caught:
        parse_workflow(node, name=NAME, guards=GUARDS, effect_kinds=EFFECT_KINDS)

    # Assert
    assert caught.value.where == "<definition>"
    assert caught.value.problem == f"workflow {NAME} must be a mapping"


def test_parse_workflow_plain_dict_fault_is_located_nowhere() -> None:
    # Arrange
    node: dict[str, Any] = {
        "initial": "a",
        "states": ["a"],
        "transitions": {"go": {"from": "a", "to": "b", "roles": ["x"]}},
    }

    # Act
    with pytest.raises(WorkflowDefinitionError) as caught:
        parse_workflow(node, name="plain", guards=(), effect_kinds=())

    # Assert
    assert str(caught.value) == "<definition>: transition 'go': unknown state 'b'"


def test_parse_workflow_guard_unknown_to_caller_raises_even_if_defined_elsewhere() -> None:
    # Arrange
    node = load_located(variant(), source="kind.yaml")

    # Act
    with pytest.raises(WorkflowDefinitionError) as caught:
        parse_workflow(node, name=NAME, guards={"complete"}, effect_kinds=EFFECT_KINDS)

    # Assert
    assert str(caught.value) == "kind.yaml:5: transition 'submit': unknown guard 'call_open'"


def test_workflow_definition_error_is_value_error_with_parts() -> None:
    # Act
    error = WorkflowDefinitionError("kind.yaml:7", "a state is listed twice")

    # Assert
    assert isinstance(error, ValueError)
    assert (error.where, error.problem) == ("kind.yaml:7", "a state is listed twice")
    assert str(error) == "kind.yaml:7: a state is listed twice"


# --- effects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "argument"),
    [
        ("mail:submission_received", "mail", "submission_received"),
        ("audit", "audit", ""),
        ("mail:", "mail", ""),
        ("webhook:https://example.org/hook", "webhook", "https://example.org/hook"),
        ("", "", ""),
    ],
)
def test_effect_parse_text_splits_on_first_colon(text: str, kind: str, argument: str) -> None:
    # Act
    effect = Effect.parse(text)

    # Assert
    assert effect == Effect(kind=kind, argument=argument)


@pytest.mark.parametrize(
    ("effect", "expected"),
    [
        (Effect("mail", "submission_received"), "mail:submission_received"),
        (Effect("audit", ""), "audit"),
        (Effect("webhook", "https://example.org/hook"), "webhook:https://example.org/hook"),
    ],
)
def test_effect_str_with_or_without_argument_renders_text(effect: Effect, expected: str) -> None:
    # Act
    text = str(effect)

    # Assert
    assert text == expected


@pytest.mark.parametrize("text", ["mail:submission_received", "audit", "a:b:c"])
def test_effect_parse_then_str_round_trips(text: str) -> None:
    # Act
    result = str(Effect.parse(text))

    # Assert
    assert result == text
