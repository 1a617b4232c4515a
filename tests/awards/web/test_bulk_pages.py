"""The Secretariat's bulk actions: ticked candidacies, a confirmation naming how many and
which, then each fired on its own through the one state-change path and reported."""

from __future__ import annotations

import re

import pytest
from pages import Browser, section, signed_in, text

from awards.auth.users import add_user
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, draft


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["secretariat"])


@pytest.fixture
async def submitted(runtime: Runtime, tokens: Tokens, open_award: int) -> list[int]:
    """Two candidacies of Barcelona submitted, and Lisboa's found ineligible already."""
    service, staff = SubmissionService(runtime), tokens.actors["secretariat"]
    ids = []
    for who in ("owner", "owner", "other_applicant"):
        submission = await draft(runtime, open_award, tokens.actors[who])
        await service.fire(submission, "submit", actor=tokens.actors[who])
        ids.append(submission)
    await service.fire(ids[2], "mark_ineligible", actor=staff, reason="Fees unpaid")
    return ids


async def test_the_list_offers_the_bulk_steps_allowed_for_some_row_with_a_box_per_row(
    staff: Browser, open_award: int, submitted: list[int]
) -> None:
    page = await staff.get(f"/secretariat/calls/{open_award}")

    queue, others = page.text.split('id="submissions"')
    queue = queue[queue.index('id="queue"') :]
    assert re.findall(r'<option value="(\w+)">', queue) == ["mark_eligible"]
    assert re.findall(r'name="id" value="(\d+)" form="bulk-queue-title"', queue) == [
        str(i) for i in submitted[:2]
    ]
    assert 'data-select-all="bulk-queue-title"' in queue
    assert 'name="id"' not in others  # the ineligible one: no step of the Secretariat now


async def test_a_bulk_step_is_confirmed_naming_each_then_reported_per_candidacy(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int, submitted: list[int]
) -> None:
    path = f"/secretariat/calls/{open_award}/bulk"
    chosen = [("name", "mark_eligible"), *(("id", str(i)) for i in submitted)]

    confirm = await staff.get(path, params=chosen)

    shown = text(confirm.text)
    assert "Mark eligible: candidacies chosen, 3" in shown
    assert "1 of them cannot take this step now" in shown
    rows = section(confirm.text, "chosen")
    assert f"{submitted[0]} " in rows and "Barcelona" in rows and "Lisboa" in rows
    assert "Ineligible not possible from “Ineligible”" in rows
    service = SubmissionService(runtime)
    assert (await service.get(submitted[0], actor=tokens.actors["secretariat"])).state == (
        "submitted"
    )  # asking changes nothing

    report = await staff.post(path, dict(chosen) | {"id": [str(i) for i in submitted]})

    assert report.status_code == 200
    assert "Done: 2 of 3. Refused: 1." in text(report.text)
    assert section(report.text, f"outcome-{submitted[0]}").endswith("done, now Eligible")
    assert section(report.text, f"outcome-{submitted[2]}").endswith(
        "refused : not possible from “Ineligible”"
    )
    for submission in submitted[:2]:
        history = await service.history(submission, actor=tokens.actors["secretariat"])
        assert history[-1].transition == "mark_eligible"  # an audit record each


async def test_a_refusal_by_a_check_is_reported_with_its_reason_in_the_readers_language(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int, submitted: list[int]
) -> None:
    user = await add_user(
        runtime.db, "secretaria@edcities.test", role="secretariat", locale="es", now=runtime.clock()
    )
    staff = await signed_in(client, runtime, Actor.of(user))
    service = SubmissionService(runtime)
    await service.fire(submitted[0], "mark_eligible", actor=tokens.actors["secretariat"])

    report = await staff.post(
        f"/secretariat/calls/{open_award}/bulk", {"name": "start_review", "id": [submitted[0]]}
    )

    outcome = section(report.text, f"outcome-{submitted[0]}")
    assert outcome.startswith(f"{submitted[0]} ")
    assert outcome.endswith(
        "rechazado : La convocatoria está en evaluación: la convocatoria está en estado "
        "«Abierta», no «Evaluación en curso»"
    )
    assert (await service.get(submitted[0], actor=tokens.actors["secretariat"])).state == (
        "eligible"
    )


@pytest.mark.parametrize("name", ["mark_ineligible", "submit", "nonsense"])
async def test_a_step_asking_a_reason_or_not_the_secretariats_is_not_offered_in_bulk(
    staff: Browser, open_award: int, submitted: list[int], name: str
) -> None:
    page = await staff.get(
        f"/secretariat/calls/{open_award}/bulk", params={"name": name, "id": submitted[0]}
    )

    assert page.status_code == 422
    assert "cannot be fired on several submissions at once" in text(page.text)
