"""An attacker's link that signs a victim in, or switches the page's language, and then sends
the browser to the attacker's site: `next` must stay on this site however it is spelled,
including the characters a browser drops from a URL before reading it (tab, line feed)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.db.tables import OutboxMessage
from awards.notify.seals import unseal
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens

SITE = "https://awards.test"
ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "/\x00/evil.example/",
    " //evil.example/",
    "/\t\\evil.example/",
    "javascript:alert(1)",
]
LINK = re.compile(r"https://awards\.test(/login/link/[\w-]+)")


def where_a_browser_goes(location: str) -> str:
    """The host a browser reaches from `location` on this site: it drops tabs and line
    breaks anywhere, leading and trailing spaces and controls, and reads `\\` as `/`."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00- ").replace("\\", "/")
    return urlsplit(urljoin(f"{SITE}/login", cleaned)).netloc


async def post_form(client: Client, path: str, data: dict[str, str]) -> str:
    """A form posted with the page's CSRF token; the redirect's `Location`."""
    await client.get("/login")
    token = client.cookies.get("csrftoken") or ""
    client.cookies.clear()  # the cookie is `Secure`: set again, as a browser on https sends it
    client.cookies.set("csrftoken", token)
    answer = await client.post(path, data={"_csrf_token": token, **data}, follow_redirects=False)
    assert answer.status_code in (200, 303), answer.text
    return str(answer.headers.get("location", ""))


@pytest.mark.parametrize("target", ELSEWHERE)
async def test_switching_language_never_redirects_off_the_site(client: Client, target: str) -> None:
    location = await post_form(client, "/language", {"language": "fr", "next": target})

    assert where_a_browser_goes(location) == "awards.test"


@pytest.mark.parametrize("target", ELSEWHERE)
async def test_a_sign_in_link_never_redirects_off_the_site(
    client: Client, runtime: Runtime, tokens: Tokens, target: str
) -> None:
    email = "staff@edcities.test"
    await post_form(client, "/login", {"email": email, "next": target})
    async with runtime.db.read() as session:
        mail = await session.scalar(
            select(OutboxMessage)
            .where(col(OutboxMessage.recipient) == email)
            .order_by(col(OutboxMessage.id).desc())
        )
    assert mail is not None
    found = LINK.search(unseal(mail.body_text, secret_key=runtime.settings.secret_key))
    assert found is not None

    location = await post_form(client, found.group(1), {})

    assert where_a_browser_goes(location) == "awards.test"


async def test_a_path_of_the_site_is_still_where_sign_in_leads(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    location = await post_form(client, "/language", {"language": "fr", "next": "/calls?x=1"})

    assert location == "/calls?x=1"
