"""Mails per second from the outbox through the worker to a local SMTP server, as a ratio to a
bare aiosmtplib loop on one connection in the same run (target: at least 0.8).

    python bench/mail_throughput.py [--mails 1000] [--rounds 5] [--batch-size 50]
                                    [--database-url postgresql+asyncpg://...]

Without `--database-url`, a SQLite file in a temporary folder. The SMTP server (aiosmtpd with
its Sink handler) runs in its own process so that it does not share our interpreter. Each
round queues the mails (not timed), delivers them with `Worker.drain()` (claims, one
connection per batch, outcomes written per batch), then sends the same rows with a bare loop
that composes each message and sends it on a single connection.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from aiosmtplib import SMTP
from sqlalchemy import delete, select
from sqlmodel import col

from awards.assembly import build_runtime
from awards.db.migrate import upgrade
from awards.db.tables import OutboxMessage
from awards.notify.delivery import DeliveryPolicy
from awards.notify.outbox import message_id
from awards.notify.sender import compose
from awards.notify.worker import Worker
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from harness.databases import repository_settings
from harness.processes import smtp_sink

TEXT = "The jury has decided on your candidacy. Outcome: laureate.\n" * 16
HTML = "<p>The jury has decided on your candidacy. Outcome: <b>laureate</b>.</p>\n" * 16


async def queue(runtime: Runtime, count: int, round_number: int) -> None:
    """`count` outbox rows of a typical size, as state changes write them."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        await session.execute(delete(OutboxMessage))
        session.add_all(
            OutboxMessage(
                message_id=message_id(
                    template="result",
                    cause=f"bench{round_number}.{number}",
                    recipient=f"mayor{number}@city{number}.test",
                    base_url=runtime.settings.base_url,
                ),
                recipient=f"mayor{number}@city{number}.test",
                language="en",
                template="result",
                subject=f"Result of Educating Cities Award 2026 for candidacy {number}",
                body_text=TEXT,
                body_html=HTML,
                next_attempt_at=now,
                created_at=now,
            )
            for number in range(count)
        )


async def through_worker(runtime: Runtime, policy: DeliveryPolicy) -> tuple[float, int]:
    started = time.perf_counter()
    tally = await Worker(runtime, policy=policy).drain()
    return time.perf_counter() - started, tally.sent


async def bare_loop(runtime: Runtime) -> tuple[float, int]:
    async with runtime.db.read() as session:
        rows = list(await session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id))))
    settings = runtime.settings
    started = time.perf_counter()
    client = SMTP(hostname=settings.smtp_host, port=settings.smtp_port, start_tls=False)
    await client.connect()
    for row in rows:
        await client.send_message(
            compose(row, sender=settings.mail_from, secret_key=settings.secret_key),
            recipients=[row.recipient],
        )
    await client.quit()
    return time.perf_counter() - started, len(rows)


async def measure(settings: Settings, *, mails: int, rounds: int, policy: DeliveryPolicy) -> None:
    runtime = build_runtime(settings)
    ratios = []
    print(f"{mails} mails per round, batches of {policy.batch_size}, {settings.database_url}")
    print(f"{'round':>5}  {'worker mails/s':>14}  {'bare mails/s':>12}  {'ratio':>6}")
    try:
        for round_number in range(1, rounds + 1):
            await queue(runtime, mails, round_number)
            # Alternate which goes first, so that drift in the machine's load evens out.
            if round_number % 2:
                worker_seconds, sent = await through_worker(runtime, policy)
                bare_seconds, bare_sent = await bare_loop(runtime)
            else:
                bare_seconds, bare_sent = await bare_loop(runtime)
                worker_seconds, sent = await through_worker(runtime, policy)
            assert sent == bare_sent == mails, (sent, bare_sent)
            worker_rate, bare_rate = mails / worker_seconds, mails / bare_seconds
            ratios.append(worker_rate / bare_rate)
            print(
                f"{round_number:>5}  {worker_rate:>14.0f}  {bare_rate:>12.0f}  {ratios[-1]:>6.2f}"
            )
    finally:
        await runtime.close()
    print(f"median ratio {statistics.median(ratios):.2f} (target >= 0.8)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=DeliveryPolicy().batch_size)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (it is migrated)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, smtp_sink(Path(folder)) as port:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(url)
        settings = repository_settings(url, AWARDS_SMTP_PORT=str(port))
        policy = DeliveryPolicy(batch_size=args.batch_size)
        asyncio.run(measure(settings, mails=args.mails, rounds=args.rounds, policy=policy))


if __name__ == "__main__":
    main()
