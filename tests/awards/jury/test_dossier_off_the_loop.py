"""The anonymised dossier is redacted, and its PDFs rebuilt, off the event loop: while the
longest one is built, the process answers everyone else (counted, not timed).

The requests go through `httpx.ASGITransport` to an app started on this test's loop: the
test client sends each on its own thread, one at a time, and so could not ask for `/health`
meanwhile.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest

from awards.app import create_app
from awards.jury.anonymise import anonymised_answers
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.jury.pdf_metadata import strip_pdf_metadata
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, candidacies_in_review, long_pdf

HEALTH_CHECKS = 3


class Hold:
    """Holds a function that runs off the loop until `/health` has answered `HEALTH_CHECKS`
    times (or 10 s, if it cannot); `seen` says how many times it had, each time it ran."""

    def __init__(self) -> None:
        self.started, self.released = threading.Event(), threading.Event()
        self.answered = 0
        self.seen: list[int] = []

    def around(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            self.started.set()
            self.released.wait(timeout=10)
            self.seen.append(self.answered)
            return function(*args, **kwargs)

        return held

    async def meanwhile(
        self, http: httpx.AsyncClient, request: Coroutine[Any, Any, httpx.Response]
    ) -> httpx.Response:
        """`request`'s answer, with `/health` asked while the held function waits."""
        opening = asyncio.create_task(request)
        assert await asyncio.to_thread(self.started.wait, 10)
        while self.answered < HEALTH_CHECKS and not opening.done():
            self.answered += (await http.get("/health")).status_code == 200
        self.released.set()
        return await opening


async def jurors_round(runtime: Runtime, tokens: Tokens, call: int) -> None:
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, call, jurors=["juror@jury.test"], president=None, actor=staff)
    await assign_round(runtime, call, round_name=None, actor=staff)


async def test_health_answers_while_a_dossier_is_redacted(
    settings: Settings,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    await jurors_round(runtime, tokens, open_award)
    hold = Hold()

    app = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's narrower ASGI types
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="https://awards.test") as http,
    ):
        [first, *_] = (await http.get("/api/v1/jury/assignments", headers=tokens.juror)).json()
        # Held from here: the list above redacts its titles too, and is not what is measured.
        monkeypatch.setattr(
            "awards.jury.dossier.anonymised_answers", hold.around(anonymised_answers)
        )
        opened = await hold.meanwhile(
            http, http.get(f"/api/v1/jury/assignments/{first['id']}", headers=tokens.juror)
        )

    assert opened.status_code == 200, opened.text
    assert hold.seen == [HEALTH_CHECKS]


async def test_health_answers_while_a_long_pdf_is_rebuilt(
    settings: Settings,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0, annex=long_pdf(300))
    await jurors_round(runtime, tokens, open_award)
    hold = Hold()
    monkeypatch.setattr(
        "awards.jury.clean_copies.strip_pdf_metadata", hold.around(strip_pdf_metadata)
    )

    app = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's narrower ASGI types
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="https://awards.test") as http,
    ):
        [first, *_] = (await http.get("/api/v1/jury/assignments", headers=tokens.juror)).json()
        path = f"/api/v1/jury/assignments/{first['id']}"
        dossier = (await http.get(path, headers=tokens.juror)).json()
        annex = dossier["answers"]["annex"]["document"]
        downloaded = await hold.meanwhile(
            http, http.get(f"{path}/documents/{annex}", headers=tokens.juror)
        )

    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.content.startswith(b"%PDF-")
    assert hold.seen == [HEALTH_CHECKS]
