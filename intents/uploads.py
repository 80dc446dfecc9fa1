"""Checking an uploaded document by its content before anything is stored.

We accept PDF only. A file is judged by its bytes, never by its name or the type the browser
claims: it must parse as a PDF, must not be encrypted, must not carry JavaScript or launch
actions, and must not double as a ZIP archive.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_CONTENT_TYPE = "application/pdf"
CHUNK = 64 * 1024
MAX_NAME_LENGTH = 200
# Markers of active content that a letter of intent never needs.
ACTIVE_CONTENT_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
# Characters that can disguise a name (direction overrides, zero-width) or break a header.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


class UploadRejected(Exception):
    """The file cannot be accepted; the message says why, in the user's language."""


@dataclass(frozen=True)
class InspectedFile:
    content_type: str
    size: int
    sha256: str
    page_count: int


def clean_file_name(name):
    """A safe display name: no folders, no control or direction characters, bounded length."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in INVISIBLE_CATEGORIES)
    name = name.strip().lstrip(".") or "document.pdf"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot else ""
        name = (stem or name)[: MAX_NAME_LENGTH - len(extension) - 1] + (
            "." + extension if extension else ""
        )
    return name


def inspect_upload(uploaded, max_bytes):
    """Return what we learned of a PDF upload, or raise UploadRejected naming the problem."""
    size = uploaded.size
    if size == 0:
        raise UploadRejected(_("The file is empty."))
    if size > max_bytes:
        raise UploadRejected(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    uploaded.seek(0)
    head = uploaded.read(2048)
    if b"%PDF-" not in head[:1024]:
        raise UploadRejected(_describe_non_pdf(head))
    digest = hashlib.sha256()
    has_active_content = False
    uploaded.seek(0)
    previous_tail = b""
    for chunk in iter(lambda: uploaded.read(CHUNK), b""):
        digest.update(chunk)
        window = previous_tail + chunk
        if any(marker in window for marker in ACTIVE_CONTENT_MARKERS):
            has_active_content = True
        previous_tail = chunk[-16:]
    if has_active_content:
        raise UploadRejected(
            _(
                "The PDF contains JavaScript, embedded files or launch actions. "
                "Please export it again as a plain PDF (for example with “Print to PDF”)."
            )
        )
    uploaded.seek(max(0, size - 2048))
    if b"%%EOF" not in uploaded.read():
        raise UploadRejected(_("The PDF is truncated: its end is missing. Please upload it again."))
    uploaded.seek(0)
    if zipfile.is_zipfile(uploaded):
        raise UploadRejected(_("The file is both a PDF and a ZIP archive; we cannot accept it."))
    page_count = _count_pages(uploaded)
    uploaded.seek(0)
    return InspectedFile(
        content_type=PDF_CONTENT_TYPE, size=size, sha256=digest.hexdigest(), page_count=page_count
    )


def _count_pages(uploaded):
    uploaded.seek(0)
    try:
        reader = PdfReader(uploaded, strict=False)
        if reader.is_encrypted:
            raise UploadRejected(
                _("The PDF is encrypted or password-protected. Please upload it unprotected.")
            )
        pages = len(reader.pages)
    except UploadRejected:
        raise
    except (
        PdfReadError,
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


def _describe_non_pdf(head):
    kind = filetype.guess(head)
    if head.lstrip()[:1] == b"<":
        return _("This file is HTML, XML or SVG, not a PDF. Only PDF files are accepted.")
    if kind is not None:
        return _("This file is of type “%(kind)s”, not a PDF. Only PDF files are accepted.") % {
            "kind": kind.extension
        }
    return _("This file is not a PDF. Only PDF files are accepted.")
