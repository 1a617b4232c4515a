"""A Secretariat member of one network (IAEC, AIMF) on every route the Secretariat may use,
asking for the other network's things: each is answered as a missing one is (404), and a
listing lists none of them.

Walked from the authorization matrix, which has a row for every route of the app: a new
route naming a call, a submission, an invitation or a mail in its path, or a kind of call, is
tried without a line added here; one naming none of them says in `UNSCOPED` how the network
limits it (a listing's check) or why it does not (shared by both networks), or the test
names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select, update
from sqlmodel import col

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.db.tables import Call, Invitation, OutboxMessage, Submission
from awards.notify.outbox import MailStatus
from awards.transitions.runtime import Runtime
from conftest import Client
from reliability.roles import World
from reliability.test_authorization import MATRIX, Row

NETWORKS = ("IAEC", "AIMF")
SCOPED: dict[str, tuple[Any, Any]] = {
    "call_id": (col(Call.id), col(Call.id)),
    "submission_id": (col(Submission.id), col(Submission.call_id)),
    "invitation_id": (col(Invitation.id), col(Invitation.call_id)),
    "mail_id": (col(OutboxMessage.id), col(OutboxMessage.call_id)),
}
"""Path parameters naming something of one call: its id, and the column of its call's id."""


@dataclass(frozen=True)
class Hidden:
    """What a member of the other network must not see."""

    calls: frozenset[int | None]
    kinds: frozenset[str]
    mails: frozenset[int | None]


Probe = Callable[[httpx.Response, Hidden], str | None]
"""What is wrong with a listing's answer to a member of the other network, if anything."""


def links_no_call(response: httpx.Response, hidden: Hidden) -> str | None:
    shown = {int(n) for n in re.findall(r"/calls/(\d+)\b", response.text)} & hidden.calls
    return f"links calls {sorted(shown)}" if shown else None


def lists_no_call(response: httpx.Response, hidden: Hidden) -> str | None:
    shown = {call["id"] for call in response.json()} & hidden.calls
    return f"lists calls {sorted(shown)}" if shown else None


def offers_no_kind(response: httpx.Response, hidden: Hidden) -> str | None:
    offered = set(re.findall(r"kind=([\w-]+)", response.text)) & hidden.kinds
    return f"offers kinds {sorted(offered)}" if offered else None


def lists_no_mail(response: httpx.Response, hidden: Hidden) -> str | None:
    shown = {int(n) for n in re.findall(r"/mail/(\d+)/", response.text)} & hidden.mails
    return f"lists mails {sorted(shown)}" if shown else None


SHARED = "shared"
UNSCOPED: dict[str, Probe | str] = {
    "GET /api/v1/calls": lists_no_call,
    "GET /secretariat": links_no_call,
    "GET /secretariat/dashboard": links_no_call,
    "GET /secretariat/mail": lists_no_mail,
    # The kinds offered for a new call are the member's network's (asked for by name, another
    # network's kind is refused as an unknown one: the row's URL names one).
    "GET /secretariat/calls/new": offers_no_kind,
    # The register of member organisations, the databank of good practices and people's
    # accounts are both networks'.
    "GET /secretariat/organisations": SHARED,
    "GET /secretariat/organisations/{slug:str}": SHARED,
    "POST /secretariat/organisations/{slug:str}": SHARED,
    "POST /secretariat/organisations/{slug:str}/invitations": SHARED,
    "POST /secretariat/organisations/{slug:str}/invitations/{invitation_id:int}/resend": SHARED,
    "POST /api/v1/databank": SHARED,
    "PUT /api/v1/databank/{entry_id:int}": SHARED,
    "POST /api/v1/databank/{entry_id:int}/unpublish": SHARED,
    "POST /api/v1/databank/{entry_id:int}/republish": SHARED,
    "GET /api/v1/databank/{entry_id:int}/history": SHARED,
    "GET /api/v1/databank/deliveries": SHARED,
    "POST /api/v1/databank/deliveries/{delivery_id:int}/resend": SHARED,
    "POST /api/v1/revocations": SHARED,
    "POST /api/v1/erasures": SHARED,
    "GET /secretariat/people/{user_id:int}/erasure": SHARED,
    "POST /secretariat/people/{user_id:int}/erasure": SHARED,
    # A juror invited to another network's panel is tried in its own test below.
    "POST /api/v1/invitations": SHARED,
    "GET /api/v1/me/export": SHARED,
    "POST /api/v1/me/erasure": SHARED,
}
"""Secretariat routes naming no call: how the network limits each, or why it does not."""


