"""What protects the pages: the CSRF check of cookie-borne requests, and security headers.

CSRF is Litestar's double-submit check (a signed token in a cookie, the same token in the
form's `_csrf_token` field or in the `X-CSRFToken` header that HTMX and `awards.js` send). It
guards what a browser's cookies can authenticate: every page form, and the API when it is
called with the session cookie. A request with a non-empty `Authorization` header is
authenticated by it, not by cookies, so it is not checked (`carries_token`, the test the
authentication middleware makes too); nor is an API request without a session cookie, which
has nothing a forged request could borrow (and keeps answering 401, not 403).
"""

from __future__ import annotations

import hashlib
from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, BeforeMessageSendHookHandler, Message, Receive, Scope, Send

from awards.auth.sessions import SESSION_COOKIE
from awards.http.auth import carries_token

API_PREFIX = "/api/"
UNGUARDED = ("^/static/", "^/schema")
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}
FRAMED_HERE = {
    "content-disposition": "inline",
    "content-security-policy": CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    ),
    "x-frame-options": "SAMEORIGIN",
}
"""The headers of a document that this site's own pages show in a frame (a juror's PDF)."""
# The OpenAPI browser at /schema loads its scripts from their publisher: no policy there.
_WITHOUT_POLICY = "/schema"


def csrf_config(secret_key: str, *, https: bool) -> CSRFConfig:
    """Tokens signed with a key derived from `AWARDS_SECRET_KEY` (not the key itself)."""
    return CSRFConfig(
        secret=hashlib.sha256(b"awards csrf\0" + secret_key.encode()).hexdigest(),
        cookie_secure=https,
        cookie_httponly=True,
        cookie_samesite="lax",
        exclude=list(UNGUARDED),
    )


class PageCsrfMiddleware(CSRFMiddleware):
    """`CSRFMiddleware` for the requests a browser's cookies authenticate (module docstring)."""

    def __init__(self, app: ASGIApp, config: CSRFConfig) -> None:
        super().__init__(app, config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and not _cookie_borne(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _cookie_borne(scope: Scope) -> bool:
    connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
    if carries_token(connection):
        return False
    return not scope["path"].startswith(API_PREFIX) or SESSION_COOKIE in connection.cookies


def _private(scope: Scope) -> bool:
    """An answer to someone signed in (by token or session cookie): no cache may keep it."""
    connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
    return carries_token(connection) or SESSION_COOKIE in connection.cookies


def security_headers(*, https: bool) -> BeforeMessageSendHookHandler:
    """A `before_send` hook adding `SECURITY_HEADERS` (and HSTS over https) to every answer,
    error answers included, and `Cache-Control: no-store` to private ones, unless the handler
    set its own."""
    headers = dict(SECURITY_HEADERS)
    if https:
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"

    async def add(message: Message, scope: Scope) -> None:
        # Async: Litestar runs a sync hook in a thread, a hop for every message sent.
        if message["type"] != "http.response.start":
            return
        present = MutableScopeHeaders.from_message(message)
        if _private(scope) and "cache-control" not in present:
            present["cache-control"] = "no-store"
        for name, value in headers.items():
            if name == "content-security-policy" and scope.get("path", "").startswith(
                _WITHOUT_POLICY
            ):
                continue
            if name not in present:
                present[name] = value

    return add
