"""What submissions add to the core: the `version:record` effect, the kinds' `revision:`
section, and the `receipt` a mail may carry, written in the pages' `words`."""

from __future__ import annotations

from awards.submissions.receipt import RECEIPT, Words, receipt_source
from awards.submissions.versions import SECTION, record_version_effect, revision_section
from awards.transitions.extensions import Extensions
from awards.vocabulary import EffectKind


def extend(extensions: Extensions, *, words: Words) -> None:
    extensions.effect(EffectKind.VERSION, record_version_effect)
    extensions.section(SECTION, revision_section)
    extensions.attachment(RECEIPT, receipt_source(words))
