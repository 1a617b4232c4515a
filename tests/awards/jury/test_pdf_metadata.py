"""PDF metadata: a rebuilt document keeps what its pages show and loses every trace of its
author, title and producer, and every part a determined applicant could hide them in, in its
raw bytes and inside its compressed streams."""

from __future__ import annotations

import io
import zlib

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from awards.jury.pdf_metadata import UnreadablePdf, strip_pdf_metadata
from conftest import long_pdf

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


def clean(data: bytes) -> bytes:
    return strip_pdf_metadata(data, max_pages=300)


def compressed(writer: PdfWriter, data: bytes) -> PdfObject:
    """A Flate stream, so its text is not in the file's raw bytes."""
    stream = StreamObject()
    stream.set_data(zlib.compress(data))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return writer._add_object(stream)


def page_text(writer: PdfWriter, text: str, *, then: str = "") -> PdfObject:
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 24 Tf 20 100 Td ({text}) Tj ET{then}".encode())
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
    """The raw bytes followed by every stream decoded and every string, as one searchable
    blob (a string's bytes may be escaped in the file: `(a\\137b)` is `a_b`)."""
    reader = PdfReader(io.BytesIO(data))
    decoded = [data]
    size = reader.trailer["/Size"]
    assert isinstance(size, int)
    pending = [reader.get_object(number) for number in range(1, size)]
    while pending:
        found = pending.pop()
        if isinstance(found, StreamObject):
            decoded.append(found.get_data())
        if isinstance(found, DictionaryObject):
            pending.extend(
                value for value in found.values() if not isinstance(value, IndirectObject)
            )
        elif isinstance(found, ArrayObject):
            pending.extend(value for value in found if not isinstance(value, IndirectObject))
        elif isinstance(found, TextStringObject | ByteStringObject):
            decoded += [found.original_bytes, str(found).encode()]
    return b"\n".join(decoded)


def traces(data: bytes, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    """Which secrets appear, in any case, in PDF's one-byte or UTF-16 encodings, raw or
    decompressed."""
    blob = texts_in(data).lower()
    return [
        secret
        for secret in secrets
        if secret.lower().encode("latin-1") in blob or secret.lower().encode("utf-16-be") in blob
    ]


def test_the_test_document_carries_every_trace_and_hides_some_in_streams() -> None:
    data = candidacy_pdf()

    assert traces(data) == list(SECRETS)
    assert b"<rdf:li>Ada Serra" not in data  # compressed: only a decoding scan finds it


def test_stripped_pdf_has_no_author_title_or_producer_anywhere() -> None:
    stripped = clean(candidacy_pdf())

    assert traces(stripped) == []


def test_stripped_pdf_keeps_its_pages_and_their_text() -> None:
    stripped = PdfReader(io.BytesIO(clean(candidacy_pdf())))

    assert [page.extract_text() for page in stripped.pages] == ["Page one", "Page two"]
    assert [page.mediabox[2:] for page in stripped.pages] == [[300, 200], [300, 200]]


def test_stripped_pdf_has_no_information_dictionary_xmp_or_annotation() -> None:
    stripped = PdfReader(io.BytesIO(clean(candidacy_pdf())))
    first = stripped.pages[0]

    assert stripped.metadata is None
    assert stripped.xmp_metadata is None
    assert sorted(stripped.trailer) == ["/Root", "/Size"]
    assert sorted(stripped.root_object) == ["/Pages", "/Type"]
    assert sorted(first) == ["/Contents", "/MediaBox", "/Parent", "/Resources", "/Type"]


def test_earlier_revisions_of_an_edited_pdf_are_not_kept() -> None:
    # An incremental update appends the new metadata; the old one stays in the file's bytes.
    edited = PdfWriter(io.BytesIO(candidacy_pdf()), incremental=True)
    edited.add_metadata({"/Author": "Anonymous"})
    output = io.BytesIO()
    edited.write(output)
    assert AUTHOR.encode() in output.getvalue()

    stripped = clean(output.getvalue())

    assert traces(stripped) == []
    assert b"Anonymous" not in stripped


CITY, EMAIL = "Vorkelzan", "a.serra@vorkelzan-ajuntament.test"
HIDDEN = (AUTHOR, CITY, EMAIL, "mayor_signature")
"""`mayor_signature` is written `(mayor\\137signature)`: only a scan of the strings finds it."""


def javascript(writer: PdfWriter, script: str) -> PdfObject:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(script),
            }
        )
    )


def annotation(subtype: str, **entries: PdfObject) -> DictionaryObject:
    found = comment(AUTHOR)
    found[NameObject("/Subtype")] = NameObject(subtype)
    found.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return found


def embedded_file(writer: PdfWriter) -> PdfObject:
    """A file specification with a compressed attached file that names the city and author."""
    attached = StreamObject()
    attached.set_data(zlib.compress(f"Budget of {CITY}, by {AUTHOR} <{EMAIL}>".encode()))
    attached[NameObject("/Filter")] = NameObject("/FlateDecode")
    attached[NameObject("/Type")] = NameObject("/EmbeddedFile")
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject(f"{CITY} budget.txt"),
                NameObject("/EF"): DictionaryObject(
                    {NameObject("/F"): writer._add_object(attached)}
                ),
            }
        )
    )


