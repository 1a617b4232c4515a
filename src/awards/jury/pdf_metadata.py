"""PDFs for an anonymised jury: the pages as they are, nothing that describes who made them.

A word processor writes its user's name as the Author, a draft title ("Barcelona candidacy")
and its own name and dates, both in the document information dictionary and in XMP; pages,
images and annotations may carry more XMP, application data and comment authors. We rewrite
the document rather than edit it: an edited PDF keeps its earlier revisions (incremental
updates) in its bytes, and a rewrite keeps only what the pages reach.

What the pages show (a letterhead, a signature, a photograph's EXIF inside an image) is not
metadata and stays: a file field whose content identifies must be marked `identifying`.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

_DESCRIPTIVE_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
"""XMP streams, applications' private data and modification dates, wherever they appear."""
_COMMENT_KEYS = ("/T", "/M", "/CreationDate")
"""In a markup annotation, its author and dates; in a form field (`/Widget`) `/T` is the
field's name and stays."""
_FAILURES = (
    PyPdfError,
    DependencyError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    RecursionError,
)
"""What pypdf raises on a malformed or undecryptable document."""


class UnreadablePdf(Exception):
    """The document cannot be rewritten, so no stripped copy can be vouched for."""


def strip_pdf_metadata(data: bytes) -> bytes:
    """The same pages, without information dictionary, XMP, private data or comment authors.

    Document-level parts go too (outline, named destinations, attached files, scripts, form
    definitions): only the pages are copied. An encrypted document is decrypted if it opens
    without a password.

    Raises:
        UnreadablePdf: the bytes are no PDF pypdf can read, or need a password.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("the PDF needs a password to open")
        # Scrubbed before the copy: pypdf writes every object it has copied, referenced or
        # not, so a key removed from the copy would leave its value in the output.
        _scrub(list(reader.pages))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.metadata = None  # pypdf would otherwise write itself in as the Producer
        output = io.BytesIO()
        writer.write(output)
    except _FAILURES as error:
        raise UnreadablePdf(f"the PDF cannot be read: {error}") from error
    return output.getvalue()


def _scrub(pages: list[PageObject]) -> None:
    """Remove descriptive keys from everything the pages reach (what a copy could take).

    Iterative, each object once: pages link to each other (parents, link destinations).
    """
    stack: list[PdfObject] = [*pages]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            if (resolved := node.get_object()) is not None:
                stack.append(resolved)
        elif isinstance(node, DictionaryObject):
            _strip(node)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _strip(node: DictionaryObject) -> None:
    for key in _DESCRIPTIVE_KEYS:
        node.pop(key, None)
    if "/Rect" in node and node.get("/Subtype") not in (None, "/Widget"):
        for key in _COMMENT_KEYS:
            node.pop(key, None)
    if node.get("/FT") == "/Sig":
        # A digital signature's value holds the signer's name and certificate.
        node.pop("/V", None)
