"""PDF metadata: a stripped document keeps its pages and loses every trace of its author,
title and producer, in its raw bytes and inside its compressed streams."""

from __future__ import annotations

import io
import zlib

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from awards.jury.pdf_metadata import UnreadablePdf, strip_pdf_metadata

AUTHOR = "Ada Serra"
TITLE = "Barcelona candidacy"
PRODUCER = "Word for Barcelona"
SECRETS = (AUTHOR, TITLE, PRODUCER, "Barcelona", "2024")
XMP = f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{TITLE}</rdf:li></rdf:Alt></dc:title>
<pdf:Producer>{PRODUCER}</pdf:Producer><xmp:CreateDate>2024-05-02T10:00:00+02:00</xmp:CreateDate>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>""".encode()


def compressed(writer: PdfWriter, data: bytes) -> PdfObject:
    """A Flate stream, so its text is not in the file's raw bytes."""
    stream = StreamObject()
    stream.set_data(zlib.compress(data))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return writer._add_object(stream)


def page_text(writer: PdfWriter, text: str) -> PdfObject:
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 24 Tf 20 100 Td ({text}) Tj ET".encode())
    return writer._add_object(content)


def comment(author: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
            NameObject("/T"): TextStringObject(author),
            NameObject("/Contents"): TextStringObject("Check the budget"),
        }
    )


def candidacy_pdf() -> bytes:
    """Two pages of text, with the author and title in the information dictionary, in
    compressed XMP on the catalog and on a page, in application data and in a comment."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for text in ("Page one", "Page two"):
        page = writer.add_blank_page(300, 200)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        page[NameObject("/Contents")] = page_text(writer, text)
    first = writer.pages[0]
    first[NameObject("/Metadata")] = compressed(writer, XMP)
    first[NameObject("/PieceInfo")] = DictionaryObject(
        {
            NameObject("/Word"): DictionaryObject(
                {NameObject("/Private"): TextStringObject(PRODUCER)}
            )
        }
    )
    first[NameObject("/LastModified")] = TextStringObject("D:20240502100000+02'00'")
    first[NameObject("/Annots")] = ArrayObject([writer._add_object(comment(AUTHOR))])
    writer.add_metadata(
        {
            "/Author": AUTHOR,
            "/Title": TITLE,
            "/Subject": "Educating Cities Award 2024",
            "/Keywords": "Barcelona, education",
            "/Creator": PRODUCER,
            "/Producer": PRODUCER,
            "/CreationDate": "D:20240502100000+02'00'",
            "/ModDate": "D:20240502100000+02'00'",
        }
    )
    writer.root_object[NameObject("/Metadata")] = compressed(writer, XMP)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def entry(node: PdfObject, key: str) -> DictionaryObject:
    found = node.get_object()
    assert isinstance(found, DictionaryObject)
    value = found[key].get_object()
    assert isinstance(value, DictionaryObject)
    return value


def first_annotation(page: PageObject) -> DictionaryObject:
    annotations = page["/Annots"]
    assert isinstance(annotations, ArrayObject)
    found = annotations[0].get_object()
    assert isinstance(found, DictionaryObject)
    return found


def texts_in(data: bytes) -> bytes:
    """The raw bytes followed by every stream decoded, as one searchable blob."""
    reader = PdfReader(io.BytesIO(data))
    decoded = [data]
    size = reader.trailer["/Size"]
    assert isinstance(size, int)
    for number in range(1, size):
        found = reader.get_object(number)
        if isinstance(found, StreamObject):
            decoded.append(found.get_data())
    return b"\n".join(decoded)


def traces(data: bytes) -> list[str]:
    """Which secrets appear, in PDF's one-byte or UTF-16 encodings, raw or decompressed."""
    blob = texts_in(data)
    return [
        secret
        for secret in SECRETS
        if secret.encode("latin-1") in blob or secret.encode("utf-16-be") in blob
    ]


def test_the_test_document_carries_every_trace_and_hides_some_in_streams() -> None:
    data = candidacy_pdf()

    assert traces(data) == list(SECRETS)
    assert b"<rdf:li>Ada Serra" not in data  # compressed: only a decoding scan finds it


def test_stripped_pdf_has_no_author_title_or_producer_anywhere() -> None:
    stripped = strip_pdf_metadata(candidacy_pdf())

    assert traces(stripped) == []


