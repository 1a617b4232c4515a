"""Every word of the pages exists in en, fr, es and pt (invariant 8), with the same
placeholders; every key a template or a call kind needs is in the catalogue; the gettext
catalogues translators work on are those the service reads."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from awards.assembly import load_kinds
from awards.commitments.refusals import REFUSALS
from awards.databank.mapping import Distinction
from awards.kinds.forms import PROBLEMS
from awards.members.values import NETWORKS
from awards.transitions.actor import ANONYMOUS
from awards.transitions.guards import GUARDS
from awards.transitions.reasons import REASONS
from awards.transitions.rules import SIGNATURES
from awards.vocabulary import LANGUAGES
from awards.web.i18n import CATALOGUES, catalogues, negotiate, translator
from awards.web.i18n.en import MESSAGES as ENGLISH
from awards.web.page import Visitor
from conftest import ROOT

TEMPLATES = ROOT / "templates" / "pages"
SOURCES = ROOT / "src" / "awards" / "web"
# `t("key"` in templates and pages; dynamic families (`t("error." ~ status)`) are listed below.
USED = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")
FAMILIES = {
    "error": ("400", "401", "403", "404", "409", "413", "422", "429", "500", "back"),
    "language": LANGUAGES,
    "mail": ("pending", "sending", "sent", "dead"),
    "exports": ("reviews", "ranking"),
    "done": (
        "transition",
        "saved",
        "review_saved",
        "review_final",
        "review_incomplete",
        "conflict",
        "panel",
        "assigned",
        "organisation",
    ),
    "distinction": tuple(Distinction),
    "reason": tuple(REASONS),
    "commitments.refused": tuple(REFUSALS),
    "form": tuple(PROBLEMS),
    "network": NETWORKS,
    "register": ("country", "region", "member_since"),
}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_exists_in_every_language_with_the_same_placeholders(language: str) -> None:
    english = CATALOGUES["en"]
    catalogue = CATALOGUES[language]

    assert sorted(set(english) - set(catalogue)) == []
    assert sorted(set(catalogue) - set(english)) == []
    for key, text in english.items():
        assert catalogue[key].strip(), key
        assert placeholders(catalogue[key]) == placeholders(text), key


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_each_po_file_translates_every_english_message_as_it_is_now(language: str) -> None:
    """A new or changed English message needs `make translations` and a translator: until
    then its entry is missing, untranslated or fuzzy, and this names it."""
    catalog = catalogues.read(language)
    entries = {message.context: message for message in catalog if message.context}

    assert sorted(set(ENGLISH) - set(entries)) == []
    assert sorted(set(entries) - set(ENGLISH)) == []
    stale = [key for key, text in ENGLISH.items() if entries[key].id != text]
    assert stale == []
    unfinished = [key for key, entry in entries.items() if entry.fuzzy or not entry.string]
    assert unfinished == []


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_the_service_reads_each_po_file_as_it_is_now(language: str) -> None:
    """The compiled .mo is not stale: a translator's edit reaches the pages after
    `make install`."""
    written = {message.context: message.string for message in catalogues.read(language)}

    assert dict(CATALOGUES[language]) == {key: written[key] for key in ENGLISH}


def test_the_template_for_translators_lists_every_english_message() -> None:
    with (catalogues.LOCALE / "messages.pot").open("rb") as file:
        template = {message.context: message.id for message in read_po(file) if message.context}

    assert template == dict(ENGLISH)


def test_an_update_asks_translators_for_a_changed_and_a_new_message(tmp_path: Path) -> None:
    shutil.copytree(catalogues.LOCALE, tmp_path, dirs_exist_ok=True)
    english = {**ENGLISH, "nav.sign_in": "Sign in here", "nav.help": "Help"}

    catalogues.update(english, ("fr",), locale=tmp_path)

    entries = {message.context: message for message in catalogues.read("fr", tmp_path)}
    assert entries["nav.sign_in"].id == "Sign in here"
    assert entries["nav.sign_in"].fuzzy  # the old translation is kept, to be checked
    assert entries["nav.sign_in"].string == "Se connecter"
    assert entries["nav.help"].string == ""
    assert entries["nav.skip"].string == "Aller au contenu"


def test_every_key_the_templates_and_pages_use_is_in_the_catalogue() -> None:
    used = set()
    for path in [*TEMPLATES.rglob("*.html"), *SOURCES.rglob("*.py")]:
        used |= set(USED.findall(path.read_text(encoding="utf-8")))
    used |= {f"{family}.{name}" for family, names in FAMILIES.items() for name in names}

    assert len(used) > 150
    assert sorted(used - set(CATALOGUES["en"])) == []


def test_every_state_transition_rule_guard_and_round_of_the_shipped_kinds_has_a_name() -> None:
    kinds = load_kinds(ROOT / "config" / "calls")
    needed = {f"guard.{name}" for name in GUARDS} | {f"rule.{name}" for name in SIGNATURES}
    for kind in kinds.values():
        for workflow in (kind.call_workflow, kind.submission_workflow):
            needed |= {f"state.{state}" for state in workflow.states}
            needed |= {f"transition.{name}" for name in workflow.transitions}
        if kind.jury:
            needed |= {f"round.{round_.name}" for round_ in kind.jury.rounds}

    assert sorted(needed - set(CATALOGUES["en"])) == []


def test_a_missing_translation_falls_back_to_english_never_to_the_key() -> None:
    t = translator("xx")

    assert t("nav.sign_in") == "Sign in"
    assert translator("fr")("submission.number", id=7) == "Candidature 7"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,de;q=0.9,pt;q=0.5,es;q=0.7", "es"),
        ("pt-BR", "pt"),
        ("en;q=0.1, es;q=0", "en"),
        ("de, *;q=0.5", None),
        ("", None),
    ],
)
def test_the_browser_language_is_the_first_of_ours_it_prefers(
    header: str, language: str | None
) -> None:
    assert negotiate(header) == language


def test_no_template_has_an_inline_script_or_style() -> None:
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path
        assert "<style" not in source and " style=" not in source, path
        assert not re.search(r"\son[a-z]+=", source), path  # no onclick= and the like


def test_the_vendored_htmx_is_there(tmp_path: Path) -> None:
    htmx = ROOT / "static" / "vendor" / "htmx.min.js"
    assert htmx.read_text(encoding="utf-8").startswith("var htmx=function()")


def test_a_text_missing_in_the_readers_language_is_shown_in_the_first_it_is_written_in() -> None:
    """An AIMF call is French first: a Spanish reader gets its French title, not English."""
    reader = Visitor(ANONYMOUS, "es", None, "/", translator("es"))
    title = {"fr": "Prix AIMF de la femme francophone 2027", "en": "AIMF Prize 2027"}

    assert reader.text(title) == "Prix AIMF de la femme francophone 2027"
    assert reader.text(title, "en") == "AIMF Prize 2027"
    assert reader.text({**title, "es": "Premio AIMF 2027"}) == "Premio AIMF 2027"
