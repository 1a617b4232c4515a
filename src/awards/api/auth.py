"""Who is calling: bearer tokens resolved to an `Actor`, and the guards handlers declare."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from awards.auth.actor import ANONYMOUS, Actor
from awards.auth.tokens import authenticate
from awards.runtime import Runtime


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """Sets `connection.user` to the token's actor, or to `ANONYMOUS` when there is no token.

    A token that is present but unknown, revoked or expired is refused with 401.
    """

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        if not header:
            return AuthenticationResult(user=ANONYMOUS, auth=None)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException("use 'Authorization: Bearer <token>'")
        runtime: Runtime = connection.app.state.runtime
        actor = await authenticate(runtime.db, token.strip(), now=runtime.clock())
        if actor is None:
            raise NotAuthorizedException("unknown, revoked or expired token")
        return AuthenticationResult(user=actor, auth=token)


def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: any signed-in user."""
    if actor_of(connection).is_anonymous:
        raise NotAuthorizedException("sign in first")


def secretariat(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard: Secretariat staff only."""
    signed_in(connection, handler)
    if not actor_of(connection).is_secretariat:
        raise PermissionDeniedException("only the Secretariat may do this")


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    user = connection.scope.get("user")
    return user if isinstance(user, Actor) else ANONYMOUS
