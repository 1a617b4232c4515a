"""Which e-mails of a call kind are missing in one of its languages (invariant 8).

A missing translation is not an error when mail is sent: the reader gets the call kind's
default language (`MailRenderer.render`). `awards mail check-templates` lists them so that
they get written; an e-mail missing in the default language too could not be sent at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from awards.kinds.kind import CallKind
from awards.notify.render import MailRenderer
from workflows import Workflow


@dataclass(frozen=True)
class Gap:
    """E-mail `template` of call kind `kind` has no `language` text."""

    kind: str
    template: str
    language: str
    fallback: str | None
    """The language its readers get instead; `None` when the default is missing too."""

    def __str__(self) -> str:
        instead = (
            f"{self.language} readers get it in {self.fallback}"
            if self.fallback
            else f"it cannot be sent to {self.language} readers"
        )
        return f"{self.kind}: e-mail '{self.template}' has no {self.language} text; {instead}"


def mail_templates(kind: CallKind) -> list[str]:
    """The e-mails the transitions of `kind` send (their `mail:` effects)."""
    return sent_by(kind.call_workflow, kind.submission_workflow)


def sent_by(*workflows: Workflow) -> list[str]:
    """The e-mails the transitions of `workflows` send."""
    return sorted(
        {
            effect.argument
            for workflow in workflows
            for transition in workflow.transitions.values()
            for effect in transition.effects
            if effect.kind == "mail"
        }
    )


def translation_gaps(kinds: Iterable[CallKind], renderer: MailRenderer) -> list[Gap]:
    """Each e-mail of each call kind, in each of the kind's languages, that is not written."""
    gaps: list[Gap] = []
    for kind in kinds:
        for template in mail_templates(kind):
            fallback = (
                kind.default_language
                if renderer.exists(template, language=kind.default_language)
                else None
            )
            gaps.extend(
                Gap(kind.slug, template, language, fallback)
                for language in kind.languages
                if not renderer.exists(template, language=language)
            )
    return gaps
