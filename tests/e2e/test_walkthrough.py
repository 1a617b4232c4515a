"""The README's walkthrough, run as a newcomer runs it: `docs/walkthrough.sh` (POSIX sh, curl,
python3) against the demo as `make run` starts it (`awards migrate`, `awards demo`, `awards
serve` on a fresh SQLite database, mail kept in the mailbox: no mail server), with the tokens
`awards demo` printed. The README quotes the script whole, so the two cannot drift apart."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from harness.processes import AWARDS, environment, free_port, running, start_server, wait_for_server

SCRIPT = ROOT / "docs" / "walkthrough.sh"
TOKEN = re.compile(r"(Secretariat|Applicant \([^)]+\)) token: +(awd_[\w-]+)")
DONE = re.compile(
    r"walkthrough: submission (\d+) of call \d+ is a laureate, published in the databank"
)


def test_the_readme_quotes_the_walkthrough_script_whole() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert f"```sh\n{SCRIPT.read_text(encoding='utf-8')}```\n" in readme


def read(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.skipif(
    shutil.which("curl") is None and os.environ.get("CI") != "true", reason="needs curl"
)
def test_the_walkthrough_runs_on_a_fresh_demo_without_a_mail_server(tmp_path: Path) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'awards.db'}"
    variables = {
        "AWARDS_DATA_DIR": str(tmp_path / "data"),
        "AWARDS_MAILBOX_DIR": str(tmp_path / "mailbox"),
        "AWARDS_MAIL_TRANSPORT": "mailbox",
        "AWARDS_BASE_URL": base_url,
        "AWARDS_SMTP_PORT": str(free_port()),  # nothing listens there
    }

    def awards(*args: str) -> str:
        done = subprocess.run(
            [*AWARDS, *args],
            cwd=ROOT,
            env=environment({"AWARDS_DATABASE_URL": database_url, **variables}),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    migrated = awards("migrate")
    tokens = dict(TOKEN.findall(awards("demo")))
    server = start_server(
        [*AWARDS, "serve"],
        log=tmp_path / "server.log",
        variables={"AWARDS_DATABASE_URL": database_url, **variables},
        port=port,
    )
    with running(server):
        wait_for_server(server)
        walk = subprocess.run(
            ["sh", str(SCRIPT), base_url],
            env={
                **os.environ,
                "S": tokens["Secretariat"],
                "A": tokens["Applicant (applicant@barcelona.demo.awards.local)"],
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        ready = read(f"{base_url}/ready")
        mail = barcelonas_mail(base_url, count=3)

    assert migrated.startswith("created the schema at revision ")
    assert walk.returncode == 0, walk.stderr
    done = DONE.fullmatch(walk.stderr.splitlines()[-1])
    assert done is not None, walk.stderr
    assert (ready[0], json.loads(ready[1])["checks"]) == (200, {"database": "ok", "mailbox": "ok"})
    award, candidacy = "Premio Ciudades Educadoras 2026", done.group(1)
    assert mail == [
        f"Resultado de {award} para la candidatura {candidacy}",
        f"Candidatura {candidacy} elegible: {award}",
        f"Candidatura {candidacy} recibida: {award}",
    ]


def barcelonas_mail(base_url: str, *, count: int) -> list[str]:
    """The subjects in Barcelona's mailbox once `count` have arrived (the worker delivers
    within a second or two), newest first."""
    deadline = time.monotonic() + 10
    while True:
        status, page = read(f"{base_url}/mailbox?to=applicant%40barcelona.demo.awards.local")
        subjects = re.findall(r"<h2>([^<]+)</h2>", page)
        if status != 200 or len(subjects) >= count or time.monotonic() > deadline:
            return subjects
        time.sleep(0.2)
