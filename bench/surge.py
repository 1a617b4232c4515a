"""Deadline surge: concurrent cities each create a draft, upload a 1 MB PDF and submit it,
against `awards serve`, as a ratio to the floor of that work measured in the same run
(target: at least 0.5, with no error).

    python bench/surge.py [--clients 32] [--submissions 320] [--rounds 3] [--pings 2000]
                          [--processes N] [--postgres postgresql+asyncpg://.../DB] [--no-sqlite]
    python bench/surge.py --quick

On SQLite (a file in a temporary folder), and on PostgreSQL too when `--postgres` is given
(that database is dropped and created again). Each database is migrated and seeded through
the services: an open award call, one member city with an applicant and a token per
submission. Then two sets of servers run side by side, with the same uvicorn settings and
the same number of processes (1 on SQLite, 2 on PostgreSQL unless `--processes` says
otherwise; clients are spread over them):

- the floor (`bench/floor.py`): `GET /ping`, and `POST /upload` of the same files, which only
  writes each to disk with fsync and inserts and commits one row;
- the service, `awards serve`, with its outbox worker (in each process on SQLite; one
  `awards worker` process beside them on PostgreSQL, as in production) mailing a local SMTP
  sink: `GET /health`, and the surge, three requests per submission (new draft, upload,
  submit).

`--clients` clients (asyncio and httpx, in this process) each take the next job until none
is left. The pings run once; then `--rounds` rounds of the floor's uploads and the service's
submissions, in turns, so that drift in the machine's load falls on both. Reported per load:
jobs, errors, jobs per second, p50 and p99 latency, the CPU time of the server processes per
job (not the PostgreSQL server's) and their peak resident memory, children included, sampled
every 50 ms. The headline is the median over the rounds of submissions per second over floor
uploads per second. Afterwards the database must hold every acknowledged submission as
submitted, with its attachment.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlmodel import col

import floor
from awards.assembly import build_runtime
from awards.db.migrate import upgrade
from awards.db.tables import Attachment, Submission
from harness.applying import Candidacy, send
from harness.databases import is_postgres, recreate_postgres, repository_settings
from harness.processes import (
    AWARDS,
    ROOT,
    Process,
    running,
    smtp_sink,
    start,
    start_server,
    wait_for_server,
)
from harness.seeding import (
    applicants_with_tokens,
    city,
    complete_answers,
    open_award_call,
    secretariat,
)
from memory import PeakMemory, trees_cpu_seconds

MEGABYTE = 1024 * 1024
TARGET = 0.5
FILE_FIELD = "annex"


class Refused(Exception):
    """A response other than the one the step expects."""


@dataclass
class Tally:
    """What one load measured: the seconds of each job that succeeded (under the load's
    `name`) and of each of its steps, the errors, and the servers' peak memory."""

    name: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss: int = 0
    cpu_seconds: float = 0.0
    """CPU time the server processes used meanwhile (not the PostgreSQL server's)."""

    def add(self, other: Tally) -> None:
        """Count `other`, a later load of the same jobs, with this one."""
        for step, latencies in other.latencies.items():
            self.latencies[step].extend(latencies)
        self.errors.extend(other.errors)
        self.seconds += other.seconds
        self.peak_rss = max(self.peak_rss, other.peak_rss)
        self.cpu_seconds += other.cpu_seconds

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.latencies[name].append(time.perf_counter() - started)

    @property
    def rate(self) -> float:
        """Jobs done per second."""
        return len(self.latencies[self.name]) / self.seconds


Job = Callable[[httpx.AsyncClient, int, Tally], Awaitable[None]]


def pdf(number: int) -> bytes:
    """A 1 MB PDF of its own: identical uploads would be stored once and cost less."""
    head = f"%PDF-1.4\n% bench upload {number}\n".encode()
    return head + b"0" * (MEGABYTE - len(head))


def expect(response: httpx.Response, status: int) -> httpx.Response:
    if response.status_code != status:
        raise Refused(f"{response.request.url.path}: {response.status_code} {response.text[:300]}")
    return response


async def load(job: Job, *, jobs: int, clients: int, name: str, watch: Sequence[int]) -> Tally:
    """`clients` concurrent clients run `job(client, number, tally)` for numbers 0..jobs-1,
    each timed as step `name`, while the memory and CPU time of the processes `watch` (and
    their children) are measured."""
    tally = Tally(name)
    numbers = iter(range(jobs))

    async def client_loop(client: httpx.AsyncClient) -> None:
        for number in numbers:
            try:
                with tally.step(name):
                    await job(client, number, tally)
            except (Refused, httpx.HTTPError) as error:
                tally.errors.append(f"{type(error).__name__}: {error}")

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        started, cpu = time.perf_counter(), trees_cpu_seconds(watch)
        async with PeakMemory(watch) as memory:
            await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        tally.seconds = time.perf_counter() - started
        tally.cpu_seconds = trees_cpu_seconds(watch) - cpu
    tally.peak_rss = memory.peak
    return tally


def get(path: str, servers: Sequence[Process]) -> Job:
    async def job(client: httpx.AsyncClient, number: int, tally: Tally) -> None:
        expect(await client.get(servers[number % len(servers)].base_url + path), 200)

    return job


