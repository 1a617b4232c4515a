"""Values handlers receive by name: the runtime, the caller, the services."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from awards.calls.service import CallService
from awards.http.auth import actor_of
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


def _runtime(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def _actor(request: Request[Any, Any, Any]) -> Actor:
    return actor_of(request)


def _calls(runtime: NamedDependency[Runtime]) -> CallService:
    return CallService(runtime)


def _submissions(runtime: NamedDependency[Runtime]) -> SubmissionService:
    return SubmissionService(runtime)


DEPENDENCIES = {
    "runtime": Provide(_runtime, sync_to_thread=False),
    "actor": Provide(_actor, sync_to_thread=False),
    "calls": Provide(_calls, sync_to_thread=False),
    "submissions": Provide(_submissions, sync_to_thread=False),
}
