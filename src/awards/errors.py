"""Domain errors. Services raise these; `app.py` maps each base class to an HTTP status once."""

from __future__ import annotations

from typing import Any


class AwardsError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConfigurationError(AwardsError):
    """A setting or a call-kind file is unusable; start-up stops."""


class NotFound(AwardsError):
    """No such object, or not visible to this caller."""


class Forbidden(AwardsError):
    """The caller may not do this."""


class Conflict(AwardsError):
    """The object changed or is in a state that does not allow this (stale version, refused
    transition)."""


class Invalid(AwardsError):
    """Bad input; `extra` names the field and the rule."""


class Unavailable(AwardsError):
    """The service could not do this now, through no fault of the request: try again shortly."""
