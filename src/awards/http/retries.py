"""A request whose write lost to a concurrent one runs again, transparently.

PostgreSQL breaks a deadlock by failing one of its transactions, and a serialisation failure
fails one too (`awards.db.database.WriteContention`). Nothing of that transaction stays, so
the request's handler is run again from the start with the same body and caller, a few
times, after a short random pause that lets the winner commit. It is not run again once one
of its writes committed (that write would be repeated), nor once its body outgrew what is
kept to be read again; it then answers what the last attempt answered: 503 with
`Retry-After`, never a 500.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from litestar.utils.scope.state import CONNECTION_STATE_KEY, ScopeState

from awards.db.database import attempt
from awards.http.body import REQUEST_BODY_LIMIT

log = logging.getLogger(__name__)
ATTEMPTS = 4
"""Runs of one request at most: a deadlock needs two, a surge on one call a few more."""
PAUSE_SECONDS = 0.02
"""The first pause's scale; the n-th pause is up to n times as long."""


class RetryContendedWrites:
    """ASGI middleware, inside authentication (a request is authenticated once, and its
    token's `last_used_at` write is not one of the handler's): each run starts from the
    scope as it came in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        received = _copy(ScopeState.from_scope(scope))
        body = _KeptBody(receive)
        for number in range(1, ATTEMPTS):
            if not await self._run(_fresh(scope, received), body, send):
                return
            log.info("%s %s met a concurrent write: run %d", scope["method"], scope["path"], number)
            await asyncio.sleep(random.uniform(0, PAUSE_SECONDS * number))
        await self.app(_fresh(scope, received), body.reader(), send)

    async def _run(self, scope: Scope, body: _KeptBody, send: Send) -> bool:
        """Run the request once; `True` if it is to run again, its answer withheld."""
        withheld = False
        with attempt() as current:

            async def send_unless_retried(message: Message) -> None:
                nonlocal withheld
                if message["type"] == "http.response.start":
                    withheld = current.retryable and body.whole
                if not withheld:
                    await send(message)

            await self.app(scope, body.reader(), send_unless_retried)
        return withheld


def _fresh(scope: Scope, received: ScopeState) -> Scope:
    """A copy of `scope` with Litestar's connection state as it was when the request came in,
    before its body was read, its form parsed, its dependencies resolved."""
    state = {**scope["state"], CONNECTION_STATE_KEY: _copy(received)}
    return {**scope, "state": state}  # type: ignore[return-value]


def _copy(connection: ScopeState) -> ScopeState:
    copied = copy.copy(connection)
    for name in ScopeState.__slots__:
        value = getattr(copied, name)
        if isinstance(value, dict | list):
            setattr(copied, name, value.copy())
    return copied


class _KeptBody:
    """The request's body messages, kept as the first attempt reads them, to be read again."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._kept: list[ReceiveMessage] = []
        self._size = 0
        self.whole = True
        """Every message read so far is kept: a bigger body is read once only."""

    def reader(self) -> Receive:
        position = 0

        async def receive() -> ReceiveMessage:
            nonlocal position
            if position < len(self._kept):
                position += 1
                return self._kept[position - 1]
            message = await self._receive()
            if message["type"] == "http.request" and self.whole:
                self._size += len(message.get("body", b""))
                self.whole = self._size <= REQUEST_BODY_LIMIT
                if self.whole:
                    self._kept.append(message)
                    position += 1
            return message

        return receive
