"""Parameters the routes share."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from litestar.params import PathParameter, QueryParameter

from awards.db.types import MAX_ROW_ID

RowId: TypeAlias = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]
"""The id of a row in a path. One out of that range is bad input (422 naming it), never a
query the database refuses with an error (a 500)."""

PageNumber: TypeAlias = Annotated[int, QueryParameter(ge=1, le=MAX_ROW_ID)]
"""A page of results, from 1: past that range its offset would overflow the database's."""

Year: TypeAlias = Annotated[int | None, QueryParameter(ge=1, le=9999)]
"""A year to filter on, as a date can hold it; the column is an `integer` too."""
