"""Time: one injectable clock, and instants shown in a zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from awards.errors import Invalid

Clock = Callable[[], datetime]
"""Returns the current instant, time-zone aware."""


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


def local(instant: datetime, timezone: str) -> str:
    """`2026-03-31 23:59 Europe/Madrid`: an instant as people in that zone read it."""
    shown = in_zone(instant, timezone)
    return f"{shown:%Y-%m-%d %H:%M} {timezone if shown.tzinfo is not UTC else 'UTC'}"
