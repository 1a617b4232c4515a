"""The demo data: one open call of each kind, loaded twice without duplicates, and the award's
edition set up as the Secretariat would (exclusions and the start cut-off)."""

from __future__ import annotations

import pytest

from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.demo import SECRETARIAT, load_demo
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.apply import TransitionRefused
from awards.transitions.runtime import Runtime
from conftest import ROOT, MovableClock
from harness.seeding import complete_answers

MEMBERS = ROOT / "config" / "demo" / "members.csv"


async def test_the_demo_twice_opens_one_call_per_kind_and_excludes_the_host_and_last_winners(
    runtime: Runtime, clock: MovableClock
) -> None:
    await load_demo(runtime, members_csv=MEMBERS)
    await load_demo(runtime, members_csv=MEMBERS)
    staff = Actor.of(await add_user(runtime.db, SECRETARIAT, role="secretariat", now=clock()))
    granollers = Actor.of(
        await add_user(
            runtime.db,
            "mayor@granollers.test",
            role="applicant",
            organisation="granollers",
            now=clock(),
        )
    )

    calls = [summary.call for summary in await CallService(runtime).visible(actor=staff)]
    (award,) = [call for call in calls if call.kind == "educating-cities-award"]
    draft = await SubmissionService(runtime).create(
        award.id or 0, {**complete_answers(), "started_on": "2023-09-01"}, actor=granollers
    )
    with pytest.raises(TransitionRefused) as refused:
        await SubmissionService(runtime).fire(draft.id or 0, "submit", actor=granollers)

    assert sorted((call.kind, call.state) for call in calls) == [
        ("aimf-femme-francophone", "open"),
        ("aimf-gender-equality-prize", "open"),
        ("aimf-pilot-projects", "open"),
        ("congress-experiences", "open"),
        ("congress-host-bid", "open"),
        ("educating-cities-award", "open"),
        ("educating-city-seal", "open"),
        ("membership-scholarship", "open"),
        ("monograph-articles", "open"),
    ]
    assert [e["organisation"] for e in award.settings["excluded"]] == [
        "granollers",
        "ciudad-de-mexico",
        "odivelas",
        "santo-andre",
    ]
    assert refused.value.extra["failed_guards"] == [
        {
            "guard": "not_excluded",
            "code": "excluded",
            "reason": "Granollers cannot take part in this edition: host of the 18th International Congress",
        },
        {
            "guard": "started_before_cutoff",
            "code": "started_after_cutoff",
            "reason": "the initiative started on 2023-09-01, not before the cut-off 2023-06-30",
        },
    ]
