"""`/metrics` in Prometheus' text format: requests by route template and status with their
latency, the outbox's depth and the age of its oldest waiting message, and the transitions
of each call kind from the audit trail; closed to all but `metrics_token` when it is set."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient

from awards.app import create_app
from awards.settings import Settings
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, draft

SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")


def samples(text: str) -> dict[str, float]:
    """`{'name{labels}': value}` for every sample line."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            match = SAMPLE.match(line)
            assert match, f"not a sample line: {line!r}"
            key = match["name"] + ("{" + match["labels"] + "}" if match["labels"] else "")
            found[key] = float(match["value"])
    return found


@pytest.fixture
async def quiet_client(settings: Settings, clock: MovableClock) -> AsyncIterator[Client]:
    """The app without its in-process mail worker, so the outbox holds still."""
    app = create_app(replace(settings, worker_in_process="false"), clock=clock)
    async with AsyncTestClient(app=app) as client:
        yield client


async def test_metrics_count_requests_outbox_and_transitions(
    quiet_client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
) -> None:
    owner = tokens.actors["owner"]
    submission = await draft(runtime, open_award, owner)
    await SubmissionService(runtime).fire(submission, "submit", actor=owner)
    await quiet_client.get(f"/api/v1/submissions/{submission}", headers=tokens.owner)
    await quiet_client.get(f"/api/v1/submissions/{submission}", headers=tokens.owner)
    await quiet_client.get("/api/v1/submissions/999", headers=tokens.owner)
    clock.advance(timedelta(seconds=90))

    response = await quiet_client.get("/metrics")

    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    found = samples(response.text)
    route = 'method="GET",route="/api/v1/submissions/{submission_id}"'
    assert found[f'awards_http_requests_total{{{route},status="200"}}'] == 2
    assert found[f'awards_http_requests_total{{{route},status="404"}}'] == 1
    assert found[f"awards_http_request_duration_seconds_count{{{route}}}"] == 3
    assert found[f'awards_http_request_duration_seconds_bucket{{{route},le="+Inf"}}'] == 3
    assert found[f'awards_http_request_duration_seconds_bucket{{{route},le="10.0"}}'] == 3
    assert found['awards_outbox_messages{status="pending"}'] == 1
    assert found['awards_outbox_messages{status="sent"}'] == 0
    assert found["awards_outbox_oldest_pending_age_seconds"] == 90
    assert found["awards_database_up"] == 1
    kind = 'call_kind="educating-cities-award"'
    assert {
        key: value for key, value in found.items() if key.startswith("awards_transitions_total")
    } == {
        f'awards_transitions_total{{{kind},transition="create"}}': 2,  # the call, the draft
        f'awards_transitions_total{{{kind},transition="open"}}': 1,
        f'awards_transitions_total{{{kind},transition="submit"}}': 1,
    }


async def test_metrics_are_open_by_default_and_need_the_token_once_it_is_set(
    settings: Settings, clock: MovableClock
) -> None:
    guarded = replace(settings, worker_in_process="false", metrics_token="s3cret-metrics")
    async with AsyncTestClient(app=create_app(guarded, clock=clock)) as client:
        anonymous = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer guess"})
        right = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"})

    assert (anonymous.status_code, anonymous.json()["detail"]) == (
        401,
        "send 'Authorization: Bearer <metrics_token>'",
    )
    assert wrong.status_code == 401
    assert right.status_code == 200
    assert (
        samples(right.text)[
            'awards_http_requests_total{method="GET",route="/metrics",status="401"}'
        ]
        == 2
    )


async def test_metrics_still_answer_when_the_database_does_not(
    settings: Settings, clock: MovableClock
) -> None:
    gone = replace(
        settings,
        worker_in_process="false",
        database_url="postgresql+asyncpg://awards@127.0.0.1:1/awards",
    )
    async with AsyncTestClient(app=create_app(gone, clock=clock)) as client:
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert samples(response.text)["awards_database_up"] == 0


async def test_an_app_started_again_counts_its_requests_from_zero(
    settings: Settings, clock: MovableClock
) -> None:
    """The tests start one app again on each database; a server restarted counts afresh."""
    app = create_app(settings, clock=clock)
    async with AsyncTestClient(app=app) as first:
        for _ in range(3):
            await first.get("/health")
    async with AsyncTestClient(app=app) as again:
        await again.get("/health")
        counted = samples((await again.get("/metrics")).text)

    health = 'awards_http_requests_total{method="GET",route="/health",status="200"}'
    assert counted[health] == 1
