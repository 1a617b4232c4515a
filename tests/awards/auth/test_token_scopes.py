"""API tokens on every endpoint of the OpenAPI document: a revoked or expired token is refused
(401), a token without the scope a request needs is refused (403), and a token with it gets
the same answer as the user's full token.

Scopes: `read` for GET; a write needs the write scope of the caller's role: `submit`
(applicant), `review` (juror), `administer` (Secretariat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from awards.auth.tokens import create_token, revoke_token
from awards.auth.users import add_user
from awards.db.tables import ApiToken
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens
from harness.seeding import complete_answers

STAFF = "staff@edcities.test"
SAFE = {"GET", "HEAD", "OPTIONS"}
OPERATIONS = {"/health", "/ready", "/metrics"}


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    path: str
    """The template with its parameters filled in: 1 for a number, `x` for a name."""

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


async def routes(client: Client) -> list[Route]:
    document = (await client.get("/schema/openapi.json")).json()
    found = []
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            path = template
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    value = "1" if parameter["schema"].get("type") == "integer" else "x"
                    path = path.replace("{" + parameter["name"] + "}", value)
            assert "{" not in path, f"unfilled parameter in {template}"
            found.append(Route(method.upper(), template, path))
    return found


async def ask(client: Client, route: Route, token: str | None) -> tuple[int, object]:
    """The status and the body (JSON, or text) of `route` asked with `token`."""
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    body: dict[str, object] | None = None if route.method in SAFE else {}
    response = await client.request(route.method, route.path, headers=headers, json=body)
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.status_code, response.json()
    return response.status_code, response.text


def refused(status: int, detail: str, **extra: object) -> tuple[int, object]:
    return status, {"status_code": status, "detail": detail, "extra": extra}


async def token(
    runtime: Runtime,
    clock: MovableClock,
    *scopes: str,
    email: str = STAFF,
    issued_at: datetime | None = None,
    expires_in: timedelta | None = None,
) -> tuple[int, str]:
    """A new token's id and secret; without `scopes`, every scope of the user's role."""
    issued = await create_token(
        runtime.db,
        email,
        now=issued_at or clock(),
        scopes=scopes or None,
        expires_in=expires_in,
    )
    return issued.id, issued.secret


@pytest.fixture
async def staff(runtime: Runtime, clock: MovableClock) -> Actor:
    return Actor.of(await add_user(runtime.db, STAFF, role="secretariat", now=clock()))


async def test_a_revoked_token_is_refused_with_401_on_every_api_endpoint(
    client: Client, runtime: Runtime, clock: MovableClock, staff: Actor
) -> None:
    token_id, secret = await token(runtime, clock)
    await revoke_token(runtime.db, token_id, now=clock())

    api = [route for route in await routes(client) if route.template.startswith("/api/")]
    answers = {str(route): await ask(client, route, secret) for route in api}

    assert len(api) >= 20
    assert answers == {str(route): refused(401, f"token {token_id} was revoked") for route in api}


async def test_an_expired_token_is_refused_with_401_on_every_api_endpoint(
    client: Client, runtime: Runtime, clock: MovableClock, staff: Actor
) -> None:
    token_id, secret = await token(
        runtime, clock, issued_at=clock() - timedelta(days=31), expires_in=timedelta(days=30)
    )

    api = [route for route in await routes(client) if route.template.startswith("/api/")]
    answers = {str(route): await ask(client, route, secret) for route in api}

    expired = refused(401, f"token {token_id} expired at 2025-08-31 10:00 UTC")
    assert answers == {str(route): expired for route in api}


async def test_a_token_without_the_scope_is_refused_and_with_it_answers_as_a_full_token(
    client: Client, runtime: Runtime, clock: MovableClock, staff: Actor
) -> None:
    read_id, read_only = await token(runtime, clock, "read")
    administer_id, administer_only = await token(runtime, clock, "administer")
    _, full = await token(runtime, clock)

    wrong, right, reference = {}, {}, {}
    for route in await routes(client):
        if not route.template.startswith("/api/"):
            continue
        reads = route.method in SAFE
        wrong[str(route)] = await ask(client, route, administer_only if reads else read_only)
        right[str(route)] = await ask(client, route, read_only if reads else administer_only)
        reference[str(route)] = await ask(client, route, full)

    def refusal(route: str) -> tuple[int, object]:
        if route.split()[0] in SAFE:
            return refused(
                403,
                f"token {administer_id} has scopes administer; this request needs scope 'read'",
                needed="read",
                granted=["administer"],
            )
        return refused(
            403,
            f"token {read_id} has scopes read; this request needs scope 'administer'",
            needed="administer",
            granted=["read"],
        )

    assert wrong == {route: refusal(route) for route in wrong}
    assert right == reference
    assert not any("needs scope" in str(body) for _, body in right.values())


@pytest.mark.parametrize(
    ("who", "write_scope"),
    [("owner", "submit"), ("juror", "review"), ("secretariat", "administer")],
)
async def test_each_role_writes_with_its_own_scope_only(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    who: str,
    write_scope: str,
) -> None:
    email = tokens.actors[who].email
    read_id, read_only = await token(runtime, clock, "read", email=email)
    _, writer = await token(runtime, clock, "read", write_scope, email=email)
    write = {
        "owner": (
            "POST",
            f"/api/v1/calls/{open_award}/submissions",
            {"answers": complete_answers()},
        ),
        "juror": ("PUT", "/api/v1/jury/assignments/999/review", {"scores": {}}),
        "secretariat": ("POST", f"/api/v1/calls/{open_award}/transitions", {"name": "close"}),
    }[who]

    async def send(secret: str) -> tuple[int, str]:
        method, path, body = write
        response = await client.request(
            method, path, json=body, headers={"Authorization": f"Bearer {secret}"}
        )
        return response.status_code, response.json().get("detail", "")

    refused, accepted = await send(read_only), await send(writer)

    assert refused == (
        403,
        f"token {read_id} has scopes read; this request needs scope '{write_scope}'",
    )
    assert (
        accepted
        == {
            "owner": (201, ""),
            "juror": (404, "no assignment 999"),
            "secretariat": (200, ""),
        }[who]
    )


async def test_health_ready_and_metrics_take_no_token_and_ignore_a_revoked_one(
    client: Client, runtime: Runtime, clock: MovableClock, staff: Actor
) -> None:
    token_id, secret = await token(runtime, clock)
    await revoke_token(runtime.db, token_id, now=clock())

    ops = [route for route in await routes(client) if route.template in OPERATIONS]
    with_token = {str(route): (await ask(client, route, secret))[0] for route in ops}
    without = {str(route): (await ask(client, route, None))[0] for route in ops}

    assert sorted(with_token) == ["GET /health", "GET /metrics", "GET /ready"]
    assert with_token == without


async def test_last_use_is_recorded_at_most_once_a_minute(
    client: Client, runtime: Runtime, clock: MovableClock, staff: Actor
) -> None:
    token_id, secret = await token(runtime, clock, "read")
    headers = {"Authorization": f"Bearer {secret}"}
    first_use = clock()

    async def last_used() -> object:
        async with runtime.db.read() as session:
            row = await session.get(ApiToken, token_id)
            assert row is not None
            return row.last_used_at

    for _ in range(5):
        await client.get("/api/v1/calls", headers=headers)
    after_burst = await last_used()
    clock.advance(timedelta(seconds=59))
    await client.get("/api/v1/calls", headers=headers)
    within_the_minute = await last_used()
    clock.advance(timedelta(seconds=2))
    await client.get("/api/v1/calls", headers=headers)

    assert (after_burst, within_the_minute) == (first_use, first_use)
    assert await last_used() == first_use + timedelta(seconds=61)


async def test_a_token_is_stored_as_its_digest_only(
    runtime: Runtime, clock: MovableClock, staff: Actor
) -> None:
    token_id, secret = await token(runtime, clock)

    async with runtime.db.read() as session:
        row = await session.get(ApiToken, token_id)
    assert row is not None
    assert re.fullmatch(r"[0-9a-f]{64}", row.token_hash)
    assert secret not in row.token_hash
    assert row.scopes == "read administer"
