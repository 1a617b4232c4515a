"""`/calls.ics`: every open call's deadline, in the call's time zone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar

from conftest import Client, MovableClock
from harness.seeding import AWARD_TITLE


async def test_the_calendar_has_each_open_calls_deadline_in_its_time_zone(
    client: Client, clock: MovableClock, open_award: int
) -> None:
    response = await client.get("/calls.ics")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(event["SUMMARY"]) for event in events] == [f"{AWARD_TITLE['en']}: deadline"]
    start = events[0].decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Madrid"
    deadline = (clock() + timedelta(days=30)).replace(microsecond=0)
    assert start == deadline
    assert start.utcoffset() == deadline.astimezone(ZoneInfo("Europe/Madrid")).utcoffset()


async def test_the_calendar_is_empty_without_open_calls(client: Client) -> None:
    response = await client.get("/calls.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert list(calendar.walk("VEVENT")) == []
