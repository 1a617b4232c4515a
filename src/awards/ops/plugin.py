"""The operations of the service wired into the application in one line of `app.py`."""

from __future__ import annotations

from litestar.config.app import AppConfig
from litestar.middleware import DefineMiddleware
from litestar.plugins import InitPlugin

from awards.ops.request_metrics import RequestMetrics
from awards.ops.requests import ObserveRequests, add_request_id
from awards.ops.routes import health, metrics, ready


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
        app_config.route_handlers.extend([health, ready, metrics])
        app_config.middleware.insert(0, DefineMiddleware(ObserveRequests, metrics=counters))
        app_config.before_send.append(add_request_id)
        app_config.logging_config = None
        return app_config
