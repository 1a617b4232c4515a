"""Bad input: each answer is a clear 4xx naming what is wrong, and nothing is written.

Every case counts the rows of the tables a request could write (calls, submissions,
attachments, audit, outbox, extensions, databank entries) and the stored files before and
after.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from awards.auth.sessions import SESSION_COOKIE, start_session
from awards.databank.practices import PracticeIn
from awards.databank.service import DatabankService
from awards.db.tables import (
    Attachment,
    AuditEntry,
    Call,
    DatabankEntry,
    Extension,
    OutboxMessage,
    Submission,
)
from awards.db.types import MAX_ROW_ID
from awards.http.body import MAX_JSON_DEPTH, REQUEST_BODY_LIMIT
from awards.settings import Settings
from awards.timers import fire_due_timers
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, award_call, draft
from reliability.roles import routes_of, small_pdf

WRITTEN: tuple[type[SQLModel], ...] = (
    Call,
    Submission,
    Attachment,
    AuditEntry,
    OutboxMessage,
    Extension,
    DatabankEntry,
)
MEGABYTE = 1024 * 1024


async def footprint(runtime: Runtime, settings: Settings) -> dict[str, int]:
    """Rows of every table a request could write, and files under the data directory."""
    async with runtime.db.read() as session:
        counts = {
            table.__name__: await session.scalar(select(func.count()).select_from(table)) or 0
            for table in WRITTEN
        }
    return counts | {"files": len(stored_files(settings.data_dir))}


@pytest.fixture
async def unchanged(runtime: Runtime, settings: Settings) -> AsyncIterator[None]:
    """Asserts, after the test, that it wrote nothing."""
    before = await footprint(runtime, settings)
    yield
    assert await footprint(runtime, settings) == before


@pytest.fixture
async def the_draft(runtime: Runtime, tokens: Tokens, open_award: int) -> int:
    return await draft(runtime, open_award, tokens.actors["owner"])


async def upload(
    client: Client, tokens: Tokens, submission: int, name: str, content: bytes, declared: str
) -> Any:
    return await client.post(
        f"/api/v1/submissions/{submission}/attachments",
        files={"file": (name, content, declared)},
        data={"field": "annex"},
        headers=tokens.owner,
    )


@pytest.mark.parametrize(
    ("name", "content", "declared", "rule", "code"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64),
            "application/pdf",
            "'report.pdf' is not a PDF, image or office document",
            "unrecognised",
        ),
        (
            "scan.png",
            small_pdf(),
            "image/png",
            "'scan.png' is a PDF document, not a .png file",
            "extension",
        ),
        (
            "annex.pdf",
            small_pdf() + bytes(10 * MEGABYTE),
            "application/pdf",
            "files of at most 10 MB are accepted",
            "too_large",
        ),
    ],
    ids=["exe-named-pdf", "pdf-declared-png", "oversized"],
)
async def test_a_refused_upload_is_422_naming_the_field_and_why_and_stores_nothing(
    client: Client,
    tokens: Tokens,
    the_draft: int,
    unchanged: None,
    name: str,
    content: bytes,
    declared: str,
    rule: str,
    code: str,
) -> None:
    response = await upload(client, tokens, the_draft, name, content, declared)

    assert response.status_code == 422, response.text
    assert response.json()["extra"] == {"field": "annex", "rule": rule, "code": code}


def multipart(name: bytes, content: bytes) -> tuple[bytes, dict[str, str]]:
    """An upload of `content` as the annex, its file name sent byte for byte (a client
    library would escape a NUL or a quote)."""
    boundary = b"awards-boundary"
    body = b"".join(
        (
            b"--" + boundary + b'\r\nContent-Disposition: form-data; name="field"\r\n\r\nannex\r\n',
            b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="',
            name + b'"\r\nContent-Type: application/pdf\r\n\r\n' + content + b"\r\n",
            b"--" + boundary + b"--\r\n",
        )
    )
    return body, {"content-type": f"multipart/form-data; boundary={boundary.decode()}"}


def stored_files(root: Path) -> set[Path]:
    """Files under `root` (the test's directory), but the database's own."""
    return {p for p in root.rglob("*") if p.is_file() and not p.name.startswith("awards.db")}


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        (b"../../etc/passwd", "passwd.pdf"),
        (b"/etc/cron.d/evil.pdf", "evil.pdf"),
        (b"..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        (b"nul\x00byte.pdf", "nulbyte.pdf"),
        (b"x" * 1000 + b".pdf", "x" * 116 + ".pdf"),
    ],
    ids=["dot-dot", "absolute", "backslashes", "nul", "long"],
)
async def test_a_path_in_a_file_name_is_dropped_and_nothing_lands_outside_the_store(
    client: Client, tokens: Tokens, settings: Settings, the_draft: int, name: bytes, kept: str
) -> None:
    before = stored_files(settings.data_dir.parent)
    body, headers = multipart(name, small_pdf())

    response = await client.post(
        f"/api/v1/submissions/{the_draft}/attachments",
        content=body,
        headers={**tokens.owner, **headers},
    )

    assert response.status_code == 201, response.text
    assert response.json()["filename"] == kept
    new = stored_files(settings.data_dir.parent) - before
    assert [path.relative_to(settings.data_dir).parts[0] for path in new] == ["blobs"]


async def test_a_file_name_too_long_to_be_a_header_is_refused_and_nothing_is_stored(
    client: Client, tokens: Tokens, the_draft: int, unchanged: None
) -> None:
    body, headers = multipart(b"x" * 5000 + b".pdf", small_pdf())

    response = await client.post(
        f"/api/v1/submissions/{the_draft}/attachments",
        content=body,
        headers={**tokens.owner, **headers},
    )

    assert response.status_code == 400, response.text


CRLF = "\r\nBcc: everyone@example.test"
TITLE = {"en": "Award", "fr": "Prix", "es": "Premio", "pt": "Prémio"}


@pytest.mark.parametrize(
    ("change", "field", "detail"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "unknown time zone 'Mars/Olympus_Mons'"),
        (
            {"timezone": f"Europe/Madrid{CRLF}"},
            "timezone",
            f"unknown time zone 'Europe/Madrid{CRLF}'",
        ),
        (
            {"opens_at": "0001-01-01T00:00:00+14:00"},
            "opens_at",
            "opens_at 0001-01-01T00:00:00+14:00 is out of range",
        ),
        (
            {"closes_at": "9999-12-31T23:59:59-14:00"},
            "closes_at",
            "closes_at 9999-12-31T23:59:59-14:00 is out of range",
        ),
        (
            {"closes_at": "2026-12-01T00:00:00"},
            "closes_at",
            "closes_at needs a time zone offset",
        ),
        (
            {"title": {**TITLE, "en": f"Award 2026{CRLF}"}},
            "title",
            "title must be one line without control characters (en)",
        ),
        (
            {"edition": f"2026{CRLF}"},
            "edition",
            "edition must be one line without control characters (edition)",
        ),
    ],
    ids=[
        "unknown-zone",
        "crlf-zone",
        "before-year-1",
        "after-year-9999",
        "naive-closing",
        "crlf-title",
        "crlf-edition",
    ],
)
async def test_a_call_with_an_impossible_value_is_422_naming_the_field(
    client: Client,
    tokens: Tokens,
    clock: MovableClock,
    unchanged: None,
    change: dict[str, object],
    field: str,
    detail: str,
) -> None:
    """Out-of-range instants failed with a 500 and a title with CRLF was taken: both fixed."""
    response = await client.post(
        "/api/v1/calls", json=award_call(clock, **change), headers=tokens.secretariat
    )

    assert response.status_code == 422, response.text
    assert (response.json()["detail"], response.json()["extra"]["field"]) == (detail, field)


async def test_a_day_that_does_not_exist_is_422_naming_the_field(
    client: Client, tokens: Tokens, clock: MovableClock, unchanged: None
) -> None:
    body = award_call(clock, closes_at="2026-02-30T12:00:00Z")

    response = await client.post("/api/v1/calls", json=body, headers=tokens.secretariat)

    assert response.status_code == 422, response.text
    assert response.json()["extra"] == [
        {"message": "Invalid RFC3339 encoded datetime", "key": "closes_at", "source": "body"}
    ]


async def test_an_address_with_a_line_break_is_refused_wherever_mail_may_go(
    client: Client, tokens: Tokens, the_draft: int, open_award: int, unchanged: None
) -> None:
    contact = await client.patch(
        f"/api/v1/submissions/{the_draft}",
        json={"answers": {"contact_email": f"ada@barcelona.test{CRLF}"}, "version": 1},
        headers=tokens.owner,
    )
    panel = await client.put(
        f"/api/v1/calls/{open_award}/panel",
        json={"jurors": [f"juror@jury.test{CRLF}"]},
        headers=tokens.secretariat,
    )

    assert (contact.status_code, contact.json()["extra"]["field"]) == (422, "contact_email")
    assert (panel.status_code, panel.json()["extra"]["field"]) == (422, "jurors")


async def test_a_json_body_past_the_limit_is_413_before_it_is_read(
    client: Client, tokens: Tokens, open_award: int, unchanged: None
) -> None:
    huge = b'{"answers": {"contact_name": "' + b"x" * (11 * MEGABYTE) + b'"}}'

    response = await client.post(
        f"/api/v1/calls/{open_award}/submissions",
        content=huge,
        headers={**tokens.owner, "content-type": "application/json"},
    )

    assert response.status_code == 413, response.text


async def test_a_body_that_is_not_utf8_is_a_4xx_and_nothing_is_written(
    client: Client, tokens: Tokens, open_award: int, unchanged: None
) -> None:
    response = await client.post(
        f"/api/v1/calls/{open_award}/submissions",
        content=b'{"answers": {"contact_name": "Ada \xff\xfe Serra"}}',
        headers={**tokens.owner, "content-type": "application/json"},
    )

    # Refused whole, before any field is read: Litestar's 400, not a 422 naming a field.
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "Invalid UTF-8 encoded string"


BEYOND = (MAX_ROW_ID + 1, 2**63)
"""Past PostgreSQL's `integer`, and past SQLite's too: such ids went to the database (a 500)."""
INT_PARAMETER = re.compile(r"\{(\w+):int\}")


def let_through(path: str, tokens: Tokens) -> dict[str, str]:
    """Someone the route's guard lets through, so that what is refused is the id."""
    if path.startswith("/my"):
        return tokens.owner
    if path.startswith("/secretariat"):
        return tokens.secretariat
    if path.startswith("/api/") and path.endswith(("/vote/close", "/vote/tally")):
        return tokens.secretariat
    if path.startswith(("/jury", "/api/v1/jury")) or any(
        part in path for part in ("/vote", "/selection", "/candidacies", "/ranking/{pseudonym")
    ):
        return tokens.juror  # a body's members
    return tokens.secretariat


def with_id(path: str, name: str, value: int) -> str:
    """`path` with `value` as its `{name:int}` and 1 as any other id."""
    return INT_PARAMETER.sub(lambda found: str(value if found[1] == name else 1), path)


async def test_an_id_past_the_database_is_422_naming_it_in_the_api_and_404_on_a_page(
    client: Client, tokens: Tokens, unchanged: None
) -> None:
    """Every route of the app with an id in its path, each id in turn (the others 1)."""
    tried, wrong = set(), []
    for route in routes_of(client.app):
        method, path = route.split(" ")
        for name in INT_PARAMETER.findall(path):
            problem = {"message": f"Expected `int` <= {MAX_ROW_ID}", "key": name, "source": "path"}
            for too_big in BEYOND:
                url = with_id(path, name, too_big)
                response = await client.request(method, url, headers=let_through(path, tokens))
                if path.startswith("/api/"):
                    refused = response.status_code == 422 and problem in response.json()["extra"]
                else:
                    refused = response.status_code == 404 and "<html" in response.text
                if not refused:
                    wrong.append(f"{method} {url}: {response.status_code} {response.text[:200]!r}")
                tried.add(route)

    assert wrong == []
    assert {
        "GET /api/v1/databank/{entry_id:int}/documents/{number:int}",
        "POST /api/v1/databank/deliveries/{delivery_id:int}/resend",
        "GET /calls/{call_id:int}/results",
        "POST /secretariat/mail/{mail_id:int}/resend",
    } <= tried


async def test_a_databank_filter_past_the_database_is_422_naming_it(client: Client) -> None:
    year = await client.get(f"/api/v1/databank?year={MAX_ROW_ID + 1}")
    page = await client.get(f"/api/v1/databank?page={MAX_ROW_ID + 1}")

    assert (year.status_code, page.status_code) == (422, 422)
    assert year.json()["extra"] == [
        {"message": "Expected `int` <= 9999", "key": "year", "source": "query"}
    ]
    assert page.json()["extra"] == [
        {"message": f"Expected `int` <= {MAX_ROW_ID}", "key": "page", "source": "query"}
    ]


async def test_the_databank_page_ignores_a_year_it_cannot_use_and_has_no_page_past_the_last(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    practice = PracticeIn(
        title={"en": "Reading gardens"}, organisation="Lisboa", country="PT", year=2022
    )
    await DatabankService(runtime).add_practice(practice, actor=tokens.actors["secretariat"])

    huge_year = await client.get(f"/databank?year={MAX_ROW_ID + 1}")
    superscript_year = await client.get("/databank?year=²")
    past_the_last = await client.get(f"/databank?page={MAX_ROW_ID + 1}")

    assert [page.status_code for page in (huge_year, superscript_year)] == [200, 200]
    assert "Reading gardens" in huge_year.text
    assert "Reading gardens" in superscript_year.text
    assert past_the_last.status_code == 404


@pytest.mark.parametrize(
    ("until", "detail"),
    [
        ("2026-12-01T00:00:00", "until needs a time zone offset"),
        ("9999-12-31T23:59:59-14:00", "until 9999-12-31T23:59:59-14:00 is out of range"),
    ],
    ids=["no-offset", "after-year-9999"],
)
async def test_an_extension_until_an_instant_that_cannot_be_placed_is_422_naming_it(
    client: Client, tokens: Tokens, open_award: int, unchanged: None, until: str, detail: str
) -> None:
    """Both failed with a 500: a comparison with the deadline, then a conversion to UTC."""
    response = await client.post(
        f"/api/v1/calls/{open_award}/extensions",
        json={"organisation": "barcelona", "until": until, "reason": "The council meets late"},
        headers=tokens.secretariat,
    )

    assert response.status_code == 422, response.text
    assert (response.json()["detail"], response.json()["extra"]["field"]) == (detail, "until")


IN_BODIES: list[tuple[str, str, str, dict[str, object], str]] = [
    (
        "POST",
        "/api/v1/invitations",
        "secretariat",
        {"email": "new@jury.test", "role": "juror"},
        "call_id",
    ),
    ("POST", "/api/v1/revocations", "secretariat", {"email": "juror@jury.test"}, "call_id"),
    ("PATCH", "/api/v1/calls/1", "secretariat", {"settings": {}}, "version"),
    ("PATCH", "/api/v1/submissions/1", "owner", {"answers": {}}, "version"),
    ("PUT", "/api/v1/jury/assignments/1/review", "juror", {"scores": {}}, "version"),
    (
        "PUT",
        "/api/v1/databank/1",
        "secretariat",
        {"title": {"en": "Walking buses"}, "organisation": "Lille", "country": "FR", "year": 2026},
        "version",
    ),
]
"""Requests whose body names a row (its id or version), as someone who may send each."""


async def test_an_id_or_version_in_a_body_past_the_database_is_422_naming_it(
    client: Client, tokens: Tokens, unchanged: None
) -> None:
    """Each went to PostgreSQL, which refused it as an `integer` with a 500."""
    answers = {}
    for method, path, who, body, name in IN_BODIES:
        response = await client.request(
            method, path, json=body | {name: MAX_ROW_ID + 1}, headers=getattr(tokens, who)
        )
        answers[path] = (response.status_code, response.json()["extra"])

    assert answers == {
        path: (422, [{"message": f"Expected `int` <= {MAX_ROW_ID}", "key": name, "source": "body"}])
        for _, path, _, _, name in IN_BODIES
    }


KIRITIMATI = "Pacific/Kiritimati"
"""UTC+14: the last day of year 9999 in UTC is already year 10000 there."""


async def test_a_deadline_the_call_zone_cannot_show_is_422_naming_it(
    client: Client, tokens: Tokens, clock: MovableClock, unchanged: None
) -> None:
    """A UTC instant of 9999-12-31 was taken, then every page showing it answered 500."""
    body = award_call(clock, closes_at="9999-12-31T00:00:00Z", timezone=KIRITIMATI)

    response = await client.post("/api/v1/calls", json=body, headers=tokens.secretariat)

    assert response.status_code == 422, response.text
    assert response.json()["extra"]["field"] == "closes_at"


async def test_an_extension_the_call_zone_cannot_show_is_422_naming_it(
    client: Client, tokens: Tokens, open_award: int, unchanged: None
) -> None:
    response = await client.post(
        f"/api/v1/calls/{open_award}/extensions",
        json={"organisation": "barcelona", "until": "9999-12-31T23:00:00Z", "reason": "Late"},
        headers=tokens.secretariat,
    )

    assert response.status_code == 422, response.text
    assert response.json()["extra"]["field"] == "until"


async def test_pages_show_a_deadline_stored_past_what_its_zone_can_show(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    """Stored before such instants were refused: pages answer, not 500, until it is fixed."""
    async with runtime.db.write() as session:
        call = await session.get(Call, open_award)
        assert call is not None
        call.closes_at, call.timezone = datetime(9999, 12, 31, 23, 59, tzinfo=UTC), KIRITIMATI
        session.add(call)
        secretariat = tokens.actors["secretariat"].id
        assert secretariat is not None
        client.cookies.set(SESSION_COOKIE, await start_session(session, secretariat, now=clock()))
    answers = {
        path: (await client.get(path)).status_code
        for path in (
            "/",
            "/secretariat",
            "/api/v1/calls",
            f"/api/v1/calls/{open_award}",
            "/calls.ics",
        )
    }

    assert answers == dict.fromkeys(answers, 200)


async def test_a_deadline_stored_at_the_end_of_time_with_a_grace_period_is_no_500(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    """The deadline plus its grace period overflowed `datetime`: submitting and the timers
    answered 500 (OverflowError) until the database was edited by hand."""
    submission_id = await draft(runtime, open_award, tokens.actors["owner"])
    async with runtime.db.write() as session:
        call = await session.get(Call, open_award)
        assert call is not None
        call.closes_at = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
        call.settings = {**call.settings, "grace_minutes": 60}
        session.add(call)

    submitted = await client.post(
        f"/api/v1/submissions/{submission_id}/transitions",
        json={"name": "submit"},
        headers=tokens.owner,
    )
    fired = await fire_due_timers(runtime)

    assert (submitted.status_code, submitted.json()["state"]) == (200, "submitted")
    assert fired.closed == []


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH, 2_000, 100_000])
async def test_json_nested_past_a_depth_is_400_and_nothing_is_written(
    client: Client, tokens: Tokens, open_award: int, unchanged: None, depth: int
) -> None:
    """msgspec ran out of recursion decoding it: a 500."""
    nested = b"[" * depth + b"]" * depth

    response = await client.post(
        f"/api/v1/calls/{open_award}/submissions",
        content=b'{"answers": {"summary": ' + nested + b"}}",
        headers={**tokens.owner, "content-type": "application/json"},
    )

    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "JSON nested too deep"


async def test_a_body_past_the_request_limit_is_413(
    client: Client, tokens: Tokens, the_draft: int, unchanged: None
) -> None:
    """Ten fields of a megabyte each went in, one request after the other: 16 MB in all."""
    words = "word " * (REQUEST_BODY_LIMIT // 5)

    response = await client.patch(
        f"/api/v1/submissions/{the_draft}",
        json={"answers": {"description": words}, "version": 1},
        headers=tokens.owner,
    )

    assert response.status_code == 413, response.text
