"""`/calls.ics`: every open call's deadline, at its instant whatever the reader's calendar."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar

from conftest import Client, MovableClock
from harness.seeding import AWARD_TITLE


async def test_the_calendar_has_each_open_calls_deadline_at_its_instant(
    client: Client, clock: MovableClock, open_award: int
) -> None:
    response = await client.get("/calls.ics")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(event["SUMMARY"]) for event in events] == [f"{AWARD_TITLE['en']}: deadline"]
    deadline = (clock() + timedelta(days=30)).replace(microsecond=0)
    assert events[0].decoded("DTSTART") == deadline
    assert f"\r\nDTSTART:{deadline.astimezone(UTC):%Y%m%dT%H%M%S}Z\r\n" in response.text


async def test_every_time_zone_the_calendar_names_it_defines(
    client: Client, open_award: int
) -> None:
    response = await client.get("/calls.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    named = {
        event["DTSTART"].params["TZID"]
        for event in calendar.walk("VEVENT")
        if "TZID" in event["DTSTART"].params
    }
    assert named <= {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}


async def test_the_calendar_is_empty_without_open_calls(client: Client) -> None:
    response = await client.get("/calls.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert list(calendar.walk("VEVENT")) == []
