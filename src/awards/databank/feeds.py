"""Open formats of the databank and the calls: CSV, Atom 1.0, iCalendar (RFC 5545)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree

from awards.databank.records import CSV_HEADER, EntryOut, csv_row
from awards.db.tables import Call
from awards.formats import csv_text, xml_text

ATOM = "http://www.w3.org/2005/Atom"


def to_csv(entries: Sequence[EntryOut], *, base_url: str = "") -> str:
    return csv_text(CSV_HEADER, (csv_row(entry, base_url=base_url) for entry in entries))


def first_text(texts: dict[str, str], language: str = "en") -> str:
    return texts.get(language) or next(iter(texts.values()), "")


def atom_feed(
    entries: Sequence[tuple[EntryOut, datetime]], *, base_url: str, now: datetime
) -> bytes:
    """An Atom 1.0 feed of published entries, each with when it was published."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def add(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}")
        element.text = xml_text(text)
        return element

    add(feed, "id", f"{base_url}/databank")
    add(feed, "title", "Bank of Experiences")
    latest = max((published for _, published in entries), default=now)
    add(feed, "updated", latest.astimezone(UTC).isoformat())
    ElementTree.SubElement(
        feed, f"{{{ATOM}}}link", rel="self", href=f"{base_url}/databank/feed.atom"
    )
    for entry, published in entries:
        item = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        add(item, "id", f"{base_url}/databank/{entry.id}")
        add(item, "title", first_text(entry.title))
        add(item, "updated", published.astimezone(UTC).isoformat())
        author = ElementTree.SubElement(item, f"{{{ATOM}}}author")
        add(author, "name", entry.organisation)
        place = f"{entry.city}, {entry.country}" if entry.city else entry.country
        summary = first_text(entry.summary)
        add(
            item,
            "summary",
            f"{entry.distinction}, {entry.year}, {place}" + (f": {summary}" if summary else ""),
        )
        ElementTree.SubElement(
            item, f"{{{ATOM}}}link", href=f"{base_url}/api/v1/databank/{entry.id}"
        )
        for document in entry.documents:
            ElementTree.SubElement(
                item,
                f"{{{ATOM}}}link",
                rel="enclosure",
                href=base_url + document.url,
                type=document.content_type,
                length=str(document.size),
                title=xml_text(document.filename),
            )
    return bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545 3.1)."""
    pieces, current = [], ""
    for character in line:
        if len((current + character).encode()) > 75:
            pieces.append(current)
            current = " "
        current += character
    pieces.append(current)
    return "\r\n".join(pieces)


def calendar(calls: Sequence[Call], *, host: str, now: datetime) -> str:
    """Every call's deadline as a VEVENT, in UTC: a calendar shows it in its reader's zone.

    A `TZID` would need its `VTIMEZONE` defined in the file, or calendars guess (Outlook
    takes an unknown zone for its own, an hour or more off).
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//awards//deadlines//EN",
        "CALSCALE:GREGORIAN",
    ]
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for call in calls:
        closes = call.closes_at.astimezone(UTC)
        lines += [
            "BEGIN:VEVENT",
            f"UID:call-{call.id}-deadline@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{closes:%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{_escape(first_text(call.title))}: deadline",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{_fold(line)}\r\n" for line in lines)
