"""What the databank adds to the core: the `databank:publish` effect and the kinds' `databank:`
section."""

from __future__ import annotations

from awards.databank.entries import publish_effect
from awards.databank.mapping import SECTION, databank_section
from awards.transitions.extensions import Extensions
from awards.vocabulary import EffectKind


def extend(extensions: Extensions) -> None:
    extensions.effect(EffectKind.DATABANK, publish_effect)
    extensions.section(SECTION, databank_section)
