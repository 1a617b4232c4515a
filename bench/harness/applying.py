"""A candidacy as an applicant's client sends it over HTTP: a new draft with its answers, a
document uploaded to one of its file fields, then submit; what the service acknowledged of
each step (a 2xx answer) is noted on the candidacy."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import httpx

API = "/api/v1"

Timer = Callable[[str], AbstractContextManager[None]]
"""Wraps each step, by its name (`draft`, `upload`, `submit`): a benchmark times them."""


@dataclass
class Candidacy:
    """One client's candidacy and what the service acknowledged of it."""

    token: str
    answers: dict[str, object]
    document: bytes
    field: str
    """The file field `document` is uploaded to."""
    submission_id: int | None = None
    attachment_id: int | None = None
    submitted: bool = False
    failure: str | None = None
    """Why the client stopped early: a refused request or a lost connection."""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def untimed(step: str) -> AbstractContextManager[None]:
    return nullcontext()


async def send(
    http: httpx.AsyncClient,
    base_url: str,
    call_id: int,
    mine: Candidacy,
    *,
    submit: bool = True,
    timed: Timer = untimed,
) -> None:
    """Draft, upload, then submit unless told not to, noting each step acknowledged; the
    first failure is noted in `failure` and ends the candidacy there."""
    api = base_url + API
    try:
        with timed("draft"):
            created = await http.post(
                f"{api}/calls/{call_id}/submissions",
                json={"answers": mine.answers},
                headers=mine.headers,
            )
        if not created.is_success:
            mine.failure = refusal("draft", created)
            return
        mine.submission_id = created.json()["id"]
        with timed("upload"):
            uploaded = await http.post(
                f"{api}/submissions/{mine.submission_id}/attachments",
                data={"field": mine.field},
                files={"file": (f"{mine.field}.pdf", mine.document, "application/pdf")},
                headers=mine.headers,
            )
        if not uploaded.is_success:
            mine.failure = refusal("upload", uploaded)
            return
        mine.attachment_id = uploaded.json()["id"]
        if not submit:
            return
        with timed("submit"):
            fired = await http.post(
                f"{api}/submissions/{mine.submission_id}/transitions",
                json={"name": "submit"},
                headers=mine.headers,
            )
        if not fired.is_success or fired.json()["state"] != "submitted":
            mine.failure = refusal("submit", fired)
            return
        mine.submitted = True
    except httpx.TransportError as error:
        mine.failure = f"connection: {error!r}"


def refusal(step: str, response: httpx.Response) -> str:
    return f"{step}: {response.status_code} {response.text[:500]}"
