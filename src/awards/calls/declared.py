"""The edition settings a call kind declares: those its rules read, and those every call has."""

from __future__ import annotations

from awards.kinds.kind import CallKind

EVERY_CALL = ("grace_minutes", "reminder_days")
READ_BY_RULE = {"not_excluded": "excluded", "started_before_cutoff": "started_before"}
"""Rule type -> the setting it reads (`awards.transitions.rules`)."""


def declared_settings(kind: CallKind) -> tuple[str, ...]:
    """The settings an edition of `kind` is given, in the order a form shows them."""
    read = {READ_BY_RULE[spec.type] for spec in kind.rules.values() if spec.type in READ_BY_RULE}
    return (*sorted(read), *EVERY_CALL)