def test_stripped_pdf_keeps_its_pages_and_their_text() -> None:
    stripped = PdfReader(io.BytesIO(strip_pdf_metadata(candidacy_pdf())))

    assert [page.extract_text() for page in stripped.pages] == ["Page one", "Page two"]
    assert [page.mediabox[2:] for page in stripped.pages] == [[300, 200], [300, 200]]


def test_stripped_pdf_has_no_information_dictionary_xmp_or_comment_author() -> None:
    stripped = PdfReader(io.BytesIO(strip_pdf_metadata(candidacy_pdf())))
    first = stripped.pages[0]

    assert stripped.metadata is None
    assert stripped.xmp_metadata is None
    assert sorted(stripped.trailer) == ["/Root", "/Size"]
    assert sorted(first) == ["/Annots", "/Contents", "/MediaBox", "/Parent", "/Resources", "/Type"]
    annotation = first_annotation(first)
    assert str(annotation["/Contents"]) == "Check the budget"
    assert "/T" not in annotation


def test_earlier_revisions_of_an_edited_pdf_are_not_kept() -> None:
    # An incremental update appends the new metadata; the old one stays in the file's bytes.
    edited = PdfWriter(io.BytesIO(candidacy_pdf()), incremental=True)
    edited.add_metadata({"/Author": "Anonymous"})
    output = io.BytesIO()
    edited.write(output)
    assert AUTHOR.encode() in output.getvalue()

    stripped = strip_pdf_metadata(output.getvalue())

    assert traces(stripped) == []
    assert b"Anonymous" not in stripped


def test_a_form_field_keeps_its_name() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    field = comment("budget_total")
    field[NameObject("/Subtype")] = NameObject("/Widget")
    field[NameObject("/FT")] = NameObject("/Tx")
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(field)])
    output = io.BytesIO()
    writer.write(output)

    stripped = PdfReader(io.BytesIO(strip_pdf_metadata(output.getvalue())))

    assert str(first_annotation(stripped.pages[0])["/T"]) == "budget_total"


def test_a_digital_signature_loses_its_signer_but_keeps_its_field() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    signature = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Name"): TextStringObject(AUTHOR),
            NameObject("/Reason"): TextStringObject(TITLE),
        }
    )
    field = comment("mayor_signature")
    field[NameObject("/Subtype")] = NameObject("/Widget")
    field[NameObject("/FT")] = NameObject("/Sig")
    field[NameObject("/V")] = writer._add_object(signature)
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(field)])
    output = io.BytesIO()
    writer.write(output)

    stripped = strip_pdf_metadata(output.getvalue())

    assert traces(stripped) == []
    widget = first_annotation(PdfReader(io.BytesIO(stripped)).pages[0])
    assert (str(widget["/T"]), "/V" in widget) == ("mayor_signature", False)


def test_an_image_keeps_its_pixels_and_loses_its_xmp() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    image = StreamObject()
    image.set_data(bytes([0, 128, 255, 64]))
    for key, value in {
        "/Type": NameObject("/XObject"),
        "/Subtype": NameObject("/Image"),
        "/Width": NumberObject(2),
        "/Height": NumberObject(2),
        "/ColorSpace": NameObject("/DeviceGray"),
        "/BitsPerComponent": NumberObject(8),
        "/Metadata": compressed(writer, XMP),
    }.items():
        image[NameObject(key)] = value
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)})}
    )
    output = io.BytesIO()
    writer.write(output)

    stripped = strip_pdf_metadata(output.getvalue())

    assert traces(stripped) == []
    page = PdfReader(io.BytesIO(stripped)).pages[0]
    kept = entry(entry(page, "/Resources"), "/XObject")["/Im1"].get_object()
    assert isinstance(kept, StreamObject)
    assert (kept.get_data(), "/Metadata" in kept) == (bytes([0, 128, 255, 64]), False)


def test_a_password_protected_pdf_is_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)

    with pytest.raises(UnreadablePdf, match=r"^the PDF needs a password to open$"):
        strip_pdf_metadata(output.getvalue())


def test_a_pdf_encrypted_without_a_user_password_is_opened_and_written_in_clear() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": AUTHOR})
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)

    stripped = PdfReader(io.BytesIO(strip_pdf_metadata(output.getvalue())))

    assert (stripped.is_encrypted, len(stripped.pages), stripped.metadata) == (False, 1, None)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the PDF cannot be read: Cannot read an empty file"),
        (b"%PDF-1.7\nnot really", "the PDF cannot be read: "),
    ],
)
def test_bytes_that_are_no_pdf_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadablePdf) as refusal:
        strip_pdf_metadata(data)

    assert str(refusal.value).startswith(reason)
