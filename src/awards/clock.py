"""Time: one injectable clock, and instants shown in a zone."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date, format_time

from awards.errors import Invalid

Day = TypeVar("Day", bound=date)
"""A date or an instant: `months_after` keeps its time and zone."""

Clock = Callable[[], datetime]
"""Returns the current instant, time-zone aware."""
END_OF_TIME = datetime.max.replace(tzinfo=UTC)


def system_clock() -> datetime:
    return datetime.now(UTC)


def zone(name: str, *, field: str = "timezone") -> ZoneInfo:
    """The IANA zone `name`, or `Invalid` naming `field`."""
    if name not in available_timezones():
        raise Invalid(f"unknown time zone '{name}'", extra={"field": field, "rule": "IANA zone"})
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - listed but not loadable
        raise Invalid(f"unknown time zone '{name}'", extra={"field": field}) from None


def in_zone(instant: datetime, timezone: str) -> datetime:
    """`instant` on the clocks of `timezone`; in UTC when their date would lie outside
    years 1-9999 (stored before such instants were refused: a page shows it, not a 500)."""
    try:
        return instant.astimezone(ZoneInfo(timezone))
    except OverflowError:
        return instant.astimezone(UTC)


def later(instant: datetime, delta: timedelta) -> datetime:
    """`instant + delta` (`delta` >= 0), or the last instant `datetime` holds past it: a date
    stored near year 9999 (before such dates were refused) is then never reached, not a 500."""
    try:
        return instant + delta
    except OverflowError:
        return END_OF_TIME


def local(instant: datetime, timezone: str) -> str:
    """`2026-03-31 23:59 Europe/Madrid`: an instant as people in that zone read it."""
    shown = in_zone(instant, timezone)
    return f"{shown:%Y-%m-%d %H:%M} {timezone if shown.tzinfo is not UTC else 'UTC'}"


def spelled(instant: datetime, timezone: str, language: str) -> str:
    """`1 de octubre de 2025, 12:00 (Europe/Madrid)`: an instant in `timezone`, written out
    in `language`."""
    shown = in_zone(instant, timezone)
    day = format_date(shown, "long", locale=language)
    return f"{day}, {format_time(shown, 'HH:mm', locale=language)} ({timezone})"


def months_after(instant: Day, months: int) -> Day:
    """The same day `months` calendar months later (the month's last day if it is shorter)."""
    index = instant.month - 1 + months
    year, month = instant.year + index // 12, index % 12 + 1
    day = min(instant.day, calendar.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)
