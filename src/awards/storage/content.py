"""What a document is, judged by its bytes: never by the client's header or the extension.

A client's `Content-Type` and a file's extension are claims anyone can make; the first bytes
(and, for zip-based office formats, the archive's table of contents) are what a reader will
actually open. We accept PDF, PNG, JPEG, WebP, GIF, Office Open XML (docx, xlsx, pptx),
OpenDocument and legacy Office files, and refuse a name whose extension contradicts the
content, so what people download opens as what its name says.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from awards.storage import filenames

HEAD_SIZE = 16


class FileFamily(StrEnum):
    """What a form field may accept (`accept:` in a call-kind file)."""

    PDF = "pdf"
    IMAGE = "image"
    OFFICE = "office"

    @property
    def label(self) -> str:
        return _FAMILY_LABELS[self]


_FAMILY_LABELS = {
    FileFamily.PDF: "PDF documents",
    FileFamily.IMAGE: "images (PNG, JPEG, WebP, GIF)",
    FileFamily.OFFICE: "office documents (Word, Excel, PowerPoint, OpenDocument)",
}


@dataclass(frozen=True)
class FileKind:
    """A kind of document we recognise, with its extensions and their content types."""

    label: str
    """Read in messages: "'x.pdf' is {label}"."""
    family: FileFamily
    types: Mapping[str, str]
    """Extension -> content type; the first is used when the name has no extension."""


@dataclass(frozen=True)
class Identified:
    kind: FileKind
    filename: str
    content_type: str


class Unacceptable(Exception):
    """The content is no kind we accept, or its name says otherwise; the message says why,
    `code` says which (`empty`, `unrecognised`, `macros`, `extension`) for the pages' words."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


PDF = FileKind("a PDF document", FileFamily.PDF, {"pdf": "application/pdf"})
PNG = FileKind("a PNG image", FileFamily.IMAGE, {"png": "image/png"})
JPEG = FileKind("a JPEG image", FileFamily.IMAGE, {"jpg": "image/jpeg", "jpeg": "image/jpeg"})
GIF = FileKind("a GIF image", FileFamily.IMAGE, {"gif": "image/gif"})
WEBP = FileKind("a WebP image", FileFamily.IMAGE, {"webp": "image/webp"})
LEGACY_OFFICE = FileKind(
    "a legacy Office document",
    FileFamily.OFFICE,
    {
        "doc": "application/msword",
        "xls": "application/vnd.ms-excel",
        "ppt": "application/vnd.ms-powerpoint",
    },
)
_OOXML = "application/vnd.openxmlformats-officedocument"
# The main part that tells a Word, Excel or PowerPoint package apart.
OOXML_KINDS = {
    "word/document.xml": FileKind(
        "a Word document", FileFamily.OFFICE, {"docx": f"{_OOXML}.wordprocessingml.document"}
    ),
    "xl/workbook.xml": FileKind(
        "an Excel workbook", FileFamily.OFFICE, {"xlsx": f"{_OOXML}.spreadsheetml.sheet"}
    ),
    "ppt/presentation.xml": FileKind(
        "a PowerPoint presentation",
        FileFamily.OFFICE,
        {"pptx": f"{_OOXML}.presentationml.presentation"},
    ),
}
_ODF = "application/vnd.oasis.opendocument"
ODF_KINDS = {
    f"{_ODF}.{subtype}": FileKind(label, FileFamily.OFFICE, {extension: f"{_ODF}.{subtype}"})
    for subtype, extension, label in (
        ("text", "odt", "an OpenDocument text"),
        ("spreadsheet", "ods", "an OpenDocument spreadsheet"),
        ("presentation", "odp", "an OpenDocument presentation"),
        ("graphics", "odg", "an OpenDocument drawing"),
    )
}
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", LEGACY_OFFICE),
)
_ZIP = b"PK\x03\x04"
_ODF_MIMETYPE_MAX = 100


def identify(path: Path, raw_name: str) -> Identified:
    """The kind of the file at `path`, and a safe name for it agreeing with that kind.

    Raises `Unacceptable` for empty or unrecognised content, macros, or an extension that
    contradicts the content (`report.pdf` holding a PNG).
    """
    stem, extension = filenames.clean(raw_name)
    shown = filenames.compose(stem, extension)
    try:
        with path.open("rb") as file:
            kind = detect(file)
    except Unacceptable as refusal:
        raise Unacceptable(f"'{shown}' {refusal}", refusal.code) from None
    if not extension:
        extension = next(iter(kind.types))
    elif extension.lower() not in kind.types:
        raise Unacceptable(
            f"'{shown}' is {kind.label}, not a .{extension.lower()} file", "extension"
        )
    return Identified(
        kind=kind,
        filename=filenames.compose(stem, extension),
        content_type=kind.types[extension.lower()],
    )


def detect(file: BinaryIO) -> FileKind:
    """The kind of `file` (seekable, at its start) from its signature.

    Raises `Unacceptable` with the reason (a predicate: "is empty") when it is none we accept.
    """
    head = file.read(HEAD_SIZE)
    if not head:
        raise Unacceptable("is empty", "empty")
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        kind = WEBP
    elif head.startswith(_ZIP):
        file.seek(0)
        kind = _zip_kind(file)
    if kind is None:
        raise Unacceptable("is not a PDF, image or office document", "unrecognised")
    return kind


def _zip_kind(file: BinaryIO) -> FileKind | None:
    """OpenDocument or Office Open XML, read from the archive's directory; nothing is
    extracted but ODF's tiny `mimetype` entry, so a zip bomb stays shut."""
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            first = entries[0] if entries else None
            if first and first.filename == "mimetype" and first.file_size <= _ODF_MIMETYPE_MAX:
                return ODF_KINDS.get(archive.read(first).decode("ascii", "replace").strip())
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Unacceptable("contains macros, which are not accepted", "macros")
    return next((kind for part, kind in OOXML_KINDS.items() if part in names), None)
