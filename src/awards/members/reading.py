"""A register export read whole into members, or refused whole: every malformed row is
reported with its line (CSV) or row (XLSX) number and what is wrong with it, so the file can
be fixed in one go, and nothing of a malformed file reaches the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from awards.errors import Invalid
from awards.members import values
from awards.members.columns import Columns, match_columns
from awards.members.member import Member, OrganisationKind
from awards.members.progress import Progress, no_progress
from awards.members.sources import Table, read_table

T = TypeVar("T")
MAX_REPORTED = 50
"""Malformed rows listed in full; beyond, a count."""


@dataclass(frozen=True)
class RegisterFile:
    """The members of one export, and what its header said."""

    name: str
    format: str
    encoding: str | None
    members: list[Member]
    fields: frozenset[str]
    """The fields the file gives; the others are left as they are in the database."""
    ignored: tuple[str, ...]
    """Headers that name no field."""
    rows: int


def read_register(path: Path, *, progress: Progress = no_progress) -> RegisterFile:
    """Every member in `path`, or `Invalid` listing each malformed row."""
    table = read_table(path)
    columns = match_columns(table.header, where=path.name)
    members: list[Member] = []
    errors: list[tuple[int, str]] = []
    first_line: dict[str, tuple[int, str]] = {}
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        try:
            member = _member(cells, columns, width=len(table.header))
        except ValueError as error:
            errors.append((number, str(error)))
        else:
            if member.slug in first_line:
                line, other = first_line[member.slug]
                errors.append(
                    (
                        number,
                        f"'{member.name}' is the organisation of {table.where(line)} "
                        f"('{other}'): list it once",
                    )
                )
            else:
                first_line[member.slug] = (number, member.name)
                members.append(member)
        progress("reading", done, total)
    if errors:
        raise _malformed(path, table, errors)
    return RegisterFile(
        name=path.name,
        format=table.format,
        encoding=table.encoding,
        members=members,
        fields=columns.fields,
        ignored=columns.ignored,
        rows=total,
    )


def _member(cells: list[str], columns: Columns, *, width: int) -> Member:
    """The member a row describes; `ValueError` naming every problem of the row.

    A field the file has no column for takes the default of a new organisation; the plan
    leaves it alone on existing ones (`RegisterFile.fields`).
    """
    if any(cells[width:]):
        raise ValueError(
            f"{len(cells)} values under {width} headers (a separator inside an unquoted value?)"
        )
    problems: list[str] = []

    def parse(field: str, parser: Callable[[str], T], default: T) -> T:
        index = columns.position.get(field)
        if index is None:
            return default
        try:
            return parser(cells[index] if index < len(cells) else "")
        except ValueError as error:
            problems.append(str(error))
            return default

    member = Member(
        name=parse("name", values.name, ""),
        country=parse("country", values.country, ""),
        region=parse("region", values.region, None),
        network=parse("network", values.network, None),
        member_since=parse("member_since", values.member_since, None),
        fees_up_to_date=parse("fees_up_to_date", values.fees_up_to_date, False),
        kind=parse("kind", values.kind, OrganisationKind.CITY.value),
        note=parse("note", values.note, None),
        aliases=parse("aliases", values.aliases, None),
    )
    if problems:
        raise ValueError("; ".join(problems))
    return member


def _malformed(path: Path, table: Table, errors: list[tuple[int, str]]) -> Invalid:
    count = len(errors)
    lines = [f"  {table.where(number)}: {message}" for number, message in errors[:MAX_REPORTED]]
    if count > MAX_REPORTED:
        lines.append(f"  ... and {count - MAX_REPORTED} more")
    rows = "row is" if count == 1 else "rows are"
    return Invalid(
        f"{path.name}: {count} {rows} malformed; nothing was imported\n" + "\n".join(lines),
        extra={"errors": [{table.unit: number, "error": message} for number, message in errors]},
    )
