"""What an API token may do: its scopes, and the one scope each request needs.

The mapping is decided once, here, for every endpoint present and future:

- `read`: any safe request (GET, HEAD, OPTIONS);
- any other request needs the write scope of the caller's role: `submit` for an applicant,
  `review` for a juror (the jury president included), `administer` for the Secretariat.

A scope never grants anything the user's role does not already allow: the handlers' guards
and the workflow still decide. It only narrows what a token can be used for, so a script that
exports the databank with a Secretariat user's `read` token cannot open or close a call.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from awards.errors import Invalid
from awards.transitions.actor import Role

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Scope(StrEnum):
    READ = "read"
    SUBMIT = "submit"
    REVIEW = "review"
    ADMINISTER = "administer"


WRITE_SCOPE_OF: dict[Role, Scope] = {
    Role.APPLICANT: Scope.SUBMIT,
    Role.JUROR: Scope.REVIEW,
    Role.SECRETARIAT: Scope.ADMINISTER,
}


def required_scope(method: str, role: Role | None) -> Scope | None:
    """The scope a request with `method` by a user of `role` needs; `None`: no token can
    write without a role (there is no such user)."""
    if method.upper() in SAFE_METHODS:
        return Scope.READ
    return None if role is None else WRITE_SCOPE_OF[role]


def scopes_of_role(role: Role) -> tuple[Scope, ...]:
    """Every scope a user of `role` can make use of: the default of a new token."""
    return (Scope.READ, WRITE_SCOPE_OF[role])


def parse_scopes(names: Iterable[str], *, role: Role) -> tuple[Scope, ...]:
    """Checked scopes for a token of a user with `role`, in their canonical order.

    A scope the role can never use is refused rather than stored: a token that looks able to
    administer but is not would mislead whoever reads `awards token list`.
    """
    wanted = set()
    usable = scopes_of_role(role)
    for name in names:
        try:
            scope = Scope(name)
        except ValueError:
            raise Invalid(
                f"unknown scope '{name}'; scopes: {', '.join(Scope)}", extra={"field": "scope"}
            ) from None
        if scope not in usable:
            raise Invalid(
                f"a token of a user with role {role} cannot use scope '{scope}'; "
                f"it can use {', '.join(usable)}",
                extra={"field": "scope"},
            )
        wanted.add(scope)
    return tuple(scope for scope in Scope if scope in wanted)


def encode(scopes: Iterable[Scope]) -> str:
    return " ".join(scopes)


def decode(text: str) -> frozenset[Scope]:
    """The scopes stored on a token; a name this version does not know grants nothing."""
    known = {scope.value for scope in Scope}
    return frozenset(Scope(name) for name in text.split() if name in known)
