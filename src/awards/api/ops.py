"""`/health`, `/ready` and `/metrics`: for probes and Prometheus, anyone on the network; and
the plugin that wires them into the application with the request middleware.

None of them takes an API token (`exclude_from_auth`): a load balancer has none. An operator
who does not want the metrics readable by whoever reaches the service sets `metrics_token`,
and Prometheus sends it as `Authorization: Bearer <metrics_token>`.
"""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Request, Response, get
from litestar.config.app import AppConfig
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import DefineMiddleware
from litestar.plugins import InitPlugin
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from awards.http.requests import ObserveRequests, add_request_id
from awards.ops.database_metrics import database_families
from awards.ops.exposition import CONTENT_TYPE, render
from awards.ops.health import OK, readiness
from awards.ops.request_metrics import RequestMetrics
from awards.transitions.runtime import Runtime

TAGS = ["operations"]


@get("/health", exclude_from_auth=True, tags=TAGS, sync_to_thread=False)
def health() -> dict[str, str]:
    """Anyone on the network: the process is up and answering. It touches no database, so
    a slow database makes the service unready, not restarted."""
    return {"status": "ok"}


@get("/ready", exclude_from_auth=True, tags=TAGS)
async def ready(runtime: NamedDependency[Runtime]) -> Response[dict[str, Any]]:
    """Anyone on the network: 200 when the database and the mail transport (the SMTP
    server, or the demo's mailbox) each answer within `ready_timeout` seconds; otherwise 503
    naming which did not, and why."""
    checks = await readiness(runtime.db, runtime.settings, within=runtime.settings.ready_timeout)
    failed = [name for name, outcome in checks.items() if outcome != OK]
    if not failed:
        return Response({"status": "ready", "checks": checks})
    return Response(
        {
            "status_code": HTTP_503_SERVICE_UNAVAILABLE,
            "detail": f"not ready: {' and '.join(failed)} did not answer",
            "extra": {"checks": checks},
        },
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
    )


@get("/metrics", exclude_from_auth=True, tags=TAGS, media_type=CONTENT_TYPE)
async def metrics(
    request: Request[Any, Any, Any], state: State, runtime: NamedDependency[Runtime]
) -> str:
    """Anyone on the network, or only the bearer of `metrics_token` when it is set:
    Prometheus metrics of requests (this process), the outbox and transitions (the service)."""
    expected = runtime.settings.metrics_token
    if expected:
        given = request.headers.get("authorization", "")
        if not secrets.compare_digest(given.encode(), f"Bearer {expected}".encode()):
            raise NotAuthorizedException("send 'Authorization: Bearer <metrics_token>'")
    requests: RequestMetrics = state.request_metrics
    families = requests.families() + await database_families(runtime.db, now=runtime.clock())
    return render(families)


class OperationsPlugin(InitPlugin):
    """`/health`, `/ready`, `/metrics`; request ids, timing, counting and access logs.

    The request middleware goes first, outside authentication, so refused requests are
    counted and logged too. Each application gets its own counters. Litestar's own logging
    set-up is turned off: it would add a second, plain-text handler to the root logger, and
    logging is configured in one place, `awards.ops.logs.configure_logging`.
    """

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        counters = RequestMetrics()
        app_config.state["request_metrics"] = counters
        app_config.on_startup.append(counters.clear)
        app_config.route_handlers.extend([health, ready, metrics])
        app_config.middleware.insert(0, DefineMiddleware(ObserveRequests, metrics=counters))
        app_config.before_send.append(add_request_id)
        app_config.logging_config = None
        return app_config