def layered_form(writer: PdfWriter) -> PdfObject:
    """A form XObject drawing text, with its own XMP, application data and an optional
    content group named after the author."""
    form = StreamObject()
    form.set_data(b"BT /F1 12 Tf 20 50 Td (Budget table) Tj ET")
    layer = DictionaryObject(
        {NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject(AUTHOR)}
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for key, value in {
        "/Type": NameObject("/XObject"),
        "/Subtype": NameObject("/Form"),
        "/BBox": ArrayObject([FloatObject(v) for v in (0, 0, 200, 100)]),
        "/Resources": DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        ),
        "/Metadata": compressed(writer, XMP),
        "/PieceInfo": DictionaryObject({NameObject("/Word"): TextStringObject(CITY)}),
        "/OC": writer._add_object(layer),
    }.items():
        form[NameObject(key)] = value
    return writer._add_object(form)


def determined_pdf() -> bytes:
    """A page of text that hides who made it everywhere a PDF can but on the page: an
    attached file, a link, a script run on opening, a page action, a note with its author, a
    filled-in form field, an annotation name that is an e-mail address, XMP in a form XObject."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject(
                {
                    NameObject("/F1"): DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Font"),
                            NameObject("/Subtype"): NameObject("/Type1"),
                            NameObject("/BaseFont"): NameObject("/Helvetica"),
                        }
                    )
                }
            ),
            NameObject("/XObject"): DictionaryObject({NameObject("/Fm1"): layered_form(writer)}),
        }
    )
    page[NameObject("/Contents")] = page_text(writer, "Annex page", then=" /Fm1 Do")
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): javascript(writer, f"app.alert('{AUTHOR}')")}
    )
    link = DictionaryObject(
        {
            NameObject("/S"): NameObject("/URI"),
            NameObject("/URI"): TextStringObject(f"https://www.{CITY.lower()}.test/"),
        }
    )
    field = annotation(
        "/Widget",
        FT=NameObject("/Tx"),
        V=TextStringObject(AUTHOR),
        NM=TextStringObject("mayor_signature"),
    )
    field[NameObject("/T")] = TextStringObject("mayor_signature")
    annotations = [
        annotation("/Link", A=link),
        annotation("/Text", NM=TextStringObject(EMAIL)),
        annotation("/FileAttachment", FS=embedded_file(writer)),
        field,
    ]
    references = [writer._add_object(a) for a in annotations]
    page[NameObject("/Annots")] = ArrayObject(references)
    root = writer.root_object
    root[NameObject("/OpenAction")] = javascript(writer, f"app.alert('{CITY}')")
    root[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/EmbeddedFiles"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("a"), embedded_file(writer)])}
            ),
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("b"), javascript(writer, EMAIL)]
                    )
                }
            ),
        }
    )
    root[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([references[-1]])}
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_the_determined_document_hides_who_made_it_in_every_part() -> None:
    data = determined_pdf()

    assert traces(data, HIDDEN) == list(HIDDEN)
    assert f"Budget of {CITY}".encode() not in data  # compressed: only a decoding scan finds it
    reader = PdfReader(io.BytesIO(data))
    assert sorted(reader.attachments) == [f"{CITY} budget.txt", "a"]


def test_a_rebuilt_pdf_keeps_nothing_but_what_its_pages_show() -> None:
    rebuilt = clean(determined_pdf())

    assert traces(rebuilt, HIDDEN) == []
    reader = PdfReader(io.BytesIO(rebuilt))
    assert (reader.attachments, reader.get_fields(), reader.outline) == ({}, None, [])
    [page] = reader.pages
    assert page.extract_text().split("\n") == ["Annex page", "Budget table"]
    assert sorted(entry(page, "/Resources")) == ["/Font", "/XObject"]
    form = entry(entry(page, "/Resources"), "/XObject")["/Fm1"].get_object()
    assert isinstance(form, StreamObject)
    assert sorted(form) == ["/BBox", "/Resources", "/Subtype", "/Type"]


def test_a_pdf_of_more_pages_than_allowed_is_refused_whatever_its_page_tree_says() -> None:
    lying = long_pdf(70_000, stated=1)

    with pytest.raises(UnreadablePdf, match=r"^the PDF has 70000 pages, more than 300$"):
        clean(lying)


def test_pages_sharing_their_content_share_it_once_rebuilt() -> None:
    reader = PdfReader(io.BytesIO(clean(long_pdf(300))))

    assert len(reader.pages) == 300
    assert {page.raw_get("/Contents").idnum for page in reader.pages} == {
        reader.pages[0].raw_get("/Contents").idnum
    }
    assert reader.pages[299].extract_text() == "Annex page"


def test_a_digital_signature_field_goes_with_its_signer() -> None:
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

    stripped = clean(output.getvalue())

    assert traces(stripped) == []
    assert "/Annots" not in PdfReader(io.BytesIO(stripped)).pages[0]


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

    stripped = clean(output.getvalue())

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
        clean(output.getvalue())


def test_a_pdf_encrypted_without_a_user_password_is_opened_and_written_in_clear() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": AUTHOR})
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)

    stripped = PdfReader(io.BytesIO(clean(output.getvalue())))

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
        clean(data)

    assert str(refusal.value).startswith(reason)
