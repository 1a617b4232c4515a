"""The paths `awards.urls` builds for mails and redirects are paths the pages serve."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from awards import urls
from awards.app import create_app
from awards.settings import Settings

BUILT = [
    urls.HOME,
    urls.MY,
    urls.JURY,
    urls.SECRETARIAT,
    urls.DATABANK,
    urls.my_submission(7, done="saved"),
    urls.jury_assignment(7, done="final"),
    urls.jury_call(7),
    urls.secretariat_call(7, done="assigned", anchor="jury", created=3),
    urls.secretariat_organisations(done="organisation"),
    urls.secretariat_mail(),
    urls.login_link("abc-DEF_123"),
    urls.invitation("abc-DEF_123"),
    urls.sign_in("/my/submissions/7"),
]


def _pattern(route: str) -> re.Pattern[str]:
    """A route's path as a regular expression: `{name:int}` takes digits, `{name:str}` a
    segment."""
    parts = re.split(r"(\{[^}]+\})", route)
    shaped = "".join(
        (r"\d+" if part.endswith(":int}") else r"[^/]+")
        if part.startswith("{")
        else re.escape(part)
        for part in parts
    )
    return re.compile(f"{shaped}/?")


def test_every_built_path_is_a_page_the_service_serves(settings: Settings) -> None:
    app = create_app(settings)
    served = [
        _pattern(route.path) for route in app.routes if "GET" in getattr(route, "methods", set())
    ]

    unserved = [
        built
        for built in BUILT
        if not any(pattern.fullmatch(urlsplit(built).path) for pattern in served)
    ]

    assert unserved == []


def test_a_page_path_carries_what_was_done_and_where_to_look() -> None:
    assert urls.secretariat_call(7, done="assigned", anchor="jury", created=3, short=0) == (
        "/secretariat/calls/7?done=assigned&created=3&short=0#jury"
    )
    assert urls.sign_in("/my/submissions/7?x") == "/login?next=/my/submissions/7%3Fx"
    assert urls.absolute("https://awards.test/", urls.MY) == "https://awards.test/my"
