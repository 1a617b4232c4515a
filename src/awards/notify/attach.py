"""What a mail carries besides its text: attachments made when the mail is composed.

A call kind's file says which of its mails carries what, by the name a feature registered
its source under (`Extensions.attachment`); the receipt of a candidacy as sent is one:

```yaml
mail_attachments:
  submission_received: [receipt]
```

Queuing such a mail keeps, on its outbox row, each source's name and what it reads (the
submission and the audit entry of the change), not the file: the transaction that queues it
renders nothing heavy. The worker makes the files before it sends; a source that fails
leaves the mail to the usual retry, then to the dead letters (`awards.notify.delivery`), so
the mail is neither lost nor sent without what it announces.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from awards.db.tables import AuditEntry, OutboxMessage, Submission
from awards.errors import ConfigurationError
from awards.kinds.kind import CallKind
from awards.kinds.sections import Outline
from awards.kinds.yaml_nodes import mapping
from awards.notify.sender import Failure
from awards.notify.translations import sent_by
from awards.transitions.runtime import Attached, AttachmentSource, Runtime
from workflows import LocatedDict

log = logging.getLogger(__name__)

SECTION = "mail_attachments"

Attachments = Mapping[str, tuple[str, ...]]
"""The attachments' sources of each mail of a kind, by template."""


def attachments_section(
    sources: Mapping[str, AttachmentSource],
) -> Callable[[LocatedDict | None, Outline], Attachments | None]:
    """The parser of the kinds' `mail_attachments:` section, which may name the `sources`
    registered (read when the kinds load, after every feature registered its own)."""

    def parse(node: LocatedDict | None, outline: Outline) -> Attachments | None:
        if node is None:
            return None
        spec = mapping(node, outline.top.where(SECTION), SECTION)
        mails = sent_by(outline.call_workflow, outline.submission_workflow)
        for template, names in spec.items():
            if template not in mails:
                raise ConfigurationError(
                    f"{spec.where(template)}: no transition sends the mail '{template}'"
                )
            if not isinstance(names, list):
                raise ConfigurationError(f"{spec.where(template)}: a list of attachments")
            for name in names:
                if name not in sources:
                    raise ConfigurationError(
                        f"{spec.where(template)}: unknown attachment '{name}' "
                        f"(known: {', '.join(sorted(sources)) or 'none'})"
                    )
        return {template: tuple(names) for template, names in spec.items()}

    return parse


def attachments_of(
    kind: CallKind, template: str, *, submission: Submission, audit: AuditEntry
) -> list[dict[str, Any]]:
    """What an outbox row keeps of the attachments of `template` caused by `audit`."""
    names: tuple[str, ...] = (kind.section(SECTION, dict) or {}).get(template, ())
    return [
        {"source": name, "submission_id": submission.id, "audit_id": audit.id} for name in names
    ]


async def make_attachments(
    runtime: Runtime, mails: Sequence[OutboxMessage]
) -> tuple[dict[int, tuple[Attached, ...]], dict[int, Failure]]:
    """The files of each of `mails` that carries some, and why each one that could not be
    made is not sent now."""
    made: dict[int, tuple[Attached, ...]] = {}
    failed: dict[int, Failure] = {}
    for mail in mails:
        if not mail.attachments or mail.id is None:
            continue
        try:
            made[mail.id] = tuple(
                [await _make(runtime, about, mail.language) for about in mail.attachments]
            )
        except Exception as error:
            log.exception("mail %s: cannot make its attachments", mail.id)
            failed[mail.id] = Failure(f"cannot make an attachment: {type(error).__name__}: {error}")
    return made, failed


async def _make(runtime: Runtime, about: Mapping[str, Any], language: str) -> Attached:
    name = about["source"]
    source = runtime.attachments.get(name)
    if source is None:
        raise ConfigurationError(f"no feature makes the attachment '{name}'")
    return await source(runtime, about, language)
