"""The Secretariat edits an organisation of the members register on its pages; each change
is recorded in `register_changes` as an import records it."""

from __future__ import annotations

import pytest
from pages import Browser, signed_in, text
from sqlalchemy import select
from sqlmodel import col

from awards.db.tables import Organisation, RegisterChange
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens

EDIT = {
    "country": "es",
    "region": "Mediterranean",
    "network": "AIMF",
    "member_since": "2001",
}
"""Barcelona (ES, Europe, IAEC since 1994, fees up to date) edited; fees left unticked."""


async def changes(runtime: Runtime) -> list[tuple[str, str | None, str | None, str, str]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(RegisterChange)
            .join(Organisation, col(Organisation.id) == col(RegisterChange.organisation_id))
            .where(col(Organisation.slug) == "barcelona", col(RegisterChange.source) != "awards")
            .order_by(col(RegisterChange.id))
        )
        return [(c.field, c.old_value, c.new_value, c.changed_by, c.source) for c in rows]


async def test_the_secretariat_edits_an_organisation_and_each_change_is_recorded(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    staff = await signed_in(client, runtime, tokens.actors["secretariat"])

    form = await staff.get("/secretariat/organisations/barcelona")
    saved = await staff.post("/secretariat/organisations/barcelona", EDIT)
    again = await staff.post("/secretariat/organisations/barcelona", EDIT)
    register = await staff.get("/secretariat/organisations")

    assert '<option value="ES" selected>Spain</option>' in form.text
    assert 'name="fees_up_to_date" value="yes" checked' in form.text
    assert saved.status_code == again.status_code == 200
    assert "The organisation is saved." in text(saved.text)
    assert "Barcelona Spain Mediterranean AIMF 2001 no" in text(register.text)
    by, source = "staff@edcities.test", "the Secretariat's pages"
    assert await changes(runtime) == [
        ("region", "Europe", "Mediterranean", by, source),
        ("network", "IAEC", "AIMF", by, source),
        ("member_since", "1994", "2001", by, source),
        ("fees_up_to_date", "true", "false", by, source),
    ]


async def test_a_wrong_value_is_shown_beside_its_field_and_nothing_changes(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    staff = await signed_in(client, runtime, tokens.actors["secretariat"])

    refused = await staff.post(
        "/secretariat/organisations/barcelona",
        {**EDIT, "country": "Spain", "member_since": "long ago"},
    )

    assert refused.status_code == 422
    assert "country is 'Spain', not an ISO 3166-1 alpha-2 code such as ES or FR" in text(
        refused.text
    )
    assert "member_since 'long ago' is not a year" in text(refused.text)
    assert await changes(runtime) == []


@pytest.mark.parametrize(("who", "status"), [("owner", 403), ("juror", 403)])
async def test_only_the_secretariat_edits_the_register(
    client: Client, runtime: Runtime, tokens: Tokens, who: str, status: int
) -> None:
    someone = await signed_in(client, runtime, tokens.actors[who])
    anonymous = Browser(client)

    looked = await someone.get("/secretariat/organisations/barcelona")
    posted = await someone.post("/secretariat/organisations/barcelona", EDIT)
    unsigned = await anonymous.post("/secretariat/organisations/barcelona", EDIT)
    redirected = await anonymous.get("/secretariat/organisations", follow_redirects=False)

    assert (looked.status_code, posted.status_code) == (status, status)
    assert unsigned.status_code == 401
    assert redirected.headers["location"] == "/login?next=/secretariat/organisations"
    assert await changes(runtime) == []


async def test_the_register_names_networks_in_the_readers_language(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    staff = await signed_in(client, runtime, tokens.actors["secretariat"], language="es")
    await staff.post("/language", {"language": "es", "next": "/secretariat/organisations"})

    register = text((await staff.get("/secretariat/organisations")).text)
    form = await staff.get("/secretariat/organisations/barcelona")

    assert "Barcelona España Europe AICE 1994" in register
    assert '<option value="IAEC" selected>AICE</option>' in form.text
