"""Running a benchmark script of `bench/` as CI does: in its quick mode, in its own process."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run_bench(script: str, *arguments: str) -> str:
    """The script's output; the test fails with that output and its errors when it fails."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
