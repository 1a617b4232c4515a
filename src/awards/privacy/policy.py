"""A call kind's `retention:` section: how long its submissions keep their contents.

```yaml
retention:
  draft_months: 6      # drafts never submitted: deleted 6 months after the call closes
  dossier_years: 5     # dossiers never published to the databank: 5 years after it closes
```

Without the section a kind keeps everything; `awards.privacy.retention` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from awards.clock import months_after
from awards.errors import ConfigurationError
from awards.kinds.kind import CallKind
from awards.kinds.sections import Outline
from awards.kinds.yaml_nodes import mapping, require
from workflows import LocatedDict

SECTION = "retention"

KEYS = ("draft_months", "dossier_years")


@dataclass(frozen=True)
class Retention:
    """How long after its call closes a submission keeps its answers and documents."""

    draft_months: int | None = None
    """Drafts never submitted; None: kept."""
    dossier_years: int | None = None
    """Submitted dossiers not in the databank; None: kept."""

    @property
    def shortest_months(self) -> int | None:
        """Months after the close when the first contents fall due; None: all are kept."""
        months = [] if self.draft_months is None else [self.draft_months]
        if self.dossier_years is not None:
            months.append(12 * self.dossier_years)
        return min(months, default=None)

    def draft_deadline(self, closes_at: datetime) -> datetime | None:
        if self.draft_months is None:
            return None
        return months_after(closes_at, self.draft_months)

    def dossier_deadline(self, closes_at: datetime) -> datetime | None:
        if self.dossier_years is None:
            return None
        return months_after(closes_at, 12 * self.dossier_years)


def retention_section(node: LocatedDict | None, outline: Outline) -> Retention:
    """The kind's `retention:` section (`awards.kinds.sections`); without one, keep everything."""
    return (
        parse_retention(node, where=outline.top.where(SECTION)) if node is not None else Retention()
    )


def retention_of(kind: CallKind) -> Retention:
    return kind.section(SECTION, Retention) or Retention()


def parse_retention(node: Any, *, where: str) -> Retention:
    spec = mapping(node, where, "retention")
    for key in spec:
        if key not in KEYS:
            raise ConfigurationError(
                f"{spec.where(key)}: unknown retention key '{key}'; keys: {', '.join(KEYS)}"
            )
    values: dict[str, int] = {}
    for key in KEYS:
        if key in spec:
            value = require(spec, key, int)
            if isinstance(value, bool) or value < 1:
                raise ConfigurationError(f"{spec.where(key)}: '{key}' is a whole number from 1")
            values[key] = value
    return Retention(**values)
