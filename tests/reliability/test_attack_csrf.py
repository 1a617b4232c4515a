"""Cross-site request forgery on every page form: a page of another site posting, with the
victim's session cookie, to each form of ours that the victim may use.

The attacker's page can make the victim's browser send our cookies, but cannot read our CSRF
token; at most it sends a token of the attacker's own visit. Each form must refuse both, for
the role whose post would otherwise act.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.auth.sessions import SESSION_COOKIE, start_session
from awards.db.tables import User
from awards.transitions.runtime import Runtime
from conftest import Client
from reliability.roles import World
from reliability.test_authorization import CSRF_COOKIE, MATRIX, SIGNED_IN

SAFE = frozenset({"GET", "HEAD"})
FORMS = {route: row for route, row in MATRIX.items() if row.page and route.split()[0] not in SAFE}


async def victim_cookies(runtime: Runtime, email: str) -> dict[str, str]:
    """The cookies of a signed-in browser of `email`, as a spent sign-in link leaves them."""
    async with runtime.db.write() as session:
        user_id = await session.scalar(select(col(User.id)).where(col(User.email) == email))
        assert user_id is not None
        return {SESSION_COOKIE: await start_session(session, user_id, now=runtime.clock())}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the check reads no data
async def test_no_page_form_acts_on_a_post_from_another_site(
    client: Client, runtime: Runtime, world: World
) -> None:
    await client.get("/login")
    attackers_token = str(client.cookies[CSRF_COOKIE])  # from the attacker's own visit
    assert len(FORMS) >= 20  # the matrix's page forms, each tried below
    acted = []
    for route, row in FORMS.items():
        method = route.split()[0]
        role = min(row.allowed & SIGNED_IN)  # one whose post would act
        url = row.url.format(**vars(world), invitation=world.invitations[role])
        cookies = await victim_cookies(runtime, world.emails[role])
        for forged in ({}, {"_csrf_token": attackers_token}):
            client.cookies.clear()
            for name, value in cookies.items():
                client.cookies.set(name, value)
            # Refused before the form is read: an empty one would be refused after (4xx, not 403).
            response = await client.request(method, url, data=forged, follow_redirects=False)
            if response.status_code != 403:
                token = "the attacker's token" if forged else "no token"
                acted.append(f"{route} as {role} with {token}: {response.status_code}")
    assert not acted, "\n".join(acted)
