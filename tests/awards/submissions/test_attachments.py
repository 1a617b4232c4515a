"""Attachments: documents come back byte for byte, are judged by their content, carry safe
names, respect the field's cap, are stored once per content, and only the owner of a draft
uploads them."""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import zipfile
import zlib
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from litestar.datastructures import UploadFile
from pypdf import PdfReader

from awards.api.attachments import UPLOAD_BODY_LIMIT
from awards.assembly import build_runtime
from awards.errors import ConfigurationError, Invalid
from awards.kinds.forms import MEGABYTE
from awards.settings import Settings, load_settings
from awards.storage import Unacceptable, identify
from awards.storage import blobs as blobs_module
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import ROOT, Client, MovableClock, Tokens, chunks_of, long_pdf
from harness.seeding import complete_answers

FIELD = "support_letter"


def minimal_pdf(text: str = "Support letter") -> bytes:
    """A one-page PDF that readers open: objects, a correct cross-reference table, trailer."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zipped(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def docx(*, macros: bool = False) -> bytes:
    parts = [
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
        ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
        ("word/document.xml", b'<?xml version="1.0"?><w:document/>'),
    ]
    return zipped([*parts, ("word/vbaProject.bin", b"\x00" * 8)] if macros else parts)


def odt() -> bytes:
    return zipped(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
            ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest/>'),
        ],
        stored_first=True,
    )


def with_support_letter_option(text: str, old: str, new: str) -> str:
    """The award's YAML with one line of the support letter's field changed."""
    start = text.index(f"  - name: {FIELD}\n")
    at = text.index(f"    {old}\n", start)
    return text[:at] + f"    {new}\n" + text[at + len(old) + 5 :]


def blobs(settings: Settings) -> list[Path]:
    return sorted(p for p in (settings.data_dir / "blobs").rglob("*") if p.is_file())


def staged_leftovers(settings: Settings) -> list[Path]:
    return sorted((settings.data_dir / "tmp").glob("*"))


async def new_draft(client: Client, tokens: Tokens, call_id: int, **answers: Any) -> str:
    draft = await client.post(
        f"/api/v1/calls/{call_id}/submissions", json={"answers": answers}, headers=tokens.owner
    )
    assert draft.status_code == 201, draft.text
    return f"/api/v1/submissions/{draft.json()['id']}"


async def upload(
    client: Client,
    submission: str,
    content: bytes,
    name: str = "letter.pdf",
    *,
    headers: dict[str, str],
    field: str = FIELD,
    claimed_type: str = "application/pdf",
) -> Any:
    return await client.post(
        f"{submission}/attachments",
        files={"file": (name, content, claimed_type)},
        data={"field": field},
        headers=headers,
    )


async def test_an_uploaded_pdf_comes_back_byte_identical_with_its_checksum(
    client: Client, tokens: Tokens, open_award: int, settings: Settings
) -> None:
    submission = await new_draft(client, tokens, open_award)
    letter = minimal_pdf()
    checksum = hashlib.sha256(letter).hexdigest()

    uploaded = await upload(client, submission, letter, "Carta de apoyo.pdf", headers=tokens.owner)

    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    submission_id = int(submission.rsplit("/", 1)[1])
    assert body == {
        "id": body["id"],
        "submission_id": submission_id,
        "field": FIELD,
        "filename": "Carta de apoyo.pdf",
        "content_type": "application/pdf",
        "size": len(letter),
        "sha256": checksum,
        "submission_version": 2,
    }
    downloaded = await client.get(f"{submission}/attachments/{body['id']}", headers=tokens.owner)
    assert downloaded.status_code == 200
    assert downloaded.content == letter
    assert hashlib.sha256(downloaded.content).hexdigest() == checksum
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["content-disposition"] == (
        "attachment; filename=\"Carta de apoyo.pdf\"; filename*=UTF-8''Carta%20de%20apoyo.pdf"
    )
    assert downloaded.headers["etag"] == f'"{checksum}"'
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    assert blobs(settings) == [settings.data_dir / "blobs" / checksum[:2] / checksum]
    assert blobs(settings)[0].read_bytes() == letter
    assert staged_leftovers(settings) == []


async def test_an_upload_goes_from_the_request_to_its_blob_in_one_pass(
    client: Client,
    tokens: Tokens,
    open_award: int,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each byte is hashed and written once, a megabyte or more per hop to a thread, and never
    copied to a spooled file first (Litestar's `UploadFile`) to be read back."""
    submission = await new_draft(client, tokens, open_award)
    document = b"%PDF-1.4\n" + bytes(range(256)) * (3 * MEGABYTE // 256)
    hops: list[int] = []
    write_hashed = blobs_module._write_hashed

    def counted(file: BinaryIO, digest: Any, batch: list[bytes]) -> None:
        hops.append(sum(map(len, batch)))
        write_hashed(file, digest, batch)

    spooled: list[int] = []

    async def spool(_upload: UploadFile, data: bytes) -> int:
        spooled.append(len(data))
        return len(data)

    monkeypatch.setattr(blobs_module, "_write_hashed", counted)
    monkeypatch.setattr(UploadFile, "write", spool)

    uploaded = await upload(client, submission, document, headers=tokens.owner)

    checksum = hashlib.sha256(document).hexdigest()
    assert uploaded.status_code == 201, uploaded.text
    assert (uploaded.json()["size"], uploaded.json()["sha256"]) == (len(document), checksum)
    assert sum(hops) == len(document)
    assert len(hops) <= 4
    assert spooled == []
    assert blobs(settings) == [settings.data_dir / "blobs" / checksum[:2] / checksum]
    assert blobs(settings)[0].read_bytes() == document


@pytest.mark.parametrize(
    ("parts", "detail"),
    [
        (("file", "field"), "no part 'field' before the file in the multipart form"),
        (("field",), "no file in part 'file' of the multipart form"),
    ],
    ids=["field-after-file", "no-file"],
)
async def test_an_upload_without_its_field_before_the_file_is_400_and_stores_nothing(
    client: Client,
    tokens: Tokens,
    open_award: int,
    settings: Settings,
    parts: tuple[str, ...],
    detail: str,
) -> None:
    submission = await new_draft(client, tokens, open_award)
    sent = {
        "field": b'name="field"\r\n\r\n' + FIELD.encode(),
        "file": b'name="file"; filename="letter.pdf"\r\n\r\n' + minimal_pdf(),
    }
    body = b"".join(
        b"--b\r\nContent-Disposition: form-data; " + sent[part] + b"\r\n" for part in parts
    )

    refused = await client.post(
        f"{submission}/attachments",
        content=body + b"--b--\r\n",
        headers={**tokens.owner, "Content-Type": "multipart/form-data; boundary=b"},
    )

    assert (refused.status_code, refused.json()["detail"]) == (400, detail)
    assert blobs(settings) == []
    assert staged_leftovers(settings) == []


async def test_the_upload_sets_the_answer_and_bumps_the_version_so_a_stale_edit_is_refused(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    submission = await new_draft(client, tokens, open_award, contact_name="Ada Serra")
    letter = minimal_pdf()

    uploaded = (await upload(client, submission, letter, headers=tokens.owner)).json()
    stale = await client.patch(
        submission, json={"answers": {"contact_name": "Ada"}, "version": 1}, headers=tokens.owner
    )

    after = (await client.get(submission, headers=tokens.owner)).json()
    assert after["version"] == 2
    assert after["answers"] == {
        "contact_name": "Ada Serra",
        FIELD: {
            "attachment_id": uploaded["id"],
            "filename": "letter.pdf",
            "content_type": "application/pdf",
            "size": len(letter),
            "sha256": hashlib.sha256(letter).hexdigest(),
        },
    }
    assert stale.status_code == 409
    assert stale.json()["extra"] == {"version": 2}


async def test_the_same_content_twice_is_stored_once_on_disk(
    client: Client, tokens: Tokens, open_award: int, settings: Settings
) -> None:
    submission = await new_draft(client, tokens, open_award)
    letter = minimal_pdf()

    first = (await upload(client, submission, letter, "first.pdf", headers=tokens.owner)).json()
    second = (await upload(client, submission, letter, "second.pdf", headers=tokens.owner)).json()

    assert first["id"] != second["id"]
    assert (first["sha256"], first["filename"]) == (second["sha256"], "first.pdf")
    assert second["filename"] == "second.pdf"
    assert second["submission_version"] == 3
    assert len(blobs(settings)) == 1
    assert staged_leftovers(settings) == []
    for attachment in (first, second):
        again = await client.get(
            f"{submission}/attachments/{attachment['id']}", headers=tokens.owner
        )
        assert again.content == letter


@pytest.mark.parametrize(
    ("content", "name", "rule", "code"),
    [
        (tiny_png(), "scan.pdf", "'scan.pdf' is a PNG image, not a .pdf file", "extension"),
        (
            tiny_png(),
            "scan.png",
            "only PDF documents are accepted; 'scan.png' is a PNG image",
            "not_accepted",
        ),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(512),
            "setup.exe",
            "'setup.exe' is not a PDF, image or office document",
            "unrecognised",
        ),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(512),
            "letter.pdf",
            "'letter.pdf' is not a PDF, image or office document",
            "unrecognised",
        ),
        (
            hashlib.sha256(b"noise").digest() * 64,
            "letter.pdf",
            "'letter.pdf' is not a PDF, image or office document",
            "unrecognised",
        ),
        (b"", "letter.pdf", "'letter.pdf' is empty", "empty"),
        (
            minimal_pdf(),
            "letter.exe",
            "'letter.exe' is a PDF document, not a .exe file",
            "extension",
        ),
        (
            long_pdf(70_000),
            "letter.pdf",
            "PDF documents of at most 300 pages are accepted; 'letter.pdf' has more",
            "too_many_pages",
        ),
        (
            long_pdf(70_000, stated=1),
            "letter.pdf",
            "PDF documents of at most 300 pages are accepted; 'letter.pdf' has more",
            "too_many_pages",
        ),
    ],
    ids=[
        "png-named-pdf",
        "png",
        "executable",
        "executable-named-pdf",
        "noise",
        "empty",
        "pdf-named-exe",
        "70000-pages",
        "70000-pages-said-to-be-1",
    ],
)
async def test_a_file_whose_content_is_refused_answers_422_naming_the_field_and_stores_nothing(
    client: Client,
    tokens: Tokens,
    open_award: int,
    settings: Settings,
    content: bytes,
    name: str,
    rule: str,
    code: str,
) -> None:
    submission = await new_draft(client, tokens, open_award)

    refused = await upload(client, submission, content, name, headers=tokens.owner)

    assert refused.status_code == 422
    assert refused.json() == {
        "status_code": 422,
        "detail": f"field '{FIELD}': {rule}",
        "extra": {"field": FIELD, "rule": rule, "code": code},
    }
    assert blobs(settings) == []
    assert staged_leftovers(settings) == []
    assert (await client.get(submission, headers=tokens.owner)).json()["version"] == 1


