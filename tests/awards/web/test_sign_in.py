"""Signing in by e-mail: the link is mailed in the page's language, works once, for 15
minutes, is rate-limited per address and per IP, and leaves a session the API honours too."""

from __future__ import annotations

import re
from datetime import timedelta

from pages import Browser, signed_in, text
from sqlalchemy import select
from sqlmodel import col

from awards.auth.login import PER_ADDRESS, PER_IP
from awards.auth.sessions import SESSION_COOKIE
from awards.auth.users import add_user
from awards.db.tables import OutboxMessage, User
from awards.notify.seals import unseal
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens

LINK = re.compile(r"https://awards\.test(/login/link/[\w-]+)")


async def mailed_links(runtime: Runtime, recipient: str) -> list[OutboxMessage]:
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.recipient) == recipient,
                col(OutboxMessage.template) == "magic_link",
            )
            .order_by(col(OutboxMessage.id))
        )
        return list(rows)


def as_sent(mail: OutboxMessage, runtime: Runtime) -> str:
    """The text of `mail` as the worker sends it, its link's token unsealed."""
    return unseal(mail.body_text, secret_key=runtime.settings.secret_key)


async def ask_for_link(browser: Browser, runtime: Runtime, email: str) -> str:
    """Ask for a link on the sign-in page; the path of the link mailed."""
    answer = await browser.post("/login", {"email": email})
    assert answer.status_code == 200, answer.text
    found = LINK.search(as_sent((await mailed_links(runtime, email))[-1], runtime))
    assert found is not None
    return found.group(1)


