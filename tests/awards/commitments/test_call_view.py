"""The Secretariat's view of a call's commitments: laureates late ones first, and each
indicator's values across laureates against its baseline and target; over the API as the
laureate sends its report."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from awards.auth.tokens import issue_token
from awards.commitments.obligations import send_report, sign_agreement
from awards.commitments.views import call_overview
from awards.errors import Forbidden
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens
from harness.laureates import Prize, decided_prize


@pytest.fixture
async def prize(runtime: Runtime, clock: MovableClock, tokens: Tokens) -> Prize:
    return await decided_prize(runtime, clock, tokens.actors["secretariat"])


async def test_late_laureates_come_first_and_indicators_are_read_across_laureates(
    runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    await sign_agreement(runtime, prize.laureates[0], actor=prize.applicants[0])
    await sign_agreement(runtime, prize.laureates[2], actor=prize.applicants[2])
    for laureate, applicant, reached in ((0, 0, "410"), (2, 2, "95.5")):
        await send_report(
            runtime,
            prize.laureates[laureate],
            "interim",
            answers={"progress": "On track."},
            indicators={"women_reached": reached, "grant_spent": "50"},
            version=1,
            actor=prize.applicants[applicant],
        )
    # The agreement of the association was due on 2025-10-11: late from midnight in Paris.
    clock.now = datetime(2025, 10, 11, 22, 0, tzinfo=UTC)

    overview = await call_overview(runtime, prize.call, actor=prize.staff)

    assert [(item.organisation, item.late) for item in overview.laureates] == [
        ("Union des Villes du Bénin", True),
        ("Dakar", False),
        ("Femmes Bâtisseuses", False),
    ]
    women = overview.indicators[0]
    assert (women.indicator.name, women.indicator.target) == ("women_reached", Decimal(2000))
    assert women.values == [
        ("Dakar", "interim", Decimal("410")),
        ("Femmes Bâtisseuses", "interim", Decimal("95.5")),
    ]
    assert women.highest == Decimal(2000)
    with pytest.raises(Forbidden):
        await call_overview(runtime, prize.call, actor=prize.applicants[0])


async def test_the_laureate_sends_its_report_over_the_api_at_the_version_it_read(
    client: Client, runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    user = prize.applicants[0]
    headers = {"Authorization": f"Bearer {await issue_token(runtime.db, user.email, now=clock())}"}
    url = f"/api/v1/submissions/{prize.laureates[0]}/commitments"
    report = {
        "answers": {"progress": "Forty women trained."},
        "indicators": {"women_reached": "40", "grant_spent": "12.50"},
        "version": 1,
    }

    sent = await client.put(f"{url}/reports/interim", json=report, headers=headers)
    stale = await client.put(f"{url}/reports/interim", json=report, headers=headers)
    unknown = await client.put(f"{url}/reports/midway", json=report, headers=headers)

    assert sent.status_code == 200
    interim = next(item for item in sent.json()["obligations"] if item["name"] == "interim")
    assert (interim["state"], interim["version"], interim["indicators"]) == (
        "sent",
        2,
        {"women_reached": "40", "grant_spent": "12.50"},
    )
    assert interim["late_from"] == "2026-03-11T23:00:00Z"
    assert stale.status_code == 409
    assert unknown.status_code == 404
