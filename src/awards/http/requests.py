"""Every request gets an id, is timed, counted and logged once, as one JSON line.

The id is the caller's `X-Request-ID` when it sends a sensible one (a load balancer's), else
a new one; it is answered in `X-Request-ID` and stamped on every log line the request writes
(`awards.ops.logs`). The access line names the method, the route template, the status, the
duration, and the submission (or call) the route is about.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from awards.ops.logs import REQUEST_ID
from awards.ops.request_metrics import RequestMetrics

log = logging.getLogger("awards.requests")
HEADER = "x-request-id"
_SENSIBLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
SUBJECTS = ("submission_id", "call_id", "assignment_id")
"""Path parameters worth a key of their own in the access line."""
PROBES = frozenset({"/health", "/ready", "/metrics"})
"""Asked every few seconds by machines: logged at debug level, counted all the same."""


class ObserveRequests:
    """ASGI middleware, outermost of the routes' own: it sees the 401 and 403 that the
    authentication middleware raises as the exceptions that carry their status."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope["state"]["request_id"] = request_id
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        except Exception as error:
            # Answered by the application's exception handler, once out of here.
            status = getattr(error, "status_code", 500)
            raise
        finally:
            self._record(scope, status, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _record(self, scope: HTTPScope, status: int, seconds: float) -> None:
        method, route = scope["method"], scope.get("path_template") or scope["path"]
        self.metrics.observe(method=method, route=route, status=status, seconds=seconds)
        fields: dict[str, Any] = {
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        }
        fields.update(
            (name, value) for name, value in scope["path_params"].items() if name in SUBJECTS
        )
        level = logging.DEBUG if route in PROBES else logging.INFO
        log.log(level, "%s %s %s %s ms", method, route, status, fields["duration_ms"], extra=fields)


async def add_request_id(message: Message, scope: Scope) -> None:
    """`before_send` hook: answer with the request's id, the error answers included (they
    are sent by the application's exception handler, outside `ObserveRequests`). Async:
    Litestar runs a sync hook in a thread, a hop for every message sent."""
    if message["type"] == "http.response.start":
        request_id = scope.get("state", {}).get("request_id")
        if request_id is not None:
            MutableScopeHeaders.from_message(message)[HEADER] = request_id


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == HEADER.encode():
            given = value.decode("latin-1")
            if _SENSIBLE_ID.fullmatch(given):
                return given
    return secrets.token_hex(8)
