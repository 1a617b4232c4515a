"""Names every layer shares, fixed by the code rather than by a call kind's file: the languages,
the lifecycle every call goes through, and the kinds of effect a transition may have.

Imports nothing of ours, so anything may import it.
"""

from __future__ import annotations

from enum import StrEnum

LANGUAGES = ("en", "fr", "es", "pt")
"""The languages a call, a page or an e-mail can be in."""


class CallState(StrEnum):
    """The lifecycle every call shares (DESIGN.md); kinds choose the transitions between them."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REVIEWING = "reviewing"
    DECIDING = "deciding"
    PUBLISHED = "published"
    ARCHIVED = "archived"


PUBLIC_CALL_STATES = frozenset(set(CallState) - {CallState.DRAFT, CallState.ARCHIVED})
"""The states in which anyone may see a call."""


class EffectKind(StrEnum):
    """What a transition's `effects` may name (`kind:argument` in a call kind's workflow); the
    package that carries each out registers its handler at start-up."""

    MAIL = "mail"
    """`mail:<template>`: the submission's organisation is mailed (`awards.notify`)."""
    DATABANK = "databank"
    """`databank:publish`: the submission becomes a databank entry (`awards.databank`)."""
    COMMITMENTS = "commitments"
    """`commitments:open`: the decided submission owes its agreement and reports, and is owed
    its payments, as the kind's `commitments:` section says (`awards.commitments`)."""
    VERSION = "version"
    """`version:record`: the submission's answers and documents are kept as its next submitted
    version, unless unchanged since the last one (`awards.submissions.versions`)."""
