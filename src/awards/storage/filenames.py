"""File names as clients send them, made safe to store, show and put in a header.

A name is only a label here (blobs are named by content), but it travels back to people in
`Content-Disposition` and on pages: no path, no control or bidirectional characters (which
could split a header or disguise `exe` as `pdf`), no leading dots, a bounded length.
Letters of every script stay.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 120
FALLBACK_STEM = "attachment"
_RESERVED = str.maketrans(dict.fromkeys('<>:"|?*', "_"))
_EXTENSION = re.compile(r"(.*)\.([A-Za-z0-9]{1,10})", re.DOTALL)


def clean(raw: str) -> tuple[str, str]:
    """`(stem, extension)` of the last path segment of `raw`, both safe; either may be empty."""
    name = re.split(r"[/\\]", raw)[-1]
    name = unicodedata.normalize("NFC", name)
    # Category C: controls (CR, LF, NUL), format characters (RTL override), unassigned.
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(name.translate(_RESERVED).split()).rstrip(". ")
    found = _EXTENSION.fullmatch(name)
    stem, extension = (found.group(1), found.group(2)) if found else (name, "")
    return stem.strip(". "), extension


def compose(stem: str, extension: str) -> str:
    """`stem.extension` within `MAX_LENGTH` characters, `attachment.<ext>` for an empty stem."""
    suffix = f".{extension}" if extension else ""
    stem = stem[: MAX_LENGTH - len(suffix)].rstrip(". ") or FALLBACK_STEM
    return stem + suffix
