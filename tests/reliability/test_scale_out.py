"""Scale-out (issue #8, docs/deploy.md): two `awards serve` and two `awards worker` processes on
one PostgreSQL database take a surge spread over both servers; every acknowledged candidacy is
there and each mail is delivered exactly once. Two servers with their uploads in one S3 bucket
each serve the documents the other stored."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from awards.storage import open_store
from awards.transitions.runtime import Runtime
from conftest import SmtpServer, s3_settings
from reliability.conftest import (
    Launcher,
    Stage,
    assert_delivered_once,
    assert_kept,
    candidacies,
    sha256,
    surge,
)

CLIENTS = 24


@pytest.fixture
def postgresql_only(database_url: str) -> None:
    """Listed first, so a SQLite run skips before seeding anything."""
    if database_url.startswith("sqlite"):
        pytest.skip(
            "several processes share one database only on PostgreSQL: SQLite has no "
            "FOR UPDATE SKIP LOCKED and serves one machine (docs/deploy.md)"
        )


@pytest.mark.usefixtures("postgresql_only")
async def test_two_servers_and_two_workers_lose_nothing_and_send_each_mail_once(
    stage: Stage, launch: Launcher, runtime: Runtime, smtp_server: SmtpServer
) -> None:
    launch.smtp_port = smtp_server.port
    servers = [server.base_url for server in launch.start(servers=2, workers=2).servers]
    wanted = candidacies(stage, CLIENTS)
    async with httpx.AsyncClient(timeout=30) as http:
        await surge(http, servers, stage.call_id, wanted)
        assert [mine.failure for mine in wanted] == [None] * CLIENTS
        # Each server reads what the other one wrote.
        await assert_kept(http, servers[1], wanted[0::2])
        await assert_kept(http, servers[0], wanted[1::2])
    sent = await assert_delivered_once(runtime, smtp_server, within=20)
    assert Counter(row.submission_id for row in sent) == Counter(
        mine.submission_id for mine in wanted
    )


@pytest.mark.usefixtures("postgresql_only")
async def test_two_servers_share_one_bucket_and_each_serves_what_the_other_stored(
    stage: Stage, launch: Launcher, s3_endpoint: str
) -> None:
    shared = s3_settings(stage.settings, s3_endpoint)
    servers = [server.base_url for server in launch.start(servers=2, settings=shared).servers]
    wanted = candidacies(stage, 8)
    async with httpx.AsyncClient(timeout=30) as http:
        await surge(http, servers, stage.call_id, wanted)
        assert [mine.failure for mine in wanted] == [None] * 8
        # Each document was stored through one server and is downloaded through the other.
        await assert_kept(http, servers[1], wanted[0::2])
        await assert_kept(http, servers[0], wanted[1::2])
    store = open_store(shared)
    assert sorted([name async for name in store.names()]) == sorted(
        sha256(mine.document) for mine in wanted
    )
    assert not (shared.data_dir / "blobs").exists()
