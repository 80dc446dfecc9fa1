"""Checking an uploaded document by its content before anything is stored.

We accept PDF only. A file is judged by its bytes, never by its name or the type the browser
claims: it must start as a PDF, must parse, must not be encrypted, must not carry JavaScript,
launch actions, embedded files or other active content, and must not double as a ZIP archive.

Compressed content streams are never inflated here: a "decompression bomb" page is stored as
the few bytes it is, and only costs whoever renders it later. pypdf's own limits (75 MB per
stream, 100 000 array items, ...) bound what parsing the document structure may cost, but not
its time: a crafted file can keep pypdf busy for minutes and hundreds of megabytes inside one
object lookup. So the parsing runs in a short-lived child process (intents/pdf_check.py) whose
memory and CPU the kernel limits and which is killed after UPLOAD_CHECK_SECONDS; a file that
needs more is refused as too complex, and the web worker never holds its objects.
"""

import hashlib
import json
import logging
import math
import re
import signal
import subprocess  # nosec B404
import sys
import tempfile
import time
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.refusals import Refused

from . import pdf_check

PDF_CONTENT_TYPE = "application/pdf"
CHUNK = 64 * 1024
MAX_NAME_LENGTH = 200
# A legitimate letter has a few thousand objects and is checked in well under a second; a
# crafted one (millions of objects, huge arrays) could tie up a worker for minutes.
MAX_OBJECTS = 200_000
CHILD = Path(__file__).with_name("pdf_check.py")
logger = logging.getLogger(__name__)
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
    "/SubmitForm": gettext_lazy("an action that sends form data to a server"),
    "/GoToR": gettext_lazy("a link that opens another file, which may be on the web"),
    "/Rendition": gettext_lazy("sound or video content"),
    "/Sound": gettext_lazy("sound or video content"),
    "/Movie": gettext_lazy("sound or video content"),
}
# A /URI action is refused where it fires by itself (the document's /OpenAction, any /AA of
# the document, a page, an annotation or a field, and their /Next chains): opening the file
# would tell a server who read it, and when. A link annotation's /URI in the text (a website,
# a DOI) is accepted: it is common in letters and does nothing until the reader clicks it.
OPENS_WEB_ADDRESS = gettext_lazy("an action that opens a web address without being clicked")
# A quick byte search finds the plain spellings even in objects the parser does not reach.
# Short names such as /JS are left to the parser: three bytes turn up by chance in the
# compressed images of a large scan and would refuse honest files.
RAW_MARKERS = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
# Characters that can disguise a name (direction overrides, zero-width), break a header or a
# line, or are not characters at all (surrogates, unassigned).
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class UploadRejected(Refused):
    """The file cannot be accepted; the message says why."""


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
    """Parse the structure in a child process: refuse encryption, active content and actions
    that reach out by themselves, count the pages."""
    with _file_on_disk(uploaded) as path:
        answer = check_pdf_file(path).answer
    refused = answer.get("refused")
    if refused is None:
        return answer["pages"]
    if refused == "encrypted":
        raise UploadRejected(
            _("The PDF is encrypted or password-protected. Please upload it unprotected.")
        )
    if refused == "active":
        _refuse_active(ACTIVE_NAMES[answer["names"][0]])
    if refused == "opens-web-address":
        _refuse_active(OPENS_WEB_ADDRESS)
    if refused == "no-pages":
        raise UploadRejected(_("The PDF has no pages."))
    if refused == "damaged":
        raise UploadRejected(_("The PDF is damaged and cannot be read."))
    raise UploadRejected(
        _("The PDF is too complex to be checked. Please export it again as a plain PDF.")
    )


@contextmanager
def _file_on_disk(uploaded):
    """A path to the upload's bytes for the child: Django's temporary file as it is, or a
    private temporary copy of an upload kept in memory, removed whatever happens."""
    if hasattr(uploaded, "temporary_file_path"):
        yield uploaded.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(prefix="pdf-check-", suffix=".pdf") as copy:
        uploaded.seek(0)
        for chunk in iter(lambda: uploaded.read(CHUNK), b""):
            copy.write(chunk)
        copy.flush()
        yield copy.name


@dataclass(frozen=True)
class PdfCheck:
    answer: dict  # the child's JSON, or {"refused": "too-complex"} if it was stopped
    seconds: float  # wall-clock time, start to answer
    peak_kb: int | None  # the child's peak resident memory (read before killing it); None
    # if it died by itself (a CPU limit, a crash) before saying
    killed: bool  # stopped by the wall-clock timeout


def check_pdf_file(path):
    """Run intents/pdf_check.py on the file at `path` under the configured limits.

    A fresh interpreter, not a fork: forking a threaded web worker is unsafe. The child sets
    its own address-space and CPU limits before reading the file; the parent kills it with
    SIGKILL once UPLOAD_CHECK_SECONDS have passed, since pypdf can spend unbounded time inside
    a single object lookup where no deadline of the child's own can fire.
    """
    seconds = settings.UPLOAD_CHECK_SECONDS
    command = [
        sys.executable,
        "-I",  # no PYTHON* variables, no user site, not the current folder on the path
        str(CHILD),
        path,
        str(settings.UPLOAD_CHECK_MEMORY_MB),
        str(max(1, math.ceil(seconds))),
        str(MAX_OBJECTS),
        str(max(0.0, seconds * 0.9)),  # the child's own deadline between objects, if it can
    ]
    started = time.monotonic()
    # The command is ours: this interpreter, our file, numbers and the upload's temporary path.
    process = subprocess.Popen(  # noqa: S603  # nosec B603
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    with process.stdout:
        try:
            peak_kb, killed = _wait(process, started + seconds)
        except BaseException:
            process.kill()
            process.wait()
            raise
        output = process.stdout.read()
    elapsed = time.monotonic() - started
    answer = None
    if not killed and process.returncode == 0:
        try:
            answer = json.loads(output)
        except ValueError:
            answer = None
    if isinstance(answer, dict):
        peak_kb = answer.get("peak_kb")
    else:
        logger.warning(
            "PDF check stopped: %s after %.1f s, peak memory %s KiB",
            "timeout" if killed else f"exit status {process.returncode}",
            elapsed,
            peak_kb,
        )
        answer = {"refused": "too-complex"}
    return PdfCheck(answer=answer, seconds=elapsed, peak_kb=peak_kb, killed=killed)


def _wait(process, deadline):
    """Wait for the child; at the deadline, kill it. Returns (its peak memory in KiB if it
    was killed, else None; whether it was killed)."""
    try:
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
        return None, False
    except subprocess.TimeoutExpired:
        # Stopped first, so that its peak memory can be read before it is killed.
        process.send_signal(signal.SIGSTOP)
        peak = pdf_check.peak_kb(process.pid)
        process.kill()
        process.wait()
        return peak, True


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
