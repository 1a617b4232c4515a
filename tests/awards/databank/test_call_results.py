"""A published call's results page lists every distinction of that call, not a page of a
search of its kind and year."""

from __future__ import annotations

from datetime import UTC, datetime

from awards.databank.service import DatabankService
from awards.db.tables import Call, DatabankEntry, Submission
from awards.transitions.actor import SYSTEM
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState
from conftest import Tokens

DISTINCTIONS = 23
"""More than a page of search (20)."""


async def test_the_results_of_a_call_list_all_its_distinctions(
    runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner = tokens.actors["owner"]
    assert owner.id is not None and owner.organisation_id is not None
    now = datetime(2026, 6, 1, tzinfo=UTC)
    async with runtime.db.write() as session:
        call = await session.get(Call, open_award)
        assert call is not None
        call.state = CallState.PUBLISHED
        for number in range(DISTINCTIONS):
            submission = Submission(
                call_id=open_award,
                organisation_id=owner.organisation_id,
                created_by=owner.id,
                state="laureate",
                answers={},
                pseudonym=f"R-{number}",
                created_at=now,
                updated_at=now,
            )
            session.add(submission)
            await session.flush()
            session.add(
                DatabankEntry(
                    submission_id=submission.id,
                    kind=call.kind,
                    edition=call.edition,
                    year=2026,
                    distinction="laureate",
                    title={"en": f"Experience {number}"},
                    organisation="Barcelona",
                    country="ES",
                    published_at=now,
                    updated_at=now,
                )
            )

    results = await DatabankService(runtime).results(open_award, actor=SYSTEM)

    assert sorted(entry.title["en"] for entry in results) == sorted(
        f"Experience {number}" for number in range(DISTINCTIONS)
    )
