"""What commitments add to the core: the `commitments:open` effect and the kinds'
`commitments:` section."""

from __future__ import annotations

from awards.commitments.obligations import open_commitments
from awards.commitments.spec import SECTION, commitments_section
from awards.transitions.extensions import Extensions
from awards.vocabulary import EffectKind


def extend(extensions: Extensions) -> None:
    extensions.effect(EffectKind.COMMITMENTS, open_commitments)
    extensions.section(SECTION, commitments_section)