@dataclass(frozen=True)
class Staff:
    """A Secretariat member of each network, by network: their bearer headers."""

    headers: dict[str, dict[str, str]]

    def stranger_to(self, network: str) -> dict[str, str]:
        return next(h for n, h in self.headers.items() if n != network)


async def staff_of_each_network(runtime: Runtime) -> Staff:
    headers = {}
    for network in NETWORKS:
        email = f"staff@{network.lower()}.test"
        await add_user(runtime.db, email, role="secretariat", network=network, now=runtime.clock())
        token = await issue_token(runtime.db, email, now=runtime.clock())
        headers[network] = {"Authorization": f"Bearer {token}"}
    return Staff(headers)


def path_parameters(route: str, url: str) -> dict[str, str]:
    """`{call_id: "12"}` of `url`, asked for on `route` ("POST /calls/{call_id:int}/...")."""
    template = route.split(" ", 1)[1].strip("/").split("/")
    asked = urlsplit(url).path.strip("/").split("/")
    return {
        part[1:-1].split(":")[0]: value
        for part, value in zip(template, asked, strict=False)
        if part.startswith("{")
    }


async def network_of(
    runtime: Runtime, route: str, url: str, body: dict[str, Any]
) -> tuple[str | None, list[str]]:
    """The network of what `url` asks for (its call's kind's, or the kind's it names), and
    the scoped parameters naming it."""
    named = {
        name: int(value)
        for name, value in path_parameters(route, url).items()
        if name in SCOPED and value.isdigit()
    }
    kinds = set(parse_qs(urlsplit(url).query).get("kind", []))
    for sent in (body.get("json"), body.get("data")):
        if isinstance(sent, dict) and isinstance(sent.get("kind"), str):
            kinds.add(sent["kind"])
    async with runtime.db.read() as session:
        for name, row_id in named.items():
            key, column = SCOPED[name]
            call_id = await session.scalar(select(column).where(key == row_id))
            kind = await session.scalar(select(col(Call.kind)).where(col(Call.id) == call_id))
            if kind is not None:
                kinds.add(kind)
    networks = {runtime.kind(kind).network for kind in kinds}
    assert len(networks) <= 1, (route, url, networks)
    return (networks.pop() if networks else None), list(named)


async def hidden_from(runtime: Runtime, network: str) -> Hidden:
    """The calls, kinds and dead mails of every network but `network`."""
    kinds = frozenset(slug for slug, kind in runtime.kinds.items() if kind.network != network)
    async with runtime.db.read() as session:
        calls = frozenset(
            (await session.scalars(select(col(Call.id)).where(col(Call.kind).in_(kinds)))).all()
        )
        mails = frozenset(
            (
                await session.scalars(
                    select(col(OutboxMessage.id)).where(
                        col(OutboxMessage.call_id).in_(calls),
                        col(OutboxMessage.status) == MailStatus.DEAD,
                    )
                )
            ).all()
        )
    return Hidden(calls, kinds, mails)


async def dead_mail_of_each_network(runtime: Runtime) -> None:
    """One mail about a call of each network given up on, for the dead-mail page."""
    async with runtime.db.write() as session:
        for network in NETWORKS:
            kinds = [slug for slug, kind in runtime.kinds.items() if kind.network == network]
            first = await session.scalar(
                select(col(OutboxMessage.id))
                .join(Call, col(Call.id) == col(OutboxMessage.call_id))
                .where(col(Call.kind).in_(kinds))
                .order_by(col(OutboxMessage.id))
            )
            assert first is not None, network
            await session.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == first)
                .values(status=MailStatus.DEAD)
            )


