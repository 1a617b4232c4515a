"""The Litestar application: the one place that wires the modules together."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.exceptions import HTTPException, ValidationException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig

from awards.api.attachments import AttachmentController
from awards.api.bodies import BodyController
from awards.api.calls import CallController, list_call_kinds
from awards.api.commitments import CallCommitmentController, CommitmentController
from awards.api.databank import DatabankController, calls_calendar, databank_feed
from awards.api.databank_editor import DatabankEditorController
from awards.api.invitations import InvitationController, revoke
from awards.api.jury import CallJuryController, JurorController, fire_ranked, ranking
from awards.api.jury_time import AssignmentTimeController, RoundTimeController
from awards.api.ops import OperationsPlugin
from awards.api.privacy import erase_me, erase_someone, export_me
from awards.api.submissions import SubmissionController, create_submission
from awards.assembly import DUTIES, build_runtime
from awards.auth.uses import Uses
from awards.clock import Clock, system_clock
from awards.errors import AwardsError
from awards.http.auth import BearerTokenMiddleware, within_network
from awards.http.body import REQUEST_BODY_LIMIT, BoundedRequest
from awards.http.dependencies import DEPENDENCIES
from awards.http.errors import (
    domain_error,
    http_error,
    log_unexpected,
    unexpected_error,
    validation_error,
)
from awards.http.retries import RetryContendedWrites
from awards.notify.worker import worker_alongside
from awards.settings import Settings, load_settings
from awards.web.plugin import WebPages


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock) -> Litestar:
    """The service; `settings` default to `config/settings.toml` and the environment.

    The runtime is built at each start from the app's state (`settings`, `clock`): a test may
    start one app again on another database (building an app registers every handler, some
    0.65 s). What the routes are made of at build (templates, base URL, key) stays."""
    resolved = settings or load_settings(os.environ)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Built here, on the server's event loop: pooled connections belong to that loop.
        app.state.runtime = runtime = build_runtime(app.state.settings, clock=app.state.clock)
        app.state.uses = Uses(runtime.db, runtime.clock)
        try:
            async with worker_alongside(runtime, duties=DUTIES):
                yield
        finally:
            try:
                await app.state.uses.close()
            finally:
                await runtime.close()

    api = Router(
        path="/api/v1",
        route_handlers=[
            list_call_kinds,
            CallController,
            create_submission,
            SubmissionController,
            AttachmentController,
            CommitmentController,
            CallCommitmentController,
            CallJuryController,
            JurorController,
            RoundTimeController,
            AssignmentTimeController,
            BodyController,
            ranking,
            fire_ranked,
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
        route_handlers=[api, databank_feed, calls_calendar],
        state=State({"settings": resolved, "clock": clock}),
        lifespan=[lifespan],
        guards=[within_network],
        dependencies=DEPENDENCIES,
        middleware=[
            DefineMiddleware(BearerTokenMiddleware, exclude=["^/schema"]),
            RetryContendedWrites,
        ],
        exception_handlers={
            AwardsError: domain_error,
            ValidationException: validation_error,
            HTTPException: http_error,
            Exception: unexpected_error,
        },
        openapi_config=OpenAPIConfig(title="awards", version="1"),
        after_exception=[log_unexpected],
        plugins=[OperationsPlugin(), WebPages(resolved)],
        request_class=BoundedRequest,
        request_max_body_size=REQUEST_BODY_LIMIT,
    )
