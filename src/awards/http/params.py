"""Parameters the routes share."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from litestar.params import PathParameter, QueryParameter

from awards.db.types import MAX_ROW_ID
from awards.errors import Invalid

RowId: TypeAlias = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]
"""The id of a row in a path. One out of that range is bad input (422 naming it), never a
query the database refuses with an error (a 500)."""

PageNumber: TypeAlias = Annotated[int, QueryParameter(ge=1, le=MAX_ROW_ID)]
"""A page of results, from 1: past that range its offset would overflow the database's."""

Year: TypeAlias = Annotated[int | None, QueryParameter(ge=1, le=9999)]
"""A year to filter on, as a date can hold it; the column is an `integer` too."""


def posted_version(text: str) -> int | None:
    """The row version a page's form posts back (None when it posts none); `Invalid` naming
    `version` unless ASCII digits within a row's range: `int()` of "abc" or "²" was a 500,
    and a huge one reached the database."""
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ROW_ID))) or not (
        1 <= int(text) <= MAX_ROW_ID
    ):
        raise Invalid(
            f"version must be a whole number from 1 to {MAX_ROW_ID}", extra={"field": "version"}
        )
    return int(text)
