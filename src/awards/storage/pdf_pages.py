"""How many pages a PDF has, counted cheaply enough to do at upload.

pypdf's `len(reader.pages)` walks the whole page tree into page objects (it reads `/Count`
only while a document is still encrypted), which for 70,000 pages takes seconds. The page
tree's root states its `/Count`, but the writer chose it: a document that says 1 may hold
70,000. So both are used: the stated count, and the leaves of the tree counted only until
they pass the limit (each node read once per reference, a bounded number of them).

A file that does not end as a PDF does (`%%EOF` in its last 1,024 bytes, where readers look
for it) is not given to pypdf, which would then search the whole file backwards for the
marker one line at a time in Python: 0.9 s of CPU for a megabyte of short lines, 60 ms for a
megabyte of one line, holding the interpreter the whole time.
"""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject

_FAILURES = (PyPdfError, DependencyError, ValueError, TypeError, KeyError, IndexError)
_EOF_WINDOW = 1024
_NODES_PER_PAGE = 4
"""How many page-tree nodes are read per page allowed before the walk gives up: a balanced
tree has fewer inner nodes than pages, so only a tree of empty or looping nodes reaches it."""


def count_pages(path: Path, *, most: int) -> int | None:
    """The PDF's pages, exactly up to `most`, else some count above it; None if pypdf cannot
    read the page tree, or not without a password (the document is then judged when it is
    used: an anonymised jury does not receive it)."""
    if not _ends_with_eof_marker(path):
        return None
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return None  # its page tree cannot be read without the password
        tree = reader.root_object["/Pages"].get_object()
        if not isinstance(tree, DictionaryObject):
            return None
        return max(int(tree.get("/Count", 0)), _leaves(tree, most=most))
    except _FAILURES:
        return None


def _ends_with_eof_marker(path: Path) -> bool:
    with path.open("rb") as file:
        file.seek(max(0, file.seek(0, os.SEEK_END) - _EOF_WINDOW))
        return b"%%EOF" in file.read()


def _leaves(tree: PdfObject, *, most: int) -> int:
    """The page tree's leaves, counted until there are more than `most`."""
    pending, leaves, budget = [tree], 0, _NODES_PER_PAGE * (most + 1)
    while pending and leaves <= most and budget > 0:
        node, budget = pending.pop().get_object(), budget - 1
        kids = node.get("/Kids") if isinstance(node, DictionaryObject) else None
        kids = kids.get_object() if kids is not None else None
        if (
            isinstance(node, DictionaryObject)
            and isinstance(kids, ArrayObject)
            and node.get("/Type") != "/Page"
        ):
            pending.extend(kids)
        else:
            leaves += 1
    return leaves
