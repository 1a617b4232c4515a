"""Attack: a client claiming another address with `X-Forwarded-For` (to escape the sign-in
limits per address, or to fill the record with someone else's). Only a configured proxy is
believed."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest
from sqlmodel import col, select

from awards.assembly import build_runtime
from awards.db.tables import LoginLink
from awards.settings import Settings
from reliability.conftest import Launcher, Stage

CLAIMED = "203.0.113.9"


async def recorded_addresses(settings: Settings) -> list[str]:
    runtime = build_runtime(settings, pooled=False)
    try:
        async with runtime.db.read() as session:
            return list((await session.scalars(select(col(LoginLink.ip)))).all())
    finally:
        await runtime.close()


@pytest.mark.parametrize(("trusted", "recorded"), [((), "127.0.0.1"), (("127.0.0.1",), CLAIMED)])
def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(
    launch: Launcher, stage: Stage, trusted: tuple[str, ...], recorded: str
) -> None:
    settings = replace(stage.settings, trusted_proxies=trusted)
    server = launch.serve(settings=settings)

    with httpx.Client(base_url=server.base_url) as client:
        client.get("/login")
        token = client.cookies.get("csrftoken") or ""
        client.cookies.clear()  # `Secure` (the base address is https): sent as a browser would
        client.cookies.set("csrftoken", token)
        asked = client.post(
            "/login",
            data={"_csrf_token": token, "email": "nobody@example.org"},
            headers={"X-Forwarded-For": CLAIMED},
        )

    assert asked.status_code == 200, asked.text
    assert asyncio.run(recorded_addresses(settings)) == [recorded]
