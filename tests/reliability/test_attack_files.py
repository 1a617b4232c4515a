"""Files an attacker sends: a register export that is a zip bomb (a small XLSX unpacking to
hundreds of megabytes), and uploads that are two formats at once (a PDF that is also a page
with a script, an image that is also a zip). A bomb is refused unopened; a polyglot is
accepted only as the kind its first bytes say, and served so that no browser runs it."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from awards.errors import Invalid
from awards.members.reading import read_register
from awards.members.sources import MAX_UNPACKED_BYTES
from awards.storage import identify
from conftest import Client, Tokens
from reliability.conftest import DOCUMENT_FIELD

SHEET = "xl/worksheets/sheet1.xml"


def register_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "country", "region", "network", "member_since", "fees_up_to_date"])
    sheet.append(["Barcelona", "ES", "Europe", "IAEC", 1994, "true"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bomb(workbook: bytes, padding: int) -> bytes:
    """`workbook` with `padding` bytes of blanks inside its sheet: valid XML, tiny packed."""
    packed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == SHEET:
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * padding, 1)
            target.writestr(entry.filename, content)
    return packed.getvalue()


def test_a_register_workbook_reads_as_usual(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(register_workbook())

    assert [member.name for member in read_register(path).members] == ["Barcelona"]


def test_a_zip_bomb_as_register_is_refused_unopened(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(bomb(register_workbook(), MAX_UNPACKED_BYTES + 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024  # what the attacker sends

    started = time.monotonic()
    with pytest.raises(Invalid) as refused:
        read_register(path)

    assert time.monotonic() - started < 1
    assert refused.value.message == (
        "register.xlsx unpacks to 101 MB, more than a register's 100 MB: not read"
    )


PDF_AND_PAGE = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF"
GIF_AND_SCRIPT = b"GIF89a/*\x00\x00\x00\x00*/=1;alert(document.cookie);//"
PNG_AND_MACRO_ZIP = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8  # completed below with a zip of macros


def png_with_office_macros() -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    return PNG_AND_MACRO_ZIP + packed.getvalue()  # zip readers find the directory at the end


async def new_draft(client: Client, tokens: Tokens, call_id: int) -> str:
    draft = await client.post(
        f"/api/v1/calls/{call_id}/submissions", json={"answers": {}}, headers=tokens.owner
    )
    assert draft.status_code == 201, draft.text
    return f"/api/v1/submissions/{draft.json()['id']}"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PDF_AND_PAGE, "letter.html"),
        (PDF_AND_PAGE, "letter.svg"),
        (GIF_AND_SCRIPT, "logo.js"),
        (png_with_office_macros(), "letter.docx"),
    ],
)
async def test_a_polyglot_named_as_its_other_kind_is_refused(
    client: Client, tokens: Tokens, open_award: int, content: bytes, name: str
) -> None:
    submission = await new_draft(client, tokens, open_award)

    refused = await client.post(
        f"{submission}/attachments",
        files={"file": (name, content, "text/html")},
        data={"field": DOCUMENT_FIELD},
        headers=tokens.owner,
    )

    assert refused.status_code == 422, refused.text


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (PDF_AND_PAGE, "letter.pdf", "application/pdf"),
        (GIF_AND_SCRIPT, "logo.gif", "image/gif"),
        (png_with_office_macros(), "photo.png", "image/png"),
    ],
)
def test_a_polyglot_is_taken_for_the_kind_its_first_bytes_say(
    tmp_path: Path, content: bytes, name: str, kind: str
) -> None:
    path = tmp_path / "upload"
    path.write_bytes(content)

    assert identify(path, name).content_type == kind


async def test_a_pdf_that_is_also_a_page_is_served_as_a_download_no_browser_runs(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    submission = await new_draft(client, tokens, open_award)
    stored = await client.post(
        f"{submission}/attachments",
        files={"file": ("letter.pdf", PDF_AND_PAGE, "text/html")},
        data={"field": DOCUMENT_FIELD},
        headers=tokens.owner,
    )
    assert stored.status_code == 201, stored.text

    served = await client.get(
        f"{submission}/attachments/{stored.json()['id']}", headers=tokens.owner
    )

    assert served.headers["content-type"].split(";")[0] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in served.headers["content-security-policy"]
