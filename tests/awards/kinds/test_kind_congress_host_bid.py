"""Bids to host the 19th International Congress (2028), end to end, and the rule that a host
has been a member for at least a year. Cities, years of membership and bids are illustrative.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from edition_steps import (
    attach,
    file,
    fire,
    join,
    mails,
    move_call,
    open_call,
    refusal,
    states,
    stored,
)
from sqlalchemy import select
from sqlmodel import col

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.db.tables import AuditEntry, BallotVoter
from awards.members.register import Member
from awards.transitions.apply import TransitionRefused
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens

KIND = "congress-host-bid"
TITLE = {
    "en": "Host of the 19th International Congress of Educating Cities (2028)",
    "fr": "Accueil du XIXe Congrès international des Villes éducatrices (2028)",
    "es": "Sede del XIX Congreso Internacional de Ciudades Educadoras (2028)",
    "pt": "Acolhimento do XIX Congresso Internacional das Cidades Educadoras (2028)",
}
DEADLINE = datetime(2026, 1, 31, 22, 59, tzinfo=UTC)  # 23:59 in Barcelona
DOCUMENTS = ("mayor_letter", "council_resolution")


def bid(
    city: str, *, theme: str, starts_on: str, hotel_rooms: int, budget: str
) -> dict[str, object]:
    ends_on = f"{starts_on[:8]}{int(starts_on[8:]) + 3:02d}"
    return {
        "congress_theme": theme,
        "theme_rationale": f"{city} has made this theme the thread of its municipal plan.",
        "starts_on": starts_on,
        "ends_on": ends_on,
        "venues": "Congress centre with a plenary hall and 14 rooms; step-free access.",
        "plenary_seats": 1800,
        "hotel_rooms": hotel_rooms,
        "transport": "International airport at 30 minutes; metro to the venues.",
        "budget": {"amount": budget, "currency": "EUR"},
        "funding_plan": "City 55%, region 20%, sponsors 10%, registration fees 15%.",
        "contact_name": "International relations office",
        "contact_email": f"congress@{city.lower()}.test",
    }


CITIES = [
    (Member("Cascais", "PT", "Europe", "IAEC", 2000, True), "pt"),
    (Member("Katowice", "PL", "Europe", "IAEC", 2014, True), "en"),
    (Member("Rosario", "AR", "Latin America", "IAEC", 1994, True), "es"),
    (Member("Andong", "KR", "Asia-Pacific", "IAEC", 2015, True), "en"),
    (Member("Villa Modelo", "AR", "Latin America", "IAEC", 2024, True), "es"),
]
PROPOSALS = {
    "cascais": bid(
        "Cascais",
        theme="The city as a school of democracy",
        starts_on="2028-05-23",
        hotel_rooms=4200,
        budget="2400000.00",
    ),
    "katowice": bid(
        "Katowice",
        theme="Cities in transition, learning together",
        starts_on="2028-06-06",
        hotel_rooms=3100,
        budget="1900000.00",
    ),
    "rosario": bid(
        "Rosario",
        theme="Childhood and the right to the city",
        starts_on="2028-10-10",
        hotel_rooms=2600,
        budget="1500000.00",
    ),
    "andong": bid(
        "Andong",
        theme="Heritage as lifelong learning",
        starts_on="2028-09-19",
        hotel_rooms=1800,
        budget="2100000.00",
    ),
    "villa-modelo": bid(
        "Modelo",
        theme="Small cities, big classrooms",
        starts_on="2028-04-11",
        hotel_rooms=700,
        budget="800000.00",
    ),
}


async def open_bids(runtime: Runtime, tokens: Tokens, clock: MovableClock) -> int:
    return await open_call(
        runtime,
        tokens.actors["secretariat"],
        KIND,
        edition="2028",
        title=TITLE,
        opens_at=clock(),
        closes_at=DEADLINE,
        timezone="Europe/Madrid",
    )


async def test_a_host_needs_a_year_of_membership_counted_to_the_year_the_call_opens(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    call = await open_bids(runtime, tokens, clock)
    cities = await join(
        runtime,
        clock(),
        [
            (Member("Puerto Ejemplo", "CL", "Latin America", "IAEC", 2025, True), "es"),
            (Member("Villa Modelo", "AR", "Latin America", "IAEC", 2024, True), "es"),
            (Member("Cidade Modelo", "MZ", "Africa", None, None, False), "pt"),
        ],
    )
    answers = bid(
        "Ejemplo",
        theme="Cities that learn",
        starts_on="2028-05-22",
        hotel_rooms=900,
        budget="1200000.00",
    )
    bids = {
        slug: await file(runtime, call, applicant, answers, documents=DOCUMENTS)
        for slug, applicant in cities.items()
    }

    joined_this_year = await refusal(
        runtime, bids["puerto-ejemplo"], "submit", cities["puerto-ejemplo"]
    )
    no_membership = await refusal(runtime, bids["cidade-modelo"], "submit", cities["cidade-modelo"])
    await fire(runtime, [bids["villa-modelo"]], "submit", cities["villa-modelo"])

    assert joined_this_year == [
        {
            "guard": "one_year_member",
            "reason": "Puerto Ejemplo has been a member only since 2025; this call requires at least 1 year(s) of membership by 2025",
        }
    ]
    assert no_membership == [
        {"guard": "iaec_member", "reason": "Cidade Modelo is not a member of IAEC"},
        {
            "guard": "one_year_member",
            "reason": "Cidade Modelo has no membership on record; this call requires at least 1 year(s) of membership by 2025",
        },
    ]
    assert (await stored(runtime, bids["villa-modelo"])).state == "submitted"


async def test_an_edition_where_the_executive_committee_chooses_one_host_among_five_bids(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    staff = tokens.actors["secretariat"]
    call = await open_bids(runtime, tokens, clock)
    cities = await join(runtime, clock(), CITIES)
    bids = {}
    for slug, answers in PROPOSALS.items():
        documents = DOCUMENTS if slug != "rosario" else ("mayor_letter",)
        bids[slug] = await file(runtime, call, cities[slug], answers, documents=documents)
    incomplete = await refusal(runtime, bids["rosario"], "submit", cities["rosario"])
    await attach(runtime, bids["rosario"], "council_resolution", cities["rosario"])
    for slug, submission in bids.items():
        await fire(runtime, [submission], "submit", cities[slug])
    second_bid = await file(runtime, call, cities["rosario"], PROPOSALS["rosario"])
    twice = await refusal(runtime, second_bid, "submit", cities["rosario"])
    await fire(runtime, bids.values(), "mark_eligible", staff)
    clock.now = DEADLINE + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, bids.values(), "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    await fire(runtime, [bids["cascais"]], "choose", staff)
    second_host = await refusal(runtime, bids["katowice"], "choose", staff)
    with pytest.raises(TransitionRefused) as void:
        await CallService(runtime).fire(call, "declare_void", actor=staff, reason="no bid fits")
    others = [submission for slug, submission in bids.items() if slug != "cascais"]
    await fire(runtime, others, "reject", staff)
    published = await move_call(runtime, call, staff, "publish")

    assert incomplete == [
        {"guard": "answers_complete", "reason": "required fields are missing: council_resolution"}
    ]
    assert twice == [
        {
            "guard": "answers_complete",
            "reason": "required fields are missing: mayor_letter, council_resolution",
        },
        {
            "guard": "one_bid_per_city",
            "reason": "Rosario already has 1 submission(s) in this call; at most 1 are allowed",
        },
    ]
    assert second_host == [
        {"guard": "one_host", "reason": "this call already has 1 chosen; at most 1"}
    ]
    assert void.value.extra["failed_guards"] == [
        {
            "guard": "no_host_chosen",
            "code": "already_in_states",
            "reason": f"submissions {bids['cascais']} are already chosen",
        }
    ]
    assert published == "published"
    assert await states(runtime, call) == {"chosen": 1, "not_chosen": 4, "draft": 1}
    host = await stored(runtime, bids["cascais"])
    assert host.answers["budget"] == {"amount": "2400000.00", "currency": "EUR"}
    assert host.answers["council_resolution"]["filename"] == "council_resolution.pdf"
    (chosen,) = await mails(runtime, template="host_bid_result", recipient="applicant@cascais.test")
    assert chosen.subject == f"A sua candidatura {bids['cascais']} foi escolhida: {TITLE['pt']}"
    assert chosen.body_text.splitlines()[:2] == [
        f"O Comité Executivo escolheu a candidatura {bids['cascais']} da sua cidade "
        f"({TITLE['pt']}, 2028): a sua cidade acolherá o Congresso Internacional, proposto de "
        '2028-05-23 a 2028-05-26 sobre o tema "The city as a school of democracy".',
        "O Congresso será apresentado à Assembleia Geral. O Secretariado irá contactá-los "
        "para preparar o acordo de acolhimento.",
    ]
    (declined,) = await mails(
        runtime, template="host_bid_result", recipient="applicant@katowice.test"
    )
    assert declined.subject == f"Result of your bid {bids['katowice']}: {TITLE['en']}"


COMMITTEE = {
    "president@edcities.test": None,
    "lyon@edcities.test": None,
    "katowice@edcities.test": "katowice",
    "rosario@edcities.test": "rosario",
    "sevilla@edcities.test": None,
}
"""The Executive Committee: two of its cities bid."""


async def bids_before_the_committee(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> tuple[int, dict[str, int], dict[str, dict[str, str]]]:
    """Five eligible bids in review, the call deliberating, and the Committee seated through
    the API; returns the call, the bids by city and each member's bearer header."""
    staff = tokens.actors["secretariat"]
    call = await open_bids(runtime, tokens, clock)
    cities = await join(runtime, clock(), CITIES)
    bids = {
        slug: await file(runtime, call, cities[slug], answers, documents=DOCUMENTS)
        for slug, answers in PROPOSALS.items()
    }
    for slug, submission in bids.items():
        await fire(runtime, [submission], "submit", cities[slug])
    await fire(runtime, bids.values(), "mark_eligible", staff)
    clock.now = DEADLINE + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, bids.values(), "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    members = {}
    for email, city in COMMITTEE.items():
        await add_user(runtime.db, email, role="juror", organisation=city, now=clock())
        token = await issue_token(runtime.db, email, now=clock())
        members[email] = {"Authorization": f"Bearer {token}"}
    seated = await client.put(
        f"/api/v1/calls/{call}/panel",
        json={"jurors": list(COMMITTEE), "president": "president@edcities.test"},
        headers=tokens.secretariat,
    )
    assert seated.status_code == 200, seated.text
    return call, bids, members


