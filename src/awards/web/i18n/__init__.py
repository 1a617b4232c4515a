"""The pages' words in en, fr, es and pt: English in `en.py`, the others in gettext catalogues
(`catalogues`).

A key missing in a language falls back to English, never to the key (invariant 8); the
tests make sure no key is missing anywhere, so the fallback is a safety net, not a habit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from awards.kinds.kind import CallKind
from awards.vocabulary import LANGUAGES
from awards.web.i18n.catalogues import SOURCE, compiled
from awards.web.i18n.en import MESSAGES as EN

DEFAULT = SOURCE
CATALOGUES: Mapping[str, Mapping[str, str]] = {
    language: EN if language == SOURCE else compiled(language) for language in LANGUAGES
}
ENDONYMS = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
"""Each language in itself, for the language switcher: the same on every page."""

Translate = Callable[..., str]


def translator(language: str) -> Translate:
    """`t(key, **values)`: the message `key` in `language`, its `{placeholders}` filled."""
    catalogue = CATALOGUES.get(language, CATALOGUES[DEFAULT])
    fallback = CATALOGUES[DEFAULT]

    def t(key: str, **values: object) -> str:
        text = catalogue.get(key) or fallback[key]
        return text.format_map(values) if values else text

    return t


def has(key: str) -> bool:
    """Whether the catalogue has `key` (for names the call kinds bring: states, guards)."""
    return key in CATALOGUES[DEFAULT]


def term(kind: CallKind | None, family: str, name: str, language: str) -> str:
    """A name a call kind brings (`state`, `transition`, `round`...) in `language`: the kind's
    own label (its `terms:`), else the catalogue's (`<family>.<name>`), else the kind's label
    in its default language, else the name as the kind's file writes it."""
    own = kind.term(family, name) if kind else {}
    if own.get(language):
        return own[language]
    key = f"{family}.{name}"
    if has(key):
        return translator(language)(key)
    return own.get(kind.default_language, name) if kind else name


def negotiate(accept_language: str) -> str | None:
    """The first of our languages in an `Accept-Language` header, by preference; or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None
