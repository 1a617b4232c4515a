"""Errors as API.md shapes them: `{"status_code", "detail", "extra"}`, mapped in one place."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import (
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import Scope

from awards.errors import AwardsError, Conflict, Forbidden, Invalid, NotFound, Unavailable

logger = logging.getLogger(__name__)

STATUS_OF: dict[type[AwardsError], int] = {
    NotFound: HTTP_404_NOT_FOUND,
    Forbidden: HTTP_403_FORBIDDEN,
    Conflict: HTTP_409_CONFLICT,
    Invalid: HTTP_422_UNPROCESSABLE_ENTITY,
    Unavailable: HTTP_503_SERVICE_UNAVAILABLE,
}
RETRY_AFTER_SECONDS = 1
"""What a 503 asks the caller to wait before trying again."""
# msgspec names the culprit as "`$.title.en`" or "required field `edition`".
_PATH = re.compile(r"`\$\.([^`]+)`")
_FIELD = re.compile(r"field `([^`]+)`")


def _error(
    status: int, detail: str, extra: Any, *, headers: dict[str, str] | None = None
) -> Response[dict[str, Any]]:
    return Response(
        {"status_code": status, "detail": detail, "extra": extra},
        status_code=status,
        headers=headers,
    )


def domain_error(_: Request[Any, Any, Any], error: AwardsError) -> Response[dict[str, Any]]:
    status = next(
        (code for cls, code in STATUS_OF.items() if isinstance(error, cls)),
        HTTP_500_INTERNAL_SERVER_ERROR,
    )
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(error, Unavailable) else None
    return _error(status, error.message, error.extra, headers=retry)


def validation_error(
    _: Request[Any, Any, Any], error: ValidationException
) -> Response[dict[str, Any]]:
    """Malformed input is 422 naming the field (API.md), not Litestar's default 400."""
    problems = error.extra if isinstance(error.extra, list) else []
    for problem in problems:
        message = str(problem.get("message", ""))
        found = _PATH.search(message) or _FIELD.search(message)
        if found and problem.get("key") in (None, "data"):
            problem["key"] = found.group(1)
    return _error(HTTP_422_UNPROCESSABLE_ENTITY, error.detail, problems or error.extra)


def http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    """What Litestar refuses itself (401, 404 of an unknown path, 405, 413, a body that is
    not JSON...): the same shape, `extra` included (`{}` when there is nothing to add)."""
    extra = {} if error.extra is None else error.extra
    return _error(error.status_code, error.detail, extra, headers=error.headers)


def unexpected_error(request: Request[Any, Any, Any], _: Exception) -> Response[dict[str, Any]]:
    """A bug or an outage (logged by `log_unexpected`): 500, with the request's id to quote."""
    return _error(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        {"request_id": request.scope.get("state", {}).get("request_id")},
    )


async def log_unexpected(error: Exception, scope: Scope) -> None:
    """Log what no handler expected (a 500); expected refusals are answers, not incidents."""
    if not isinstance(error, AwardsError | HTTPException):
        logger.error("unexpected error on %s", scope.get("path"), exc_info=error)
