"""The `mail:<template>` effect of a submission's transition: its organisation's applicants
are mailed, each in their language, in the transaction of the change (invariant 6), with the
attachments the kind gives that mail (`awards.notify.attach`).

A template reads the values below; any other it names is asked of the features that provide
it (`Occasion.value`: the jury's comments to the applicant), and only when the template reads
it, so a transition pays for what its mail shows.
"""

from __future__ import annotations

from typing import Any

from awards.db.lookups import organisation_by_slug
from awards.db.tables import Submission
from awards.kinds.forms import FieldType, Form
from awards.kinds.kind import CallKind
from awards.notify.attach import attachments_of
from awards.notify.recipients import mail_organisation
from awards.notify.render import InReadersLanguage, renderer
from awards.transitions.runtime import Occasion
from awards.urls import absolute, my_submission

SHARED = frozenset({"call_title", "edition", "reason", "name", "body"})
"""Values `mail_people` gives every mail."""

READ = "answered"
"""The answers as the reader reads them: (label, answer) pairs in the reader's language, with
organisations by name (`Form.as_read`); `answers` holds the stored values."""


async def mail_effect(occasion: Occasion) -> None:
    """Mail the submission's organisation; a call's own transitions mail no one."""
    submission = occasion.subject
    if not isinstance(submission, Submission):
        return
    assert submission.id is not None
    runtime, template = occasion.runtime, occasion.argument
    values: dict[str, Any] = {
        "submission_id": submission.id,
        "state": submission.state,
        "answers": submission.answers,
        "url": absolute(runtime.settings.base_url, my_submission(submission.id)),
    }
    kind = occasion.kind
    for name in sorted(renderer(runtime.settings.templates_dir).variables(template)):
        if name == "inputs":
            values[name] = await _named(occasion, kind.inputs_form, submission.inputs)
        elif name == READ:
            values[name] = _as_read(kind, await _named(occasion, kind.form, submission.answers))
        elif name not in values and name not in SHARED:
            values[name] = await occasion.value(name)
    await mail_organisation(
        occasion.session,
        runtime,
        template,
        call=occasion.call,
        organisation_id=submission.organisation_id,
        audit=occasion.audit,
        submission_id=submission.id,
        values=values,
        attachments=attachments_of(kind, template, submission=submission, audit=occasion.audit),
    )


def _as_read(kind: CallKind, answers: dict[str, Any]) -> InReadersLanguage:
    return InReadersLanguage(
        lambda language: kind.form.as_read(
            answers, language=language, default=kind.default_language
        )
    )


async def _named(occasion: Occasion, form: Form, values: dict[str, Any]) -> dict[str, Any]:
    """`values` of `form` as a person reads them: organisations by name, not slug."""
    named = dict(values)
    for name, value in values.items():
        field = form.field(name)
        if field is not None and field.type is FieldType.ORGANISATION:
            organisation = await organisation_by_slug(occasion.session, value)
            named[name] = organisation.name if organisation else value
    return named