def floor_upload(servers: Sequence[Process]) -> Job:
    async def job(client: httpx.AsyncClient, number: int, tally: Tally) -> None:
        expect(
            await client.post(
                servers[number % len(servers)].base_url + "/upload",
                files={"file": ("annex.pdf", pdf(number), "application/pdf")},
                data={"field": FILE_FIELD},
            ),
            201,
        )

    return job


def submission(servers: Sequence[Process], *, call_id: int, tokens: Sequence[str]) -> Job:
    """A city's whole candidacy: new draft, upload, submit; each step timed on its own."""

    async def job(client: httpx.AsyncClient, number: int, tally: Tally) -> None:
        mine = Candidacy(tokens[number], complete_answers(), pdf(number), field=FILE_FIELD)
        base_url = servers[number % len(servers)].base_url
        await send(client, base_url, call_id, mine, timed=tally.step)
        if mine.failure:
            raise Refused(mine.failure)

    return job


@dataclass(frozen=True)
class Setup:
    database_url: str
    call_id: int
    tokens: list[str]


async def seed(database_url: str, *, submissions: int) -> Setup:
    runtime = build_runtime(repository_settings(database_url), pooled=False)
    try:
        staff = await secretariat(runtime)
        call_id = await open_award_call(runtime, staff)
        cities = [city(f"Bench City {number}") for number in range(submissions)]
        tokens = await applicants_with_tokens(runtime, cities)
    finally:
        await runtime.close()
    return Setup(database_url, call_id, tokens)


async def stored(database_url: str, call_id: int) -> tuple[int, int]:
    """(submissions submitted, their attachments) in the call, read back from the database."""
    runtime = build_runtime(repository_settings(database_url), pooled=False)
    try:
        async with runtime.db.read() as session:
            submitted = select(col(Submission.id)).where(
                col(Submission.call_id) == call_id, col(Submission.state) == "submitted"
            )
            count = await session.scalar(select(func.count()).select_from(submitted.subquery()))
            files = await session.scalar(
                select(func.count(col(Attachment.id))).where(
                    col(Attachment.submission_id).in_(submitted)
                )
            )
    finally:
        await runtime.close()
    return count or 0, files or 0


@dataclass(frozen=True)
class Run:
    """What to run on one database."""

    label: str
    database_url: str
    processes: int
    clients: int
    submissions: int
    """Per round."""
    rounds: int
    pings: int


@dataclass(frozen=True)
class Measured:
    tallies: dict[str, Tally]
    ratios: list[float]
    """Each round's submissions per second over its floor uploads per second."""
    submitted: int
    """Submissions of the call found submitted in the database afterwards."""
    attachments: int


def measure(run: Run, folder: Path) -> Measured:
    """Both servers up, the pings, then rounds of the floor's uploads and the service's
    submissions, in turns: drift in the machine's load falls on both."""
    upgrade(run.database_url)
    setup = asyncio.run(seed(run.database_url, submissions=run.submissions * run.rounds))
    floor.prepare(run.database_url)
    floor_command = [
        *(sys.executable, str(ROOT / "bench" / "floor.py")),
        *("--database-url", run.database_url, "--data-dir", str(folder / "floor-data")),
    ]
    with ExitStack() as stack:
        smtp_port = stack.enter_context(smtp_sink(folder))
        environ = {
            "AWARDS_DATABASE_URL": run.database_url,
            "AWARDS_DATA_DIR": str(folder / "data"),
            "AWARDS_SMTP_PORT": str(smtp_port),
            "AWARDS_SECRET_KEY": "bench-" + os.urandom(8).hex(),
        }
        floors = servers(stack, floor_command, count=run.processes, folder=folder, name="floor")
        ours = servers(
            stack,
            [*AWARDS, "serve"],
            count=run.processes,
            folder=folder,
            name="awards",
            environ=environ,
        )
        worker_pids = stack.enter_context(worker(environ, folder=folder))
        for server in floors:
            wait_for_server(server, "/ping")
        for server in ours:
            wait_for_server(server, "/health")
        floor_pids = [server.popen.pid for server in floors]
        our_pids = [server.popen.pid for server in ours] + worker_pids

        def measured(job: Job, *, jobs: int, name: str, watch: Sequence[int]) -> Tally:
            return asyncio.run(load(job, jobs=jobs, clients=run.clients, name=name, watch=watch))

        tallies = {
            "floor ping": measured(
                get("/ping", floors), jobs=run.pings, name="ping", watch=floor_pids
            ),
            "ours /health": measured(
                get("/health", ours), jobs=run.pings, name="ping", watch=our_pids
            ),
            "floor upload": Tally("upload"),
            "ours surge": Tally("submission"),
        }
        ratios = []
        for number in range(run.rounds):
            tokens = setup.tokens[number * run.submissions : (number + 1) * run.submissions]
            loads = {
                "floor upload": (floor_upload(floors), floor_pids),
                "ours surge": (submission(ours, call_id=setup.call_id, tokens=tokens), our_pids),
            }
            rates = {}
            for name in sorted(loads, reverse=bool(number % 2)):
                job, pids = loads[name]
                tally = measured(job, jobs=run.submissions, name=tallies[name].name, watch=pids)
                rates[name] = tally.rate
                tallies[name].add(tally)
            ratios.append(rates["ours surge"] / rates["floor upload"])
    submitted, attachments = asyncio.run(stored(run.database_url, setup.call_id))
    return Measured(tallies, ratios, submitted=submitted, attachments=attachments)


