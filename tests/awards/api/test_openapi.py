"""The OpenAPI document the API publishes: every endpoint API.md describes is in it."""

from __future__ import annotations

from conftest import Client


async def test_openapi_document_lists_the_endpoints_of_api_md(client: Client) -> None:
    document = (await client.get("/schema/openapi.json")).json()

    assert set(document["paths"]) >= {
        "/api/v1/call-kinds",
        "/api/v1/calls",
        "/api/v1/calls/{call_id}",
        "/api/v1/calls/{call_id}/transitions",
        "/api/v1/calls/{call_id}/submissions",
        "/api/v1/submissions/{submission_id}",
        "/api/v1/submissions/{submission_id}/transitions",
        "/api/v1/submissions/{submission_id}/history",
        "/api/v1/submissions/{submission_id}/overrides",
        "/api/v1/calls/{call_id}/extensions",
    }
