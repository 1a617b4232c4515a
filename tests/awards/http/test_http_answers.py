"""What the HTTP layer answers for every route (awards.http): a malformed body is 422 naming
the key at fault, and a token it cannot resolve is 401, never a request as anonymous."""

from __future__ import annotations

from conftest import Client, Tokens


async def test_a_malformed_body_is_422_naming_the_key(client: Client, tokens: Tokens) -> None:
    response = await client.post(
        "/api/v1/calls", json={"kind": "educating-cities-award"}, headers=tokens.secretariat
    )

    assert response.status_code == 422
    assert response.json()["extra"][0]["key"] == "edition"


async def test_a_bad_token_is_401_not_anonymous(client: Client) -> None:
    response = await client.get("/api/v1/calls", headers={"Authorization": "Bearer awd_nope"})

    assert response.status_code == 401
    assert response.json()["detail"] == "unknown, revoked or expired token"
