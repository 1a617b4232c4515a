"""The jury over HTTP: who may call what, a round scored and ranked, proposals confirmed,
exports for the Secretariat."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlmodel import col

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.db.tables import OutboxMessage, Submission
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


async def president(runtime: Runtime, clock: MovableClock) -> dict[str, str]:
    await add_user(runtime.db, "chair@jury.test", role="juror", name="Chair", now=clock())
    return {
        "Authorization": f"Bearer {await issue_token(runtime.db, 'chair@jury.test', now=clock())}"
    }


async def test_secretariat_endpoints_refuse_everyone_else(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    call = f"/api/v1/calls/{open_award}"
    attempts = [
        ("PUT", f"{call}/panel", {"jurors": ["juror@jury.test"]}),
        ("POST", f"{call}/conflicts", {}),
        ("POST", f"{call}/assignments", {}),
        ("POST", f"{call}/rounds/preselection/close", None),
        ("GET", f"{call}/exports/reviews.csv", None),
    ]
    for method, path, body in attempts:
        for who, status in (("anonymous", 401), ("owner", 403), ("juror", 403)):
            response = await client.request(method, path, json=body, headers=getattr(tokens, who))
            assert response.status_code == status, (method, path, who, response.text)


async def test_juror_endpoints_refuse_the_secretariat_and_applicants(
    client: Client, tokens: Tokens
) -> None:
    for who, status in (("anonymous", 401), ("owner", 403), ("secretariat", 403)):
        response = await client.get("/api/v1/jury/assignments", headers=getattr(tokens, who))
        assert response.status_code == status, who


async def test_a_round_is_scored_ranked_proposed_confirmed_and_exported(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=2)
    chair = await president(runtime, clock)
    call = f"/api/v1/calls/{open_award}"
    staff = tokens.secretariat

    panel = await client.put(
        f"{call}/panel",
        json={"jurors": ["juror@jury.test", "chair@jury.test"], "president": "chair@jury.test"},
        headers=staff,
    )
    report = await client.post(f"{call}/assignments", json={}, headers=staff)
    for headers, bonus in ((tokens.juror, 0), (chair, 1)):
        for item in (await client.get("/api/v1/jury/assignments", headers=headers)).json():
            scores = dict(SCORES, impact=8 + bonus if item["id"] % 2 else 5 + bonus)
            saved = await client.put(
                f"/api/v1/jury/assignments/{item['id']}/review",
                json={
                    "scores": scores,
                    "comment": "ok",
                    "comment_for_applicant": "Bravo",
                    "final": True,
                },
                headers=headers,
            )
            assert saved.status_code == 200, saved.text
    as_chair = await client.get(f"{call}/ranking", headers=chair)
    as_staff = await client.get(f"{call}/ranking", headers=staff)
    as_juror = await client.get(f"{call}/ranking", headers=tokens.juror)

    assert [m["role"] for m in panel.json()] == ["juror", "president"]
    assert report.json() == {"round": "preselection", "created": 8, "short": {}}
    (standing,) = as_chair.json()
    assert [e["organisation"] for e in standing["entries"]] == [None] * 4
    assert {e["reviews"] for e in standing["entries"]} == {2}
    assert [j["count"] for j in standing["jurors"]] == [4, 4]
    assert all(e["organisation"] for e in as_staff.json()[0]["entries"])
    assert as_juror.status_code == 403

    await client.post(f"{call}/transitions", json={"name": "deliberate"}, headers=staff)
    first = standing["entries"][0]["pseudonym"]
    top = next(e["submission_id"] for e in as_staff.json()[0]["entries"] if e["pseudonym"] == first)
    proposed = await client.post(
        f"{call}/ranking/{first}/transitions", json={"name": "propose_laureate"}, headers=chair
    )
    not_by_juror = await client.post(
        f"/api/v1/submissions/{top}/transitions",
        json={"name": "confirm_laureate"},
        headers=tokens.juror,
    )
    confirmed = await client.post(
        f"/api/v1/submissions/{top}/transitions", json={"name": "confirm_laureate"}, headers=staff
    )
    assert proposed.json()["state"] == "proposed_laureate"
    assert "answers" not in proposed.json()
    assert not_by_juror.status_code == 404  # an anonymised jury names no submission by id
    assert confirmed.json()["state"] == "laureate"
    async with runtime.db.read() as session:
        result = await session.scalar(
            select(OutboxMessage).where(
                col(OutboxMessage.template) == "result", col(OutboxMessage.submission_id) == top
            )
        )
    assert result is not None
    assert "- Bravo\n- Bravo\n" in result.body_text

    exported = await client.get(f"{call}/exports/reviews.csv", headers=staff)
    named = await client.get(f"{call}/exports/ranking.json?anonymised=false", headers=staff)
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 8
    assert "organisation" not in rows[0]
    assert {row["comment_for_applicant"] for row in rows} == {"Bravo"}
    assert {row["organisation"] for row in named.json()} == {"Barcelona", "City 1", "City 2"}


async def test_the_president_reads_which_rule_fails_but_not_a_reason_naming_the_city(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    chair = await president(runtime, clock)
    call = f"/api/v1/calls/{open_award}"
    await client.put(
        f"{call}/panel",
        json={"jurors": ["chair@jury.test"], "president": "chair@jury.test"},
        headers=tokens.secretariat,
    )
    await client.post(
        f"{call}/transitions", json={"name": "deliberate"}, headers=tokens.secretariat
    )
    first, second = ids["barcelona"]
    async with runtime.db.read() as session:
        pseudonym = {s.id: s.pseudonym for s in await session.scalars(select(Submission))}
    await client.post(
        f"{call}/ranking/{pseudonym[first]}/transitions",
        json={"name": "propose_laureate"},
        headers=chair,
    )

    refused = await client.post(
        f"{call}/ranking/{pseudonym[second]}/transitions",
        json={"name": "propose_laureate"},
        headers=chair,
    )
    as_staff = await client.get(
        f"/api/v1/submissions/{second}/transitions", headers=tokens.secretariat
    )

    blind = {
        "guard": "one_laureate_per_city",
        "code": "rule_not_met",
        "reason": "the rule 'one_laureate_per_city' is not met",
    }
    assert refused.json()["extra"]["failed_guards"] == [blind]
    assert "Barcelona" not in refused.text
    assert f"Barcelona already has submission {first} as proposed_laureate" in as_staff.text


async def test_a_dossier_gives_the_rubrics_levels_and_a_final_review_no_longer_changes(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    call = f"/api/v1/calls/{open_award}"
    await client.put(
        f"{call}/panel", json={"jurors": ["juror@jury.test"]}, headers=tokens.secretariat
    )
    await client.post(f"{call}/assignments", json={}, headers=tokens.secretariat)
    first = (await client.get("/api/v1/jury/assignments", headers=tokens.juror)).json()[0]["id"]
    path = f"/api/v1/jury/assignments/{first}"

    dossier = (await client.get(path, headers=tokens.juror)).json()
    final = await client.put(
        f"{path}/review", json={"scores": SCORES, "final": True}, headers=tokens.juror
    )
    again = await client.put(
        f"{path}/review", json={"scores": SCORES, "version": 1}, headers=tokens.juror
    )

    assert [(lv["min"], lv["max"], lv["label"]["es"]) for lv in dossier["levels"]] == [
        (0, 2.5, "Insuficiente"),
        (3, 4.5, "Limitado"),
        (5, 7.5, "Bueno"),
        (8, 10, "Destacado"),
    ]
    assert final.status_code == 200, final.text
    assert again.status_code == 409
    assert again.json()["detail"] == (
        f"the review of assignment {first} is final: it can no longer change"
    )
