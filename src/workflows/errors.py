"""The one exception the workflow package raises."""

from __future__ import annotations


class WorkflowDefinitionError(ValueError):
    """A workflow definition is wrong; the message names the file, the line and the fault."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem
