"""A new draft's pseudonym is checked against its call's unique index, not against a read of
every pseudonym of the call: a code already taken is passed over for the next attempt's."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import col

from awards.db.tables import Call, Submission
from awards.jury.anonymise import pseudonym
from awards.transitions.runtime import Runtime
from conftest import MovableClock, draft
from harness.seeding import applicant, city


async def test_a_draft_whose_code_is_taken_gets_the_next_attempts_code(
    runtime: Runtime, clock: MovableClock, open_award: int
) -> None:
    first = await draft(runtime, open_award, await applicant(runtime, clock, city("Girona")))
    async with runtime.db.read() as session:
        call = await session.get(Call, open_award)
        assert call is not None
        prefix = f"{runtime.kind(call.kind).pseudonym_prefix}{call.edition[-2:]}"

    def code(submission_id: int, attempt: int) -> str:
        return pseudonym(
            runtime.settings.secret_key,
            prefix=prefix,
            call_id=open_award,
            submission_id=submission_id,
            attempt=attempt,
        )

    async with runtime.db.write() as session:  # the next draft's first code, already taken
        await session.execute(
            update(Submission)
            .where(col(Submission.id) == first)
            .values(pseudonym=code(first + 1, 0))
        )

    second = await draft(runtime, open_award, await applicant(runtime, clock, city("Lleida")))

    assert second == first + 1
    async with runtime.db.read() as session:
        codes = await session.scalars(
            select(col(Submission.pseudonym)).order_by(col(Submission.id))
        )
        assert list(codes) == [code(second, 0), code(second, 1)]
