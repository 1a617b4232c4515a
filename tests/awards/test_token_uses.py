"""The last uses of tokens are written together: a burst of cities' first requests costs one
write, not one each; a use noted with no request after it is still written, and so is what
is noted when the service stops."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col
from test_statement_budget import statements

from awards.auth.tokens import create_token
from awards.auth.users import add_user
from awards.auth.uses import EVERY, Uses
from awards.db.database import Database
from awards.db.tables import ApiToken
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock

CITIES = 8


async def juror_tokens(runtime: Runtime, clock: MovableClock, count: int) -> list[str]:
    """Secrets of `count` jurors' tokens, none used yet."""
    secrets = []
    for number in range(count):
        email = f"juror{number}@jury.test"
        await add_user(runtime.db, email, role="juror", now=clock())
        secrets.append((await create_token(runtime.db, email, now=clock())).secret)
    return secrets


async def last_uses(runtime: Runtime) -> list[datetime | None]:
    async with runtime.db.read() as session:
        query = select(col(ApiToken.last_used_at)).order_by(col(ApiToken.id))
        return list(await session.scalars(query))


async def test_a_burst_of_first_uses_is_written_in_one_statement(
    client: Client, runtime: Runtime, clock: MovableClock
) -> None:
    secrets = await juror_tokens(runtime, clock, CITIES)
    first, *others = secrets
    await client.get("/api/v1/calls", headers={"Authorization": f"Bearer {first}"})
    started = clock()

    with statements(client) as sent:
        for secret in others:
            await client.get("/api/v1/calls", headers={"Authorization": f"Bearer {secret}"})
        clock.advance(EVERY)
        await client.get("/api/v1/calls", headers={"Authorization": f"Bearer {first}"})

    assert sent.count("UPDATE api_tokens") == 1
    assert await last_uses(runtime) == [started] * CITIES


async def test_a_use_with_no_request_after_it_is_written_all_the_same(
    runtime: Runtime, clock: MovableClock
) -> None:
    await juror_tokens(runtime, clock, 1)
    uses = Uses(runtime.db, clock, every=timedelta(milliseconds=50))
    await uses.write()  # a write just made: the next note must wait for its turn
    [token] = await _tokens(runtime)
    assert token.id is not None

    uses.token(token.id, now=clock())
    await uses.write_if_due()
    noted_only = await last_uses(runtime)
    for _ in range(100):  # the write is set for 50 ms later: give a loaded machine 5 s
        await asyncio.sleep(0.05)
        if await last_uses(runtime) != [None]:
            break

    assert noted_only == [None]
    assert await last_uses(runtime) == [clock()]
    await uses.close()


async def test_what_is_noted_when_the_service_stops_is_written(
    runtime: Runtime, clock: MovableClock
) -> None:
    await juror_tokens(runtime, clock, 2)
    uses = Uses(runtime.db, clock)
    for row in await _tokens(runtime):
        assert row.id is not None
        uses.token(row.id, now=clock())

    await uses.close()

    assert await last_uses(runtime) == [clock(), clock()]


async def _tokens(runtime: Runtime) -> list[ApiToken]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(ApiToken).order_by(col(ApiToken.id))))


async def test_a_service_stopping_without_its_database_still_stops(
    clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    gone = Database("postgresql+asyncpg://nobody@127.0.0.1:1/gone", pooled=False)
    uses = Uses(gone, clock)
    uses.token(1, now=clock())

    await uses.close()  # logs, raises nothing

    assert "were not written" in caplog.text
