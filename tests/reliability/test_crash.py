"""Crash: `kill -9` of `awards serve` in the middle of a deadline surge loses nothing it
acknowledged (invariant 3): after a restart each draft, document and submission answered
with a 2xx is there, intact, with its audit trail."""

from __future__ import annotations

import asyncio

import httpx

from reliability.conftest import Launcher, Stage, assert_kept, candidacies, surge, until

CLIENTS = 24


async def test_kill_9_during_a_surge_loses_no_acknowledged_candidacy(
    stage: Stage, launch: Launcher
) -> None:
    server = launch.serve()
    wanted = candidacies(stage, CLIENTS)
    async with httpx.AsyncClient(timeout=30) as http:
        clients = asyncio.create_task(surge(http, [server.base_url], stage.call_id, wanted))
        # Kill once a quarter of the candidacies are submitted: the rest are mid-way.
        await until(
            lambda: sum(mine.submitted for mine in wanted) >= CLIENTS // 4,
            within=30,
            what="quarter of the candidacies submitted",
        )
        server.kill()
        await clients

        failures = [mine.failure for mine in wanted if mine.failure]
        assert failures, "the kill came after the surge"
        assert all(failure.startswith("connection") for failure in failures)
        assert any(mine.submitted for mine in wanted)
        assert any(mine.submission_id and not mine.submitted for mine in wanted)

        await assert_kept(http, launch.serve().base_url, wanted)
