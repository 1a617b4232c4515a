"""The shipped call-kind files as a whole: they load, every mail they send is written in each
of their languages, and the README shows each kind's submission lifecycle as the CLI draws it.
(That each of those mails renders with a transition's data is tests/awards/notify's concern.)"""

from __future__ import annotations

import pytest

from awards.assembly import load_kinds
from awards.kinds.kind import CallKind
from awards.notify.render import MailRenderer
from awards.notify.translations import mail_templates, translation_gaps
from conftest import ROOT
from workflows import mermaid

KINDS = load_kinds(ROOT / "config" / "calls")


def test_the_kinds_of_design_md_and_the_three_added_by_configuration_are_shipped_and_load() -> None:
    assert sorted(KINDS) == [
        "aimf-femme-francophone",
        "aimf-gender-equality-prize",
        "aimf-pilot-projects",
        "congress-experiences",
        "congress-host-bid",
        "educating-cities-award",
        "educating-city-seal",
        "membership-scholarship",
        "monograph-articles",
    ]
    assert {slug: kind.default_language for slug, kind in KINDS.items()} == {
        "aimf-femme-francophone": "fr",
        "aimf-gender-equality-prize": "fr",
        "aimf-pilot-projects": "fr",
        "congress-experiences": "en",
        "congress-host-bid": "en",
        "educating-cities-award": "en",
        "educating-city-seal": "en",
        "membership-scholarship": "en",
        "monograph-articles": "en",
    }


def test_the_iaec_s_public_texts_are_written_in_one_language_the_others_in_all() -> None:
    assert {slug: kind.form.written_in for slug, kind in KINDS.items()} == {
        "aimf-femme-francophone": "all",
        "aimf-gender-equality-prize": "all",
        "aimf-pilot-projects": "all",
        "congress-experiences": "one",
        "congress-host-bid": "one",
        "educating-cities-award": "one",
        "educating-city-seal": "one",
        "membership-scholarship": "all",
        "monograph-articles": "one",
    }


def test_every_mail_a_kind_sends_is_written_in_each_of_its_languages() -> None:
    renderer = MailRenderer(ROOT / "templates")

    gaps = translation_gaps(KINDS.values(), renderer)

    assert [str(gap) for gap in gaps] == []
    assert [slug for slug, kind in KINDS.items() if not mail_templates(kind)] == []


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_the_readme_shows_the_submission_lifecycle_of_each_kind_as_the_cli_draws_it(
    kind: CallKind,
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert f"```mermaid\n{mermaid(kind.submission_workflow)}```" in readme
    assert f"`awards workflow diagram {kind.slug}`" in readme
