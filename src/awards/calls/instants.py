"""Instants given to a call (opening, closing, an extension's deadline), checked on the way in."""

from __future__ import annotations

from datetime import UTC, datetime

from awards.errors import Invalid


def utc_instant(name: str, value: datetime) -> datetime:
    """`value` as a UTC instant; `Invalid` naming field `name` when it has no offset to place
    it, or lies past what UTC can hold (year 1 at +14:00, year 9999 at -14:00): no 500."""
    if value.tzinfo is None:
        raise Invalid(f"{name} needs a time zone offset", extra={"field": name})
    try:
        return value.astimezone(UTC)
    except OverflowError:
        out_of_range = f"{name} {value.isoformat()} is out of range"
        raise Invalid(out_of_range, extra={"field": name}) from None
