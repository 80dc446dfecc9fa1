"""Checking an uploaded document by its content before anything is stored.

We accept PDF only. A file is judged by its bytes, never by its name or the type the browser
claims: it must start as a PDF, must parse, must not be encrypted, must not carry JavaScript,
launch actions, embedded files or other active content, and must not double as a ZIP archive.

Compressed content streams are never inflated here: a "decompression bomb" page is stored as
the few bytes it is, and only costs whoever renders it later. pypdf's own limits (75 MB per
stream, 100 000 array items, ...) bound what parsing the document structure may cost.
"""

import hashlib
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

PDF_CONTENT_TYPE = "application/pdf"
CHUNK = 64 * 1024
MAX_NAME_LENGTH = 200
# A legitimate letter has a few thousand objects and is checked in well under a second; a
# crafted one (millions of objects, huge arrays) could tie up a worker for minutes.
MAX_OBJECTS = 200_000
CHECK_SECONDS = 10
# PDF names that introduce active content a letter of intent never needs, as dictionary keys
# (/JS, /EF, /EmbeddedFiles, /XFA) or as the value of /S, /Type or /Subtype (/Launch, ...).
ACTIVE_NAMES = {
    "/JS": gettext_lazy("JavaScript"),
    "/JavaScript": gettext_lazy("JavaScript"),
    "/Launch": gettext_lazy("a launch action, which could start a program"),
    "/ImportData": gettext_lazy("an action that imports data"),
    "/GoToE": gettext_lazy("a link into an embedded file"),
    "/EF": gettext_lazy("embedded files"),
    "/EmbeddedFile": gettext_lazy("embedded files"),
    "/EmbeddedFiles": gettext_lazy("embedded files"),
    "/FileAttachment": gettext_lazy("embedded files"),
    "/RichMedia": gettext_lazy("multimedia (RichMedia) content"),
    "/XFA": gettext_lazy("an XFA form, which can run scripts"),
}
# A quick byte search finds the plain spellings even in objects the parser does not reach.
# Short names such as /JS are left to the parser: three bytes turn up by chance in the
# compressed images of a large scan and would refuse honest files.
RAW_MARKERS = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
# Characters that can disguise a name (direction overrides, zero-width), break a header or a
# line, or are not characters at all (surrogates, unassigned).
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class UploadRejected(Exception):
    """The file cannot be accepted; the message says why, in the user's language."""


@dataclass(frozen=True)
class InspectedFile:
    content_type: str
    size: int
    sha256: str
    page_count: int


