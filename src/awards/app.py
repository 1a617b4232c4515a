"""The Litestar application: the one place that wires the modules together."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response, Router
from litestar.exceptions import ValidationException
from litestar.logging import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.status_codes import (
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from awards.api.auth import BearerTokenMiddleware
from awards.api.calls import CallController, list_call_kinds
from awards.api.dependencies import DEPENDENCIES
from awards.api.submissions import SubmissionController, create_submission
from awards.clock import Clock, system_clock
from awards.errors import AwardsError, Conflict, Forbidden, Invalid, NotFound
from awards.runtime import build_runtime
from awards.settings import Settings, load_settings

STATUS_OF: dict[type[AwardsError], int] = {
    NotFound: HTTP_404_NOT_FOUND,
    Forbidden: HTTP_403_FORBIDDEN,
    Conflict: HTTP_409_CONFLICT,
    Invalid: HTTP_422_UNPROCESSABLE_ENTITY,
}


def _error(status: int, detail: str, extra: Any) -> Response[dict[str, Any]]:
    return Response({"status_code": status, "detail": detail, "extra": extra}, status_code=status)


def domain_error(_: Request[Any, Any, Any], error: AwardsError) -> Response[dict[str, Any]]:
    status = next(
        (code for cls, code in STATUS_OF.items() if isinstance(error, cls)),
        HTTP_500_INTERNAL_SERVER_ERROR,
    )
    return _error(status, error.message, error.extra)


def validation_error(
    _: Request[Any, Any, Any], error: ValidationException
) -> Response[dict[str, Any]]:
    """Malformed input is 422 naming the field (API.md), not Litestar's default 400."""
    return _error(HTTP_422_UNPROCESSABLE_ENTITY, error.detail, error.extra)


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock) -> Litestar:
    """The service; `settings` default to `config/settings.toml` and the environment."""
    resolved = settings or load_settings(os.environ)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Built here, on the server's event loop: pooled connections belong to that loop.
        app.state.runtime = build_runtime(resolved, clock=clock)
        try:
            yield
        finally:
            await app.state.runtime.close()

    api = Router(
        path="/api/v1",
        route_handlers=[list_call_kinds, CallController, create_submission, SubmissionController],
    )
    return Litestar(
        route_handlers=[api],
        lifespan=[lifespan],
        dependencies=DEPENDENCIES,
        middleware=[DefineMiddleware(BearerTokenMiddleware, exclude=["^/schema"])],
        exception_handlers={AwardsError: domain_error, ValidationException: validation_error},
        openapi_config=OpenAPIConfig(title="awards", version="1"),
        logging_config=LoggingConfig(log_exceptions="always"),
    )
