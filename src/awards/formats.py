"""Text made safe for the open formats we write, whatever it holds: CSV and XML.

Every CSV the service writes goes through `csv_text`, every text of an XML document
through `xml_text`, so that no export or feed has to remember it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list): `=HYPERLINK(...)`."""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold, even escaped: a form feed made the Atom feed invalid."""


def csv_cell(value: object) -> object:
    """A text that a spreadsheet would run as a formula, quoted to be read as text; numbers
    and other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV (RFC 4180) with `header`, every cell through `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)
