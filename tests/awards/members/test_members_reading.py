"""Reading a register export without a database: header spellings, cell spellings, and the
progress shown on long files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from awards.errors import Invalid
from awards.members import values
from awards.members.columns import match_columns
from awards.members.progress import TerminalProgress
from awards.members.reading import read_register


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Name", "name"),
        ("Nom", "name"),
        ("Nombre", "name"),
        ("PAYS", "country"),
        ("País", "country"),
        ("Région", "region"),
        ("Réseau", "network"),
        ("Red", "network"),
        ("Member since", "member_since"),
        ("Membre depuis", "member_since"),
        ("Año de adhesión", "member_since"),
        ("fees-up-to-date", "fees_up_to_date"),
        ("Cotisation à jour", "fees_up_to_date"),
        ("Cuotas al día", "fees_up_to_date"),
        ("Remarques", "note"),
        ("Observaciones", "note"),
        ("Type", "kind"),
    ],
)
def test_header_spellings_in_english_french_and_spanish_name_their_field(
    header: str, field: str
) -> None:
    headers = [header, *(required for required in ("name", "country") if required != field)]

    columns = match_columns(headers, where="f.csv")

    assert columns.position[field] == 0


def test_two_columns_for_one_field_are_refused_naming_both() -> None:
    with pytest.raises(Invalid) as refused:
        match_columns(["Nom", "Pays", "Country"], where="f.csv")

    assert (
        refused.value.message == "f.csv: columns 'Pays' and 'Country' both give country; keep one"
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("true", True),
        ("Oui", True),
        ("sí", True),
        ("X", True),
        ("0", False),
        ("non", False),
        ("", False),
    ],
)
def test_fee_status_is_read_in_each_language(cell: str, expected: bool) -> None:
    assert values.fees_up_to_date(cell) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("IAEC", "IAEC"),
        ("aice", "IAEC"),
        ("AIVE", "IAEC"),
        ("aimf", "AIMF"),
        ("", None),
        ("-", None),
    ],
)
def test_network_spellings_are_the_two_networks_or_none(cell: str, expected: str | None) -> None:
    assert values.network(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Ville", "city"), ("asociación", "association"), ("ONG", "civil_society"), ("", "city")],
)
def test_kind_spellings_are_the_three_kinds(cell: str, expected: str) -> None:
    assert values.kind(cell) == expected


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "register.xlsx"
    fake.write_text("name,country\n")

    with pytest.raises(Invalid) as refused:
        read_register(fake)

    assert refused.value.message == "register.xlsx is not an Excel workbook (.xlsx)"


def test_an_old_xls_is_refused_with_what_to_do(tmp_path: Path) -> None:
    old = tmp_path / "register.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")

    with pytest.raises(Invalid) as refused:
        read_register(old)

    assert (
        refused.value.message == "register.xls: export the register as .xlsx or .csv (not '.xls')"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def long_register(path: Path, rows: int) -> Path:
    path.write_text(
        "name,country\n" + "".join(f"City {n},ES\n" for n in range(rows)), encoding="utf-8"
    )
    return path


def test_a_long_file_shows_a_line_every_n_rows_in_a_log(tmp_path: Path) -> None:
    log = io.StringIO()

    read_register(
        long_register(tmp_path / "long.csv", 250), progress=TerminalProgress(log, every=100)
    )

    assert log.getvalue() == "reading: 100/250\nreading: 200/250\nreading: 250/250\n"


def test_a_long_file_rewrites_one_line_on_a_terminal(tmp_path: Path) -> None:
    terminal = Terminal()

    read_register(
        long_register(tmp_path / "long.csv", 200), progress=TerminalProgress(terminal, every=100)
    )

    shown = terminal.getvalue()
    assert shown.count("\r") == 100
    assert shown.endswith("\rreading: 198/200 (99%)\rreading: 200/200 (100%)\n")


def test_a_short_file_shows_no_progress(tmp_path: Path) -> None:
    log, terminal = io.StringIO(), Terminal()

    for stream in (log, terminal):
        read_register(
            long_register(tmp_path / "short.csv", 99), progress=TerminalProgress(stream, every=100)
        )

    assert (log.getvalue(), terminal.getvalue()) == ("", "")
