"""Counting a PDF's pages at upload: cheap, exact up to the limit, and never fooled or stuck
by what the page tree says of itself."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

import pytest
from pypdf import PdfWriter, _reader
from pypdf._utils import read_previous_line

from awards.storage.pdf_pages import count_pages
from conftest import long_pdf


def written(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return path


def test_pages_are_counted_exactly_up_to_the_limit(tmp_path: Path) -> None:
    assert count_pages(written(tmp_path, long_pdf(300)), most=300) == 300


def test_a_page_tree_understating_its_pages_is_counted_past_the_limit(tmp_path: Path) -> None:
    assert count_pages(written(tmp_path, long_pdf(70_000, stated=1)), most=300) == 301


def test_a_page_tree_that_contains_itself_is_counted_without_looping(tmp_path: Path) -> None:
    looping = long_pdf(1).replace(b"/Parent 2 0 R /Kids [4 0 R]", b"/Parent 2 0 R /Kids [3 0 R]")

    assert count_pages(written(tmp_path, looping), most=300) == 1  # as it says: no page found


def test_a_password_protected_pdf_is_not_counted(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)

    assert count_pages(written(tmp_path, output.getvalue()), most=300) is None


def test_bytes_pypdf_cannot_read_are_not_counted(tmp_path: Path) -> None:
    assert count_pages(written(tmp_path, b"%PDF-1.7\nnot really"), most=300) is None


@pytest.mark.parametrize("filler", [b"0", b"0\n"], ids=["one-line", "short-lines"])
def test_a_pdf_without_its_end_marker_is_not_counted_nor_searched_backwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filler: bytes
) -> None:
    """pypdf would look for `%%EOF` through the whole megabyte, a line at a time."""
    lines_read: list[int] = []

    def counted(stream: IO[bytes]) -> bytes:
        lines_read.append(1)
        return read_previous_line(stream)

    monkeypatch.setattr(_reader, "read_previous_line", counted)
    unfinished = long_pdf(3).replace(b"%%EOF", b"") + filler * (1024 * 1024 // len(filler))

    assert count_pages(written(tmp_path, unfinished), most=300) is None
    assert lines_read == []
    assert count_pages(written(tmp_path, long_pdf(3)), most=300) == 3
    assert lines_read != []  # what was counted: pypdf's backward reads
