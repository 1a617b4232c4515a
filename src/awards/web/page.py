"""Who is looking at a page, in which language and time zone, and the page rendered for them.

The language is the signed-in user's setting, else the visitor's own choice (the `lang`
cookie the language switcher sets), else the browser's `Accept-Language`, else English. The
time zone is the browser's (the `tz` cookie `awards.js` sets), else the call's own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.units import format_unit
from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from markupsafe import Markup

from awards import urls
from awards.clock import local, spelled, zone
from awards.errors import Invalid
from awards.http.auth import actor_of
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor, Role
from awards.transitions.reasons import Reason
from awards.vocabulary import LANGUAGES
from awards.web.i18n import DEFAULT, ENDONYMS, Translate, has, negotiate, term, translator

LANGUAGE_COOKIE = "lang"
ZONE_COOKIE = "tz"
NAMED_PARAMS = {
    "state": "state",
    "expected": "state",
    "transition": "transition",
    "network": "network",
    "region": "region",
}
"""A reason's params that hold a name the catalogue translates, and its family."""
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
"""Codes CLDR names that are no country: unions, pseudo-locales, "unknown region"."""
HOME_OF: Mapping[Role | None, str] = {
    Role.APPLICANT: urls.MY,
    Role.JUROR: urls.JURY,
    Role.SECRETARIAT: urls.SECRETARIAT,
    None: urls.HOME,
}


@lru_cache(maxsize=256)
def _known_zone(name: str) -> bool:
    try:
        zone(name)
    except Invalid:
        return False
    return True


@dataclass(frozen=True)
class Visitor:
    """The reader of a page; templates call its methods to put things in their words."""

    actor: Actor
    language: str
    timezone: str | None
    """The browser's IANA zone when it told us; None until then."""
    path: str
    t: Translate

    @property
    def home(self) -> str:
        return HOME_OF[self.actor.role]

    @property
    def languages(self) -> Mapping[str, str]:
        return ENDONYMS

    def term(self, family: str, name: str, kind: CallKind | None = None) -> str:
        """A name a call kind brings (`state`, `transition`, `round`...) in the reader's words:
        `kind`'s own label when it gives one, else the catalogue's, else the name as written."""
        return term(kind, family, name, self.language)

    def notice(self, done: str, *, kind: CallKind | None = None, **values: object) -> str:
        """What the last action did (`?done=...` after a form): "" for nothing; a transition
        of `kind` by its label there."""
        if not done:
            return ""
        for key in (f"done.{done}", f"transitioned.{done}"):
            if has(key):
                return self.t(key, **values)
        return self.t("done.transition", what=self.term("transition", done, kind))

    def text(self, texts: Mapping[str, str], default: str | None = None) -> str:
        """`texts` in the reader's language, else in `default`, else in the first language it
        is written in (a call's main one: an AIMF call is French first, not English)."""
        for language in (self.language, default):
            if language and texts.get(language):
                return texts[language]
        return next((text for text in texts.values() if text), "")

    def reason(
        self,
        reason: str,
        *,
        rule: Callable[[str], str] | None = None,
        field: Callable[[str], str] | None = None,
        kind: CallKind | None = None,
    ) -> Markup:
        """Why a check fails, in the reader's words (`reason.<code>`); `rule` names a rule,
        `field` a form's field, `kind` the states and transitions its labels name. A reason
        without a known code stays in English, marked."""
        if not isinstance(reason, Reason) or not has(f"reason.{reason.code}"):
            return Markup('<span lang="en">{}</span>').format(reason)
        values = {
            name: self.term(NAMED_PARAMS[name], value, kind) if name in NAMED_PARAMS else value
            for name, value in reason.params.items()
        }
        if "regions" in values:
            values["regions"] = ", ".join(
                self.term("region", name) for name in str(values["regions"]).split(", ")
            )
        if rule is not None and "rule" in values:
            values["rule"] = rule(values["rule"])
        if field is not None and "fields" in values:
            values["fields"] = ", ".join(map(field, str(values["fields"]).split(", ")))
        return Markup.escape(self.t(f"reason.{reason.code}", **values))

    def country(self, code: str) -> str:
        """An ISO 3166 code by its name in the reader's language; the code if unknown."""
        return dict(countries(self.language)).get(code.upper(), code)

    @property
    def countries(self) -> tuple[tuple[str, str], ...]:
        """Every country's code and name in the reader's language, as a list to choose from."""
        return countries(self.language)

    def spelled(self, instant: datetime, zone_name: str) -> str:
        """`1 de octubre de 2025, 12:00 (Europe/Madrid)`: an instant in `zone_name`, written out
        in the reader's language."""
        return spelled(instant, zone_name, self.language)

    def countdown(self, instant: datetime, now: datetime) -> str:
        """The days (under a day: hours) from `now` to `instant` in the reader's words:
        `30 días`; "" once it has passed."""
        hours = int((instant - now).total_seconds() // 3600)
        if hours < 0:
            return ""
        if hours < 24:
            return format_unit(hours, "duration-hour", locale=self.language)
        return format_unit(hours // 24, "duration-day", locale=self.language)

    def moment(self, instant: datetime, zone_name: str) -> Markup:
        """An instant in the reader's zone (else `zone_name`), named, in a `<time>` element
        whose `datetime` the browser can show in its own zone."""
        shown = self.timezone or zone_name
        iso = instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Markup('<time datetime="{}" data-zone="{}">{}</time>').format(
            iso, shown, local(instant, shown)
        )


@lru_cache(maxsize=8)
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """ISO 3166-1 alpha-2 codes and their names in `language` (Babel's CLDR), by name."""
    names = Locale.parse(language).territories
    found = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    return tuple(sorted(found, key=lambda item: _collated(item[1])))


def _collated(name: str) -> str:
    """A name as an alphabetical list orders it: accents and case aside (Åland with A)."""
    bare = unicodedata.normalize("NFD", name)
    return "".join(c for c in bare if not unicodedata.combining(c)).casefold()


def page_language(request: Request[Any, Any, Any], actor: Actor) -> str:
    if not actor.is_anonymous and actor.locale in LANGUAGES:
        return actor.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    return negotiate(request.headers.get("accept-language", "")) or DEFAULT


def visitor(request: Request[Any, Any, Any], *, language: str | None = None) -> Visitor:
    """The reader of `request`; `language` forces one (a sign-in link's own language)."""
    actor = actor_of(request)
    chosen = language if language in LANGUAGES else page_language(request, actor)
    browser_zone = request.cookies.get(ZONE_COOKIE, "")
    return Visitor(
        actor=actor,
        language=chosen,
        timezone=browser_zone if browser_zone and _known_zone(browser_zone) else None,
        path=request.url.path,
        t=translator(chosen),
    )


def render(
    request: Request[Any, Any, Any],
    template: str,
    *,
    status: int = 200,
    language: str | None = None,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> Template:
    """`templates/pages/<template>` for the reader of `request`."""
    reader = visitor(request, language=language)
    return Template(
        template_name=template,
        context={"v": reader, "t": reader.t, **context},
        status_code=status,
        headers=dict(headers or {}),
    )


def see_other(path: str, *, cookies: list[Cookie] | None = None) -> Redirect:
    """After a form is handled: the page to show next, fetched with GET."""
    return Redirect(path, status_code=HTTP_303_SEE_OTHER, cookies=cookies or [])
