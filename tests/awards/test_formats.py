"""CSV cells and XML text safe whatever they hold."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest

from awards.formats import csv_text, xml_text


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("https://evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(text: str) -> None:
    rows = list(csv.reader(io.StringIO(csv_text(["note", "score"], [[text, -2]]))))

    assert rows == [["note", "score"], [f"'{text}", "-2"]]


def test_xml_text_drops_what_xml_cannot_hold_and_keeps_the_rest() -> None:
    element = ElementTree.Element("title")
    element.text = xml_text("Écoles\x00\x0c ouvertes\ufffe\t🏫\n")

    parsed = ElementTree.fromstring(ElementTree.tostring(element))

    assert parsed.text == "Écoles ouvertes\t🏫\n"
