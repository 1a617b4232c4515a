"""The session cookie a browser holds once signed in (`awards.auth.sessions` keeps its hash)."""

from __future__ import annotations

from litestar.datastructures import Cookie

from awards.auth.sessions import SESSION_COOKIE
from awards.transitions.runtime import Runtime


def session_cookie(value: str, *, runtime: Runtime, max_age: int) -> Cookie:
    """The cookie carrying session `value` (empty, with `max_age=0`, to end it): HttpOnly,
    SameSite=Lax, and Secure when the service is served over https."""
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=runtime.settings.base_url.startswith("https://"),
    )
