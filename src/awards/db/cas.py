"""Compare-and-set: the portable optimistic lock (invariant 3).

`UPDATE ... WHERE id = :id AND version = :v AND ...` changes one row only if nobody changed
it since it was read. On PostgreSQL a concurrent writer waits on the row lock, then sees the
new version and matches nothing; on SQLite writers are serialised by `BEGIN IMMEDIATE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from sqlalchemy import CursorResult, Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import SQLModel

from awards.db.tables import table_of


async def update_if(
    session: AsyncSession,
    table: type[SQLModel],
    row_id: int,
    *,
    expect: Mapping[str, Any],
    values: Mapping[str, Any],
) -> bool:
    """Set `values` on row `row_id` if its columns still hold `expect`; `True` if it did.

    The row's object in the session, if any, takes the values as committed, as the ORM's own
    bulk update would (which costs several times this Core statement)."""
    unset = tuple(name for name, value in expect.items() if value is None)
    statement = _compare_and_set(table, tuple(expect), unset, tuple(values))
    parameters = {
        "row_id": row_id,
        **{f"expect_{name}": value for name, value in expect.items() if value is not None},
        **{f"set_{name}": value for name, value in values.items()},
    }
    result = cast(CursorResult[Any], await session.execute(statement, parameters))
    if result.rowcount != 1:
        return False
    loaded = session.identity_map.get(identity_key(table, row_id))
    for name, value in values.items() if loaded is not None else ():
        set_committed_value(loaded, name, value)
    return True


@cache
def _compare_and_set(
    table: type[SQLModel],
    expected: tuple[str, ...],
    unset: tuple[str, ...],
    changed: tuple[str, ...],
) -> Update:
    """The statement, built once per table and columns (`unset`: those expected NULL, which
    no parameter can match): building one costs more than running it."""
    rows = table_of(table)
    columns = rows.c
    return (
        update(rows)
        .where(columns.id == bindparam("row_id"))
        .where(
            *(
                columns[name].is_(None)
                if name in unset
                else columns[name] == bindparam(f"expect_{name}")
                for name in expected
            )
        )
        .values({name: bindparam(f"set_{name}", type_=columns[name].type) for name in changed})
    )
