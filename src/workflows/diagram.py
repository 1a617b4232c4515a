"""A workflow as a Mermaid state diagram."""

from __future__ import annotations

from workflows.definition import Workflow


def mermaid(workflow: Workflow) -> str:
    """Mermaid `stateDiagram-v2` text: each transition labelled with its name and roles."""
    lines = ["stateDiagram-v2", f"    [*] --> {workflow.initial}"]
    for transition in workflow.transitions.values():
        roles = ", ".join(sorted(transition.roles))
        for source in transition.sources:
            lines.append(f"    {source} --> {transition.dest}: {transition.name} ({roles})")
    finals = [state for state in workflow.states if not workflow.leaving(state)]
    lines.extend(f"    {state} --> [*]" for state in finals)
    return "\n".join(lines) + "\n"
