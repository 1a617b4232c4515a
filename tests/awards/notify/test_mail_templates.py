"""Every e-mail a transition sends renders in each language of its call kind, with the call's
data; a missing translation falls back to the default language and is reported."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from awards.assembly import build_runtime
from awards.kinds.forms import FieldType, FormField
from awards.kinds.kind import CallKind
from awards.notify.render import MailRenderer, renderer
from awards.notify.translations import translation_gaps
from awards.transitions.runtime import Runtime
from conftest import ROOT
from harness.databases import repository_settings

SAMPLES: dict[FieldType, Any] = {
    FieldType.DATE: "2024-09-01",
    FieldType.NUMBER: 12,
    FieldType.MONEY: {"amount": "1500.00", "currency": "EUR"},
    FieldType.EMAIL: "ada.serra@barcelona.test",
    FieldType.URL: "https://barcelona.test/schools",
    FieldType.FILE: {"filename": "report.pdf", "sha256": "9f86d081884c7d65", "size": 2048},
    FieldType.ORGANISATION: "barcelona",
}


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    """Call kinds and templates only: these tests need no database, so they run once."""
    runtime = build_runtime(repository_settings(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}"))
    yield runtime
    await runtime.close()


def sample_answer(field: FormField, languages: tuple[str, ...]) -> Any:
    """A plausible answer to `field`, of the shape its type asks for."""
    if field.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        text = field.label.get("en", field.name)
        return (
            {language: f"{text} ({language})" for language in languages}
            if field.multilingual
            else text
        )
    if field.type is FieldType.CHOICE:
        return field.options[0]
    if field.type is FieldType.MULTI_CHOICE:
        return list(field.options[:2])
    return SAMPLES[field.type]


def call_data(kind: CallKind, language: str, state: str) -> dict[str, Any]:
    """What a transition gives its e-mail (`awards.transitions.apply` and `awards.notify.recipients`)."""
    answers = {field.name: sample_answer(field, kind.languages) for field in kind.form.fields}
    return {
        "call_title": f"{kind.name[language]} 2026",
        "edition": "2026",
        "reason": "membership fees for 2025 are unpaid",
        "name": "Ada Serra",
        "body": kind.body.with_article[language] if kind.body else "",
        "submission_id": 7,
        "state": state,
        "answers": answers,
        "answered": kind.form.as_read(answers, language=language, default=kind.default_language),
        "comments": ["A model of openness to the neighbourhood."],
        "inputs": {f.name: sample_answer(f, kind.languages) for f in kind.inputs_form.fields},
        "url": "https://awards.test/my/submissions/7",
    }


async def test_every_mail_of_every_call_kind_renders_in_each_of_its_languages(
    runtime: Runtime,
) -> None:
    problems = []
    rendered = 0
    for kind in runtime.kinds.values():
        for workflow in (kind.call_workflow, kind.submission_workflow):
            for transition in workflow.transitions.values():
                for effect in transition.effects:
                    if effect.kind != "mail":
                        continue
                    for language in kind.languages:
                        where = f"{kind.slug} {transition.name} {effect.argument} {language}"
                        values = call_data(kind, language, transition.dest)
                        try:
                            mail = renderer(runtime.settings.templates_dir).render(
                                effect.argument,
                                language=language,
                                fallback=kind.default_language,
                                values=values,
                            )
                        except Exception as error:
                            problems.append(f"{where}: {error}")
                            continue
                        rendered += 1
                        if mail.language != language:
                            problems.append(f"{where}: fell back to {mail.language}")
                        if values["call_title"] not in mail.text:
                            problems.append(f"{where}: the text does not name the call")
                        reads_body = "body" in renderer(runtime.settings.templates_dir).variables(
                            effect.argument
                        )
                        if reads_body and values["body"] not in mail.text:
                            problems.append(f"{where}: the text does not name who decided")
                        if not mail.subject:
                            problems.append(f"{where}: no subject")

    assert problems == []
    assert rendered >= 6 * 4  # the award's six mailing transitions in four languages


async def test_a_missing_translation_falls_back_to_the_default_language_and_is_reported(
    runtime: Runtime, tmp_path: Path
) -> None:
    shutil.copytree(ROOT / "templates" / "emails", tmp_path / "emails")
    (tmp_path / "emails" / "fr" / "result.j2").unlink()
    renderer = MailRenderer(tmp_path)
    award = runtime.kind("educating-cities-award")

    gaps = translation_gaps([award], renderer)
    mail = renderer.render(
        "result", language="fr", fallback="en", values=call_data(award, "fr", "laureate")
    )

    assert [str(gap) for gap in gaps] == [
        "educating-cities-award: e-mail 'result' has no fr text; fr readers get it in en"
    ]
    assert (mail.language, mail.subject) == (
        "en",
        "Result of Prix Villes éducatrices 2026 for candidacy 7",
    )
