"""Every error of the API has one shape, `{"status_code", "detail", "extra"}` (API.md): the
refusals Litestar makes itself (401, 404 of an unknown path, 405, 413, 400) as well as the
domain's, and a 500, which names the request's id to quote."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from awards.transitions.runtime import Runtime
from conftest import Client, Tokens

MEGABYTE = 1024 * 1024
JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "sent", "who", "answer"),
    [
        (
            "GET",
            "/api/v1/calls",
            {"headers": {"Authorization": "Bearer awd_not-a-token"}},
            "anonymous",
            {"status_code": 401, "detail": "unknown, revoked or expired token", "extra": {}},
        ),
        (
            "POST",
            "/api/v1/calls",
            {"json": {}},
            "anonymous",
            {"status_code": 401, "detail": "sign in first", "extra": {}},
        ),
        (
            "GET",
            "/api/v1/no-such-thing",
            {},
            "secretariat",
            {"status_code": 404, "detail": "Not Found", "extra": {}},
        ),
        (
            "DELETE",
            "/api/v1/calls",
            {},
            "secretariat",
            {"status_code": 405, "detail": "Method Not Allowed", "extra": {}},
        ),
        (
            "POST",
            "/api/v1/calls",
            {"content": b'{"kind": ', "headers": JSON},
            "secretariat",
            {"status_code": 400, "detail": "Input data was truncated", "extra": {}},
        ),
        (
            "POST",
            "/api/v1/calls",
            {"content": b"[" * (11 * MEGABYTE), "headers": JSON},
            "secretariat",
            {"status_code": 413, "detail": "Request Entity Too Large", "extra": {}},
        ),
    ],
    ids=["401-token", "401-anonymous", "404-path", "405", "400", "413"],
)
async def test_refusals_of_the_framework_have_the_api_error_shape(
    client: Client,
    tokens: Tokens,
    method: str,
    path: str,
    sent: dict[str, Any],
    who: str,
    answer: dict[str, Any],
) -> None:
    headers = {**getattr(tokens, who), **sent.get("headers", {})}
    body = {key: value for key, value in sent.items() if key != "headers"}

    response = await client.request(method, path, headers=headers, **body)

    assert response.status_code == answer["status_code"]
    assert response.headers["content-type"] == "application/json"
    assert response.json() == answer


async def test_an_unexpected_failure_is_a_500_in_the_same_shape_and_a_page_on_the_pages(
    client: Client, runtime: Runtime
) -> None:
    async with runtime.db.write() as session:
        await session.execute(text("ALTER TABLE calls RENAME TO calls_gone"))

    api = await client.get("/api/v1/calls", headers={"X-Request-ID": "req-500"})
    page = await client.get("/", headers={"Accept-Language": "es"})

    assert api.status_code == 500
    assert api.json() == {
        "status_code": 500,
        "detail": "Internal Server Error",
        "extra": {"request_id": "req-500"},
    }
    assert (page.status_code, page.headers["content-type"]) == (500, "text/html; charset=utf-8")
    assert "<h1>Algo ha fallado por nuestra parte</h1>" in page.text
