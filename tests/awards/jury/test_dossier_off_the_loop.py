"""The anonymised dossier is redacted off the event loop: while the longest one is built, the
process answers everyone else (counted, not timed).

The requests go through `httpx.ASGITransport` to an app started on this test's loop: the
test client sends each on its own thread, one at a time, and so could not ask for `/health`
meanwhile.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from awards.app import create_app
from awards.jury.anonymise import anonymised_answers
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, candidacies_in_review

HEALTH_CHECKS = 3


async def test_health_answers_while_a_dossier_is_redacted(
    settings: Settings,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=["juror@jury.test"], president=None, actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    started, released, answered, seen = threading.Event(), threading.Event(), [0], []

    def held(*args: Any, **kwargs: Any) -> Any:
        """The redaction, held until /health has answered (or 10 s, if it cannot)."""
        started.set()
        released.wait(timeout=10)
        seen.append(answered[0])
        return anonymised_answers(*args, **kwargs)

    app = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's narrower ASGI types
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="https://awards.test") as http,
    ):
        [first, *_] = (await http.get("/api/v1/jury/assignments", headers=tokens.juror)).json()
        # Held from here: the list above redacts its titles too, and is not what is measured.
        monkeypatch.setattr("awards.jury.dossier.anonymised_answers", held)
        opening = asyncio.create_task(
            http.get(f"/api/v1/jury/assignments/{first['id']}", headers=tokens.juror)
        )
        assert await asyncio.to_thread(started.wait, 10)
        while answered[0] < HEALTH_CHECKS and not opening.done():
            answered[0] += (await http.get("/health")).status_code == 200
        released.set()
        opened = await opening

    assert opened.status_code == 200, opened.text
    assert seen == [HEALTH_CHECKS]
