"""Why a check fails, as a code with its values: the API keeps its English reason beside the
code, and the pages say it in the reader's language."""

from __future__ import annotations

import pytest
from pages import section, signed_in, text

from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, draft
from harness.seeding import applicant, city

FEES_LATE = {
    "en": "Late City's membership fees are not up to date",
    "fr": "les cotisations de Late City ne sont pas à jour",
    "es": "las cuotas de Late City no están al día",
    "pt": "as quotas de Late City não estão em dia",
}


@pytest.mark.parametrize("language", sorted(FEES_LATE))
async def test_a_failing_rule_is_explained_in_the_applicants_language(
    client: Client,
    runtime: Runtime,
    tokens: Tokens,
    clock: MovableClock,
    open_award: int,
    language: str,
) -> None:
    late = await applicant(runtime, clock, city("Late City", fees=False))
    submission = await draft(runtime, open_award, late)
    browser = await signed_in(client, runtime, late)
    await browser.post("/language", {"language": language, "next": "/my"})

    page = await browser.get(f"/my/submissions/{submission}")
    api = await browser.get(f"/api/v1/submissions/{submission}/transitions")

    assert FEES_LATE[language] in section(page.text, "checks")
    assert f'<span lang="en">{FEES_LATE["en"]}' not in page.text
    submit = next(option for option in api.json() if option["name"] == "submit")
    assert submit["failed_guards"] == [
        {"guard": "iaec_member", "code": "fees_not_up_to_date", "reason": FEES_LATE["en"]}
    ]


NOT_A_MEMBER = {
    "en": "Outside City is not a member of IAEC",
    "fr": "Outside City n'est pas membre du réseau AIVE",
    "es": "Outside City no es miembro de la red AICE",
    "pt": "Outside City não é membro da rede AICE",
}


@pytest.mark.parametrize("language", sorted(NOT_A_MEMBER))
async def test_a_network_is_named_as_the_reader_names_it(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    open_award: int,
    language: str,
) -> None:
    outsider = await applicant(runtime, clock, city("Outside City", network=None))
    submission = await draft(runtime, open_award, outsider)
    browser = await signed_in(client, runtime, outsider)
    await browser.post("/language", {"language": language, "next": "/my"})

    page = await browser.get(f"/my/submissions/{submission}")

    assert NOT_A_MEMBER[language] in text(section(page.text, "checks"))


async def test_a_refused_step_shows_its_reason_translated_with_the_states_named(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner, staff = tokens.actors["owner"], tokens.actors["secretariat"]
    submission = await draft(runtime, open_award, owner)
    await SubmissionService(runtime).fire(submission, "submit", actor=owner)
    await SubmissionService(runtime).fire(submission, "mark_eligible", actor=staff)
    browser = await signed_in(client, runtime, staff)
    await browser.post("/language", {"language": "fr", "next": "/secretariat"})

    refused = await browser.post(
        f"/secretariat/calls/{open_award}/submissions/{submission}/transitions",
        {"name": "start_review"},
    )

    assert refused.status_code == 409
    shown = text(refused.text)
    assert "Ce n'est pas possible maintenant" in shown
    assert "l'appel est à l'état « Ouvert », pas « Évaluation en cours »" in shown