def servers(
    stack: ExitStack,
    command: Sequence[str],
    *,
    count: int,
    folder: Path,
    name: str,
    environ: dict[str, str] | None = None,
) -> list[Process]:
    """`count` servers of `command`, each on its own port, stopped when `stack` closes; started
    and not waited for, so that several groups start side by side."""
    return [
        stack.enter_context(
            running(start_server(command, log=folder / f"{name}-{number}.log", variables=environ))
        )
        for number in range(count)
    ]


@contextmanager
def worker(environ: dict[str, str], *, folder: Path) -> Iterator[list[int]]:
    """On PostgreSQL, one `awards worker` beside the servers, which run none themselves there
    (`AWARDS_WORKER_IN_PROCESS=auto`): its pid."""
    if not is_postgres(environ["AWARDS_DATABASE_URL"]):
        yield []
        return
    with running(
        start([*AWARDS, "worker"], log=folder / "worker.log", variables=environ)
    ) as process:
        yield [process.popen.pid]


def report(measured: Measured) -> float:
    """Print the table and the check; return the median of the rounds' ratios."""
    line = "{:<16} {:>6} {:>6} {:>7} {:>7} {:>7} {:>8} {:>8}"
    print(line.format("load", "jobs", "errors", "jobs/s", "p50 ms", "p99 ms", "CPU ms", "peak MB"))
    for load_name, tally in measured.tallies.items():
        done = tally.latencies[tally.name]
        print(
            line.format(
                load_name,
                len(done) + len(tally.errors),
                len(tally.errors),
                f"{tally.rate:.1f}",
                *milliseconds(done),
                f"{tally.cpu_seconds * 1000 / max(1, len(done)):.1f}",
                f"{tally.peak_rss / MEGABYTE:.0f}",
            )
        )
        for step, latencies in tally.latencies.items():
            if step != tally.name:
                print(
                    line.format(
                        f"  {step}", len(latencies), "", "", *milliseconds(latencies), "", ""
                    )
                )
    ours, bare = measured.tallies["ours surge"], measured.tallies["floor upload"]
    acknowledged = len(ours.latencies[ours.name])
    print(
        f"in the database: {measured.submitted} submitted with {measured.attachments} "
        f"attachments, {acknowledged} acknowledged"
    )
    ratio = statistics.median(measured.ratios)
    errors = ours.errors + bare.errors
    verdict = "met" if ratio >= TARGET and not errors else "NOT met"
    rounds = ", ".join(f"{each:.2f}" for each in measured.ratios)
    print(
        f"ours/floor: {ratio:.2f} (median of rounds: {rounds}), {len(errors)} errors "
        f"(target >= {TARGET}, none): {verdict}"
    )
    for error in errors[:5]:
        print(f"  error: {error}")
    if min(measured.submitted, measured.attachments) < acknowledged:
        raise SystemExit("acknowledged submissions are missing from the database")
    return ratio


def milliseconds(latencies: Sequence[float]) -> tuple[str, str]:
    """p50 and p99, in milliseconds."""
    if len(latencies) < 2:
        return ("-", "-") if not latencies else (f"{latencies[0] * 1000:.0f}",) * 2
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return f"{cuts[49] * 1000:.0f}", f"{cuts[98] * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--submissions", type=int, default=320)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pings", type=int, default=2000)
    parser.add_argument(
        "--processes", type=int, help="server processes (1 on SQLite, 2 on PostgreSQL)"
    )
    parser.add_argument("--postgres", help="also on this PostgreSQL database (dropped, created)")
    parser.add_argument(
        "--sqlite", action=argparse.BooleanOptionalAction, default=True, help="on SQLite"
    )
    parser.add_argument(
        "--quick", action="store_true", help="4 clients, 8 submissions, 1 round, 40 pings"
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.clients, arguments.submissions, arguments.pings = 4, 8, 40
        arguments.rounds = 1
    print(
        f"{arguments.clients} clients, {arguments.submissions} submissions of 1 MB, "
        f"{arguments.pings} pings"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        databases = {}
        if arguments.sqlite:
            databases["SQLite"] = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        if arguments.postgres:
            recreate_postgres(arguments.postgres)
            databases["PostgreSQL"] = arguments.postgres
        for label, url in databases.items():
            run = Run(
                label=label,
                database_url=url,
                processes=arguments.processes or (2 if is_postgres(url) else 1),
                clients=arguments.clients,
                submissions=arguments.submissions,
                rounds=arguments.rounds,
                pings=arguments.pings,
            )
            print(f"{label}, {run.processes} server process(es)")
            workspace = folder / label
            workspace.mkdir()
            report(measure(run, workspace))


if __name__ == "__main__":
    main()