async def test_a_link_asked_in_french_is_mailed_in_french_and_opens_a_french_page(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    browser = Browser(client, accept_language="fr-FR,fr;q=0.9,en;q=0.5")
    login = await browser.get("/login")
    assert "Connexion par courriel" in text(login.text)

    sent = await browser.post("/login", {"email": "Staff@EdCities.test"})

    assert "Si Staff@EdCities.test a un compte, un lien de connexion est en route." in text(
        sent.text
    )
    mail = (await mailed_links(runtime, "staff@edcities.test"))[0]
    assert (mail.language, mail.subject) == ("fr", "Votre lien de connexion")
    assert "pendant 15 minutes" in mail.body_text
    path = LINK.search(as_sent(mail, runtime))
    assert path is not None
    # Opened in a browser set to English, the link still speaks the language it was asked in.
    landing = await Browser(client, accept_language="en").get(path.group(1))
    assert landing.status_code == 200
    assert "Confirmez votre connexion" in text(landing.text)


async def test_the_link_signs_in_once_and_the_session_reaches_the_api(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    browser = Browser(client)
    path = await ask_for_link(browser, runtime, "mayor@barcelona.test")

    # Opening the link (as a mail scanner would) does not spend it: the button does.
    assert (await browser.get(path)).status_code == 200
    signed = await browser.post(path, follow_redirects=False)

    assert signed.status_code == 303
    assert signed.headers["location"] == "/my"
    cookie = signed.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" in cookie  # the base URL is https
    my = await browser.get("/my")
    assert my.status_code == 200
    assert "mayor@barcelona.test" in text(my.text)
    api = await browser.get("/api/v1/calls")
    assert api.status_code == 200
    again = await Browser(client).post(path)
    assert again.status_code == 409
    assert "Ce lien" not in again.text
    assert "This link no longer works" in text(again.text)


async def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    known = await Browser(client).post("/login", {"email": "mayor@barcelona.test"})
    unknown = await Browser(client).post("/login", {"email": "nobody@nowhere.test"})

    assert unknown.status_code == known.status_code == 200
    assert text(unknown.text).replace("nobody@nowhere.test", "X") == text(known.text).replace(
        "mayor@barcelona.test", "X"
    )
    assert await mailed_links(runtime, "nobody@nowhere.test") == []


async def test_a_link_expires_after_15_minutes(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    browser = Browser(client)
    path = await ask_for_link(browser, runtime, "juror@jury.test")

    clock.advance(timedelta(minutes=15, seconds=1))

    opened = await browser.get(path)
    assert opened.status_code == 409
    assert "This link no longer works" in text(opened.text)
    assert (await browser.post(path)).status_code == 409


async def test_links_are_limited_per_address_then_per_ip(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    browser = Browser(client)
    for _ in range(PER_ADDRESS):
        assert (await browser.post("/login", {"email": "mayor@lisboa.test"})).status_code == 200

    refused = await browser.post("/login", {"email": "mayor@lisboa.test"})

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "900"
    assert "Too many links were asked for. Try again in 15 minutes." in text(refused.text)
    assert len(await mailed_links(runtime, "mayor@lisboa.test")) == PER_ADDRESS
    # Other addresses from the same IP, until the IP's own limit.
    for number in range(PER_IP - PER_ADDRESS):
        answer = await browser.post("/login", {"email": f"someone{number}@else.test"})
        assert answer.status_code == 200
    assert (await browser.post("/login", {"email": "mayor@barcelona.test"})).status_code == 429
    clock.advance(timedelta(minutes=16))
    assert (await browser.post("/login", {"email": "mayor@lisboa.test"})).status_code == 200


async def test_signing_out_ends_the_session_for_good(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    browser = Browser(client)
    path = await ask_for_link(browser, runtime, "staff@edcities.test")
    await browser.post(path)
    stolen = dict(browser.cookies)

    out = await browser.post("/logout", follow_redirects=False)

    assert out.status_code == 303
    replay = await Browser(client, stolen).get("/secretariat", follow_redirects=False)
    assert replay.status_code == 302
    assert replay.headers["location"] == "/login?next=/secretariat"


async def test_a_form_without_its_csrf_token_is_refused(client: Client, tokens: Tokens) -> None:
    browser = Browser(client)
    await browser.csrf()

    forged = await browser.request("POST", "/login", data={"email": "mayor@barcelona.test"})

    assert forged.status_code == 403
    assert "You may not do this" in text(forged.text)


async def test_every_answer_carries_the_security_headers(client: Client) -> None:
    page = await Browser(client).get("/")
    api = await client.get("/api/v1/calls")

    for answer in (page, api):
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
    assert "<script>" not in page.text  # scripts come from /static only
    assert " style=" not in page.text


async def test_the_session_acts_on_the_api_as_its_user_and_writes_need_the_csrf_token(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner = await signed_in(client, runtime, tokens.actors["owner"])
    created = await owner.post(f"/my/calls/{open_award}/submissions", follow_redirects=False)
    submission = created.headers["location"].rsplit("/", 1)[1]

    read = await owner.get(f"/api/v1/submissions/{submission}")
    forged = await owner.request(
        "PATCH", f"/api/v1/submissions/{submission}", json={"answers": {}, "version": 1}
    )
    edited = await owner.request(
        "PATCH",
        f"/api/v1/submissions/{submission}",
        json={"answers": {"contact_name": "Ada"}, "version": 1},
        headers={"X-CSRFToken": await owner.csrf()},
    )

    assert read.status_code == 200
    assert read.json()["state"] == "draft"
    assert forged.status_code == 403
    assert edited.status_code == 200
    assert edited.json()["answers"] == {"contact_name": "Ada"}
    other = await signed_in(client, runtime, tokens.actors["other_applicant"])
    assert (await other.get(f"/api/v1/submissions/{submission}")).status_code == 404


async def test_a_cookie_borne_write_needs_its_csrf_token_even_with_an_empty_authorization(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    """An empty `Authorization` header skipped the check, and the session cookie then wrote."""
    owner = await signed_in(client, runtime, tokens.actors["owner"])
    created = await owner.post(f"/my/calls/{open_award}/submissions", follow_redirects=False)
    submission = created.headers["location"].rsplit("/", 1)[1]

    forged = await owner.request(
        "PATCH",
        f"/api/v1/submissions/{submission}",
        json={"answers": {"contact_name": "Eve"}, "version": 1},
        headers={"Authorization": ""},
    )
    page = await owner.request(
        "POST",
        f"/my/calls/{open_award}/submissions",
        headers={"Authorization": ""},
        follow_redirects=False,
    )

    assert (forged.status_code, page.status_code) == (403, 403)
    assert (await owner.get(f"/api/v1/submissions/{submission}")).json()["answers"] == {}


async def test_an_answer_for_a_signed_in_person_is_not_stored_by_any_cache(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    """Private answers carried no `Cache-Control`: a shared cache could keep them."""
    owner = await signed_in(client, runtime, tokens.actors["owner"])
    private = [
        await owner.get("/my"),
        await owner.get("/api/v1/calls"),
        await client.get(f"/api/v1/calls/{open_award}", headers=tokens.secretariat),
        await client.get("/api/v1/submissions/2147483647", headers=tokens.owner),
    ]
    client.cookies.clear()
    public = await client.get("/api/v1/calls")

    assert [answer.headers.get("cache-control") for answer in private] == ["no-store"] * 4
    assert public.headers.get("cache-control") != "no-store"


async def test_an_account_starts_in_the_language_of_the_browser_that_first_signs_in(
    client: Client, runtime: Runtime, clock: MovableClock
) -> None:
    await add_user(runtime.db, "alcaldia@lima.test", role="juror", now=clock())
    spanish = Browser(client, accept_language="es-PE,es;q=0.9")
    await spanish.post(await ask_for_link(spanish, runtime, "alcaldia@lima.test"))

    assert (await user_named(runtime, "alcaldia@lima.test")).locale == "es"
    # Later sign-ins from another browser keep the account's language.
    english = Browser(client, accept_language="en")
    await english.post(await ask_for_link(english, runtime, "alcaldia@lima.test"))
    assert (await user_named(runtime, "alcaldia@lima.test")).locale == "es"


async def user_named(runtime: Runtime, email: str) -> User:
    async with runtime.db.read() as session:
        user = await session.scalar(select(User).where(col(User.email) == email))
    assert user is not None
    return user
