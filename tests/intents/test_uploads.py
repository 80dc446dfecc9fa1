"""inspect_upload and clean_file_name against honest and hostile files.

Every file is built here, from bytes or with pypdf: nothing binary is committed. HOSTILE is
the table of files that must be refused, each with the words the refusal must contain; the
view tests in test_documents.py push the same table through the upload form.
"""

import functools
import gc
import hashlib
import io
import random
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from intents import uploads
from intents.uploads import UploadRejected, clean_file_name, inspect_upload

from ..factories import pdf_bytes

# Large enough for every hostile file below, small enough that "one byte over" stays fast.
TEST_LIMIT = 300_000


# --- Building files ------------------------------------------------------------------------


def raw_pdf(catalog=b"", page=b"", objects=()):
    """A one-page PDF written by hand, so that any key can be put anywhere.

    Objects 1-3 are the catalog, the page tree and the page; `objects` become 4, 5, ...
    """
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def object_stream_pdf(catalog=b"", compressed=None):
    """A PDF 1.5 whose catalog, page tree and page sit in a compressed object stream.

    A byte search of the file sees none of their keys. `compressed` replaces the stream's
    content, for a stream that is not what it claims.
    """
    members = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    header, position = [], 0
    for number, body in enumerate(members, start=1):
        header.append(b"%d %d" % (number, position))
        position += len(body) + 1
    header = b" ".join(header) + b"\n"
    content = compressed or zlib.compress(header + b"".join(body + b"\n" for body in members))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    stream_offset = len(out)
    out += b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Length %d /Filter /FlateDecode >>\n" % (
        len(header),
        len(content),
    )
    out += b"stream\n" + content + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    # Cross-reference stream rows: type (1 byte), offset or stream number (4), index (2).
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x02" + (4).to_bytes(4, "big") + index.to_bytes(2, "big") for index in range(3)]
    rows += [b"\x01" + offset.to_bytes(4, "big") + b"\x00\x00" for offset in (stream_offset,)]
    rows += [b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00\x00"]
    table = b"".join(rows)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\n" % len(table)
    out += b"stream\n" + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def written(writer):
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pypdf_document(*changes):
    """A one-page PDF made by pypdf, after each change(writer) has been applied."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for change in changes:
        change(writer)
    return written(writer)


def zip_archive(**members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def pdf_of_size(size):
    """A valid one-page PDF of exactly `size` bytes, padded with an unused string object."""

    def padded(length):
        return raw_pdf(objects=[b"(" + b"x" * length + b")"])

    length = 0
    for _ in range(3):  # the startxref offset may gain a digit: adjust until exact
        length += size - len(padded(length))
    data = padded(length)
    assert len(data) == size
    return data


@functools.cache
def zlib_zeros(megabytes):
    """A zlib stream that inflates to `megabytes` MB of zeros, about 1 KB per MB.

    Built without compressing the zeros: after a full flush the compressor forgets what came
    before, so every further megabyte compresses to the same bytes. The stream ends with an
    empty final block and the Adler-32 of n zero bytes, which is (n mod 65521) << 16 | 1.
    """
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = ((megabytes << 20) % 65521) << 16 | 1
    return first + again * (megabytes - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")


def content_stream_bomb():
    """A page whose content stream is 1 GB of zeros squeezed into about 1 MB."""
    bomb = zlib_zeros(1024)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(bomb), bomb)
    return raw_pdf(page=b"/Contents 4 0 R", objects=[stream])


def scan_pdf(images, image_bytes=1 << 20):
    """A one-page PDF holding `images` images of random bytes, like a scan's compressed pages."""
    rng = random.Random(7)
    streams = [
        b"<< /Type /XObject /Subtype /Image /Width 1024 /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream"
        % (image_bytes // 3072, image_bytes, rng.randbytes(image_bytes))
        for _ in range(images)
    ]
    names = b" ".join(b"/Im%d %d 0 R" % (n, n + 4) for n in range(images))
    return raw_pdf(page=b"/Resources << /XObject << " + names + b" >> >>", objects=streams)


SCRIPT = b"<script>fetch('/letters/').then(r => r.text()).then(steal)</script>"


def _pdf():
    return pdf_bytes()


def _zip_of_5_kb():
    return zip_archive(**{"payload.bin": bytes(range(256)) * 20})


def _encrypted(algorithm, user_password):
    return pypdf_document(
        lambda writer: writer.encrypt(user_password, "owner", algorithm=algorithm)
    )


def _no_pages():
    return written(PdfWriter())


# The table: (what the file is, how to build it, what the refusal must say).
HOSTILE = [
    # Not a PDF at all, whatever the name says.
    ("windows-exe-named-pdf", lambda: b"MZ\x90\x00\x03" + bytes(200), "of type “exe”"),
    ("linux-elf-named-pdf", lambda: b"\x7fELF\x02\x01\x01" + bytes(200), "of type “elf”"),
    ("html-with-script", lambda: b"<!doctype html><html>" + SCRIPT, "HTML, XML or SVG"),
    (
        "html-with-byte-order-mark",
        lambda: b"\xef\xbb\xbf\n  <html>" + SCRIPT,
        "HTML, XML or SVG",
    ),
    (
        "svg-with-script",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
        "HTML, XML or SVG",
    ),
    ("png-image-named-pdf", lambda: b"\x89PNG\r\n\x1a\n" + bytes(100), "of type “png”"),
    ("zip-named-pdf", lambda: zip_archive(**{"letter.pdf": _pdf()}), "of type “zip”"),
    ("plain-text", lambda: b"Dear committee, please find our letter.", "This file is not a PDF"),
    # Polyglots: a PDF that is also something else.
    (
        "html-page-hiding-a-pdf",
        lambda: b"<html>" + SCRIPT + b"<!--\n" + _pdf() + b"-->",
        "other data before its PDF header",
    ),
    (
        "program-hiding-a-pdf",
        lambda: b"MZ\x90\x00" + bytes(60) + _pdf(),
        "other data before its PDF header",
    ),
    (
        "pdf-with-zip-appended",
        lambda: _pdf() + zip_archive(**{"index.html": SCRIPT}),
        "both a PDF and a ZIP",
    ),
    ("pdf-with-large-zip-appended", lambda: _pdf() + _zip_of_5_kb(), "both a PDF and a ZIP"),
    (
        "zip-with-pdf-header",
        lambda: b"%PDF-1.7\n" + zip_archive(**{"index.html": SCRIPT}),
        "both a PDF and a ZIP",
    ),
    # Broken files.
    ("truncated-in-half", lambda: _pdf()[: len(_pdf()) // 2], "truncated"),
    ("end-marker-cut-off", lambda: _pdf()[:-7], "truncated"),
    (
        "garbage-after-the-header",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
        "damaged",
    ),
    ("header-and-end-only", lambda: b"%PDF-1.7\n%%EOF\n", "damaged"),
    ("no-pages", _no_pages, "has no pages"),
    (
        "nesting-100000-deep",
        lambda: raw_pdf(catalog=b"/Deep 4 0 R", objects=[b"[" * 100_000 + b"]" * 100_000]),
        "damaged",
    ),
    (
        "array-over-pypdf-limit",
        lambda: raw_pdf(catalog=b"/Big 4 0 R", objects=[b"[" + b"0 " * 100_001 + b"]"]),
        "damaged",
    ),
    (
        # pypdf would inflate 75 MB before giving up: over the check's memory limit.
        "object-stream-bomb",
        lambda: object_stream_pdf(compressed=zlib_zeros(100)),
        "too complex",
    ),
    # Encrypted: we could not check what is inside, and reviewers could not open it.
    ("encrypted-rc4-128", lambda: _encrypted("RC4-128", "secret"), "encrypted"),
    ("encrypted-empty-user-password", lambda: _encrypted("RC4-40", ""), "encrypted"),
    # Active content.
    (
        "javascript-open-action",
        lambda: pypdf_document(lambda writer: writer.add_open_action(JavaScript("app.alert(1)"))),
        "contains JavaScript",
    ),
    (
        "javascript-page-action",
        lambda: raw_pdf(page=b"/AA << /O << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"),
        "contains JavaScript",
    ),
    (
        "javascript-escaped-names",  # /J#53 is /JS: no byte search finds it
        lambda: raw_pdf(catalog=b"/OpenAction << /S /Java#53cript /J#53 (app.alert\\(1\\)) >>"),
        "contains JavaScript",
    ),
    (
        "javascript-in-compressed-object-stream",
        lambda: object_stream_pdf(
            catalog=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"
        ),
        "contains JavaScript",
    ),
    (
        "launch-action",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        "launch action",
    ),
    (
        "launch-action-escaped-name",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /L#61unch /F (cmd.exe) >>"),
        "launch action",
    ),
    (
        "launch-action-indirect-name",
        lambda: raw_pdf(catalog=b"/OpenAction << /S 4 0 R /F (cmd.exe) >>", objects=[b"/L#61unch"]),
        "launch action",
    ),
    (
        "import-data-action",
        lambda: raw_pdf(catalog=b"/OpenAction << /S /ImportData /F (data.fdf) >>"),
        "imports data",
    ),
    (
        "embedded-file",
        lambda: pypdf_document(lambda writer: writer.add_attachment("payload.exe", b"MZ")),
        "embedded files",
    ),
    (
        "embedded-file-without-type-behind-a-link",
        lambda: raw_pdf(
            page=b"/Annots [<< /Subtype /Link /A << /S /GoToR /D [0 /Fit] "
            b"/F << /Type /Filespec /F (a.pdf) /EF << /F 4 0 R >> >> >> >>]",
            objects=[b"<< /Length 2 >>\nstream\nMZ\nendstream"],
        ),
        "embedded files",
    ),
    (
        "file-attachment-annotation",
        lambda: raw_pdf(page=b"/Annots [<< /Subtype /FileAttachment /Rect [0 0 9 9] >>]"),
        "embedded files",
    ),
    (
        "rich-media-annotation",
        lambda: raw_pdf(page=b"/Annots [<< /Subtype /RichMedia /Rect [0 0 9 9] >>]"),
        "RichMedia",
    ),
    (
        "xfa-form",
        lambda: raw_pdf(catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>", objects=[b"(<xdp/>)"]),
        "XFA form",
    ),
    # Size. Through the view, Django's form refuses the empty file before inspect_upload does.
    ("empty", lambda: b"", "file is empty"),
    ("one-byte-over-the-limit", lambda: pdf_of_size(TEST_LIMIT + 1), "too large"),
]
HOSTILE_CASES = [pytest.param(build, reason, id=name) for name, build, reason in HOSTILE]


def upload(data, name="letter.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# --- Honest files --------------------------------------------------------------------------


def test_a_good_pdf_is_measured():
    data = pdf_bytes(pages=3)
    uploaded = upload(data)
    inspected = inspect_upload(uploaded, TEST_LIMIT)
    assert inspected.content_type == "application/pdf"
    assert inspected.page_count == 3
    assert inspected.size == len(data)
    assert inspected.sha256 == hashlib.sha256(data).hexdigest()
    # The view stores the same object next: it must be rewound.
    assert uploaded.tell() == 0


def test_the_claimed_content_type_and_name_do_not_matter():
    uploaded = SimpleUploadedFile("scan.exe", pdf_bytes(), content_type="application/x-msdownload")
    assert inspect_upload(uploaded, TEST_LIMIT).content_type == "application/pdf"


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    settings.DOCUMENT_MAX_BYTES = 10_000
    data = pdf_of_size(10_000)
    assert len(data) == 10_000
    assert inspect_upload(upload(data), settings.DOCUMENT_MAX_BYTES).size == 10_000


def test_a_file_one_byte_over_the_limit_is_refused_by_its_size(settings):
    settings.DOCUMENT_MAX_BYTES = 10_000
    with pytest.raises(
        UploadRejected, match="too large \\(10001 bytes\\); the limit is 10000 bytes"
    ):
        inspect_upload(upload(pdf_of_size(10_001)), settings.DOCUMENT_MAX_BYTES)


def test_a_page_count_that_lies_is_not_believed():
    data = raw_pdf().replace(b"/Count 1", b"/Count 99999")
    assert inspect_upload(upload(data), TEST_LIMIT).page_count == 1


@pytest.mark.parametrize(
    "data",
    [
        # A font called /JS1 is not JavaScript (the old byte search refused this).
        raw_pdf(page=b"/Resources << /Font << /JS1 << /Type /Font /Subtype /Type1 >> >> >>"),
        # A web link is not active content.
        raw_pdf(page=b"/Annots [<< /Subtype /Link /A << /S /URI /URI (https://example.org) >> >>]"),
        # Bytes after the end marker (some scanners pad their files).
        pdf_bytes() + b"\n" + bytes(500),
    ],
    ids=["font-named-JS1", "web-link", "padding-after-end"],
)
def test_honest_oddities_are_accepted(data):
    assert inspect_upload(upload(data), TEST_LIMIT).page_count == 1


def test_a_decompression_bomb_in_a_page_is_accepted_without_inflating_it():
    """Accepted, and documented as such: content streams are never inflated when checking, so
    the 1 GB of zeros costs the check nothing. The portal never renders documents; pypdf would
    stop at 75 MB if anything later decoded the stream."""
    data = content_stream_bomb()
    assert len(data) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        inspected = inspect_upload(upload(data), 20 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert inspected.page_count == 1
    assert peak < 16 * 1024 * 1024


def test_a_large_scan_is_checked_one_image_at_a_time_and_nothing_is_kept():
    """The image data pypdf reads with each dictionary is let go as the check moves on, and the
    reader is emptied at the end: a worker's cyclic garbage collector runs rarely, so what waits
    for it stays in memory (8 MiB here, 20 MiB per upload in the benchmark)."""
    data = scan_pdf(images=8)
    assert len(data) > 8 << 20
    uploaded = upload(data)
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        inspected = inspect_upload(uploaded, 20 << 20)
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    assert inspected.page_count == 1
    assert inspected.sha256 == hashlib.sha256(data).hexdigest()
    assert peak - before < 2 << 20  # measured about 1 MiB: one image
    assert after - before < 256 << 10  # measured a few KiB


def test_the_bomb_really_is_one():
    assert zlib.decompress(zlib_zeros(3)) == bytes(3 << 20)
    inflater = zlib.decompressobj()
    first = inflater.decompress(zlib_zeros(1024), 64 << 20)
    assert len(first) == 64 << 20 and len(inflater.unconsumed_tail) > 900_000


def test_an_object_stream_bomb_is_refused_within_the_checks_memory_limit():
    """pypdf stops inflating at 75 MB (about 150 MB resident); the child's address space stops
    it sooner. The worker itself holds none of it."""
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected, match="too complex"):
            inspect_upload(upload(object_stream_pdf(compressed=zlib_zeros(1024))), 20 << 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_hidden_javascript_is_invisible_to_a_byte_search():
    """Why the structure is walked: these two files carry no JavaScript marker in their bytes."""
    escaped = raw_pdf(catalog=b"/OpenAction << /S /Java#53cript /J#53 (x) >>")
    packed = object_stream_pdf(catalog=b"/OpenAction << /S /JavaScript /JS (x) >>")
    for data in (escaped, packed):
        assert b"/JS" not in data and b"/JavaScript" not in data
        with pytest.raises(UploadRejected, match="JavaScript"):
            inspect_upload(upload(data), TEST_LIMIT)


def test_a_pdf_with_too_many_objects_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_OBJECTS", 20)
    data = raw_pdf(
        catalog=b"/Many [%s]" % b" ".join(b"%d 0 R" % n for n in range(4, 40)),
        objects=[b"null"] * 36,
    )
    with pytest.raises(UploadRejected, match="too complex"):
        inspect_upload(upload(data), TEST_LIMIT)


def test_a_pdf_that_takes_too_long_to_check_is_refused(settings):
    # The check runs in a child process, killed when this time is up (it cannot even start).
    settings.UPLOAD_CHECK_SECONDS = 0.01
    with pytest.raises(UploadRejected, match="too complex"):
        inspect_upload(upload(pdf_bytes()), TEST_LIMIT)


# --- Hostile files -------------------------------------------------------------------------


@pytest.mark.parametrize(("build", "reason"), HOSTILE_CASES)
def test_a_hostile_file_is_refused_with_its_reason(build, reason):
    uploaded = upload(build())
    with pytest.raises(UploadRejected) as refused:
        inspect_upload(uploaded, TEST_LIMIT)
    assert reason in str(refused.value)


def test_the_table_is_big_enough():
    assert len(HOSTILE) >= 25
    assert len({name for name, _, _ in HOSTILE}) == len(HOSTILE)


# --- File names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Letter of intent.pdf", "Letter of intent.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\win.pdf", "win.pdf"),
        ("/var/www/static/letter.pdf", "letter.pdf"),
        ("let\x00ter.pdf", "letter.pdf"),
        ("letter.pdf\x00.exe", "letter.pdf.exe.pdf"),
        # U+202E shows "invoice\u202efdp.exe" as "invoiceexe.pdf": the real name is kept.
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
        ("\u2066let\u2069ter.pdf", "letter.pdf"),
        ("le\u200btt\u200der\ufeff.pdf", "letter.pdf"),
        ("line\r\nbreak\u2028.pdf", "linebreak.pdf"),
        ('say "hi"; x=.pdf', 'say "hi"; x=.pdf'),
        (".htaccess", "htaccess.pdf"),
        ("...", "document.pdf"),
        ("", "document.pdf"),
        (None, "document.pdf"),
        ("\u202e\u200b", "document.pdf"),
        ("report.PDF", "report.PDF"),
        ("notes.txt", "notes.txt.pdf"),
        ("Lettre d’intention – signée.pdf", "Lettre d’intention – signée.pdf"),
        ("e\u0301te\u0301.pdf", "\u00e9t\u00e9.pdf"),
    ],
    ids=repr,
)
def test_a_file_name_is_cleaned(given, expected):
    assert clean_file_name(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "a" * 300 + ".pdf",
        "a" * 300,
        "é" * 300 + ".pdf",
        "x." + "y" * 298,
        "a" * 195 + " " + "b" * 10 + ".pdf",
    ],
    ids=["long-with-extension", "long-without", "long-accented", "long-extension", "space-cut"],
)
def test_a_long_file_name_is_cut_keeping_the_extension(given):
    cleaned = clean_file_name(given)
    assert len(cleaned) <= 200
    assert cleaned.endswith(".pdf")
    assert cleaned[0] == given[0]
    assert " .pdf" not in cleaned
