"""What the benchmarks share: settings, a fresh database, local servers in their own processes.

Servers run as subprocesses on free local ports, so that the load generator never shares
their interpreter; each is stopped, and waited for, when its context ends.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from awards.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def bench_settings(database_url: str, **environ: str) -> Settings:
    """The service's settings on `database_url`, as `awards serve` would read them."""
    settings = load_settings(
        {"AWARDS_DATABASE_URL": database_url, **environ},
        defaults_file=ROOT / "config" / "settings.toml",
    )
    return replace(settings, config_dir=ROOT / "config")


def is_postgres(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


def recreate_postgres(database_url: str) -> None:
    """Drop and create the database of `database_url`: each run starts from nothing."""
    url = make_url(database_url)

    async def go() -> None:
        maintenance = url.set(drivername="postgresql", database="postgres")
        connection = await asyncpg.connect(maintenance.render_as_string(hide_password=False))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{url.database}"')
        finally:
            await connection.close()

    asyncio.run(go())


def awards_command() -> list[str]:
    """The `awards` script of this virtualenv, else the module."""
    script = Path(sys.executable).with_name("awards")
    if script.exists():
        return [str(script)]
    found = shutil.which("awards")
    return [found] if found else [sys.executable, "-m", "awards.cli"]


@dataclass(frozen=True)
class Server:
    base_url: str
    probe: str
    """A path that answers 200 once the server is up."""
    process: subprocess.Popen[bytes]
    log: Path


def wait_until_up(started: Iterable[Server]) -> None:
    """Return once each server answers its probe; stop the benchmark if one never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    for server in started:
        url = server.base_url + server.probe
        while True:
            if server.process.poll() is not None:
                raise SystemExit(
                    f"{server.log.stem} exited with {server.process.returncode}: "
                    f"{server.log.read_text()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"{server.log.stem} did not answer {url} in {STARTUP_SECONDS} s: "
                        f"{server.log.read_text()}"
                    ) from None
                time.sleep(0.1)


@contextmanager
def running(
    command: Sequence[str], *, log: Path, environ: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A process with its output in `log`, terminated and waited for on exit."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(environ or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def servers(
    command: Sequence[str],
    *,
    count: int,
    folder: Path,
    name: str,
    probe: str,
    environ: Mapping[str, str] | None = None,
) -> Iterator[list[Server]]:
    """`count` processes of `command --host 127.0.0.1 --port P`, each on its own free port,
    yielded as soon as they are started (see `wait_until_up`): several groups then start
    side by side."""
    with ExitStack() as stack:
        started = []
        for number in range(count):
            port = free_port()
            log = folder / f"{name}-{number}.log"
            process = stack.enter_context(
                running(
                    [*command, "--host", "127.0.0.1", "--port", str(port)],
                    log=log,
                    environ=environ,
                )
            )
            started.append(Server(f"http://127.0.0.1:{port}", probe, process, log))
        yield started


@contextmanager
def smtp_sink(folder: Path) -> Iterator[int]:
    """A local SMTP server that accepts and drops every message (aiosmtpd's Sink), in its
    own process so that it does not share our interpreter; yields its port."""
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    with running([*command, "-l", f"127.0.0.1:{port}"], log=folder / "smtp.log") as process:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the SMTP server did not start on port {port}") from None
                time.sleep(0.05)
        yield port
