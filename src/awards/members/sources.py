"""The rows of a register export, CSV or XLSX, each with the number a spreadsheet shows.

Exports come from Excel in several locales: a CSV may be UTF-8 (with or without a byte-order
mark) or Windows-1252, and separated by commas, semicolons (French and Spanish Excel) or tabs.
A workbook is read from its first sheet, values only (formulas as last computed).
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

from awards.errors import Invalid

SEPARATORS = ",;\t"
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""A workbook's parts, uncompressed, at most: a register of thousands of members unpacks to a
few megabytes; a zip bomb (a small file unpacking to gigabytes) is refused unopened. Python's
zipfile never unpacks more than an entry declares, so the declared sizes can be trusted."""


@dataclass
class Table:
    """A header and the non-blank rows under it; `where` names a row as its reader sees it."""

    format: str
    unit: str
    """`line` in a CSV, `row` in a workbook."""
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str | None = None

    def where(self, number: int) -> str:
        return f"{self.unit} {number}"


def read_table(path: Path) -> Table:
    """The table in `path`, chosen by its extension; `Invalid` when it cannot be read."""
    if not path.is_file():
        raise Invalid(f"no file {path}", extra={"field": "file"})
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        table = _csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _xlsx(path)
    else:
        raise Invalid(
            f"{path.name}: export the register as .xlsx or .csv (not '{suffix or 'no extension'}')",
            extra={"field": "file"},
        )
    if not table.header:
        raise Invalid(f"{path.name} is empty", extra={"field": "file"})
    return table


def _csv(path: Path) -> Table:
    raw = path.read_bytes()
    encoding = "UTF-8"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = "Windows-1252"
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise Invalid(
                f"{path.name} is neither UTF-8 nor Windows-1252 text: save it as 'CSV UTF-8'",
                extra={"field": "file"},
            ) from None
    first_line = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    table = Table("CSV", "line", encoding=encoding)
    start = 1
    try:
        for cells in reader:
            _add(table, start, [cell.strip() for cell in cells])
            start = reader.line_num + 1
    except csv.Error as error:
        raise Invalid(f"{path.name}: line {start}: {error}", extra={"line": start}) from None
    return table


def _xlsx(path: Path) -> Table:
    table = Table("XLSX", "row")
    try:
        _check_unpacked_size(path)
        # openpyxl warns about styles and validations it does not keep; only values matter here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise Invalid(
            f"{path.name} is not an Excel workbook (.xlsx)", extra={"field": "file"}
        ) from None
    try:
        for cells in workbook.worksheets[0].iter_rows():
            # Padding cells carry no row number; a row with none of its own is blank.
            number = next((cell.row for cell in cells if isinstance(cell, ReadOnlyCell)), None)
            if number is not None:
                _add(table, number, [_text(cell.value) for cell in cells])
    finally:
        workbook.close()
    return table


def _check_unpacked_size(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise Invalid(
            f"{path.name} unpacks to {unpacked // 1024 // 1024} MB, more than a register's "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB: not read",
            extra={"field": "file"},
        )


def _add(table: Table, number: int, cells: list[str]) -> None:
    """Keep a non-blank row: the first one is the header."""
    if not any(cells):
        return
    if not table.header:
        table.header = cells
    else:
        table.rows.append((number, cells))


def _text(value: object) -> str:
    """A cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