def clean_file_name(name):
    """A safe display name: no folders, no control or direction characters, bounded length,
    and ending in .pdf, since only PDFs are stored (no "letter.pdf.exe" on download)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in INVISIBLE_CATEGORIES)
    name = name.strip().lstrip(".").strip() or "document.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    if len(name) > MAX_NAME_LENGTH:
        stem, extension = name[:-4], name[-4:]
        name = stem[: MAX_NAME_LENGTH - len(extension)].rstrip() + extension
    return name


def inspect_upload(uploaded, max_bytes):
    """Return what we learned of a PDF upload, or raise UploadRejected naming the problem."""
    size = uploaded.size
    if size == 0:
        raise UploadRejected(_("The file is empty."))
    if size > max_bytes:
        size_text, limit_text = filesizeformat(size), filesizeformat(max_bytes)
        if size_text == limit_text:
            # Just over the limit: rounded sizes would read the same, so give the bytes.
            size_text, limit_text = (_("%(count)s bytes") % {"count": n} for n in (size, max_bytes))
        raise UploadRejected(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": size_text, "limit": limit_text}
        )
    uploaded.seek(0)
    head = uploaded.read(1024)
    # Readers tolerate a header anywhere in the first kilobyte, which lets an HTML page or a
    # program carry a PDF after its own start. We want the PDF header first.
    if not head.startswith(b"%PDF-"):
        raise UploadRejected(_describe_non_pdf(head))
    digest = hashlib.sha256()
    uploaded.seek(0)
    previous_tail = b""
    for chunk in iter(lambda: uploaded.read(CHUNK), b""):
        digest.update(chunk)
        window = previous_tail + chunk
        for marker in RAW_MARKERS:
            if marker in window:
                _refuse_active(ACTIVE_NAMES[marker.decode()])
        previous_tail = chunk[-16:]
    # Before the end-of-file check: an appended archive also pushes %%EOF out of the tail,
    # and "truncated" would be the wrong thing to tell the user.
    uploaded.seek(0)
    if zipfile.is_zipfile(uploaded):
        raise UploadRejected(_("The file is both a PDF and a ZIP archive; we cannot accept it."))
    uploaded.seek(max(0, size - 2048))
    if b"%%EOF" not in uploaded.read():
        raise UploadRejected(_("The PDF is truncated: its end is missing. Please upload it again."))
    page_count = _read_pdf(uploaded)
    uploaded.seek(0)
    return InspectedFile(
        content_type=PDF_CONTENT_TYPE, size=size, sha256=digest.hexdigest(), page_count=page_count
    )


def _read_pdf(uploaded):
    """Parse the structure: refuse encryption and active content, count the pages."""
    uploaded.seek(0)
    try:
        # Closing the reader empties its cache of parsed objects: the reader and its objects
        # refer to each other, so without it they would wait for the cyclic garbage collector,
        # which in a long-lived worker runs rarely, and every upload would add its file's size.
        with PdfReader(uploaded, strict=False) as reader:
            if reader.is_encrypted:
                raise UploadRejected(
                    _("The PDF is encrypted or password-protected. Please upload it unprotected.")
                )
            active = _find_active_content(reader)
            if active:
                _refuse_active(active)
            pages = len(reader.pages)
    except UploadRejected:
        raise
    # PyPdfError covers pypdf's parse errors and its resource limits (LimitReachedError);
    # the others are what a hostile file can provoke inside pypdf.
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
        IndexError,
        AssertionError,
        OSError,
    ) as error:
        raise UploadRejected(_("The PDF is damaged and cannot be read.")) from error
    if pages < 1:
        raise UploadRejected(_("The PDF has no pages."))
    return pages


def _find_active_content(reader):
    """Walk every object reachable from the trailer; return what active content it names.

    The parser decodes escaped names (/J#53 is /JS) and unpacks compressed object streams,
    which the byte search cannot see into. Stream data itself is not inflated.
    """
    deadline = time.monotonic() + CHECK_SECONDS
    seen = set()
    pending = [reader.trailer]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > MAX_OBJECTS or time.monotonic() > deadline:
                raise UploadRejected(
                    _(
                        "The PDF is too complex to be checked. "
                        "Please export it again as a plain PDF."
                    )
                )
            reference = (item.generation, item.idnum)
            item = item.get_object()
            if isinstance(item, StreamObject):
                # pypdf reads a stream's data with its dictionary and caches both. Only the
                # dictionary is looked at: drop the stream from the cache, so a scan's page
                # images are held one at a time, not all at once.
                reader.resolved_objects.pop(reference, None)
        if isinstance(item, DictionaryObject):
            # item[key] resolves an indirect value, so "/S 7 0 R" is seen too.
            values = [item[key] for key in ("/S", "/Type", "/Subtype") if key in item]
            for name in [*item.keys(), *values]:
                if isinstance(name, str) and name in ACTIVE_NAMES:
                    return ACTIVE_NAMES[name]
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return None


def _refuse_active(what):
    raise UploadRejected(
        _(
            "The PDF contains %(what)s. Please export it again as a plain PDF "
            "(for example with “Print to PDF”)."
        )
        % {"what": what}
    )


def _describe_non_pdf(head):
    if b"%PDF-" in head:
        return _(
            "This file has other data before its PDF header, so it may also be read as another "
            "type of file. Please export it again as a plain PDF."
        )
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return _("This file is HTML, XML or SVG, not a PDF. Only PDF files are accepted.")
    kind = filetype.guess(head)
    if kind is not None:
        return _("This file is of type “%(kind)s”, not a PDF. Only PDF files are accepted.") % {
            "kind": kind.extension
        }
    return _("This file is not a PDF. Only PDF files are accepted.")


class SizeLimitedUpload(FileUploadHandler):
    """Stops receiving a file once it passes the limit, so an oversized upload never fills the
    disk; the rest of the request is read and dropped. The view tells the user."""

    def __init__(self, request, max_bytes):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.request.upload_over_limit = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large_message(max_bytes):
    return _("The file is too large; the limit is %(limit)s.") % {
        "limit": filesizeformat(max_bytes)
    }
