"""Instants given to a call (opening, closing, an extension's deadline), checked on the way in."""

from __future__ import annotations

from datetime import UTC, datetime

from awards.errors import Invalid

EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, tzinfo=UTC)
"""A year inside what `datetime` holds at each end: room for every zone's offset, a grace
period and the reminders' days, so no page showing the instant overflows."""


def utc_instant(name: str, value: datetime) -> datetime:
    """`value` as a UTC instant; `Invalid` naming field `name` when it has no offset to place
    it, or lies outside EARLIEST..LATEST (year 9999 in Pacific/Kiritimati): no 500, and
    nothing written."""
    if value.tzinfo is None:
        raise Invalid(f"{name} needs a time zone offset", extra={"field": name})
    try:
        instant = value.astimezone(UTC)
    except OverflowError:
        instant = None
    if instant is None or not EARLIEST <= instant <= LATEST:
        out_of_range = f"{name} {value.isoformat()} is out of range"
        raise Invalid(out_of_range, extra={"field": name})
    return instant
