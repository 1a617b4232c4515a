"""PDFs for an anonymised jury: a new document made of what the pages show, and nothing else.

A word processor writes its user's name as the Author, a draft title ("Barcelona candidacy")
and its own name and dates, in the information dictionary and in XMP; a determined applicant
has more places: attached files, link and note annotations (with their authors and `/NM`
names), form fields, scripts run on opening, page actions, XMP inside a form XObject. Editing
such a file out key by key misses what one did not think of, and an edited PDF keeps its
earlier revisions (incremental updates) in its bytes. So the document is *rebuilt*:

- each page is a new dictionary holding only its boxes (`/MediaBox`, `/CropBox`), `/Rotate`,
  `/Group`, `/UserUnit`, `/Contents` and `/Resources`; no annotation (links, notes, attached
  files, form fields and their filled-in values), no page action;
- a resource dictionary keeps only fonts, XObjects, colour spaces, patterns, shadings and
  graphics states; everything they reach is copied with no XMP, application data, optional
  content, actions, scripts, links, embedded files or external references;
- the catalog is pypdf's new one (pages only): no outline, names, attached files, scripts,
  form, open action or XMP; no information dictionary.

What stays is what the pages show, content streams as they are: a letterhead, a signature, a
photograph (with any EXIF inside its image data), and text that marked content may carry for
screen readers. A file field whose content identifies must be marked `identifying`.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    PdfObject,
    StreamObject,
)

_PAGE_KEYS = ("/MediaBox", "/CropBox", "/Rotate", "/Group", "/UserUnit", "/Contents")
"""What a rebuilt page takes from its original, besides its resources."""
_RESOURCE_KEYS = ("/Font", "/XObject", "/ColorSpace", "/Pattern", "/Shading", "/ExtGState")
"""What a resource dictionary keeps: `/Properties` (optional content's named layers, marked
content's attributes) only labels what is drawn anyway, and `/ProcSet` is obsolete."""
_DROPPED_KEYS = frozenset(
    {
        "/Metadata",  # XMP
        "/PieceInfo",  # applications' private data
        "/LastModified",
        "/A",  # actions, scripts, links
        "/AA",
        "/JS",
        "/URI",
        "/Launch",
        "/Next",
        "/EF",  # embedded files
        "/EmbeddedFiles",
        "/OC",  # optional content: its layers have names
        "/OPI",  # the file paths of high-resolution originals
        "/Ref",  # a reference XObject: a page of another file
        "/StructParent",  # the structure tree, which is not copied
        "/StructParents",
        "/NM",
        "/Annots",
        "/Parent",
    }
)
"""Keys dropped from every dictionary a page reaches, wherever they appear."""
_DROPPED_TYPES = frozenset(
    {"/Metadata", "/EmbeddedFile", "/Filespec", "/Action", "/Annot", "/OCG", "/OCMD"}
)
"""Objects replaced by null wherever they are reached."""
_FAILURES = (
    PyPdfError,
    DependencyError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
)
"""What pypdf raises on a malformed or undecryptable document."""


class UnreadablePdf(Exception):
    """The document cannot be rebuilt, so no clean copy can be vouched for."""


def strip_pdf_metadata(data: bytes, *, max_pages: int) -> bytes:
    """A new PDF with the same pages, made of what they show (see the module's docstring).

    An encrypted document is decrypted if it opens without a password. The pages are counted
    as the page tree holds them (its `/Count` may lie), and more than `max_pages` are refused.

    Raises:
        UnreadablePdf: the bytes are no PDF pypdf can read, need a password, or hold more than
            `max_pages` pages.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("the PDF needs a password to open")
        if (count := len(reader.pages)) > max_pages:
            raise UnreadablePdf(f"the PDF has {count} pages, more than {max_pages}")
        writer = PdfWriter()
        copier = _Copier(writer)
        for page in reader.pages:
            width, height = page.mediabox.width, page.mediabox.height
            rebuilt = writer.add_blank_page(width, height)
            for key in _PAGE_KEYS:
                if key in page:
                    rebuilt[NameObject(key)] = copier.copy(page.raw_get(key))
            rebuilt[NameObject("/Resources")] = copier.resources(page.get("/Resources"))
        writer.metadata = None  # pypdf would otherwise write itself in as the Producer
        output = io.BytesIO()
        writer.write(output)
    except _FAILURES as error:
        raise UnreadablePdf(f"the PDF cannot be read: {error}") from error
    return output.getvalue()


class _Copier:
    """Copies objects of the original into `writer`, each indirect object once (pages share
    fonts and images, and objects may refer to each other in cycles)."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.copies: dict[tuple[int, int], PdfObject] = {}

    def resources(self, node: PdfObject | None) -> PdfObject:
        """A resource dictionary with only the kinds of resource that draw."""
        found = node.get_object() if node is not None else None
        if not isinstance(found, DictionaryObject):
            return DictionaryObject()
        return DictionaryObject(
            {
                NameObject(key): self.copy(found.raw_get(key))
                for key in _RESOURCE_KEYS
                if key in found
            }
        )

    def copy(self, node: PdfObject) -> PdfObject:
        """`node`'s copy; pass values as stored (`raw_get`, `items()`), not resolved, so that
        what is shared stays shared."""
        if isinstance(node, IndirectObject):
            return self._copy_indirect(node)
        if isinstance(node, StreamObject):  # resolved by the caller: a stream is indirect
            reference = node.indirect_reference
            return NullObject() if reference is None else self._copy_indirect(reference)
        if _dropped(node):
            return NullObject()
        if isinstance(node, DictionaryObject):  # streams are always indirect
            copied = DictionaryObject()
            self._fill(copied, node)
            return copied
        if isinstance(node, ArrayObject):
            return ArrayObject(self.copy(item) for item in node)
        return node

    def _copy_indirect(self, reference: IndirectObject) -> PdfObject:
        key = (reference.idnum, reference.generation)
        if key in self.copies:
            return self.copies[key]
        node = reference.get_object()
        if node is None or _dropped(node):
            return NullObject()
        if not isinstance(node, DictionaryObject | ArrayObject):
            return node  # a number or a name: no need for an object of its own
        # The copy is registered before it is filled, so a cycle finds it.
        shell: DictionaryObject | ArrayObject
        if isinstance(node, StreamObject):
            shell = StreamObject.initialize_from_dictionary(_stream_shell(node))
        else:
            shell = DictionaryObject() if isinstance(node, DictionaryObject) else ArrayObject()
        self.copies[key] = copied = self.writer._add_object(shell)
        if isinstance(shell, DictionaryObject):
            assert isinstance(node, DictionaryObject)
            self._fill(shell, node)
        else:
            shell.extend(self.copy(item) for item in node)
        return copied

    def _fill(self, copied: DictionaryObject, node: DictionaryObject) -> None:
        for key, value in node.items():
            if key in _DROPPED_KEYS or key == "/Length":
                continue
            copied[NameObject(key)] = (
                self.resources(value) if key == "/Resources" else self.copy(value)
            )


def _stream_shell(stream: StreamObject) -> dict[str, object]:
    """A stream's encoded bytes and filters, as pypdf builds a stream from them."""
    shell: dict[str, object] = {"__streamdata__": stream._data}
    if "/Filter" in stream:
        shell["/Filter"] = stream["/Filter"]
    return shell


def _dropped(node: PdfObject) -> bool:
    return isinstance(node, DictionaryObject) and node.get("/Type") in _DROPPED_TYPES
