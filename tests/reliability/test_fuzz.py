"""Fuzz: schemathesis drives every operation of the OpenAPI document, in-process, as each
role, with valid and invalid input; no answer is a 5xx and none breaks its declared schema."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Err, Result
from schemathesis.generation import GenerationMode
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import response_schema_conformance

from awards.app import create_app
from awards.settings import Settings
from conftest import MovableClock
from reliability.roles import World

if TYPE_CHECKING:  # schemathesis names its OpenAPI types for type checkers only
    from schemathesis.specs.openapi.schemas import OpenApiCase, OpenApiOperation

FUZZED_ROLES = ("anonymous", "applicant", "juror", "secretariat")
EXAMPLES = 4
CHECKS = [not_a_server_error, response_schema_conformance]


def fuzz(settings_: Settings, clock: MovableClock, world: World) -> list[str]:
    """Every operation as every fuzzed role, with valid and invalid input: the failures."""
    app = create_app(settings_, clock=clock)
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    try:
        return [
            f"{operation.label} as {role} ({mode}): {failure}"
            for operation in map(operation_of, schema.get_all_operations())
            for role in FUZZED_ROLES
            for mode in GenerationMode
            if (failure := attempt(operation, mode, headers=dict(world.headers[role])))
        ]
    finally:
        shutdown_lifespans()


def operation_of(result: Result[OpenApiOperation, InvalidSchema]) -> OpenApiOperation:
    """The operation, or the error that kept the schema from describing it, raised."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


def attempt(operation: OpenApiOperation, mode: GenerationMode, *, headers: dict[str, str]) -> str:
    """What failed when `operation` was called with `EXAMPLES` cases of `mode`; "" if none."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: OpenApiCase) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        call()
    except Unsatisfiable:
        # No parameter or body to get wrong: nothing negative to send.
        assert mode is GenerationMode.NEGATIVE, operation.label
    except (AssertionError, FailureGroup) as failure:
        return str(failure)
    return ""


# SQLite only: the fuzz exercises the handlers, and PostgreSQL would double its minute.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_no_operation_answers_5xx_or_breaks_its_schema_for_any_role(
    settings: Settings, clock: MovableClock, world: World
) -> None:
    failures = await asyncio.to_thread(fuzz, settings, clock, world)

    assert failures == []