async def test_the_executive_committee_chooses_the_host_by_a_secret_vote_its_president_settles(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    call, bids, members = await bids_before_the_committee(client, runtime, tokens, clock)
    vote = f"/api/v1/calls/{call}/vote"

    before = await client.get(
        f"/api/v1/calls/{call}/candidacies", headers=members["lyon@edcities.test"]
    )
    for email, choice in (
        ("president@edcities.test", "cascais"),
        ("lyon@edcities.test", "cascais"),
    ):
        cast = await client.put(vote, json={"submission_id": bids[choice]}, headers=members[email])
        assert cast.status_code == 200, cast.text
    short = await client.post(f"{vote}/close", headers=tokens.secretariat)
    later: tuple[tuple[str, str | None], ...] = (
        ("katowice@edcities.test", "andong"),
        ("sevilla@edcities.test", "andong"),
        ("rosario@edcities.test", None),
    )
    for email, pick in later:
        ballot = {"submission_id": bids[pick] if pick else None}
        cast = await client.put(vote, json=ballot, headers=members[email])
        assert cast.status_code == 200, cast.text
    twice = await client.put(
        vote, json={"submission_id": None}, headers=members["lyon@edcities.test"]
    )
    tied = await client.post(f"{vote}/close", headers=tokens.secretariat)
    not_the_chair = await client.post(
        f"{vote}/deciding",
        json={"submission_id": bids["andong"]},
        headers=members["lyon@edcities.test"],
    )
    settled = await client.post(
        f"{vote}/deciding",
        json={"submission_id": bids["cascais"]},
        headers=members["president@edcities.test"],
    )
    closed = await client.post(f"{vote}/close", headers=tokens.secretariat)
    tally = await client.get(f"{vote}/tally", headers=tokens.secretariat)
    own = await client.get(vote, headers=members["lyon@edcities.test"])

    assert [c["organisation"] for c in before.json()] == [
        "Cascais",
        "Katowice",
        "Rosario",
        "Andong",
        "Villa Modelo",
    ]
    assert short.status_code == 409
    assert short.json()["extra"] == {
        "code": "quorum_not_met",
        "reason": "only 2 of the 5 members have voted; the quorum is 3",
        "params": {"voted": "2", "quorum": "3", "members": "5"},
    }
    assert twice.status_code == 409
    assert tied.status_code == 409
    assert tied.json()["extra"]["code"] == "tie_awaits_chair"
    assert not_the_chair.status_code == 403
    assert settled.status_code == 200, settled.text
    assert closed.json() == {"submission_id": bids["cascais"], "state": "chosen"}
    assert tally.json()["votes"] == {str(bids["cascais"]): 2, str(bids["andong"]): 2}
    assert tally.json()["abstentions"] == 1
    assert len(tally.json()["voters"]) == 5
    assert tally.json()["casting_vote"] == bids["cascais"]
    assert own.json() == {"voted": True, "choice": None, "secret": True}
    assert await states(runtime, call) == {"chosen": 1, "in_review": 4}
    (chosen,) = await mails(runtime, template="host_bid_result", recipient="applicant@cascais.test")
    assert chosen.language == "pt"
    async with runtime.db.read() as session:
        how = list(await session.scalars(select(col(BallotVoter.choice))))
        minutes = await session.scalar(
            select(col(AuditEntry.reason)).where(col(AuditEntry.transition) == "close_vote")
        )
    assert how == [None] * 5  # secret: who voted is kept, not how
    assert minutes is not None
    assert minutes.startswith(
        f"elected submission {bids['cascais']}; submission {bids['cascais']}: 2, "
        f"submission {bids['andong']}: 2; abstentions: 1; 5 of 5 members voted (quorum 3)"
    )
    assert minutes.endswith(f"chair's casting vote: submission {bids['cascais']}")


async def test_a_committee_member_in_conflict_with_a_bid_cannot_vote_for_it(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    call, bids, members = await bids_before_the_committee(client, runtime, tokens, clock)
    vote = f"/api/v1/calls/{call}/vote"
    sevilla = members["sevilla@edcities.test"]

    own_city = await client.put(
        vote, json={"submission_id": bids["katowice"]}, headers=members["katowice@edcities.test"]
    )
    declared = await client.post(
        f"/api/v1/calls/{call}/candidacies/{bids['rosario']}/conflict",
        json={"reason": "I advised Rosario on its bid"},
        headers=sevilla,
    )
    listed = await client.get(f"/api/v1/calls/{call}/candidacies", headers=sevilla)
    after_declaring = await client.put(
        vote, json={"submission_id": bids["rosario"]}, headers=sevilla
    )
    elsewhere = await client.put(vote, json={"submission_id": bids["cascais"]}, headers=sevilla)

    assert own_city.status_code == 409
    assert own_city.json()["extra"]["code"] == "conflicted_member"
    assert declared.status_code == 200, declared.text
    (rosario,) = [c for c in listed.json() if c["submission_id"] == bids["rosario"]]
    assert rosario["conflicted"]
    assert after_declaring.status_code == 409
    assert after_declaring.json()["extra"]["reason"] == (
        f"you have a conflict of interest with {rosario['pseudonym']}: you cannot judge it"
    )
    assert elsewhere.status_code == 200


async def test_only_the_committee_and_the_secretariat_see_the_vote(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    call, _, members = await bids_before_the_committee(client, runtime, tokens, clock)
    vote = f"/api/v1/calls/{call}/vote"

    outsider = await client.get(vote, headers=tokens.juror)
    member_tally = await client.get(f"{vote}/tally", headers=members["lyon@edcities.test"])
    chair_tally = await client.get(f"{vote}/tally", headers=members["president@edcities.test"])
    city = await client.get(f"{vote}/tally", headers=tokens.owner)
    staff_votes = await client.put(vote, json={"submission_id": None}, headers=tokens.secretariat)

    assert outsider.status_code == 404
    assert member_tally.status_code == 403
    assert chair_tally.json()["quorum"] == 3
    assert city.status_code == 404
    assert staff_votes.status_code == 403
