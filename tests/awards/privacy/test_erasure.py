"""Erasure: the person becomes a pseudonym everywhere, and the decisions hold.

The acceptance test of issue 8: after an applicant and a juror are erased, no API answer,
page, export or e-mail holds their name or address, and the ranking is unchanged.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.db.tables import OutboxMessage, User
from awards.notify.outbox import MailStatus
from awards.privacy.export import export_by_email
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review

SCORES = {
    "relevance": 8,
    "impact": 8,
    "scope": 8,
    "government_involvement": 8,
    "participation": 8,
    "innovation": 8,
}
# `complete_answers()` names Ada as the candidacies' contact.
APPLICANT = ("Ada Serra", "ada.serra@barcelona.test")
JUROR = ("Juliette Juge", "juror@jury.test")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def scored_round(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, call_id: int
) -> dict[str, str]:
    """Two jurors (one chairing) score every candidacy finally; the chair's headers."""
    await add_user(runtime.db, JUROR[1], role="juror", name=JUROR[0], locale="fr", now=clock())
    await add_user(runtime.db, "chair@jury.test", role="juror", name="Chair", now=clock())
    chair = bearer(await issue_token(runtime.db, "chair@jury.test", now=clock()))
    call = f"/api/v1/calls/{call_id}"
    await client.put(
        f"{call}/panel",
        json={"jurors": [JUROR[1], "chair@jury.test"], "president": "chair@jury.test"},
        headers=tokens.secretariat,
    )
    await client.post(f"{call}/assignments", json={}, headers=tokens.secretariat)
    for headers, bonus in ((tokens.juror, 0), (chair, 1)):
        for item in (await client.get("/api/v1/jury/assignments", headers=headers)).json():
            scores = dict(SCORES, impact=8 + bonus if item["id"] % 2 else 5 + bonus)
            saved = await client.put(
                f"/api/v1/jury/assignments/{item['id']}/review",
                json={"scores": scores, "comment": "ok", "final": True},
                headers=headers,
            )
            assert saved.status_code == 200, saved.text
    return chair


def without_juror_labels(standings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**standing, "jurors": [{**j, "juror": None} for j in standing["jurors"]]}
        for standing in standings
    ]


async def test_after_erasure_nothing_names_the_person_and_the_ranking_holds(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await add_user(
        runtime.db, APPLICANT[1], role="applicant", organisation="barcelona", name=APPLICANT[0],
        now=clock(),
    )  # fmt: skip
    ada = bearer(await issue_token(runtime.db, APPLICANT[1], now=clock()))
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    await scored_round(client, runtime, clock, tokens, open_award)
    call, staff = f"/api/v1/calls/{open_award}", tokens.secretariat
    before = (await client.get(f"{call}/ranking", headers=staff)).json()
    assert JUROR[0] in str(before)
    dossier = f"/api/v1/submissions/{ids['barcelona'][0]}"
    shown = (await client.get(dossier, headers=staff)).text
    assert all(needle in shown for needle in APPLICANT)

    erased_self = await client.post(
        "/api/v1/me/erasure", json={"confirm": APPLICANT[1].upper()}, headers=ada
    )
    assert erased_self.status_code == 200, erased_self.text
    erased_juror = await client.post("/api/v1/erasures", json={"email": JUROR[1]}, headers=staff)
    assert erased_juror.status_code == 200, erased_juror.text

    assert (await client.get("/api/v1/me/export", headers=ada)).status_code == 401
    assert (await client.get("/api/v1/jury/assignments", headers=tokens.juror)).status_code == 401
    after = (await client.get(f"{call}/ranking", headers=staff)).json()
    assert without_juror_labels(after) == without_juror_labels(before)
    assert erased_juror.json()["pseudonym"] in str(after)

    barcelona = [f"/api/v1/submissions/{s}" for s in ids["barcelona"]]
    answers: list[httpx.Response] = [
        *[await client.get(path, headers=staff) for path in barcelona],
        *[await client.get(f"{path}/history", headers=tokens.owner) for path in barcelona],
        *[await client.get(f"{path}/versions", headers=staff) for path in barcelona],
        await client.get(f"{call}/ranking", headers=staff),
        *[
            await client.get(f"{call}/exports/{table}", headers=staff)
            for table in ("reviews.csv", "ranking.json")
        ],
        await client.get("/api/v1/me/export", headers=tokens.owner),
    ]
    assert [answer.status_code for answer in answers] == [200] * len(answers)
    async with runtime.db.read() as session:
        mail = list(await session.scalars(select(OutboxMessage)))
        people = list(await session.scalars(select(User)))
    erased = {user.email: user for user in people if user.erased_at is not None}
    exports = [await export_by_email(runtime, email) for email in erased]
    texts = [
        *(answer.text for answer in answers),
        *(f"{m.recipient} {m.subject} {m.body_text} {m.body_html}" for m in mail),
        *(f"{user.email} {user.name}" for user in people),
        *(str(export) for export in exports),
    ]
    for needle in (*APPLICANT, *JUROR):
        assert not [text for text in texts if needle.lower() in text.lower()], needle
    assert len(erased) == 2
    assert {m.status for m in mail if m.recipient in erased} <= {MailStatus.DEAD, MailStatus.SENT}
    assert all(export["user"]["erased_at"] for export in exports)


async def test_a_person_erases_only_themselves_and_confirms_with_their_address(
    client: Client, tokens: Tokens
) -> None:
    unconfirmed = await client.post(
        "/api/v1/me/erasure", json={"confirm": "someone@else.test"}, headers=tokens.owner
    )
    assert unconfirmed.status_code == 422
    assert unconfirmed.json()["detail"] == "confirm with your own e-mail address"
    for who, status in (("anonymous", 401), ("owner", 403), ("juror", 403)):
        response = await client.post(
            "/api/v1/erasures", json={"email": "mayor@lisboa.test"}, headers=getattr(tokens, who)
        )
        assert response.status_code == status, who
    assert (await client.get("/api/v1/me/export", headers=tokens.owner)).status_code == 200