async def test_a_file_at_the_cap_is_taken_and_one_byte_more_is_refused_without_a_blob(
    client: Client, tokens: Tokens, open_award: int, settings: Settings
) -> None:
    submission = await new_draft(client, tokens, open_award)
    at_cap = b"%PDF-1.4\n" + bytes(10 * MEGABYTE - 9)

    over = await upload(client, submission, at_cap + b"\n", headers=tokens.owner)

    rule = "files of at most 10 MB are accepted"
    assert over.status_code == 422
    assert over.json()["extra"] == {"field": FIELD, "rule": rule, "code": "too_large"}
    assert blobs(settings) == []
    assert staged_leftovers(settings) == []
    taken = await upload(client, submission, at_cap, headers=tokens.owner)
    assert (taken.status_code, taken.json()["size"]) == (201, 10 * MEGABYTE)


async def test_a_pdf_at_the_page_limit_is_taken_and_one_page_more_is_refused(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    submission = await new_draft(client, tokens, open_award)

    over = await upload(client, submission, long_pdf(301), headers=tokens.owner)
    taken = await upload(client, submission, long_pdf(300), headers=tokens.owner)

    assert (over.status_code, over.json()["extra"]["code"]) == (422, "too_many_pages")
    assert taken.status_code == 201, taken.text


async def test_a_70000_page_pdf_is_refused_without_walking_its_page_tree(
    client: Client, tokens: Tokens, open_award: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pypdf's `len(reader.pages)` builds every page object first (seconds for 70,000): the
    upload reads the tree's stated count and at most the limit's pages."""
    submission = await new_draft(client, tokens, open_award)
    flattened = []
    monkeypatch.setattr(PdfReader, "_flatten", lambda *_: flattened.append(True))

    refused = await upload(client, submission, long_pdf(70_000), headers=tokens.owner)

    assert (refused.status_code, refused.json()["extra"]["code"]) == (422, "too_many_pages")
    assert flattened == []


async def test_a_body_over_the_route_limit_is_413_before_it_is_read(
    client: Client, tokens: Tokens, open_award: int, settings: Settings
) -> None:
    submission = await new_draft(client, tokens, open_award)

    refused = await client.post(
        f"{submission}/attachments",
        content=b"--x--\r\n",
        headers={
            **tokens.owner,
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(UPLOAD_BODY_LIMIT + 1),
        },
    )

    assert refused.status_code == 413
    assert blobs(settings) == []


@pytest.mark.parametrize(
    ("sent", "stored", "disposition"),
    [
        (
            "../../etc/passwd.pdf",
            "passwd.pdf",
            "attachment; filename=\"passwd.pdf\"; filename*=UTF-8''passwd.pdf",
        ),
        (
            "lettre\r\nSet-Cookie: x=1.pdf",
            "lettreSet-Cookie_ x=1.pdf",
            'attachment; filename="lettreSet-Cookie_ x=1.pdf"; '
            "filename*=UTF-8''lettreSet-Cookie_%20x%3D1.pdf",
        ),
        (
            "..\\..\\Users\\Alcaldía\\.carta.pdf",
            "carta.pdf",
            "attachment; filename=\"carta.pdf\"; filename*=UTF-8''carta.pdf",
        ),
        (
            "信函",
            "信函.pdf",
            "attachment; filename=\"attachment.pdf\"; filename*=UTF-8''%E4%BF%A1%E5%87%BD.pdf",
        ),
    ],
    ids=["path", "crlf", "windows-path-and-leading-dot", "no-extension-not-ascii"],
)
async def test_a_tricky_file_name_is_sanitised_and_sent_back_in_a_safe_header(
    client: Client,
    tokens: Tokens,
    open_award: int,
    sent: str,
    stored: str,
    disposition: str,
) -> None:
    submission = await new_draft(client, tokens, open_award)

    uploaded = await upload(client, submission, minimal_pdf(), sent, headers=tokens.owner)
    downloaded = await client.get(
        f"{submission}/attachments/{uploaded.json()['id']}", headers=tokens.owner
    )

    assert uploaded.json()["filename"] == stored
    assert downloaded.headers["content-disposition"] == disposition
    assert "set-cookie" not in downloaded.headers


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_applicant", 404), ("juror", 404), ("secretariat", 403), ("anonymous", 401)],
)
async def test_only_the_owner_uploads(
    client: Client,
    tokens: Tokens,
    open_award: int,
    settings: Settings,
    who: str,
    status: int,
) -> None:
    submission = await new_draft(client, tokens, open_award)

    refused = await upload(client, submission, minimal_pdf(), headers=getattr(tokens, who))

    assert refused.status_code == status
    if status == 403:
        submission_id = submission.rsplit("/", 1)[1]
        assert refused.json()["detail"] == (
            f"only the applicant of submission {submission_id} uploads its documents"
        )
    assert blobs(settings) == []
    assert (await client.get(submission, headers=tokens.owner)).json()["version"] == 1


async def test_the_owner_and_the_secretariat_download_and_nobody_else(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    submission = await new_draft(client, tokens, open_award)
    letter = minimal_pdf()
    attachment = (await upload(client, submission, letter, headers=tokens.owner)).json()
    path = f"{submission}/attachments/{attachment['id']}"

    for who, status in (
        ("owner", 200),
        ("secretariat", 200),
        ("other_applicant", 404),
        ("juror", 404),
        ("anonymous", 401),
    ):
        response = await client.get(path, headers=getattr(tokens, who))
        assert response.status_code == status, who
        if status == 200:
            assert response.content == letter
    other = await new_draft(client, tokens, open_award)
    elsewhere = await client.get(f"{other}/attachments/{attachment['id']}", headers=tokens.owner)
    assert elsewhere.status_code == 404
    assert elsewhere.json()["detail"] == (
        f"no attachment {attachment['id']} in submission {other.rsplit('/', 1)[1]}"
    )


async def test_an_upload_is_refused_once_the_candidacy_is_submitted(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    submission = await new_draft(client, tokens, open_award, **complete_answers())
    await upload(client, submission, minimal_pdf("first"), headers=tokens.owner)
    submitted = await client.post(
        f"{submission}/transitions", json={"name": "submit"}, headers=tokens.owner
    )
    assert submitted.json()["state"] == "submitted", submitted.text

    refused = await upload(client, submission, minimal_pdf("second"), headers=tokens.owner)

    submission_id = submission.rsplit("/", 1)[1]
    assert refused.status_code == 409
    assert refused.json() == {
        "status_code": 409,
        "detail": (
            f"cannot upload to submission {submission_id} in state submitted: "
            "it can be edited only in draft or returned"
        ),
        "extra": {"state": "submitted"},
    }
    after = (await client.get(submission, headers=tokens.owner)).json()
    assert after["answers"][FIELD]["filename"] == "letter.pdf"


@pytest.mark.parametrize(
    ("field", "detail"),
    [
        ("title", "field 'title': not a file field"),
        ("budget", "field 'budget' is not on this form"),
    ],
)
async def test_an_upload_to_a_field_that_takes_no_file_is_422_naming_it(
    client: Client, tokens: Tokens, open_award: int, field: str, detail: str
) -> None:
    submission = await new_draft(client, tokens, open_award)

    refused = await upload(client, submission, minimal_pdf(), headers=tokens.owner, field=field)

    assert refused.status_code == 422
    assert refused.json()["detail"] == detail
    assert refused.json()["extra"]["field"] == field


@pytest.fixture
def open_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The shipped call kinds, with the support letter open to every kind of document."""
    config = tmp_path / "site" / "config"
    shutil.copytree(ROOT / "config" / "calls", config / "calls")
    (tmp_path / "site" / "templates").symlink_to(ROOT / "templates")
    award = config / "calls" / "educating-cities-award.yaml"
    text = award.read_text(encoding="utf-8")
    award.write_text(
        with_support_letter_option(text, "accept: [pdf]", "accept: [pdf, image, office]"),
        encoding="utf-8",
    )
    return replace(settings, config_dir=config)


@pytest.fixture
async def open_runtime(open_settings: Settings, clock: MovableClock) -> AsyncIterator[Runtime]:
    runtime = build_runtime(open_settings, clock=clock, pooled=False)
    yield runtime
    await runtime.close()


@pytest.mark.parametrize(
    ("content", "name", "stored", "content_type"),
    [
        (tiny_png(), "plan.png", "plan.png", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "photo.JPEG", "photo.JPEG", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(16), "logo", "logo.gif", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(24), "banner.webp", "banner.webp", "image/webp"),
        (
            docx(),
            "budget.docx",
            "budget.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (odt(), "memoria", "memoria.odt", "application/vnd.oasis.opendocument.text"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "accounts.xls",
            "accounts.xls",
            "application/vnd.ms-excel",
        ),
    ],
    ids=["png", "jpeg", "gif", "webp", "docx", "odt", "ole"],
)
async def test_a_field_open_to_images_and_office_documents_names_them_by_content(
    open_runtime: Runtime,
    tokens: Tokens,
    open_award: int,
    content: bytes,
    name: str,
    stored: str,
    content_type: str,
) -> None:
    owner = tokens.actors["owner"]
    draft = await SubmissionService(open_runtime).create(open_award, {}, actor=owner)
    assert draft.id is not None
    attachments = AttachmentService(open_runtime)

    uploaded = await attachments.upload(draft.id, FIELD, chunks_of(content), name, actor=owner)
    download = await attachments.download(draft.id, uploaded.attachment.id or 0, actor=owner)

    assert (uploaded.attachment.filename, uploaded.attachment.content_type) == (
        stored,
        content_type,
    )
    assert b"".join([chunk async for chunk in download.chunks]) == content


async def test_an_office_document_with_macros_is_refused(
    open_runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner = tokens.actors["owner"]
    draft = await SubmissionService(open_runtime).create(open_award, {}, actor=owner)
    assert draft.id is not None
    attachments = AttachmentService(open_runtime)

    with pytest.raises(Invalid) as refused:
        await attachments.upload(
            draft.id, FIELD, chunks_of(docx(macros=True)), "budget.docx", actor=owner
        )

    assert refused.value.message == (
        f"field '{FIELD}': 'budget.docx' contains macros, which are not accepted"
    )


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("....", "attachment.pdf"),
        (".pdf", "attachment.pdf"),
        ("report.PDF", "report.PDF"),
        ("v1.2 final", "v1.2 final.pdf"),
        ("carta\u202efdp.pdf", "cartafdp.pdf"),
        ("a\x00b\tc.pdf", "abc.pdf"),
        ('"quoted" <name>?.pdf', "_quoted_ _name__.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_file_names_are_cleaned_and_given_the_extension_of_their_content(
    tmp_path: Path, name: str, stored: str
) -> None:
    path = tmp_path / "upload"
    path.write_bytes(minimal_pdf())

    assert identify(path, name).filename == stored


def test_a_name_that_claims_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "upload"
    path.write_bytes(odt())

    with pytest.raises(Unacceptable) as refused:
        identify(path, "minutes.docx")

    assert str(refused.value) == "'minutes.docx' is an OpenDocument text, not a .docx file"


@pytest.mark.parametrize(
    ("line", "option", "problem"),
    [
        ("max_size_mb: 10", "max_size_mb: 0", "max_size_mb must be between 1 and 50"),
        ("max_size_mb: 10", "max_size_mb: 500", "max_size_mb must be between 1 and 50"),
        ("max_size_mb: 10", "max_size_mb: ten", "max_size_mb must be a whole number"),
        (
            "accept: [pdf]",
            "accept: [pdf, video]",
            "accept must list some of pdf, image, office, not video",
        ),
    ],
)
def test_impossible_file_options_stop_the_call_kind_from_loading(
    tmp_path: Path, line: str, option: str, problem: str
) -> None:
    config = tmp_path / "broken" / "config"
    shutil.copytree(ROOT / "config" / "calls", config / "calls")
    award = config / "calls" / "educating-cities-award.yaml"
    text = award.read_text(encoding="utf-8")
    award.write_text(with_support_letter_option(text, line, option), encoding="utf-8")
    defaults = load_settings({}, defaults_file=ROOT / "config" / "settings.toml")

    with pytest.raises(ConfigurationError) as raised:
        build_runtime(replace(defaults, config_dir=config))

    assert raised.value.message == f"{award}: field '{FIELD}': {problem}"
