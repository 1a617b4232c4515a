"""Tests for `workflows.engine`: deciding whether a transition may fire, and what follows."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from workflows import (
    Effect,
    Engine,
    Fired,
    Guard,
    GuardFailure,
    Option,
    RefusalKind,
    Refused,
    Workflow,
    load_located,
    parse_workflow,
)

DEFINITION = """\
version: 2
initial: draft
states: [draft, submitted, withdrawn, accepted]
transitions:
  submit:
    from: draft
    to: submitted
    roles: [owner]
    guards: [call_open, complete, short_enough]
    effects: ["mail:submission_received", audit, "webhook:submitted"]
  withdraw:
    from: [draft, submitted]
    to: withdrawn
    roles: [owner, admin]
    reason: true
    effects: ["mail:withdrawn"]
  accept:
    from: submitted
    to: accepted
    roles: [jury]
    guards: [complete]
  reopen:
    from: withdrawn
    to: draft
    roles: [admin]
"""

CLOSED = "the call is closed"
INCOMPLETE = "the submission is incomplete"
TOO_LONG = "the submission is over 500 words"


@dataclass
class Subject:
    """The caller's context: what guards look at."""

    call_open: bool = True
    complete: bool = True
    words: int = 100


def call_open(subject: Subject) -> str | None:
    return None if subject.call_open else CLOSED


def complete(subject: Subject) -> str | None:
    return None if subject.complete else INCOMPLETE


def short_enough(subject: Subject) -> str | None:
    return None if subject.words <= 500 else TOO_LONG


GUARDS: Mapping[str, Guard[Subject]] = {
    "call_open": call_open,
    "complete": complete,
    "short_enough": short_enough,
}
EFFECT_KINDS = ("mail", "audit", "webhook")


def make_workflow(text: str = DEFINITION, name: str = "call/submission") -> Workflow:
    return parse_workflow(
        load_located(text, source="submission.yaml"),
        name=name,
        guards=GUARDS,
        effect_kinds=EFFECT_KINDS,
    )


@pytest.fixture
def workflow() -> Workflow:
    return make_workflow()


@pytest.fixture
def engine() -> Engine[Subject]:
    return Engine(GUARDS)


# --- fired --------------------------------------------------------------------------------


