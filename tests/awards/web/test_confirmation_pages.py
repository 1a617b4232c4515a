"""Irreversible steps of a call (close, publish, declare void) are confirmed on a page that
says what they will do, counted now; a closed call says it closed."""

from __future__ import annotations

import re

import pytest
from pages import Browser, section, signed_in, text

from awards.calls.service import CallService
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, draft


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["secretariat"])


async def test_closing_says_how_many_organisations_will_no_longer_submit_then_closes(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    submitted = await draft(runtime, open_award, tokens.actors["owner"])
    await SubmissionService(runtime).fire(submitted, "submit", actor=tokens.actors["owner"])
    await draft(runtime, open_award, tokens.actors["owner"])
    await draft(runtime, open_award, tokens.actors["other_applicant"])
    path = f"/secretariat/calls/{open_award}"
    lifecycle = section((await staff.get(path)).text, "lifecycle")
    assert lifecycle == "Lifecycle Close…"

    confirm = await staff.get(f"{path}/confirm", params={"name": "close"})

    assert section(confirm.text, "consequence") == (
        "2 organisations with a candidacy not yet submitted will no longer be able to submit "
        "it, and no one can start a new one. The 1 candidacies submitted go on. "
        "This cannot be undone."
    )
    assert (await CallService(runtime).get(open_award, actor=tokens.actors["owner"])).state == (
        "open"
    )  # asking changes nothing
    closed = await staff.post(f"{path}/transitions", {"name": "close"})
    assert "State: Closed · Closed; the deadline was 2025-10-01 12:00 Europe/Madrid" in text(
        closed.text
    )


async def test_declaring_void_looks_destructive_and_publishing_does_not(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    for step in ("close", "start_review", "deliberate"):
        await CallService(runtime).fire(open_award, step, actor=tokens.actors["secretariat"])
    path = f"/secretariat/calls/{open_award}"

    page = await staff.get(path)

    buttons = re.findall(
        r'<form method="get" action="([^"]+)" class="action">\s*<input type="hidden" '
        r'name="name" value="(\w+)">\s*<button type="submit" class="(\w+)">',
        page.text,
    )
    assert buttons == [
        (f"{path}/confirm", "publish", "primary"),
        (f"{path}/confirm", "declare_void", "danger"),
    ]
    void = await staff.get(f"{path}/confirm", params={"name": "declare_void"})
    assert "No prize is given in this call: none of its 0 candidacies is awarded" in text(void.text)
    assert 'name="reason" rows="3" required' in void.text
    assert 'class="danger">Yes: Declare void</button>' in void.text


async def test_a_step_that_can_be_undone_has_no_confirmation_page(
    staff: Browser, open_award: int
) -> None:
    page = await staff.get(f"/secretariat/calls/{open_award}/confirm", params={"name": "open"})

    assert page.status_code == 422
    assert "'open' needs no confirmation" in text(page.text)
