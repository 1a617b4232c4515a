"""Settings of one edition of a call, set by the Secretariat: what changes from year to year.

Stored as JSON on the call; every key is optional and checked here, naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

from awards.errors import Invalid


@dataclass(frozen=True)
class Exclusion:
    organisation: str
    """Slug of the organisation."""
    reason: str


@dataclass(frozen=True)
class EditionSettings:
    excluded: tuple[Exclusion, ...] = ()
    """Organisations that may not take part: jury cities, the congress host, last winners."""
    started_before: date | None = None
    """Cut-off for the start of the initiative (rule `started_before_cutoff`)."""
    grace_minutes: int = 0
    """Submissions are still accepted this long after the deadline."""
    reminder_days: tuple[int, ...] = (14, 3)
    """Days before the deadline on which drafts are reminded."""

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> EditionSettings:
        unknown = sorted(
            set(raw) - {"excluded", "started_before", "grace_minutes", "reminder_days"}
        )
        if unknown:
            _fail(unknown[0], "is not a setting of a call")
        return cls(
            excluded=tuple(_exclusion(item) for item in _list(raw, "excluded")),
            started_before=_date(raw.get("started_before")),
            grace_minutes=_whole(raw.get("grace_minutes", 0), "grace_minutes", maximum=7 * 24 * 60),
            reminder_days=tuple(
                _whole(day, "reminder_days", maximum=365)
                for day in _list(raw, "reminder_days", default=[14, 3])
            ),
        )

    def dump(self) -> dict[str, Any]:
        return {
            "excluded": [
                {"organisation": e.organisation, "reason": e.reason} for e in self.excluded
            ],
            "started_before": self.started_before.isoformat() if self.started_before else None,
            "grace_minutes": self.grace_minutes,
            "reminder_days": list(self.reminder_days),
        }


def _exclusion(item: Any) -> Exclusion:
    if not isinstance(item, Mapping) or not all(
        isinstance(item.get(key), str) and item[key].strip() for key in ("organisation", "reason")
    ):
        _fail("excluded", 'entries are {"organisation": slug, "reason": text}')
    return Exclusion(organisation=item["organisation"], reason=item["reason"].strip())


def _list(raw: Mapping[str, Any], key: str, *, default: list[Any] | None = None) -> list[Any]:
    value = raw.get(key, default or [])
    if not isinstance(value, list):
        _fail(key, "must be a list")
    return value


def _date(value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        _fail("started_before", "must be a date as YYYY-MM-DD")


def _whole(value: Any, key: str, *, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        _fail(key, f"must be a whole number from 0 to {maximum}")
    return value


def _fail(field: str, rule: str) -> NoReturn:
    raise Invalid(f"settings.{field} {rule}", extra={"field": f"settings.{field}", "rule": rule})
