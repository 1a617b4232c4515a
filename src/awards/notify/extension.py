"""What notification adds to the core: the `mail:<template>` effect."""

from __future__ import annotations

from awards.notify.effect import mail_effect
from awards.transitions.extensions import Extensions
from awards.vocabulary import EffectKind


def extend(extensions: Extensions) -> None:
    extensions.effect(EffectKind.MAIL, mail_effect)
