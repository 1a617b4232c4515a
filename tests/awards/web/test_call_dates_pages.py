"""An open call's dates moved from its page: a later deadline (or another date still to
come), never a date that has passed; a confirmation saying whom it affects; the change
audited and the organisations with a draft told by mail, each in their language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pages import Browser, section, signed_in, text
from sqlalchemy import select
from sqlmodel import col

from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.db.tables import AuditEntry, OutboxMessage
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, draft

LATER = "2025-10-15T18:00"
"""A fortnight after the award's deadline (2025-10-01 12:00 Europe/Madrid)."""


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["secretariat"])


async def test_a_later_deadline_is_confirmed_with_the_drafts_it_gives_time_then_mailed_to_them(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    barcelona, lisboa = tokens.actors["owner"], tokens.actors["other_applicant"]
    await draft(runtime, open_award, barcelona)
    await draft(runtime, open_award, lisboa)
    await draft(runtime, open_award, lisboa)
    submitted = await draft(runtime, open_award, barcelona)
    await SubmissionService(runtime).fire(submitted, "submit", actor=barcelona)
    path = f"/secretariat/calls/{open_award}/dates"
    assert (
        f'href="{path}">Move the dates</a>'
        in (await staff.get(f"/secretariat/calls/{open_award}")).text
    )

    version = str((await CallService(runtime).get(open_award, actor=barcelona)).version)
    form = await staff.get(path)
    confirm = await staff.get(f"{path}/confirm", params={"closes_at": LATER, "version": version})

    assert 'name="opens_at"' not in form.text  # it has passed: shown, not offered
    assert "Opens on September 1, 2025, 12:00 (Europe/Madrid) (passed: it no longer moves)" in text(
        form.text
    )
    assert 'name="closes_at" type="datetime-local" value="2025-10-01T12:00"' in form.text
    assert section(confirm.text, "consequence") == (
        "Closes on: October 1, 2025, 12:00 (Europe/Madrid) becomes October 15, 2025, 18:00 "
        "(Europe/Madrid). 2 organisations with a draft will have until October 15, 2025, 18:00 "
        "(Europe/Madrid) to submit it; they are told by e-mail, each in their language. "
        "The change is recorded in the call's history."
    )
    assert str((await CallService(runtime).get(open_award, actor=barcelona)).version) == version

    moved = await staff.post(path, {"closes_at": LATER, "version": version})

    assert "The dates are moved." in text(moved.text)
    call = await CallService(runtime).get(open_award, actor=barcelona)
    assert call.closes_at.astimezone(UTC) == datetime(2025, 10, 15, 16, 0, tzinfo=UTC)
    async with runtime.db.read() as session:
        audit = await session.scalar(
            select(AuditEntry).where(col(AuditEntry.transition) == "move_dates")
        )
        mails = (
            await session.execute(
                select(col(OutboxMessage.recipient), col(OutboxMessage.subject))
                .where(col(OutboxMessage.subject).contains("2025-10-15"))
                .order_by(col(OutboxMessage.recipient))
            )
        ).all()
    assert audit is not None and audit.actor_id == tokens.actors["secretariat"].id
    assert audit.reason == (
        "closes_at 2025-10-01 12:00 Europe/Madrid -> 2025-10-15 18:00 Europe/Madrid"
    )
    assert [tuple(m) for m in mails] == [
        (
            "mayor@barcelona.test",
            "Nuevo plazo para Premio Ciudades Educadoras 2026: 2025-10-15 18:00 Europe/Madrid",
        ),
        (
            "mayor@lisboa.test",
            "Novo prazo para Prémio Cidades Educadoras 2026: 2025-10-15 18:00 Europe/Madrid",
        ),
    ]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            {"opens_at": "2025-09-20T09:00"},
            "Abre el: esta fecha ya pasó y no se puede cambiar.",
        ),
        ({"closes_at": "2025-08-31T18:00"}, "Cierra el: elija una fecha y hora futuras."),
        (
            {"closes_at": "2025-10-01T12:00"},
            "Estas ya son las fechas de la convocatoria: cambie una de ellas.",
        ),
        ({"closes_at": "mañana"}, "Cierra el: escríbala como fecha y hora."),
    ],
)
async def test_a_refused_move_names_the_date_at_fault_in_the_readers_language_and_moves_nothing(
    client: Client,
    runtime: Runtime,
    tokens: Tokens,
    open_award: int,
    typed: dict[str, str],
    said: str,
) -> None:
    spanish = await add_user(
        runtime.db, "secretaria@edcities.test", role="secretariat", locale="es", now=runtime.clock()
    )
    staff = await signed_in(client, runtime, Actor.of(spanish))
    path = f"/secretariat/calls/{open_award}/dates"
    before = await CallService(runtime).get(open_award, actor=tokens.actors["secretariat"])
    version = str(before.version)

    shown = await staff.get(f"{path}/confirm", params=typed | {"version": version})
    posted = await staff.post(path, typed | {"version": version})

    for refused in (shown, posted):
        assert refused.status_code == 422
        assert section(refused.text, "problem") == said
    call = await CallService(runtime).get(open_award, actor=tokens.actors["secretariat"])
    assert (call.version, call.closes_at) == (before.version, before.closes_at)


async def test_a_stale_form_or_a_closed_call_moves_nothing(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    path = f"/secretariat/calls/{open_award}/dates"
    calls, actor = CallService(runtime), tokens.actors["secretariat"]
    read = str((await calls.get(open_award, actor=actor)).version)
    await staff.post(path, {"closes_at": LATER, "version": read})

    stale = await staff.post(path, {"closes_at": "2025-10-20T18:00", "version": read})
    await calls.fire(open_award, "close", actor=actor)
    now = str((await calls.get(open_award, actor=actor)).version)
    closed = await staff.post(path, {"closes_at": "2025-10-20T18:00", "version": now})

    assert stale.status_code == 409
    assert section(stale.text, "problem") == (
        "The call changed meanwhile: reload the page and try again."
    )
    assert closed.status_code == 409
    assert section(closed.text, "problem") == "Only an open call's dates move here."
    assert 'name="closes_at"' not in (await staff.get(path)).text  # no form to move them
