"""Who is calling: bearer tokens resolved to an `Actor` and checked against the token's
scopes, and the guards handlers declare."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Receive, Scope, Send

from awards.auth.scopes import required_scope
from awards.auth.sessions import SESSION_COOKIE, session_visit
from awards.auth.tokens import TokenRefused, authenticate
from awards.auth.uses import Uses
from awards.calls.networks import check_path
from awards.transitions.actor import ANONYMOUS, Actor, Role
from awards.transitions.runtime import Runtime


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """Sets `connection.user` to the token's actor; without a token, to the actor of the web
    session cookie (`awards.auth.sessions`, no scopes: a browser acts with its user's role),
    or to `ANONYMOUS`.

    A token that is present but unknown, revoked or expired is refused with 401; a valid token
    without the scope the request needs (`awards.auth.scopes`) with 403. This is the one place
    scopes are enforced, so every endpoint, present or future, is covered. A handler that
    takes no token at all (health, readiness, metrics) says so with `exclude_from_auth=True`.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate, let the request be answered, then write the uses of tokens and
        sessions noted meanwhile (`awards.auth.uses`): no part of the request's write, no
        delay of its answer, not repeated when its handler runs again."""
        await super().__call__(scope, receive, send)
        uses: Uses = scope["app"].state.uses
        await uses.write_if_due()

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        runtime: Runtime = connection.app.state.runtime
        now = runtime.clock()
        if not carries_token(connection):
            cookie = connection.cookies.get(SESSION_COOKIE, "")
            visit = await session_visit(runtime.db, cookie, now=now)
            if visit is None:
                return AuthenticationResult(user=ANONYMOUS, auth=None)
            if visit.seen_long_ago:
                uses_of(connection).session(visit.session_id, now=now)
            return AuthenticationResult(user=visit.actor, auth=SESSION_COOKIE)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException("use 'Authorization: Bearer <token>'")
        try:
            grant = await authenticate(runtime.db, token.strip(), now=now)
        except TokenRefused as refused:
            raise NotAuthorizedException(refused.message) from None
        needed = required_scope(str(connection.scope.get("method", "GET")), grant.actor.role)
        if needed is None or needed not in grant.scopes:
            granted = ", ".join(sorted(grant.scopes)) or "none"
            raise PermissionDeniedException(
                f"token {grant.token_id} has scopes {granted}; this request needs scope '{needed}'",
                extra={"needed": needed, "granted": sorted(grant.scopes)},
            )
        if grant.used_long_ago:
            uses_of(connection).token(grant.token_id, now=now)
        return AuthenticationResult(user=grant.actor, auth=grant)


def uses_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Uses:
    uses: Uses = connection.app.state.uses
    return uses


def carries_token(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Whether the request is authenticated by its `Authorization` header, not by cookies:
    the one test of both this middleware and the CSRF check (an empty header is none)."""
    return bool(connection.headers.get("authorization", ""))


async def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: any signed-in user."""
    if actor_of(connection).is_anonymous:
        raise NotAuthorizedException("sign in first")


async def secretariat(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Guard: Secretariat staff only."""
    await signed_in(connection, handler)
    if not actor_of(connection).is_secretariat:
        raise PermissionDeniedException("only the Secretariat may do this")


async def juror(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard: jurors only."""
    await signed_in(connection, handler)
    if actor_of(connection).role is not Role.JUROR:
        raise PermissionDeniedException("only jurors may do this")


async def within_network(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard of every route (`app.py`): a Secretariat member of one network finds nothing of
    another network's calls, whatever the route (`awards.calls.networks.check_path`)."""
    runtime: Runtime = connection.app.state.runtime
    await check_path(runtime, connection.path_params, actor_of(connection))


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    user = connection.scope.get("user")
    return user if isinstance(user, Actor) else ANONYMOUS
