"""Sets of names kept in one text column as `,a,b,`, so one portable LIKE filters them."""

from __future__ import annotations

from collections.abc import Iterable


def listed(values: Iterable[str]) -> str:
    """`,a,b,`: a set of names one `LIKE '%,a,%'` finds on every database."""
    return "," + "".join(f"{value}," for value in values)


def unlisted(text: str) -> list[str]:
    return [value for value in text.split(",") if value]
