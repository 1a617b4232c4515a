"""Fixtures: a migrated database per test (SQLite always, PostgreSQL when
AWARDS_TEST_DATABASE_URL is set), settings, a movable clock, and the running app."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from awards.app import create_app
from awards.auth.actor import Actor
from awards.calls.service import CallService, NewCall
from awards.db.migrate import upgrade
from awards.runtime import Runtime, build_runtime
from awards.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("AWARDS_TEST_DATABASE_URL", "")
DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="AWARDS_TEST_DATABASE_URL is not set"),
    ),
]


class MovableClock:
    """A clock the test moves; the app and the test read the same instant."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "awards.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """The run's PostgreSQL database, migrated once; each test gets a database cloned from it."""
    upgrade(POSTGRES_URL)
    return make_url(POSTGRES_URL).database or ""


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "awards.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"{template}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_postgres(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _postgres(statement: str) -> None:
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    base = load_settings({}, defaults_file=ROOT / "config" / "settings.toml")
    return replace(
        base,
        database_url=database_url,
        data_dir=tmp_path / "data",
        config_dir=ROOT / "config",
        base_url="https://awards.test",
    )


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2025, 9, 1, 10, 0, tzinfo=UTC))


@pytest.fixture
async def runtime(settings: Settings, clock: MovableClock) -> AsyncIterator[Runtime]:
    """The services on the test's own event loop, to arrange and inspect the database."""
    runtime = build_runtime(settings, clock=clock, pooled=False)
    yield runtime
    await runtime.close()


@pytest.fixture
async def client(settings: Settings, clock: MovableClock) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Tokens:
    """Bearer headers of one user per role the tests try, and those users as actors."""

    secretariat: dict[str, str]
    owner: dict[str, str]
    other_applicant: dict[str, str]
    juror: dict[str, str]
    anonymous: dict[str, str]
    actors: dict[str, Actor]


@pytest.fixture
async def tokens(runtime: Runtime, clock: MovableClock) -> Tokens:
    """Two member cities, an applicant of each, a juror and the Secretariat, with tokens."""
    from awards.auth.tokens import issue_token
    from awards.auth.users import add_user
    from awards.members.register import Member, upsert_members

    await upsert_members(
        runtime.db,
        [
            Member("Barcelona", "ES", "Europe", "IAEC", 1994, fees_up_to_date=True),
            Member("Lisboa", "PT", "Europe", "IAEC", 1994, fees_up_to_date=True),
        ],
    )
    people = {
        "secretariat": ("staff@edcities.test", "secretariat", None, "en"),
        "owner": ("mayor@barcelona.test", "applicant", "barcelona", "es"),
        "other_applicant": ("mayor@lisboa.test", "applicant", "lisboa", "pt"),
        "juror": ("juror@jury.test", "juror", None, "fr"),
    }
    headers = {}
    actors = {}
    for who, (email, role, organisation, locale) in people.items():
        user = await add_user(
            runtime.db, email, role=role, organisation=organisation, locale=locale, now=clock()
        )
        actors[who] = Actor.of(user)
        token = await issue_token(runtime.db, email, now=clock())
        headers[who] = {"Authorization": f"Bearer {token}"}
    return Tokens(anonymous={}, actors=actors, **headers)


@pytest.fixture
async def open_award(runtime: Runtime, tokens: Tokens, clock: MovableClock) -> int:
    """The id of an open Educating Cities Award call (closing in 30 days), made by the services."""
    calls = CallService(runtime)
    secretariat = tokens.actors["secretariat"]
    call = await calls.create(
        NewCall(
            kind="educating-cities-award",
            edition="2026",
            title=AWARD_TITLE,
            opens_at=clock(),
            closes_at=clock() + timedelta(days=30),
            timezone="Europe/Madrid",
            languages=["en", "fr", "es", "pt"],
        ),
        actor=secretariat,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=secretariat)
    return call.id


AWARD_TITLE = {
    "en": "Educating Cities Award 2026",
    "fr": "Prix Villes éducatrices 2026",
    "es": "Premio Ciudades Educadoras 2026",
    "pt": "Prémio Cidades Educadoras 2026",
}


def award_call(clock: MovableClock, **overrides: object) -> dict[str, object]:
    """A new-call body for the award, open from now for 30 days, closing in Barcelona time."""
    body: dict[str, object] = {
        "kind": "educating-cities-award",
        "edition": "2026",
        "title": AWARD_TITLE,
        "opens_at": clock().isoformat(),
        "closes_at": (clock() + timedelta(days=30)).isoformat(),
        "timezone": "Europe/Madrid",
        "languages": ["en", "fr", "es", "pt"],
    }
    body.update(overrides)
    return body


def complete_answers() -> dict[str, object]:
    """Answers that fill every required field of the award form, in every language."""

    def each(text: str) -> dict[str, str]:
        return {language: f"{text} ({language})" for language in ("en", "fr", "es", "pt")}

    return {
        "title": each("Schools open to the neighbourhood"),
        "summary": each("Schoolyards open after hours as public squares"),
        "focus_area": "cultural_community_life",
        "started_on": "2022-09-01",
        "description": each("The city opens 40 schoolyards on weekends"),
        "impact": each("12,000 visits a month"),
        "contact_name": "Ada Serra",
        "contact_email": "ada.serra@barcelona.test",
    }
