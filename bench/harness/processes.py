"""Processes beside the one running: `awards` commands (`serve`, `worker`, any other), and
others (the floor, an SMTP sink), servers on free local ports, each writing to a log file.

A child runs on the variables it is given: the `AWARDS_*` variables of the shell that started
the tests or the benchmark are left out, so a developer's own settings never reach a run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx

from awards.settings import PREFIX

ROOT = Path(__file__).resolve().parents[2]
AWARDS = (sys.executable, "-m", "awards.cli")
"""`awards` as this interpreter runs it, so a child uses the virtualenv in use."""
STOP_SECONDS = 10.0
"""How long a process told to stop may take before it is killed."""


class ProcessError(Exception):
    """A process that did not start or did not stop when told; the message ends with what it
    wrote."""


def free_port() -> int:
    """A local TCP port nothing listens on (the system's choice, at this moment)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def environment(variables: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without its `AWARDS_*` variables, plus `variables`; output
    unbuffered, so a log shows each line as soon as it is written."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith(PREFIX)}
    return {**inherited, "PYTHONUNBUFFERED": "1", **variables}


def run_awards(
    *arguments: str, database_url: str, timeout: float = 120, check: bool = False, **variables: str
) -> subprocess.CompletedProcess[str]:
    """`awards ARGUMENTS` on `database_url` and `variables` (`AWARDS_*` names), run to its end
    as an operator runs it: its exit status and output."""
    return subprocess.run(
        [*AWARDS, *arguments],
        cwd=ROOT,
        env=environment({"AWARDS_DATABASE_URL": database_url, **variables}),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


@dataclass
class Process:
    """A started process and the file its output (both streams) goes to."""

    popen: subprocess.Popen[bytes]
    log: Path
    base_url: str = ""
    """Where it listens, for a server started by `start_server`."""

    @property
    def output(self) -> str:
        """The end of what it wrote, for a message."""
        return self.log.read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        """`kill -9`: no shutdown code runs."""
        self.popen.kill()
        self.popen.wait()

    def terminate(self, *, timeout: float = 15.0) -> int:
        """SIGTERM, then the exit status once it has stopped by itself."""
        self.popen.terminate()
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ProcessError(f"still running {timeout} s after SIGTERM: {self.output}") from None

    def stop(self) -> None:
        """Terminated, or killed after `STOP_SECONDS`; waited for either way."""
        if self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()


def start(
    command: Sequence[str], *, log: Path, variables: Mapping[str, str] | None = None
) -> Process:
    """`command` started in the repository's root on `environment(variables)`; not waited for."""
    with log.open("wb") as output:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment(variables or {}),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Process(popen, log)


def start_server(
    command: Sequence[str],
    *,
    log: Path,
    variables: Mapping[str, str] | None = None,
    port: int | None = None,
) -> Process:
    """`command --host 127.0.0.1 --port P` on `port` (by default a free one), with its
    `base_url`; not waited for (see `wait_for_server`), so that several start side by side."""
    port = port or free_port()
    arguments = [*command, "--host", "127.0.0.1", "--port", str(port)]
    process = start(arguments, log=log, variables=variables)
    process.base_url = f"http://127.0.0.1:{port}"
    return process


@contextmanager
def running(process: Process) -> Iterator[Process]:
    """`process`, stopped (and waited for) when the context ends."""
    try:
        yield process
    finally:
        process.stop()


def wait_until(process: Process, ready: Callable[[], bool], *, timeout: float = 60.0) -> None:
    """Return once `ready()` holds; raise `ProcessError` if `process` exits first, or after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process.popen.poll() is not None or time.monotonic() > deadline:
            raise ProcessError(f"{process.popen.args!r} did not start: {process.output}")
        time.sleep(0.05)


def wait_for_server(process: Process, path: str = "/health", *, timeout: float = 60.0) -> None:
    """Return once the server `process` answers `path` with 200 (see `wait_until`)."""
    wait_until(process, partial(answers, process.base_url + path), timeout=timeout)


def answers(url: str) -> bool:
    """Whether `url` answers 200 within a second."""
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def accepts(port: int) -> bool:
    """Whether something accepts connections on local `port`."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
    except OSError:
        return False
    return True


@contextmanager
def smtp_sink(folder: Path) -> Iterator[int]:
    """A local SMTP server that accepts and drops every message (aiosmtpd's Sink), in a process
    of its own so that it shares no interpreter with the load; yields its port."""
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    sink = start([*command, "-l", f"127.0.0.1:{port}"], log=folder / "smtp.log")
    with running(sink):
        wait_until(sink, partial(accepts, port))
        yield port


@contextmanager
def s3_server(folder: Path) -> Iterator[str]:
    """An S3-compatible server on loopback (moto's, in a process of its own), holding nothing
    until told; yields its address."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1"]
    server = start([*command, "-p", str(port)], log=folder / "s3.log")
    with running(server):
        wait_until(server, partial(accepts, port))
        yield f"http://127.0.0.1:{port}"
