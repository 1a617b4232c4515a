"""A candidacy returned for revision: the Secretariat's message and date, the city's edits
and resubmission, both versions kept with what changed, and the date enforced."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from pypdf import PdfWriter
from sqlalchemy import select
from sqlmodel import col

from awards.db.tables import OutboxMessage
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens
from harness.seeding import complete_answers


def pdf(width: int) -> bytes:
    """A blank one-page PDF; its width tells two documents apart."""
    writer = PdfWriter()
    writer.add_blank_page(width=width, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def fire(client: Client, path: str, headers: dict[str, str], **body: Any) -> Any:
    return await client.post(f"{path}/transitions", json=body, headers=headers)


async def upload(client: Client, path: str, name: str, width: int, tokens: Tokens) -> Any:
    return await client.post(
        f"{path}/attachments",
        files={"file": (name, pdf(width), "application/pdf")},
        data={"field": "annex"},
        headers=tokens.owner,
    )


async def submitted(client: Client, tokens: Tokens, call_id: int) -> str:
    """The path of a complete candidacy of Barcelona with an annex, submitted."""
    created = await client.post(
        f"/api/v1/calls/{call_id}/submissions",
        json={"answers": complete_answers()},
        headers=tokens.owner,
    )
    path = f"/api/v1/submissions/{created.json()['id']}"
    assert (await upload(client, path, "budget.pdf", 100, tokens)).status_code == 201
    assert (await fire(client, path, tokens.owner, name="submit")).status_code == 200
    return path


async def returned(client: Client, tokens: Tokens, path: str, *, by: str) -> Any:
    return await fire(
        client,
        path,
        tokens.secretariat,
        name="return_for_revision",
        reason="The budget is unclear: give it by year",
        inputs={"revise_by": by},
    )


async def test_a_returned_candidacy_is_revised_and_resubmitted_and_keeps_both_versions(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    path = await submitted(client, tokens, open_award)
    sent_back = await returned(client, tokens, path, by="2025-09-15")
    current = (await client.get(path, headers=tokens.owner)).json()
    summary = {**current["answers"]["summary"], "en": "Schoolyards open as squares, EUR 40,000"}
    edited = await client.patch(
        path,
        json={"answers": {"summary": summary}, "version": current["version"]},
        headers=tokens.owner,
    )
    replaced = await upload(client, path, "budget-by-year.pdf", 120, tokens)
    resubmitted = await fire(client, path, tokens.owner, name="resubmit")

    assert sent_back.json()["state"] == "returned", sent_back.text
    assert edited.status_code == 200, edited.text
    assert replaced.status_code == 201, replaced.text
    assert resubmitted.json()["state"] == "submitted", resubmitted.text
    versions = (await client.get(f"{path}/versions", headers=tokens.secretariat)).json()
    assert [(v["number"], v["transition"]) for v in versions] == [(1, "submit"), (2, "resubmit")]
    first, second = versions
    assert first["changes"] == []
    assert (
        first["answers"]["summary"]["en"] == "Schoolyards open after hours as public squares (en)"
    )
    assert first["answers"]["annex"]["filename"] == "budget.pdf"
    assert second["answers"]["summary"]["en"] == "Schoolyards open as squares, EUR 40,000"
    assert [c["field"] for c in second["changes"]] == ["summary", "annex"]
    annex = second["changes"][1]
    assert (annex["before"]["filename"], annex["after"]["filename"]) == (
        "budget.pdf",
        "budget-by-year.pdf",
    )
    old = first["answers"]["annex"]["attachment_id"]
    kept = await client.get(f"{path}/attachments/{old}", headers=tokens.owner)
    assert kept.content == pdf(100)
    history = (await client.get(f"{path}/history", headers=tokens.owner)).json()
    assert [(h["transition"], h["to_state"]) for h in history][-3:] == [
        ("submit", "submitted"),
        ("return_for_revision", "returned"),
        ("resubmit", "submitted"),
    ]
    assert history[-2]["reason"] == "The budget is unclear: give it by year; revise_by: 2025-09-15"
    async with runtime.db.read() as session:
        mails = list(await session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id))))
    told = [(m.template, m.recipient, m.language) for m in mails]
    assert told[-2:] == [
        ("returned_for_revision", "mayor@barcelona.test", "es"),
        ("resubmission_received", "mayor@barcelona.test", "es"),
    ]
    asked = mails[-2].body_text
    assert "Mensaje: The budget is unclear: give it by year" in asked
    assert "antes del final del 2025-09-15" in asked


async def test_only_the_owner_and_the_secretariat_read_the_versions(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    path = await submitted(client, tokens, open_award)

    answers = {
        who: (await client.get(f"{path}/versions", headers=getattr(tokens, who))).status_code
        for who in ("owner", "secretariat", "other_applicant", "juror", "anonymous")
    }

    assert answers == {
        "owner": 200,
        "secretariat": 200,
        "other_applicant": 404,  # as a missing one: a 403 told which ids exist
        "juror": 404,
        "anonymous": 401,
    }


async def test_a_submitted_candidacy_cannot_be_edited_until_it_is_returned(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    path = await submitted(client, tokens, open_award)
    version = (await client.get(path, headers=tokens.owner)).json()["version"]

    refused = await client.patch(
        path,
        json={"answers": {"website": "https://a.test"}, "version": version},
        headers=tokens.owner,
    )

    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        f"cannot edit submission {path.rsplit('/', 1)[1]} in state submitted: "
        "it can be edited only in draft or returned"
    )


async def test_resubmission_after_the_date_given_is_refused_with_the_reason(
    client: Client, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    path = await submitted(client, tokens, open_award)
    await returned(client, tokens, path, by="2025-09-02")
    clock.advance(timedelta(days=1, hours=11, minutes=59))  # 2025-09-02 23:59 in Madrid
    options = (await client.get(f"{path}/transitions", headers=tokens.owner)).json()
    clock.advance(timedelta(minutes=1))

    late = await fire(client, path, tokens.owner, name="resubmit")
    ineligible = await fire(
        client, path, tokens.secretariat, name="mark_ineligible", reason="Not revised in time"
    )

    assert {o["name"]: o["allowed"] for o in options}["resubmit"] is True
    assert late.status_code == 409
    assert late.json()["extra"]["failed_guards"] == [
        {
            "guard": "revision_open",
            "code": "date_passed",
            "reason": "the time given ended with 2025-09-02 (2025-09-03 00:00 Europe/Madrid)",
        }
    ]
    assert ineligible.json()["state"] == "ineligible"


async def test_returning_with_a_date_already_past_is_refused_with_the_reason(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    path = await submitted(client, tokens, open_award)  # on 2025-09-01 in Madrid

    past = await returned(client, tokens, path, by="2025-08-31")
    options = (await client.get(f"{path}/transitions", headers=tokens.secretariat)).json()
    today = await returned(client, tokens, path, by="2025-09-01")

    assert past.status_code == 409
    assert past.json()["extra"]["failed_guards"] == [
        {
            "guard": "revise_by_ahead",
            "code": "date_in_past",
            "reason": "revise_by is 2025-08-31, a day already past: give 2025-09-01 or a later day",
        }
    ]
    assert {o["name"]: o["allowed"] for o in options}["return_for_revision"] is True
    assert today.json()["state"] == "returned"
