"""`awards token` as an operator uses it: issue a named, scoped, expiring token; list a user's
tokens; revoke one, after which it signs nobody in."""

from __future__ import annotations

import pytest

from awards.auth.tokens import TokenRefused, authenticate, create_token, revoke_token
from awards.auth.users import add_user
from awards.errors import Conflict
from awards.members.register import Member, upsert_members
from awards.transitions.runtime import Runtime
from conftest import MovableClock
from harness.processes import run_awards

EMAIL = "mayor@lille.test"


@pytest.fixture
async def applicant(runtime: Runtime, clock: MovableClock) -> str:
    await upsert_members(runtime.db, [Member("Lille", "FR", "Europe", "AIMF", 1990, True)])
    await add_user(runtime.db, EMAIL, role="applicant", organisation="lille", now=clock())
    return EMAIL


async def test_issue_list_and_revoke_a_scoped_expiring_token(
    runtime: Runtime, clock: MovableClock, database_url: str, applicant: str
) -> None:
    issued = run_awards(
        "token", applicant, "--name", "ci", "--scope", "read", "--expires-in", "30",
        database_url=database_url,
    )  # fmt: skip
    secret = issued.stdout.strip()
    token_id = (await authenticate(runtime.db, secret, now=clock())).token_id
    revoked = run_awards("token", "revoke", str(token_id), database_url=database_url)
    listed = run_awards("token", "list", applicant, database_url=database_url)

    assert issued.returncode == 0
    assert issued.stderr.startswith(f"token {token_id} of {applicant}: scopes read; expires 20")
    assert revoked.stdout == f"token {token_id} (ci) of {applicant} is revoked\n"
    header, row = listed.stdout.splitlines()
    assert header.split() == [
        "id", "name", "scopes", "status", "created", "(UTC)", "expires", "last", "used",
    ]  # fmt: skip
    assert row.split()[:4] == [str(token_id), "ci", "read", "revoked"]
    with pytest.raises(TokenRefused) as refused:
        await authenticate(runtime.db, secret, now=clock())
    assert refused.value.message == f"token {token_id} was revoked"


async def test_a_scope_the_role_cannot_use_is_refused_and_the_default_is_the_roles_own(
    runtime: Runtime, clock: MovableClock, database_url: str, applicant: str
) -> None:
    refused = run_awards("token", applicant, "--scope", "administer", database_url=database_url)
    default = await create_token(runtime.db, applicant, now=clock())
    await revoke_token(runtime.db, default.id, now=clock())
    with pytest.raises(Conflict) as twice:
        await revoke_token(runtime.db, default.id, now=clock())

    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        "awards: a token of a user with role applicant cannot use scope 'administer'; "
        "it can use read, submit\n"
    )
    assert default.scopes == ("read", "submit")
    assert default.expires_at is None
    assert twice.value.message == (
        f"cannot revoke token {default.id} of {applicant}: it was revoked at 2025-09-01 10:00 UTC"
    )