def test_fire_allowed_transition_returns_fired_with_effects_in_order(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Act
    result = engine.fire(workflow, "submit", state="draft", roles=["owner"], context=Subject())

    # Assert
    assert result == Fired(
        transition=workflow.transitions["submit"],
        source="draft",
        dest="submitted",
        effects=(
            Effect("mail", "submission_received"),
            Effect("audit", ""),
            Effect("webhook", "submitted"),
        ),
    )


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_fire_from_any_listed_source_returns_fired_with_that_source(
    workflow: Workflow, engine: Engine[Subject], state: str
) -> None:
    # Act
    result = engine.fire(
        workflow, "withdraw", state=state, roles=["admin"], context=Subject(), reason="duplicate"
    )

    # Assert
    assert result == Fired(
        transition=workflow.transitions["withdraw"],
        source=state,
        dest="withdrawn",
        effects=(Effect("mail", "withdrawn"),),
    )


def test_fire_transition_without_effects_returns_fired_with_no_effects(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Act
    result = engine.fire(workflow, "reopen", state="withdrawn", roles=["admin"], context=Subject())

    # Assert
    assert result == Fired(workflow.transitions["reopen"], "withdrawn", "draft", ())


def test_fire_one_of_several_roles_allowed_returns_fired(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Act
    result = engine.fire(
        workflow, "accept", state="submitted", roles={"owner", "jury"}, context=Subject()
    )

    # Assert
    assert isinstance(result, Fired)
    assert (result.source, result.dest) == ("submitted", "accepted")


# --- refused ------------------------------------------------------------------------------

REFUSALS = [
    pytest.param(
        "publish",
        "draft",
        ["owner", "admin", "jury"],
        Subject(),
        None,
        Refused("publish", "draft", RefusalKind.UNKNOWN),
        id="unknown",
    ),
    pytest.param(
        "submit",
        "draft",
        ["jury"],
        Subject(),
        None,
        Refused("submit", "draft", RefusalKind.FORBIDDEN),
        id="forbidden-role",
    ),
    pytest.param(
        "submit",
        "draft",
        [],
        Subject(),
        None,
        Refused("submit", "draft", RefusalKind.FORBIDDEN),
        id="forbidden-no-role",
    ),
    pytest.param(
        "submit",
        "accepted",
        ["jury"],
        Subject(call_open=False),
        None,
        Refused("submit", "accepted", RefusalKind.FORBIDDEN),
        id="forbidden-checked-before-state-and-guards",
    ),
    pytest.param(
        "submit",
        "submitted",
        ["owner"],
        Subject(),
        None,
        Refused("submit", "submitted", RefusalKind.WRONG_STATE),
        id="wrong-state",
    ),
    pytest.param(
        "submit",
        "nowhere",
        ["owner"],
        Subject(),
        None,
        Refused("submit", "nowhere", RefusalKind.WRONG_STATE),
        id="wrong-state-unknown-to-workflow",
    ),
    pytest.param(
        "withdraw",
        "accepted",
        ["owner"],
        Subject(),
        None,
        Refused("withdraw", "accepted", RefusalKind.WRONG_STATE),
        id="wrong-state-checked-before-reason",
    ),
    pytest.param(
        "withdraw",
        "submitted",
        ["owner"],
        Subject(),
        None,
        Refused("withdraw", "submitted", RefusalKind.REASON_MISSING),
        id="reason-none",
    ),
    pytest.param(
        "withdraw",
        "submitted",
        ["owner"],
        Subject(),
        "",
        Refused("withdraw", "submitted", RefusalKind.REASON_MISSING),
        id="reason-empty",
    ),
    pytest.param(
        "withdraw",
        "submitted",
        ["owner"],
        Subject(),
        " \t\n",
        Refused("withdraw", "submitted", RefusalKind.REASON_MISSING),
        id="reason-blank",
    ),
    pytest.param(
        "submit",
        "draft",
        ["owner"],
        Subject(call_open=False),
        None,
        Refused(
            "submit",
            "draft",
            RefusalKind.GUARDS_FAILED,
            (GuardFailure("call_open", CLOSED),),
        ),
        id="one-guard-fails",
    ),
    pytest.param(
        "submit",
        "draft",
        ["owner"],
        Subject(complete=False, words=900),
        None,
        Refused(
            "submit",
            "draft",
            RefusalKind.GUARDS_FAILED,
            (GuardFailure("complete", INCOMPLETE), GuardFailure("short_enough", TOO_LONG)),
        ),
        id="later-guards-fail",
    ),
    pytest.param(
        "submit",
        "draft",
        ["owner"],
        Subject(call_open=False, complete=False, words=501),
        None,
        Refused(
            "submit",
            "draft",
            RefusalKind.GUARDS_FAILED,
            (
                GuardFailure("call_open", CLOSED),
                GuardFailure("complete", INCOMPLETE),
                GuardFailure("short_enough", TOO_LONG),
            ),
        ),
        id="every-guard-fails-in-definition-order",
    ),
]


@pytest.mark.parametrize(("trigger", "state", "roles", "context", "reason", "expected"), REFUSALS)
def test_fire_disallowed_transition_returns_exact_refusal(
    workflow: Workflow,
    engine: Engine[Subject],
    trigger: str,
    state: str,
    roles: list[str],
    context: Subject,
    reason: str | None,
    expected: Refused,
) -> None:
    # Act
    result = engine.fire(
        workflow, trigger, state=state, roles=roles, context=context, reason=reason
    )

    # Assert
    assert result == expected


@pytest.mark.parametrize(
    ("refused", "expected"),
    [
        (Refused("publish", "draft", RefusalKind.UNKNOWN), "no transition 'publish'"),
        (Refused("submit", "draft", RefusalKind.FORBIDDEN), "not allowed to submit"),
        (Refused("submit", "submitted", RefusalKind.WRONG_STATE), "cannot submit from submitted"),
        (
            Refused("withdraw", "submitted", RefusalKind.REASON_MISSING),
            "cannot withdraw from submitted: a reason is required",
        ),
        (
            Refused(
                "submit",
                "draft",
                RefusalKind.GUARDS_FAILED,
                (GuardFailure("call_open", CLOSED),),
            ),
            "cannot submit from draft: the call is closed",
        ),
        (
            Refused(
                "submit",
                "draft",
                RefusalKind.GUARDS_FAILED,
                (GuardFailure("call_open", CLOSED), GuardFailure("complete", INCOMPLETE)),
            ),
            "cannot submit from draft: the call is closed; the submission is incomplete",
        ),
    ],
)
def test_refused_message_each_kind_renders_exact_text(refused: Refused, expected: str) -> None:
    # Act
    message = refused.message

    # Assert
    assert message == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (RefusalKind.UNKNOWN, "unknown_transition"),
        (RefusalKind.FORBIDDEN, "forbidden"),
        (RefusalKind.WRONG_STATE, "wrong_state"),
        (RefusalKind.REASON_MISSING, "reason_missing"),
        (RefusalKind.GUARDS_FAILED, "guards_failed"),
    ],
)
def test_refusal_kind_value_is_stable_string(kind: RefusalKind, value: str) -> None:
    # Act
    text = str(kind)

    # Assert
    assert text == value
    assert kind.value == value


def test_refused_defaults_to_no_failures() -> None:
    # Act
    refused = Refused("submit", "draft", RefusalKind.FORBIDDEN)

    # Assert
    assert refused.failures == ()


# --- options ------------------------------------------------------------------------------


def test_options_owner_in_draft_lists_transitions_owner_may_fire(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Act
    options = engine.options(workflow, state="draft", roles=["owner"], context=Subject())

    # Assert
    assert options == [
        Option(workflow.transitions["submit"], ()),
        Option(workflow.transitions["withdraw"], ()),
    ]
    assert [option.allowed for option in options] == [True, True]


def test_options_role_lacking_some_transitions_omits_them(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Act
    options = engine.options(workflow, state="draft", roles=["admin"], context=Subject())

    # Assert
    assert options == [Option(workflow.transitions["withdraw"], ())]


@pytest.mark.parametrize(
    ("state", "roles"),
    [("draft", ["jury"]), ("draft", []), ("accepted", ["owner", "admin", "jury"])],
)
def test_options_nothing_to_fire_returns_empty_list(
    workflow: Workflow, engine: Engine[Subject], state: str, roles: list[str]
) -> None:
    # Act
    options = engine.options(workflow, state=state, roles=roles, context=Subject())

    # Assert
    assert options == []


def test_options_failing_guards_lists_every_failure_in_order(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    context = Subject(call_open=False, complete=False, words=600)

    # Act
    options = engine.options(workflow, state="draft", roles=["owner"], context=context)

    # Assert
    assert options == [
        Option(
            workflow.transitions["submit"],
            (
                GuardFailure("call_open", CLOSED),
                GuardFailure("complete", INCOMPLETE),
                GuardFailure("short_enough", TOO_LONG),
            ),
        ),
        Option(workflow.transitions["withdraw"], ()),
    ]
    assert [option.allowed for option in options] == [False, True]


def test_options_several_roles_lists_union_in_definition_order(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Act
    options = engine.options(
        workflow, state="submitted", roles=["jury", "owner"], context=Subject(complete=False)
    )

    # Assert
    assert options == [
        Option(workflow.transitions["withdraw"], ()),
        Option(workflow.transitions["accept"], (GuardFailure("complete", INCOMPLETE),)),
    ]


# --- machines, isolation, no side effects -------------------------------------------------


def test_engine_same_workflow_reuses_one_machine(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    first = engine._machine(workflow)

    # Act
    engine.fire(workflow, "submit", state="draft", roles=["owner"], context=Subject())
    engine.fire(workflow, "accept", state="submitted", roles=["jury"], context=Subject())
    second = engine._machine(make_workflow())

    # Assert
    assert second is first
    assert list(engine._machines) == [("call/submission", 2)]


def test_engine_other_version_or_name_builds_its_own_machine(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    other_version = make_workflow(DEFINITION.replace("version: 2", "version: 3"))
    other_name = make_workflow(name="call/appeal")

    # Act
    machines = [engine._machine(w) for w in (workflow, other_version, other_name)]

    # Assert
    assert len({id(machine) for machine in machines}) == 3
    assert list(engine._machines) == [
        ("call/submission", 2),
        ("call/submission", 3),
        ("call/appeal", 2),
    ]


def test_engine_separate_engines_do_not_share_machines(workflow: Workflow) -> None:
    # Arrange
    first: Engine[Subject] = Engine(GUARDS)
    second: Engine[Subject] = Engine(GUARDS)

    # Act
    machines = (first._machine(workflow), second._machine(workflow))

    # Assert
    assert machines[0] is not machines[1]


def test_fire_failing_then_passing_context_does_not_leak_failures(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    engine.fire(
        workflow, "submit", state="draft", roles=["owner"], context=Subject(call_open=False)
    )

    # Act
    result = engine.fire(workflow, "submit", state="draft", roles=["owner"], context=Subject())

    # Assert
    assert isinstance(result, Fired)
    assert result.dest == "submitted"


def test_fire_two_failing_contexts_reports_only_own_failures(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    engine.fire(
        workflow, "submit", state="draft", roles=["owner"], context=Subject(call_open=False)
    )

    # Act
    result = engine.fire(
        workflow, "submit", state="draft", roles=["owner"], context=Subject(words=501)
    )

    # Assert
    assert result == Refused(
        "submit", "draft", RefusalKind.GUARDS_FAILED, (GuardFailure("short_enough", TOO_LONG),)
    )


def test_fire_twice_in_a_row_does_not_accumulate_effects(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    expected = (
        Effect("mail", "submission_received"),
        Effect("audit", ""),
        Effect("webhook", "submitted"),
    )

    # Act
    first = engine.fire(workflow, "submit", state="draft", roles=["owner"], context=Subject())
    second = engine.fire(workflow, "submit", state="draft", roles=["owner"], context=Subject())

    # Assert
    assert isinstance(first, Fired)
    assert isinstance(second, Fired)
    assert first.effects == expected
    assert second.effects == expected


def test_fire_from_state_left_by_earlier_firing_uses_given_state_not_remembered_one(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    engine.fire(workflow, "submit", state="draft", roles=["owner"], context=Subject())

    # Act
    again = engine.fire(workflow, "submit", state="draft", roles=["owner"], context=Subject())
    accept = engine.fire(workflow, "accept", state="draft", roles=["jury"], context=Subject())

    # Assert
    assert isinstance(again, Fired)
    assert accept == Refused("accept", "draft", RefusalKind.WRONG_STATE)


@pytest.mark.parametrize(
    ("trigger", "state", "roles", "reason"),
    [
        ("submit", "draft", ["owner"], None),
        ("withdraw", "submitted", ["owner"], "changed my mind"),
        ("accept", "submitted", ["jury"], None),
    ],
)
def test_fire_fired_mutates_neither_workflow_nor_context_nor_machine(
    workflow: Workflow,
    engine: Engine[Subject],
    trigger: str,
    state: str,
    roles: list[str],
    reason: str | None,
) -> None:
    # Arrange
    context = Subject()
    workflow_before = copy.deepcopy(workflow)
    context_before = dict(vars(context))

    # Act
    result = engine.fire(
        workflow, trigger, state=state, roles=roles, context=context, reason=reason
    )

    # Assert
    assert isinstance(result, Fired)
    assert workflow == workflow_before
    assert vars(context) == context_before
    assert engine._machine(workflow).models == []


def test_fire_refused_by_guards_mutates_neither_context_nor_machine(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    context = Subject(complete=False)
    context_before = dict(vars(context))

    # Act
    result = engine.fire(workflow, "submit", state="draft", roles=["owner"], context=context)

    # Assert
    assert isinstance(result, Refused)
    assert vars(context) == context_before
    assert engine._machine(workflow).models == []


def test_options_mutates_nothing_and_builds_no_machine(
    workflow: Workflow, engine: Engine[Subject]
) -> None:
    # Arrange
    context = Subject(call_open=False)
    context_before = dict(vars(context))

    # Act
    engine.options(workflow, state="draft", roles=["owner"], context=context)

    # Assert
    assert vars(context) == context_before
    assert engine._machines == {}


def test_engine_guards_attribute_is_mapping_given() -> None:
    # Act
    engine: Engine[Subject] = Engine(GUARDS)

    # Assert
    assert engine.guards is GUARDS
