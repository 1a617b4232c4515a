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

from awards.calls.service import CallService
from awards.members.register import Member
from awards.transitions.apply import TransitionRefused
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens

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
    cities = await join(
        runtime,
        clock(),
        [
            (Member("Cascais", "PT", "Europe", "IAEC", 2000, True), "pt"),
            (Member("Katowice", "PL", "Europe", "IAEC", 2014, True), "en"),
            (Member("Rosario", "AR", "Latin America", "IAEC", 1994, True), "es"),
            (Member("Andong", "KR", "Asia-Pacific", "IAEC", 2015, True), "en"),
            (Member("Villa Modelo", "AR", "Latin America", "IAEC", 2024, True), "es"),
        ],
    )
    proposals = {
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
    bids = {}
    for slug, answers in proposals.items():
        documents = DOCUMENTS if slug != "rosario" else ("mayor_letter",)
        bids[slug] = await file(runtime, call, cities[slug], answers, documents=documents)
    incomplete = await refusal(runtime, bids["rosario"], "submit", cities["rosario"])
    await attach(runtime, bids["rosario"], "council_resolution", cities["rosario"])
    for slug, submission in bids.items():
        await fire(runtime, [submission], "submit", cities[slug])
    second_bid = await file(runtime, call, cities["rosario"], proposals["rosario"])
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
