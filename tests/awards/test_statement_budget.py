"""The statements each request of the write path sends to the database, named one by one: a
change that adds one fails here, naming it. Counted, never timed.

A statement is named by its verb and the tables it reads or writes; transaction control
(`BEGIN`, `COMMIT`, `ROLLBACK`) is not counted, savepoints are.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review
from harness.seeding import complete_answers

_TABLES = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE)
_LOCK = re.compile(r"\bFOR (NO KEY )?UPDATE\b.*", re.IGNORECASE | re.DOTALL)
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")

PDF = b"%PDF-1.4\n%%EOF\n"
AUTHENTICATE = "SELECT users api_tokens"
AUDIT = ["SELECT calls", "SELECT audit_heads", "UPDATE audit_heads", "INSERT audit_entries"]
"""The call's lock, its chain's head read under it and moved on, the entry."""
BUDGET: dict[str, list[str]] = {
    "draft": [
        AUTHENTICATE,
        "SELECT calls",
        "SELECT organisations extensions",
        "INSERT submissions",
        *["SAVEPOINT", "UPDATE submissions", "RELEASE SAVEPOINT"],  # its pseudonym
        *AUDIT,
        "UPDATE api_tokens",  # the token's first use this minute, noted once answered
    ],
    "edit": [AUTHENTICATE, "SELECT submissions calls", "UPDATE submissions"],
    "upload": [
        AUTHENTICATE,
        "SELECT submissions calls",  # before the file is stored: may the caller upload?
        "SELECT submissions calls",  # in the transaction: the answers as they are now
        "INSERT attachments",
        "UPDATE submissions",
    ],
    "submit": [
        AUTHENTICATE,
        "SELECT submissions calls",
        "SELECT organisations extensions",
        "SELECT audit_entries",  # the submission's history
        "SELECT submissions",  # the peers the kind's rules read
        AUDIT[0],  # the call's lock, before the submission's
        "UPDATE submissions",
        *AUDIT[1:],
        *["SELECT submission_versions", "INSERT submission_versions"],
        *["SELECT users", "INSERT outbox"],  # the organisation's people are mailed
    ],
}
REVIEW = [
    AUTHENTICATE,
    "SELECT assignments calls",
    "SELECT jury_rounds",
    "SELECT reviews",
    "INSERT reviews",
]


def named(statement: str) -> str | None:
    """`SELECT submissions calls`, `UPDATE submissions`, `SAVEPOINT`; None for control."""
    words = statement.split()
    verb = words[0].upper()
    if verb in ("SAVEPOINT", "RELEASE") or words[:2] == ["ROLLBACK", "TO"]:
        return " ".join(words[:-1]) if verb != "SAVEPOINT" else verb
    if verb in _CONTROL:
        return None
    unlocked = _LOCK.sub("", statement)
    return " ".join([verb, *dict.fromkeys(table.lower() for table in _TABLES.findall(unlocked))])


@contextmanager
def statements(client: Client) -> Iterator[list[str]]:
    """The statements the app sends while the block runs, named."""
    sent: list[str] = []
    app_runtime: Runtime = client.app.state.runtime
    engine = app_runtime.db.engine.sync_engine

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        name = named(statement)
        if name is not None:
            sent.append(name)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def test_a_candidacy_s_requests_send_the_statements_of_their_budget(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    owner = tokens.owner
    sent: dict[str, list[str]] = {}

    with statements(client) as sent["draft"]:
        created = await client.post(
            f"/api/v1/calls/{open_award}/submissions",
            json={"answers": complete_answers()},
            headers=owner,
        )
    path = f"/api/v1/submissions/{created.json()['id']}"
    with statements(client) as sent["edit"]:
        edited = await client.patch(
            path, json={"answers": {"contact_name": "Ada"}, "version": 1}, headers=owner
        )
    with statements(client) as sent["upload"]:
        uploaded = await client.post(
            f"{path}/attachments",
            files={"file": ("letter.pdf", PDF, "application/pdf")},
            data={"field": "support_letter"},
            headers=owner,
        )
    with statements(client) as sent["submit"]:
        submitted = await client.post(f"{path}/transitions", json={"name": "submit"}, headers=owner)

    assert [created.status_code, edited.status_code, uploaded.status_code] == [201, 200, 201]
    assert submitted.json()["state"] == "submitted"
    for request, budget in BUDGET.items():
        assert sent[request] == budget, request


async def test_saving_a_review_sends_the_statements_of_its_budget(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    juror = await add_user(runtime.db, "ana@jury.test", role="juror", now=clock())
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=[juror.email], president=None, actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    headers = {"Authorization": f"Bearer {await issue_token(runtime.db, juror.email, now=clock())}"}
    assignment = (await client.get("/api/v1/jury/assignments", headers=headers)).json()[0]["id"]

    with statements(client) as sent:
        saved = await client.put(
            f"/api/v1/jury/assignments/{assignment}/review",
            json={"scores": {"impact": 6}, "comment": "promising"},
            headers=headers,
        )

    assert saved.status_code == 200, saved.text
    assert sent == REVIEW


@contextmanager
def thread_hops() -> Iterator[list[str]]:
    """What the running loop sends to its thread pool while the block runs, by name."""
    sent: list[str] = []
    hop = asyncio.BaseEventLoop.run_in_executor

    def counted(loop: asyncio.BaseEventLoop, executor: Any, work: Any, *arguments: Any) -> Any:
        sent.append(getattr(work, "__qualname__", repr(work)))
        return hop(loop, executor, work, *arguments)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(asyncio.BaseEventLoop, "run_in_executor", counted)
        yield sent


async def test_answering_a_request_sends_no_work_to_a_thread(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    # Litestar runs a sync guard or `before_send` hook in a thread: a hop for every guard,
    # and one for every message of every answer.
    owner = tokens.owner
    created = await client.post(
        f"/api/v1/calls/{open_award}/submissions",
        json={"answers": complete_answers()},
        headers=owner,
    )
    path = f"/api/v1/submissions/{created.json()['id']}"

    with thread_hops() as sent:
        edited = await client.patch(
            path, json={"answers": {"contact_name": "Ada"}, "version": 1}, headers=owner
        )
        page = await client.get(f"/my/submissions/{created.json()['id']}", headers=owner)

    assert [edited.status_code, page.status_code] == [200, 200]
    assert sent == []
