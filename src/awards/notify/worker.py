"""The delivery loop: claim a batch, send it outside any transaction, record what happened.

`awards worker` runs it until SIGINT or SIGTERM; `awards serve` runs it beside the web
service when `worker_in_process` says so. Asked to stop, a worker finishes the message in
flight, records its batch and releases the rows it did not attempt. The rules and why they
are crash-safe: `awards.notify.delivery`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from awards.notify.attach import make_attachments
from awards.notify.delivery import DeliveryPolicy, Tally, claim, record
from awards.notify.transport import MailTransport, mail_transport
from awards.transitions.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Turn:
    """One turn of a worker's loop, as its duties see it."""

    runtime: Runtime
    worker: str
    """The worker's name, which marks the rows it claims."""
    policy: DeliveryPolicy
    stop: asyncio.Event | None


Duty = Callable[[Turn], Awaitable[object]]
"""Work a worker does each turn before its mail: the timers, which may queue mail to leave in
the same turn, and deliveries of other queues (the databank's webhook). Given by whoever runs
the worker (`awards.assembly`), because delivery knows nothing of what causes mail."""


class Worker:
    """One delivery loop; its `name` marks the rows it holds."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        policy: DeliveryPolicy | None = None,
        sender: MailTransport | None = None,
        duties: Sequence[Duty] = (),
    ) -> None:
        self.runtime = runtime
        self.policy = policy or DeliveryPolicy(
            retry_base=timedelta(seconds=runtime.settings.mail_retry_seconds)
        )
        self.sender = sender or mail_transport(runtime.settings)
        self.duties = tuple(duties)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    async def deliver_batch(self, stop: asyncio.Event | None = None) -> Tally:
        """Claim due mail, make the files it carries, send it on one connection, record the
        outcome: a mail whose files could not be made waits for a retry."""
        db, clock = self.runtime.db, self.runtime.clock
        claimed = await claim(db, worker=self.name, now=clock(), policy=self.policy)
        if not claimed:
            return Tally()
        loop = asyncio.get_running_loop()
        # Start no message after half the lease: the rest must be recorded before it ends.
        give_up_at = loop.time() + self.policy.lease.total_seconds() / 2
        made, unmade = await make_attachments(self.runtime, claimed)
        report = await self.sender.send_batch(
            [mail for mail in claimed if mail.id not in unmade],
            keep_going=lambda: not (stop and stop.is_set()) and loop.time() < give_up_at,
            made=made,
        )
        report.failed.update(unmade)
        tally = await record(db, claimed, report, worker=self.name, now=clock(), policy=self.policy)
        log.info("worker %s: %s", self.name, tally)
        return tally

    async def drain(self) -> Tally:
        """Deliver until no mail is due (mail waiting for a retry stays)."""
        total = Tally()
        while (tally := await self.deliver_batch()).claimed:
            total += tally
        return total

    async def run(self, stop: asyncio.Event) -> Tally:
        """Deliver until `stop` is set, waiting `poll_seconds` whenever the queue runs dry."""
        total = Tally()
        while not stop.is_set():
            try:
                turn = Turn(self.runtime, self.name, self.policy, stop)
                for duty in self.duties:
                    await duty(turn)
                tally = await self.deliver_batch(stop)
            except Exception:
                # A loop that dies stops all mail, silently when it runs inside the web
                # service: log it (a database that went away, a bug) and try again later.
                log.exception("worker %s: delivery failed; trying again", self.name)
                tally = Tally()
            total += tally
            if tally.claimed < self.policy.batch_size:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.policy.poll_seconds)
        return total


@asynccontextmanager
async def worker_alongside(runtime: Runtime, *, duties: Sequence[Duty] = ()) -> AsyncIterator[None]:
    """Run a worker beside the caller when `worker_in_process` says so; stop it on exit."""
    if not runtime.settings.runs_worker_in_process:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(Worker(runtime, duties=duties).run(stop))
    try:
        yield
    finally:
        stop.set()
        await task
