"""What submissions add to the core: the `version:record` effect and the kinds' `revision:`
section."""

from __future__ import annotations

from awards.submissions.versions import SECTION, record_version_effect, revision_section
from awards.transitions.extensions import Extensions
from awards.vocabulary import EffectKind


def extend(extensions: Extensions) -> None:
    extensions.effect(EffectKind.VERSION, record_version_effect)
    extensions.section(SECTION, revision_section)
