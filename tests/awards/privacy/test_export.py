"""The right of access: a signed-in person downloads what is held about them, without
secrets, and a juror's reviews name dossiers only by pseudonym."""

from __future__ import annotations

from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, draft


async def test_a_person_downloads_what_is_held_about_them(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    submission = await draft(runtime, open_award, tokens.actors["owner"])
    assert (await client.get("/api/v1/me/export")).status_code == 401

    response = await client.get("/api/v1/me/export", headers=tokens.owner)

    assert response.headers["content-disposition"] == 'attachment; filename="awards-my-data.json"'
    export = response.json()
    assert (export["user"]["email"], export["roles"]["organisation"]) == (
        "mayor@barcelona.test",
        {"slug": "barcelona", "name": "Barcelona"},
    )
    assert [s["id"] for s in export["submissions"]] == [submission]
    assert export["submissions"][0]["answers"]["contact_name"] == "Ada Serra"
    assert [(t["name"], t["scopes"]) for t in export["tokens"]] == [("cli", "read submit")]
    assert "token_hash" not in response.text
    assert [a["transition"] for a in export["audit"]] == ["create"]
    other = (await client.get("/api/v1/me/export", headers=tokens.other_applicant)).json()
    assert other["submissions"] == [] and other["audit"] == []
