"""`awards serve --workers N`: several server processes on one port (issue #18, README), on
SQLite as on PostgreSQL. A surge through them loses nothing, and SIGTERM stops them all."""

from __future__ import annotations

from pathlib import Path

import httpx

from harness.processes import wait_for_server
from reliability.conftest import Launcher, Stage, assert_kept, candidacies, surge

CLIENTS = 16


def server_processes(pid: int) -> list[int]:
    """The processes uvicorn started under `pid` to serve (multiprocessing's spawned ones)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def running(pids: list[int]) -> list[int]:
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]


async def test_two_processes_on_one_port_keep_every_candidacy_and_stop_together(
    stage: Stage, launch: Launcher
) -> None:
    server = launch.spawn("serve", "--workers", "2")
    wait_for_server(server)
    processes = server_processes(server.popen.pid)
    assert len(processes) == 2

    wanted = candidacies(stage, CLIENTS)
    async with httpx.AsyncClient(timeout=30) as http:
        await surge(http, [server.base_url], stage.call_id, wanted)
        assert [mine.failure for mine in wanted] == [None] * CLIENTS
        await assert_kept(http, server.base_url, wanted)

    assert server.terminate() == 0
    assert running(processes) == []
