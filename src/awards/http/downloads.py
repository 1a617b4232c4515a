"""How a file the service sends is named to the browser (RFC 6266, RFC 8187)."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from awards.storage import filenames


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment` (or `inline`: shown in the page) with an ASCII `filename` for old clients
    and the exact name in `filename*`, so no name can break out of the header."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = filenames.compose(*filenames.clean(ascii_name))
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
