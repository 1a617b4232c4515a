"""Compare-and-set: the portable optimistic lock (invariant 3).

`UPDATE ... WHERE id = :id AND version = :v AND ...` changes one row only if nobody changed
it since it was read. On PostgreSQL a concurrent writer waits on the row lock, then sees the
new version and matches nothing; on SQLite writers are serialised by `BEGIN IMMEDIATE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col


async def update_if(
    session: AsyncSession,
    table: type[SQLModel],
    row_id: int,
    *,
    expect: Mapping[str, Any],
    values: Mapping[str, Any],
) -> bool:
    """Set `values` on row `row_id` if its columns still hold `expect`; `True` if it did."""
    statement = update(table).where(col(getattr(table, "id")) == row_id)  # noqa: B009 - typed by SQLModel metaclass
    for column, value in expect.items():
        statement = statement.where(col(getattr(table, column)) == value)
    result = await session.execute(statement.values(**values))
    return cast(CursorResult[Any], result).rowcount == 1
