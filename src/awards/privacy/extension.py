"""What privacy adds to the core: the kinds' `retention:` section."""

from __future__ import annotations

from awards.privacy.policy import SECTION, retention_section
from awards.transitions.extensions import Extensions


def extend(extensions: Extensions) -> None:
    extensions.section(SECTION, retention_section)
