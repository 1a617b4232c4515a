"""Audit trail tamper evidence: each call's audit rows form a hash chain that `awards audit
verify` recomputes, naming the first row edited, deleted, moved or slipped in, and a chain that
does not end at its call's head."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import pytest
from alembic import command
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.audit.chain import entry_hash
from awards.audit.verify import Break, Verification, verify_chains
from awards.db.migrate import alembic_config, upgrade
from awards.db.tables import AuditEntry, AuditHead, SubmissionVersion
from awards.privacy.erasure import erase_person
from awards.submissions.service import SubmissionService
from awards.transitions.actor import SYSTEM
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, draft
from harness.processes import run_awards
from harness.seeding import applicant, city

WITHDRAWAL = "Ada Serra's team merged it into the other candidacy"


async def chain_of(runtime: Runtime) -> list[tuple[int, int, str]]:
    """(id, seq, hash) of every audit row, in the order they were written."""
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(col(AuditEntry.id), col(AuditEntry.seq), col(AuditEntry.chain_hash)).order_by(
                col(AuditEntry.id)
            )
        )
        links = []
        for row_id, seq, chain_hash in rows:
            assert row_id is not None and seq is not None and chain_hash is not None
            links.append((row_id, seq, chain_hash))
        return links


async def heads_of(runtime: Runtime) -> list[tuple[int, int, str]]:
    """(call id, seq, hash) of every chain's head."""
    async with runtime.db.read() as session:
        heads = await session.scalars(select(AuditHead).order_by(col(AuditHead.call_id)))
        return [(head.call_id, head.seq, head.chain_hash) for head in heads]


@pytest.fixture
async def trail(runtime: Runtime, tokens: Tokens, open_award: int) -> list[int]:
    """The award's audit row ids in order: #1 create call, #2 open, #3 create a draft,
    #4 withdraw it with a reason, #5 create another, #6 submit it."""
    owner, service = tokens.actors["owner"], SubmissionService(runtime)
    first = await draft(runtime, open_award, owner)
    await service.fire(first, "withdraw", actor=owner, reason=WITHDRAWAL)
    second = await draft(runtime, open_award, owner)
    await service.fire(second, "submit", actor=owner)
    return [row_id for row_id, _, _ in await chain_of(runtime)]


async def test_a_lifecycle_makes_one_valid_chain_that_survives_erasing_its_people(
    runtime: Runtime, tokens: Tokens, open_award: int, trail: list[int]
) -> None:
    await erase_person(runtime, "mayor@barcelona.test", actor=SYSTEM)
    await erase_person(runtime, "staff@edcities.test", actor=SYSTEM)

    verification = await verify_chains(runtime.db)

    assert verification == Verification(rows=6, calls=1, breaks=[])
    links = await chain_of(runtime)
    assert [seq for _, seq, _ in links] == [1, 2, 3, 4, 5, 6]
    assert len({chain_hash for _, _, chain_hash in links}) == 6


def edit_reason(ids: list[int]) -> str:
    return f"UPDATE audit_entries SET reason = 'withdrawn by mistake' WHERE id = {ids[3]}"


def delete_row(ids: list[int]) -> str:
    return f"DELETE FROM audit_entries WHERE id = {ids[2]}"


def swap_rows(ids: list[int]) -> str:
    return (
        f"UPDATE audit_entries SET seq = -seq WHERE id IN ({ids[4]}, {ids[5]});"
        f"UPDATE audit_entries SET seq = CASE id WHEN {ids[4]} THEN 6 ELSE 5 END"
        f" WHERE id IN ({ids[4]}, {ids[5]})"
    )


def forge_row(ids: list[int]) -> str:
    return (
        "INSERT INTO audit_entries (call_id, actor_id, at, transition, from_state, to_state,"
        " seq, chain_hash) SELECT call_id, actor_id, at, 'close', 'open', 'closed', 7,"
        f" '{'f' * 64}' FROM audit_entries WHERE id = {ids[1]}"
    )


FORGED = -1
"""Stands for the id of the row `forge_row` inserts."""


MISMATCH = "does not match its hash: edited, moved, or inserted out of chain"


@pytest.mark.parametrize(
    ("tamper", "named", "problem"),
    [
        pytest.param(edit_reason, 3, f"(#4) {MISMATCH}", id="edited-reason"),
        pytest.param(
            delete_row, 3, "(#4): row #3 was deleted between audit rows {1} and {3}", id="deleted"
        ),
        pytest.param(swap_rows, 5, f"(#5) {MISMATCH}", id="swapped"),
        pytest.param(forge_row, FORGED, f"(#7) {MISMATCH}", id="forged"),
    ],
)
async def test_tampering_with_the_trail_by_sql_names_the_first_row_out_of_chain(
    runtime: Runtime,
    open_award: int,
    trail: list[int],
    tamper: Callable[[list[int]], str],
    named: int,
    problem: str,
) -> None:
    async with runtime.db.write() as session:
        for statement in tamper(trail).split(";"):
            await session.execute(text(statement))
    row_id = max(trail) + 1 if named == FORGED else trail[named]

    verification = await verify_chains(runtime.db)

    rows_left: dict[Callable[[list[int]], str], int] = {delete_row: 5, forge_row: 7}
    rows = rows_left.get(tamper, 6)
    assert verification == Verification(
        rows=rows, calls=1, breaks=[Break(open_award, row_id, problem.format(*trail))]
    )


async def cut(session: AsyncSession, ids: Sequence[int]) -> None:
    """Delete audit rows as a tamperer would: with the versions they recorded."""
    await session.execute(delete(SubmissionVersion).where(col(SubmissionVersion.audit_id).in_(ids)))
    await session.execute(delete(AuditEntry).where(col(AuditEntry.id).in_(ids)))


