"""The pages' words as gettext catalogues, the files translators' tools read.

English is the source: `en.py` holds each message's key and its English text. Every other
language is a `.po` file under `src/awards/locale/<language>/LC_MESSAGES/`, one entry per
message with the key as its context (`msgctxt`) and the English text as its `msgid`, so a
translator sees the English and a stable name for each. `make install` compiles them to
`.mo` files, which the service reads; `awards translations update` refreshes the template
(`messages.pot`) and merges it into each language after an English message changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

from awards.errors import ConfigurationError

LOCALE = Path(__file__).resolve().parents[2] / "locale"
DOMAIN = "messages"
SOURCE = "en"


def po_path(language: str, locale: Path = LOCALE) -> Path:
    return locale / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def template(english: Mapping[str, str]) -> Catalog:
    """The catalogue of what there is to translate: each message's key and English text."""
    catalog = _catalog(None)
    for key, text in english.items():
        catalog.add(text, context=key, flags=_format_flags(text))
    return catalog


def compiled(language: str) -> dict[str, str]:
    """The translated messages of `language` by key, read from its compiled catalogue."""
    path = po_path(language).with_suffix(".mo")
    if not path.exists():
        raise ConfigurationError(
            f"{path} is missing: compile the translations (`make install` runs pybabel compile)"
        )
    with path.open("rb") as file:
        catalog = read_mo(file)
    return {
        message.context: message.string
        for message in catalog
        if message.context and isinstance(message.string, str) and message.string
    }


def read(language: str, locale: Path = LOCALE) -> Catalog:
    with po_path(language, locale).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def update(
    english: Mapping[str, str], languages: Iterable[str], locale: Path = LOCALE
) -> list[Path]:
    """Write the template and merge it into each language's catalogue: a new message comes in
    untranslated, a changed English text marks its translation fuzzy (to be checked), a removed
    one goes. Returns the files written."""
    source = template(english)
    written = [_write(locale / f"{DOMAIN}.pot", source)]
    for language in languages:
        path = po_path(language, locale)
        catalog = read(language, locale) if path.exists() else _catalog(language)
        catalog.update(source)
        catalog.obsolete.clear()
        written.append(_write(path, catalog))
    return written


def _catalog(language: str | None) -> Catalog:
    return Catalog(
        locale=language,
        domain=DOMAIN,
        project="awards",
        copyright_holder="the awards authors",
        fuzzy=False,
    )


def _write(path: Path, catalog: Catalog) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=100, omit_header=False, include_previous=True)
    return path


def _format_flags(text: str) -> tuple[str, ...]:
    """`python-brace-format` for a message with `{placeholders}`, so translators' tools check
    that a translation keeps them."""
    return ("python-brace-format",) if "{" in text else ()
