"""One JSON line per request, with its id, method, route, status, duration and the
submission it is about; the id comes back in `X-Request-ID`."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from awards.ops.logs import REQUEST_ID, JsonFormatter, configure_logging
from conftest import Client, Tokens


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What `configure_logging` writes, the root logger put back as it was afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("info", stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


def lines_of(stream: io.StringIO, logger: str) -> list[dict[str, object]]:
    parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in parsed if line["logger"] == logger]


async def test_each_request_is_one_json_line_with_its_id_route_and_submission(
    client: Client, tokens: Tokens, log_lines: io.StringIO
) -> None:
    response = await client.get(
        "/api/v1/submissions/42", headers={**tokens.owner, "X-Request-ID": "lb-7f3a"}
    )

    [line] = lines_of(log_lines, "awards.requests")
    assert response.headers["x-request-id"] == "lb-7f3a"
    duration = line.pop("duration_ms")
    assert isinstance(duration, float)
    assert duration > 0
    assert line.pop("time")
    assert line == {
        "level": "info",
        "logger": "awards.requests",
        "message": f"GET /api/v1/submissions/{{submission_id}} 404 {duration} ms",
        "request_id": "lb-7f3a",
        "method": "GET",
        "route": "/api/v1/submissions/{submission_id}",
        "status": 404,
        "submission_id": 42,
    }


async def test_a_refused_token_is_logged_with_its_status_and_a_fresh_id_comes_back(
    client: Client, log_lines: io.StringIO
) -> None:
    response = await client.get(
        "/api/v1/calls", headers={"Authorization": "Bearer awd_nope", "X-Request-ID": "bad id!"}
    )

    [line] = lines_of(log_lines, "awards.requests")
    request_id = response.headers["x-request-id"]
    assert (response.status_code, line["status"], line["route"]) == (401, 401, "/api/v1/calls")
    assert line["request_id"] == request_id
    assert len(request_id) == 16


def test_a_line_carries_the_request_id_extras_and_the_exception() -> None:
    try:
        raise ValueError("boom")
    except ValueError as error:
        failure = (ValueError, error, error.__traceback__)
    record = logging.getLogger("awards.test").makeRecord(
        "awards.test", logging.ERROR, __file__, 1, "failed %s", ("twice",), failure,
        extra={"submission_id": 5},
    )  # fmt: skip
    token = REQUEST_ID.set("r-1")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        REQUEST_ID.reset(token)

    assert (line["level"], line["message"], line["request_id"], line["submission_id"]) == (
        "error",
        "failed twice",
        "r-1",
        5,
    )
    assert line["exception"].endswith("ValueError: boom")
