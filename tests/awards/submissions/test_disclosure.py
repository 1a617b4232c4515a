"""What an applicant reads of their candidacy while the jury deliberates: nothing of it."""

from __future__ import annotations

from awards.calls.service import CallService
from awards.jury.panel import set_panel
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review


async def test_the_deliberation_is_hidden_from_the_applicant_until_the_results_are_published(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    """The owner read `proposed_laureate` and the president's id in the history."""
    staff, service = tokens.actors["secretariat"], SubmissionService(runtime)
    first, second = (await candidacies_in_review(runtime, clock, tokens, open_award, cities=0))[
        "barcelona"
    ]
    await set_panel(
        runtime, open_award, jurors=["juror@jury.test"], president="juror@jury.test", actor=staff
    )
    await CallService(runtime).fire(open_award, "deliberate", actor=staff)
    # The president, through the ranking (which names it by pseudonym).
    await service.fire(first, "propose_laureate", actor=tokens.actors["juror"], by_pseudonym=True)
    await service.fire(second, "shortlist", actor=staff)

    read = {
        submission: (
            (await client.get(f"/api/v1/submissions/{submission}", headers=tokens.owner)).json(),
            (
                await client.get(f"/api/v1/submissions/{submission}/history", headers=tokens.owner)
            ).json(),
        )
        for submission in (first, second)
    }
    listed = await service.own(actor=tokens.actors["owner"])
    staff_view = await client.get(f"/api/v1/submissions/{first}", headers=tokens.secretariat)

    for submission, (answer, history) in read.items():
        assert answer["state"] == "in_review", submission
        assert [entry["to_state"] for entry in history][-3:] == [
            "submitted",
            "eligible",
            "in_review",
        ]
    assert {mine.submission.state for mine in listed} == {"in_review"}
    assert staff_view.json()["state"] == "proposed_laureate"
    juror = tokens.actors["juror"].id
    assert all(entry.get("actor_id") != juror for _, history in read.values() for entry in history)
