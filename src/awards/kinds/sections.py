"""Sections of a call kind's file that belong to a feature (`databank:`, `retention:`...).

Each is parsed by its feature's parser, registered when the kinds are loaded, so this package
imports no feature: a feature reads its section back with `CallKind.section`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from awards.kinds.forms import Form
from awards.kinds.jury_spec import Rubric
from workflows import LocatedDict, Workflow


@dataclass(frozen=True)
class Outline:
    """The rest of the kind, already parsed, that a section is checked against."""

    slug: str
    languages: tuple[str, ...]
    form: Form
    rubric: Rubric
    call_workflow: Workflow
    submission_workflow: Workflow
    top: LocatedDict
    """The file's top node: `top.where(key)` names file and line in an error."""


SectionParser = Callable[[LocatedDict | None, Outline], object | None]
"""Parses its section (None when the file has none) into what its feature reads back, or
None for nothing; raises `ConfigurationError` naming file and line."""
