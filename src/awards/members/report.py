"""An import as the Secretariat reads it: what is new, what changes from what to what, what
stays, and whether anything was written."""

from __future__ import annotations

import json

from awards.members.changes import OrganisationChange, Value
from awards.members.importing import ImportReport
from awards.members.member import FIELDS

SHOWN_IN_HEADING = {"name", "city"}
"""Fields a new organisation's line leaves out: its heading already says them."""


def describe(report: ImportReport) -> list[str]:
    register, plan = report.register, report.plan
    read_as = f", {register.encoding}" if register.encoding not in (None, "UTF-8") else ""
    lines = [
        f"{register.name}: {len(register.members)} organisations "
        f"({register.format}{read_as}, {register.rows} rows)"
    ]
    if register.ignored:
        lines.append(f"columns ignored: {', '.join(register.ignored)}")
    left = [field for field in FIELDS if field not in register.fields]
    if left:
        lines.append(f"not in the file, left as they are: {', '.join(left)}")
    lines += [_created(change) for change in plan.created]
    lines += [_changed(change) for change in plan.changed]
    lines.append(f"unchanged: {plan.unchanged}")
    if plan.absent:
        lines.append(f"in the database but not in the file, left as they are: {plan.absent}")
    lines.append(_outcome(report))
    return lines


def _created(change: OrganisationChange) -> str:
    shown = ", ".join(
        f"{diff.field}={_show(diff.new)}"
        for diff in change.fields
        if diff.field not in SHOWN_IN_HEADING
    )
    return f"new: {change.name} [{change.slug}]: {shown}"


def _changed(change: OrganisationChange) -> str:
    shown = ", ".join(
        f"{diff.field} {_show(diff.old)} -> {_show(diff.new)}" for diff in change.fields
    )
    return f"changed: {change.name} [{change.slug}]: {shown}"


def _outcome(report: ImportReport) -> str:
    plan = report.plan
    counts = f"{len(plan.created)} new, {len(plan.changed)} changed, {plan.unchanged} unchanged"
    if report.dry_run:
        would = "nothing would change" if plan.is_empty else counts
        return f"dry run: {would}; nothing was written"
    if plan.is_empty:
        return f"nothing to change: the database already matches {report.register.name}"
    return f"imported: {counts}"


def _show(value: Value) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
