"""The words full-text search sees: case and accents folded, split on what is not a letter
or a digit.

The stored `search_text` and every query go through `words`, so SQLite's FTS5 index and
PostgreSQL's `simple` text search are given the same tokens and find the same entries.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """`"Écoles ouvertes, L'Hospitalet"` -> `["ecoles", "ouvertes", "l", "hospitalet"]`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return _WORD.findall(bare)
