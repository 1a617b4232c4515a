"""What notification adds to the core: the `mail:<template>` effect, and the kinds'
`mail_attachments:` section, which names the attachments other features register."""

from __future__ import annotations

from awards.notify.attach import SECTION, attachments_section
from awards.notify.effect import mail_effect
from awards.transitions.extensions import Extensions
from awards.vocabulary import EffectKind


def extend(extensions: Extensions) -> None:
    extensions.effect(EffectKind.MAIL, mail_effect)
    extensions.section(SECTION, attachments_section(extensions.attachments))