@pytest.mark.parametrize(
    ("kept", "problem"),
    [
        pytest.param(5, "rows after seq 5 are missing (head says 6)", id="last-row"),
        pytest.param(4, "rows after seq 4 are missing (head says 6)", id="last-two-rows"),
        pytest.param(0, "all rows are missing (head says 6)", id="every-row"),
    ],
)
async def test_deleting_the_end_of_a_chain_is_named_against_its_head(
    runtime: Runtime, open_award: int, trail: list[int], kept: int, problem: str
) -> None:
    async with runtime.db.write() as session:
        await cut(session, trail[kept:])

    verification = await verify_chains(runtime.db)

    assert verification == Verification(
        rows=kept, calls=1, breaks=[Break(open_award, None, problem)]
    )
    assert [str(broken) for broken in verification.breaks] == [f"call {open_award}: {problem}"]


async def last_two(session: AsyncSession, trail: list[int]) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry).where(col(AuditEntry.id).in_(trail[4:])).order_by(col(AuditEntry.id))
    )
    return list(rows)


async def rewrite_last_row(session: AsyncSession, trail: list[int]) -> None:
    """Edit the last row and give it the hash the edit calls for, leaving the head."""
    before, last = await last_two(session, trail)
    last.reason = "rewritten"
    last.chain_hash = entry_hash(last, seq=6, previous=before.chain_hash or "")


async def append_row(session: AsyncSession, trail: list[int]) -> None:
    """Add a seventh row, rightly linked to the sixth, leaving the head."""
    _, last = await last_two(session, trail)
    row = AuditEntry(
        call_id=last.call_id, at=last.at, transition="close", from_state="open", to_state="closed"
    )
    row.seq, row.chain_hash = 7, entry_hash(row, seq=7, previous=last.chain_hash or "")
    session.add(row)


async def delete_head(session: AsyncSession, _trail: list[int]) -> None:
    await session.execute(delete(AuditHead))


@pytest.mark.parametrize(
    ("tamper", "rows", "problem"),
    [
        pytest.param(
            rewrite_last_row,
            6,
            "rows up to seq 6 were rewritten: the last hash is not the head's",
            id="rewritten",
        ),
        pytest.param(
            append_row, 7, "rows from seq 7 were added past its head (head says 6)", id="appended"
        ),
        pytest.param(
            delete_head, 6, "rows up to seq 6 have no head: it was deleted", id="headless"
        ),
    ],
)
async def test_a_chain_relinked_without_its_head_is_named(
    runtime: Runtime,
    open_award: int,
    trail: list[int],
    tamper: Callable[[AsyncSession, list[int]], Awaitable[None]],
    rows: int,
    problem: str,
) -> None:
    async with runtime.db.write() as session:
        await tamper(session, trail)

    verification = await verify_chains(runtime.db)

    assert verification == Verification(
        rows=rows, calls=1, breaks=[Break(open_award, None, problem)]
    )


async def test_a_change_after_a_cut_links_to_the_head_so_the_cut_stays_named(
    runtime: Runtime, clock: MovableClock, open_award: int, trail: list[int]
) -> None:
    async with runtime.db.write() as session:
        await cut(session, [trail[5]])
    await draft(runtime, open_award, await applicant(runtime, clock, city("Girona")))
    new_row = (await chain_of(runtime))[-1][0]

    verification = await verify_chains(runtime.db)

    problem = f"(#7): row #6 was deleted between audit rows {trail[4]} and {new_row}"
    assert verification == Verification(
        rows=6, calls=1, breaks=[Break(open_award, new_row, problem)]
    )


async def test_concurrent_drafts_and_submissions_in_one_call_still_make_one_chain(
    runtime: Runtime, clock: MovableClock, open_award: int
) -> None:
    owners = [await applicant(runtime, clock, city(f"City {number}")) for number in range(8)]
    drafts = await asyncio.gather(*(draft(runtime, open_award, owner) for owner in owners))
    service = SubmissionService(runtime)

    await asyncio.gather(
        *(service.fire(d, "submit", actor=owner) for d, owner in zip(drafts, owners, strict=True))
    )

    verification = await verify_chains(runtime.db)

    assert verification == Verification(rows=18, calls=1, breaks=[])
    links = await chain_of(runtime)
    assert [seq for _, seq, _ in links] == list(range(1, 19))
    assert await heads_of(runtime) == [(open_award, 18, links[-1][2])]


async def test_the_migration_links_existing_rows_and_heads_exactly_as_the_service_does(
    runtime: Runtime, database_url: str, open_award: int, trail: list[int]
) -> None:
    written, heads = await chain_of(runtime), await heads_of(runtime)

    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "0010")
    await asyncio.to_thread(upgrade, database_url)

    assert await chain_of(runtime) == written
    assert await heads_of(runtime) == heads == [(open_award, 6, written[-1][2])]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_awards_audit_verify_reports_an_intact_trail_then_exits_2_naming_an_edit(
    runtime: Runtime, database_url: str, open_award: int, trail: list[int]
) -> None:
    intact = await asyncio.to_thread(
        run_awards, "audit", "verify", "--call", str(open_award), database_url=database_url
    )
    async with runtime.db.write() as session:
        await session.execute(text(edit_reason(trail)))
    edited = await asyncio.to_thread(run_awards, "audit", "verify", database_url=database_url)

    assert (intact.returncode, intact.stdout) == (0, "6 rows in 1 calls verified\n")
    assert intact.stderr.strip() == "6 rows read"
    assert (edited.returncode, edited.stdout) == (
        2,
        f"call {open_award}: audit row {trail[3]} (#4) {MISMATCH}\n",
    )
