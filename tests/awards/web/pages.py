"""Helpers of the page tests: a browser per person on one test client, and what a page says."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx

from awards.auth.sessions import SESSION_COOKIE, start_session
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client

CSRF_COOKIE = "csrftoken"


@dataclass
class Browser:
    """One person's browser: their own cookies, sent in turn over the shared test client."""

    client: Client
    cookies: dict[str, str] = field(default_factory=dict)
    accept_language: str = "en"

    async def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        self.client.cookies.clear()
        for name, value in self.cookies.items():
            self.client.cookies.set(name, value)
        headers = {"Accept-Language": self.accept_language, **options.pop("headers", {})}
        response = await self.client.request(method, path, headers=headers, **options)
        for cookie in response.cookies.jar:
            if cookie.value in ("", '""', "null") or cookie.expires == 0:
                self.cookies.pop(cookie.name, None)
            else:
                self.cookies[cookie.name] = cookie.value or ""
        return response

    async def get(self, path: str, **options: Any) -> httpx.Response:
        return await self.request("GET", path, **options)

    async def csrf(self) -> str:
        """The CSRF token a page of the site hands out (fetching one if none yet)."""
        if CSRF_COOKIE not in self.cookies:
            await self.get("/login")
        return self.cookies[CSRF_COOKIE]

    async def post(
        self, path: str, data: dict[str, Any] | None = None, **options: Any
    ) -> httpx.Response:
        """A form posted from a page: with the page's CSRF token, as a browser sends it."""
        form = {"_csrf_token": await self.csrf(), **(data or {})}
        return await self.request("POST", path, data=form, **options)

    async def htmx(self, method: str, path: str, data: dict[str, Any]) -> httpx.Response:
        """What HTMX sends: the form, the CSRF token in a header, `HX-Request`."""
        headers = {"X-CSRFToken": await self.csrf(), "HX-Request": "true"}
        return await self.request(method, path, data=data, headers=headers)


async def signed_in(
    client: Client, runtime: Runtime, actor: Actor, *, language: str = "en"
) -> Browser:
    """A browser with a session of `actor` (as a spent sign-in link leaves it)."""
    assert actor.id is not None
    async with runtime.db.write() as session:
        secret = await start_session(session, actor.id, now=runtime.clock())
    return Browser(client, {SESSION_COOKIE: secret}, accept_language=language)


class _Text(HTMLParser):
    """The text a person reads: no tags, no scripts, no attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def text(html: str) -> str:
    """The page's readable text with its white space collapsed."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def section(html: str, element_id: str) -> str:
    """The readable text of the element with `id` (to its matching closing tag)."""
    start = html.index(f'id="{element_id}"')
    opening = html.rindex("<", 0, start)
    tag = re.match(r"<(\w+)", html[opening:])
    assert tag is not None
    depth, position = 0, opening
    pattern = re.compile(rf"<(/?){tag.group(1)}\b")
    for found in pattern.finditer(html, opening):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            position = html.index(">", found.end()) + 1
            break
    return text(html[opening:position])
