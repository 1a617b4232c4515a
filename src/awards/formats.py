"""Text made safe for the open formats we write, whatever it holds: CSV, XLSX and XML.

Every CSV the service writes goes through `csv_text`, every text of an XML document
through `xml_text`, so that no export or feed has to remember it. A table meant for a
spreadsheet is `spreadsheet_csv` (a byte-order mark, or accents come out mangled) or `xlsx`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

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


def spreadsheet_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """`csv_text` in UTF-8 behind a byte-order mark, the sign spreadsheets read it by."""
    return "\ufeff".encode() + csv_text(header, rows).encode()


def xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of one sheet, `title`, with `header` in bold. A text is always a text,
    never a formula, and loses the control characters the format cannot hold."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Sheet"
    for row in (header, *rows):
        sheet.append([_xlsx_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # append() took "=..." for a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)