def secretariat_routes() -> dict[str, Row]:
    return {route: row for route, row in MATRIX.items() if "secretariat" in row.allowed}


def missing(route: str, url: str, names: list[str]) -> str:
    """`url` with each of the parameters `names` replaced by an id nothing has."""
    template = route.split(" ", 1)[1].strip("/").split("/")
    split = urlsplit(url)
    asked = split.path.strip("/").split("/")
    replaced = [
        "999999" if part.startswith("{") and part[1:-1].split(":")[0] in names else value
        for part, value in zip(template, asked, strict=False)
    ]
    return "/" + "/".join(replaced) + (f"?{split.query}" if split.query else "")


async def test_another_networks_secretariat_finds_nothing_of_it_on_any_route(
    client: Client, runtime: Runtime, world: World
) -> None:
    staff = await staff_of_each_network(runtime)
    await dead_mail_of_each_network(runtime)
    fields = vars(world)
    let_through, undeclared = [], []
    routes = secretariat_routes()
    assert len(routes) >= 60
    for route, row in routes.items():
        method = route.split(" ")[0]
        url = row.url.format(**fields, invitation=world.invitations["secretariat"])
        body = await row.send(world, runtime, "secretariat")
        network, names = await network_of(runtime, route, url, body)
        declared = UNSCOPED.get(route)
        if network is None and declared is None and "anonymous" not in row.allowed:
            undeclared.append(route)  # what anyone may read of no call is no network's
        if callable(declared):
            for own in NETWORKS:
                listed = urlsplit(url).path
                asked = await client.request(method, listed, headers=staff.headers[own], **body)
                problem = declared(asked, await hidden_from(runtime, own))
                if asked.status_code != 200 or problem:
                    let_through.append(f"{route} as {own}: {asked.status_code} {problem}")
        if network is None:
            continue
        if method == "GET":  # its own network's member reads it as any Secretariat does
            theirs = await client.request(method, url, headers=staff.headers[network])
            if not (200 <= theirs.status_code < 400 or theirs.status_code == row.status):
                let_through.append(f"{route}: {theirs.status_code} to its own network ({url})")
        stranger = staff.stranger_to(network)
        answer = await client.request(method, url, headers=stranger, follow_redirects=False, **body)
        if answer.status_code != 404:
            let_through.append(f"{route}: {answer.status_code}, not 404 ({url})")
        elif names:
            # One answer for another network's ids and missing ones.
            absent = missing(route, url, names)
            twin = await client.request(
                method, absent, headers=stranger, follow_redirects=False, **body
            )
            if twin.status_code != 404:
                let_through.append(f"{route}: {twin.status_code} for a missing id, not 404")
    assert not undeclared, (
        f"Secretariat routes naming no call: {undeclared}; say in UNSCOPED how the network "
        "limits each"
    )
    assert not let_through, "another network's Secretariat got through:\n" + "\n".join(let_through)


async def test_a_juror_is_invited_to_the_panels_of_the_members_network_only(
    client: Client, runtime: Runtime, world: World
) -> None:
    staff = await staff_of_each_network(runtime)

    def invitation(call_id: int) -> dict[str, Any]:
        return {"email": "new@jury.test", "role": "juror", "call_id": call_id}

    refused = await client.post(
        "/api/v1/invitations", json=invitation(world.award), headers=staff.headers["AIMF"]
    )
    unknown = await client.post(
        "/api/v1/invitations", json=invitation(999999), headers=staff.headers["AIMF"]
    )
    invited = await client.post(
        "/api/v1/invitations", json=invitation(world.award), headers=staff.headers["IAEC"]
    )

    assert (refused.status_code, unknown.status_code, invited.status_code) == (404, 404, 201)
    assert refused.json()["detail"] == f"no call {world.award}"
