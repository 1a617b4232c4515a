"""Importing the Secretariat's register export: all or nothing, a dry run that writes nothing,
a second import that changes nothing, and an audit row for every field it changes."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlmodel import col

from awards.db.tables import Organisation, RegisterChange
from awards.errors import Invalid
from awards.members.importing import ImportReport, import_register
from awards.members.progress import TerminalProgress
from awards.members.register import Member, upsert_members
from awards.members.report import describe
from awards.transitions.runtime import Runtime
from conftest import MovableClock

SAMPLE = Path(__file__).resolve().parents[3] / "config" / "demo" / "members.csv"
"""A copy of the shared `members-sample.csv`."""
BY = "staff@edcities.test"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "members-sample.csv"
    shutil.copy(SAMPLE, path)
    return path


def write_csv(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def sample_rows(sample: Path) -> list[list[str]]:
    with sample.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


async def run(
    runtime: Runtime, clock: MovableClock, path: Path, *, dry_run: bool = False
) -> ImportReport:
    return await import_register(runtime.db, path, by=BY, now=clock(), dry_run=dry_run)


async def organisations(runtime: Runtime) -> dict[str, Organisation]:
    async with runtime.db.read() as session:
        return {o.slug: o for o in await session.scalars(select(Organisation))}


async def audit(runtime: Runtime) -> list[RegisterChange]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(RegisterChange).order_by(col(RegisterChange.id))))


async def test_the_sample_creates_every_organisation_and_a_second_import_changes_nothing(
    runtime: Runtime, clock: MovableClock, sample: Path
) -> None:
    first = await run(runtime, clock, sample)
    audited = len(await audit(runtime))
    clock.advance(timedelta(hours=1))
    second = await run(runtime, clock, sample)

    stored = await organisations(runtime)
    assert len(stored) == 36
    barcelona, modelo = stored["barcelona"], stored["cidade-modelo"]
    assert (barcelona.name, barcelona.country, barcelona.network, barcelona.member_since) == (
        "Barcelona",
        "ES",
        "IAEC",
        1994,
    )
    assert (barcelona.fees_up_to_date, barcelona.city, barcelona.kind) == (
        True,
        "Barcelona",
        "city",
    )
    assert barcelona.note == "real city; dates and fees illustrative"
    assert (modelo.network, modelo.member_since, modelo.fees_up_to_date) == (None, None, False)
    assert describe(first)[-1] == "imported: 36 new, 0 changed, 0 unchanged"
    assert describe(second)[-2:] == [
        "unchanged: 36",
        "nothing to change: the database already matches members-sample.csv",
    ]
    assert len(await audit(runtime)) == audited


async def test_a_dry_run_lists_new_changed_and_unchanged_and_writes_nothing(
    runtime: Runtime, clock: MovableClock, sample: Path, tmp_path: Path
) -> None:
    await run(runtime, clock, sample)
    rows = sample_rows(sample)
    rows[3][5], rows[3][6] = "false", "fees reminder sent"  # Lisboa
    rows.append(["Granada", "ES", "Europe", "IAEC", "2022", "true", ""])
    edited = write_csv(tmp_path / "register.csv", rows)
    audited = len(await audit(runtime))

    report = await run(runtime, clock, edited, dry_run=True)

    assert describe(report) == [
        "register.csv: 37 organisations (CSV, 37 rows)",
        "not in the file, left as they are: kind",
        'new: Granada [granada]: country="ES", region="Europe", network="IAEC", '
        "member_since=2022, fees_up_to_date=yes",
        'changed: Lisboa [lisboa]: fees_up_to_date yes -> no, note (empty) -> "fees reminder sent"',
        "unchanged: 35",
        "dry run: 1 new, 1 changed, 35 unchanged; nothing was written",
    ]
    stored = await organisations(runtime)
    assert ("granada" in stored, stored["lisboa"].fees_up_to_date) == (False, True)
    assert len(await audit(runtime)) == audited


async def test_each_changed_field_is_audited_with_who_when_old_new_and_file(
    runtime: Runtime, clock: MovableClock, sample: Path, tmp_path: Path
) -> None:
    await run(runtime, clock, sample)
    rows = sample_rows(sample)
    rows[3][5], rows[3][6] = "false", "fees reminder sent"
    clock.advance(timedelta(days=1))
    edited = write_csv(tmp_path / "register-2026-03.csv", rows)

    report = await run(runtime, clock, edited)

    lisboa = (await organisations(runtime))["lisboa"]
    changes = [
        (c.organisation_id, c.field, c.old_value, c.new_value, c.changed_by, c.changed_at, c.source)
        for c in await audit(runtime)
        if c.source == "register-2026-03.csv"
    ]
    assert changes == [
        (lisboa.id, "fees_up_to_date", "true", "false", BY, clock(), "register-2026-03.csv"),
        (lisboa.id, "note", None, "fees reminder sent", BY, clock(), "register-2026-03.csv"),
    ]
    assert (lisboa.fees_up_to_date, lisboa.note) == (False, "fees reminder sent")
    assert describe(report)[-1] == "imported: 0 new, 1 changed, 35 unchanged"


async def test_a_malformed_row_refuses_the_whole_file_naming_each_line_and_what_is_wrong(
    runtime: Runtime, clock: MovableClock, sample: Path, tmp_path: Path
) -> None:
    rows = sample_rows(sample)
    rows[4][1] = "Portugal"  # Cascais, line 5
    rows[5][4] = "20x1"  # Odivelas, line 6
    rows[7][3], rows[7][5] = "UCLG", "maybe"  # Bruxelles, line 8
    broken = write_csv(tmp_path / "broken.csv", rows)

    with pytest.raises(Invalid) as refused:
        await run(runtime, clock, broken)

    assert refused.value.message == (
        "broken.csv: 3 rows are malformed; nothing was imported\n"
        "  line 5: country is 'Portugal', not an ISO 3166-1 alpha-2 code such as ES or FR\n"
        "  line 6: member_since '20x1' is not a year\n"
        "  line 8: network 'UCLG' is not IAEC, AIMF or empty; "
        "fees_up_to_date 'maybe' is not yes or no (true/false, oui/non, sí/no)"
    )
    assert (await organisations(runtime), await audit(runtime)) == ({}, [])


async def test_the_same_organisation_twice_is_refused_naming_both_lines(
    runtime: Runtime, clock: MovableClock, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "twice.csv",
        [
            ["name", "country"],
            ["Genève", "CH"],
            ["Lausanne", "CH"],
            ["Geneve", "CH"],
        ],
    )

    with pytest.raises(Invalid) as refused:
        await run(runtime, clock, path)

    assert refused.value.message.splitlines()[1] == (
        "  line 4: 'Geneve' is the organisation of line 2 ('Genève'): list it once"
    )
    assert await organisations(runtime) == {}


async def test_an_xlsx_export_with_spanish_headers_and_blank_rows_is_read_by_row_number(
    runtime: Runtime, clock: MovableClock, tmp_path: Path
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nombre", "País", "Región", "Red", "Miembro desde", "Cuota al día", "Tipo"])
    sheet.append(["Rosario", "ar", "Latin America", "AICE", 1994, True, "ciudad"])
    sheet.append([])
    sheet.append(["Red de Ciudades", "ES", "Europe", None, None, "no", "asociación"])
    workbook.save(tmp_path / "socios.xlsx")
    sheet.append(["Medellín", "Colombia", "Latin America", "AICE", 2004, "sí", "ciudad"])
    workbook.save(tmp_path / "socios-mal.xlsx")

    with pytest.raises(Invalid) as refused:
        await run(runtime, clock, tmp_path / "socios-mal.xlsx")
    report = await run(runtime, clock, tmp_path / "socios.xlsx")

    assert refused.value.message.splitlines()[1] == (
        "  row 5: country is 'Colombia', not an ISO 3166-1 alpha-2 code such as ES or FR"
    )
    stored = await organisations(runtime)
    rosario, association = stored["rosario"], stored["red-de-ciudades"]
    assert (rosario.country, rosario.network, rosario.fees_up_to_date, rosario.kind) == (
        "AR",
        "IAEC",
        True,
        "city",
    )
    assert (association.kind, association.city, association.network) == (
        "association",
        None,
        None,
    )
    assert describe(report)[:2] == [
        "socios.xlsx: 2 organisations (XLSX, 2 rows)",
        "not in the file, left as they are: note, aliases",
    ]


async def test_a_french_excel_csv_with_semicolons_in_windows_1252_is_understood(
    runtime: Runtime, clock: MovableClock, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "membres.csv",
        [
            ["Nom", "Pays", "Réseau", "Membre depuis", "Cotisation à jour", "Remarque", "Contact"],
            ["Montréal", "CA", "AIMF", "1979", "oui", "à relancer; en mai", "x@y.test"],
            ["Québec", "CA", "AIMF", "1979-05-01", "non", "", ""],
        ],
        delimiter=";",
        encoding="cp1252",
    )

    report = await run(runtime, clock, path)

    stored = await organisations(runtime)
    assert (stored["montreal"].name, stored["montreal"].note) == ("Montréal", "à relancer; en mai")
    assert (stored["quebec"].member_since, stored["quebec"].fees_up_to_date) == (1979, False)
    assert describe(report)[:3] == [
        "membres.csv: 2 organisations (CSV, Windows-1252, 2 rows)",
        "columns ignored: Contact",
        "not in the file, left as they are: kind, region, aliases",
    ]


async def test_a_column_the_file_lacks_is_left_as_it_is(
    runtime: Runtime, clock: MovableClock, tmp_path: Path
) -> None:
    await upsert_members(
        runtime.db,
        [Member("Dakar", "SN", "Africa", "AIMF", 1979, fees_up_to_date=True, note="host 2027")],
        now=clock(),
    )
    path = write_csv(tmp_path / "fees.csv", [["name", "country", "fees"], ["Dakar", "SN", "no"]])

    report = await run(runtime, clock, path)

    dakar = (await organisations(runtime))["dakar"]
    assert (dakar.fees_up_to_date, dakar.note, dakar.region, dakar.member_since) == (
        False,
        "host 2027",
        "Africa",
        1979,
    )
    assert describe(report)[2] == "changed: Dakar [dakar]: fees_up_to_date yes -> no"


async def test_a_file_without_a_name_or_country_column_is_refused_naming_it(
    runtime: Runtime, clock: MovableClock, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "cities.csv", [["city", "land"], ["Lille", "FR"]])

    with pytest.raises(Invalid) as refused:
        await run(runtime, clock, path)

    assert refused.value.message == "cities.csv: no column for country (found: city, land)"


async def test_members_written_by_the_demo_are_audited_too(
    runtime: Runtime, clock: MovableClock
) -> None:
    await upsert_members(runtime.db, [Member("Lille", "FR", "Europe", "AIMF", 1990, True)])

    async with runtime.db.read() as session:
        fields = await session.scalars(
            select(col(RegisterChange.field)).where(col(RegisterChange.changed_by) == "system")
        )
        count = await session.scalar(select(func.count()).select_from(Organisation))
    assert sorted(fields) == [
        "city",
        "country",
        "fees_up_to_date",
        "kind",
        "member_since",
        "name",
        "network",
        "region",
    ]
    assert count == 1


async def test_a_long_import_reports_progress_while_reading_comparing_and_writing(
    runtime: Runtime, clock: MovableClock, tmp_path: Path
) -> None:
    rows = [["name", "country", "fees"]] + [[f"City {n}", "ES", "yes"] for n in range(250)]
    log = io.StringIO()

    await import_register(
        runtime.db,
        write_csv(tmp_path / "long.csv", rows),
        by=BY,
        now=clock(),
        progress=TerminalProgress(log, every=100),
    )

    assert log.getvalue().splitlines() == [
        f"{stage}: {done}/250"
        for stage in ("reading", "comparing", "writing")
        for done in (100, 200, 250)
    ]
    assert len(await organisations(runtime)) == 250
