"""Tests for `workflows.diagram`: a workflow as Mermaid text."""

from __future__ import annotations

from workflows import Workflow, load_located, mermaid, parse_workflow


def make_workflow(text: str) -> Workflow:
    return parse_workflow(
        load_located(text, source="diagram.yaml"),
        name="call/submission",
        guards={"call_open"},
        effect_kinds={"mail"},
    )


def test_mermaid_small_workflow_renders_exact_state_diagram() -> None:
    # Arrange
    workflow = make_workflow(
        "initial: draft\n"
        "states: [draft, submitted, withdrawn, accepted]\n"
        "transitions:\n"
        "  submit:\n"
        "    from: draft\n"
        "    to: submitted\n"
        "    roles: [owner, admin]\n"
        "    guards: [call_open]\n"
        '    effects: ["mail:submission_received"]\n'
        "  withdraw:\n"
        "    from: [draft, submitted]\n"
        "    to: withdrawn\n"
        "    roles: owner\n"
        "  accept:\n"
        "    from: submitted\n"
        "    to: accepted\n"
        "    roles: [jury]\n"
    )

    # Act
    text = mermaid(workflow)

    # Assert
    assert text == (
        "stateDiagram-v2\n"
        "    [*] --> draft\n"
        "    draft --> submitted: submit (admin, owner)\n"
        "    draft --> withdrawn: withdraw (owner)\n"
        "    submitted --> withdrawn: withdraw (owner)\n"
        "    submitted --> accepted: accept (jury)\n"
        "    withdrawn --> [*]\n"
        "    accepted --> [*]\n"
    )


def test_mermaid_cyclic_workflow_has_no_final_states() -> None:
    # Arrange
    workflow = make_workflow(
        "initial: open\n"
        "states: [open, closed]\n"
        "transitions:\n"
        "  close: {from: open, to: closed, roles: [admin]}\n"
        "  reopen: {from: closed, to: open, roles: [admin, jury]}\n"
    )

    # Act
    text = mermaid(workflow)

    # Assert
    assert text == (
        "stateDiagram-v2\n"
        "    [*] --> open\n"
        "    open --> closed: close (admin)\n"
        "    closed --> open: reopen (admin, jury)\n"
    )


def test_mermaid_single_state_without_transitions_is_initial_and_final() -> None:
    # Arrange
    workflow = make_workflow("initial: only\nstates: [only]\ntransitions: {}\n")

    # Act
    text = mermaid(workflow)

    # Assert
    assert text == "stateDiagram-v2\n    [*] --> only\n    only --> [*]\n"
