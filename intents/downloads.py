"""Serving stored files to the browser, for every area (the applicant's documents, the
reviewer's copies, the office's archives): streamed, never cached, and a 503 page of its own
when the storage does not answer."""

import logging

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from portal.audit.log import record
from portal.storage import is_missing, read_chunks, unavailable_errors

logger = logging.getLogger(__name__)


def document_response(request, letter, document, *, filename):
    """The stored file as an attachment of its sniffed type, never cached, and audited."""
    chunks = stored_chunks(document.file)
    if chunks is None:
        return storage_unavailable(request)
    record(request.user, "document.downloaded", letter, document=document.original_name)
    return streamed_attachment(
        chunks, filename=filename, content_type=document.content_type, size=document.size
    )


def stored_chunks(field_file):
    """The stored file's chunks (read in bounded memory whichever storage holds it); None when
    the storage cannot be reached; 404 when it answers that there is no such file."""
    try:
        return read_chunks(field_file.storage, field_file.name)
    except unavailable_errors() as error:
        if is_missing(error):
            raise Http404 from error
        logger.warning("Storage unreachable reading %s: %r", field_file.name, error)
        return None


def streamed_attachment(chunks, *, filename, content_type, size):
    """A download streamed a chunk at a time: a 1 GB file never sits in a web worker's memory."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def storage_unavailable(request):
    """503 with a page that says so, rather than a server error: the file is safe, the storage
    just did not answer."""
    response = render(request, "intents/storage_unavailable.html", status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "private, no-store"
    return response
