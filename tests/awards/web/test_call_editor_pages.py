"""Creating and editing a call in the browser: the kind first, then its edition, titles in
its languages, dates in its time zone and the settings the kind declares, with the kind's
workflows drawn; a refused form comes back as typed, naming the box at fault."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pages import Browser, section, signed_in, text

from awards.calls.service import CallService
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens

TYPED = {
    "kind": "educating-cities-award",
    "edition": "2027",
    "languages": ["en", "fr", "es", "pt"],
    "title.en": "Educating Cities Award 2027",
    "title.fr": "Prix Villes éducatrices 2027",
    "title.es": "Premio Ciudades Educadoras 2027",
    "title.pt": "Prémio Cidades Educadoras 2027",
    "timezone": "Europe/Madrid",
    "opens_at": "2026-11-01T09:00",
    "closes_at": "2027-01-31T18:00",
    "started_before": "2026-06-30",
    "excluded": "lisboa On the jury this year",
    "grace_minutes": "15",
    "reminder_days": "10, 2",
}


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["secretariat"])


async def test_a_call_is_created_from_its_kind_with_dates_in_its_time_zone(
    staff: Browser, runtime: Runtime, tokens: Tokens
) -> None:
    kinds = await staff.get("/secretariat/calls/new")
    assert "Educating Cities Award IAEC" in section(kinds.text, "kinds")
    form = await staff.get("/secretariat/calls/new", params={"kind": "educating-cities-award"})
    shown = text(form.text)
    assert "Initiatives started before" in shown and "Organisations excluded" in shown
    assert "Open → Close → Closed (Secretariat, automatic)" in section(form.text, "workflow-call")

    created = await staff.post("/secretariat/calls/new", TYPED)

    assert "The call is created, as a draft: open it when it is ready." in text(created.text)
    call = (await CallService(runtime).visible(actor=tokens.actors["secretariat"]))[0].call
    assert call.title["pt"] == "Prémio Cidades Educadoras 2027"
    assert call.closes_at.astimezone(UTC) == datetime(2027, 1, 31, 17, 0, tzinfo=UTC)
    assert call.settings["excluded"] == [
        {"organisation": "lisboa", "reason": "On the jury this year"}
    ]
    assert call.settings["reminder_days"] == [10, 2] and call.settings["grace_minutes"] == 15


async def test_a_kind_without_those_rules_asks_only_the_settings_every_call_has(
    staff: Browser,
) -> None:
    form = await staff.get("/secretariat/calls/new", params={"kind": "congress-host-bid"})

    assert 'name="grace_minutes"' in form.text and 'name="reminder_days"' in form.text
    assert 'name="started_before"' not in form.text


async def test_a_refused_form_comes_back_as_typed_naming_what_to_correct(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    staff = await signed_in(client, runtime, tokens.actors["secretariat"])
    typed = TYPED | {"title.pt": "", "closes_at": "2026-10-01T09:00"}

    refused = await staff.post("/secretariat/calls/new", typed)

    assert refused.status_code == 422
    assert section(refused.text, "problem") == (
        "Write when the call closes, as a date and time after it opens."
    )
    assert 'value="Premio Ciudades Educadoras 2027"' in refused.text
    assert ">lisboa On the jury this year</textarea>" in refused.text
    untitled = await staff.post("/secretariat/calls/new", TYPED | {"title.pt": ""})
    assert "Write the title in each language of the call" in section(untitled.text, "problem")


async def test_a_draft_call_is_edited_at_the_version_read_and_an_open_one_is_not(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    await staff.post("/secretariat/calls/new", TYPED)
    call = (await CallService(runtime).visible(actor=tokens.actors["secretariat"]))[0].call
    path = f"/secretariat/calls/{call.id}/edit"
    form = await staff.get(path)
    assert 'value="2027-01-31T18:00"' in form.text and 'name="version" value="1"' in form.text

    saved = await staff.post(path, TYPED | {"closes_at": "2027-02-28T18:00", "version": "1"})
    stale = await staff.post(path, TYPED | {"version": "1"})
    opened = await staff.post(
        f"/secretariat/calls/{open_award}/edit", TYPED | {"edition": "2026", "version": "1"}
    )

    assert "The call is saved." in text(saved.text)
    edited = await CallService(runtime).get(call.id or 0, actor=tokens.actors["secretariat"])
    assert edited.closes_at.astimezone(UTC) == datetime(2027, 2, 28, 17, 0, tzinfo=UTC)
    assert stale.status_code == 409
    assert "The call changed meanwhile" in section(stale.text, "problem")
    assert opened.status_code == 409
    assert section(opened.text, "problem") == "Only a call not yet open is edited here."
