"""A generic workflow engine: YAML definitions, guarded transitions, effects to carry out.

It knows nothing of awards, databases or mail: callers persist what `Engine.fire` decides.
"""

from workflows.definition import Effect, Transition, Workflow, parse_workflow
from workflows.diagram import mermaid
from workflows.engine import (
    Engine,
    Fired,
    Guard,
    GuardFailure,
    Option,
    RefusalKind,
    Refused,
)
from workflows.errors import WorkflowDefinitionError
from workflows.located import LocatedDict, load_located, load_located_file

__all__ = [
    "Effect",
    "Engine",
    "Fired",
    "Guard",
    "GuardFailure",
    "LocatedDict",
    "Option",
    "RefusalKind",
    "Refused",
    "Transition",
    "Workflow",
    "WorkflowDefinitionError",
    "load_located",
    "load_located_file",
    "mermaid",
    "parse_workflow",
]
