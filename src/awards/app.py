"""The Litestar application: the one place that wires the modules together."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.exceptions import HTTPException, ValidationException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig

from awards.api.attachments import AttachmentController
from awards.api.auth import BearerTokenMiddleware
from awards.api.calls import CallController, list_call_kinds
from awards.api.dependencies import DEPENDENCIES
from awards.api.errors import (
    domain_error,
    http_error,
    log_unexpected,
    unexpected_error,
    validation_error,
)
from awards.api.invitation_page import InvitationPage
from awards.api.invitations import InvitationController, revoke
from awards.api.jury import CallJuryController, JurorController, ranking
from awards.api.privacy import erase_me, erase_someone, export_me
from awards.api.submissions import SubmissionController, create_submission
from awards.clock import Clock, system_clock
from awards.databank.editor_routes import DatabankEditorController
from awards.databank.routes import DatabankController, calls_calendar, databank_feed
from awards.errors import AwardsError
from awards.notify.worker import worker_alongside
from awards.ops.plugin import OperationsPlugin
from awards.runtime import build_runtime
from awards.settings import Settings, load_settings
from awards.timers import fire_due_timers
from awards.web.plugin import WebPages


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock) -> Litestar:
    """The service; `settings` default to `config/settings.toml` and the environment."""
    resolved = settings or load_settings(os.environ)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Built here, on the server's event loop: pooled connections belong to that loop.
        app.state.runtime = build_runtime(resolved, clock=clock)
        try:
            runtime = app.state.runtime
            async with worker_alongside(runtime, tick=lambda: fire_due_timers(runtime)):
                yield
        finally:
            await app.state.runtime.close()

    api = Router(
        path="/api/v1",
        route_handlers=[
            list_call_kinds,
            CallController,
            create_submission,
            SubmissionController,
            AttachmentController,
            CallJuryController,
            JurorController,
            ranking,
            DatabankController,
            DatabankEditorController,
            InvitationController,
            revoke,
            export_me,
            erase_me,
            erase_someone,
        ],
    )
    return Litestar(
        route_handlers=[api, databank_feed, calls_calendar, InvitationPage],
        lifespan=[lifespan],
        dependencies=DEPENDENCIES,
        middleware=[DefineMiddleware(BearerTokenMiddleware, exclude=["^/schema"])],
        exception_handlers={
            AwardsError: domain_error,
            ValidationException: validation_error,
            HTTPException: http_error,
            Exception: unexpected_error,
        },
        openapi_config=OpenAPIConfig(title="awards", version="1"),
        after_exception=[log_unexpected],
        plugins=[OperationsPlugin(), WebPages(resolved)],
    )
