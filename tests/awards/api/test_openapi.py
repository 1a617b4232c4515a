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


async def test_uploads_are_documented_as_the_multipart_forms_they_read(client: Client) -> None:
    # They parse the body themselves, as it arrives: Litestar alone would document none.
    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    def form(path: str) -> dict[str, object]:
        body = paths[path]["post"]["requestBody"]
        schema: dict[str, object] = body["content"]["multipart/form-data"]["schema"]
        return schema

    attachment = form("/api/v1/submissions/{submission_id}/attachments")
    signed = form("/api/v1/submissions/{submission_id}/commitments/agreement/signed")
    assert attachment["required"] == ["field", "file"]
    assert signed["required"] == ["file"]
    assert signed["properties"] == {"file": {"type": "string", "format": "binary"}}
