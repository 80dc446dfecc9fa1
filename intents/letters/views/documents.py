import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from portal.audit.log import record
from portal.refusals import Refused, show_refusal
from portal.security.throttle import limit_uploads
from portal.storage import StorageUnavailable, is_missing, read_chunks, unavailable_errors

from ...access import letter_for
from ...models import Document
from ...uploads import (
    SizeLimitedUpload,
    UploadRejected,
    clean_file_name,
    inspect_upload,
    too_large_message,
)
from .. import actions
from ..forms import DocumentUploadForm

logger = logging.getLogger(__name__)


@csrf_exempt  # checked below, once the size limit is in place (Django reads the body for CSRF)
@login_required
@require_POST
@limit_uploads
def document_upload(request, pk):
    request.upload_handlers.insert(
        0, SizeLimitedUpload(request, max_bytes=settings.DOCUMENT_MAX_BYTES)
    )
    try:
        return _document_upload(request, pk)
    except MultiPartParserError:
        # A body malformed after a file leaves that file half-received in a temporary file,
        # which Django removes only once the request is garbage-collected: remove it now.
        for handler in request.upload_handlers:
            handler.upload_interrupted()
        raise


@csrf_protect
def _document_upload(request, pk):
    letter = letter_for(request, pk, change=True)
    files = request.FILES  # parsing the body is what sets upload_over_limit
    if getattr(request, "upload_over_limit", False):
        messages.error(
            request,
            _("The file was not accepted: %(reason)s")
            % {"reason": too_large_message(settings.DOCUMENT_MAX_BYTES)},
        )
        return redirect("letters:letter_detail", letter.pk)
    form = DocumentUploadForm(request.POST, files, letter=letter)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("letters:letter_detail", letter.pk)
    uploaded = form.cleaned_data["file"]
    try:
        inspected = inspect_upload(uploaded, settings.DOCUMENT_MAX_BYTES)
        actions.add_document(
            letter_id=letter.pk,
            user=request.user,
            document_type=form.cleaned_data["document_type"],
            stored_file=uploaded,
            inspected=inspected,
            original_name=clean_file_name(uploaded.name),
        )
    except UploadRejected as error:
        messages.error(request, _("The file was not accepted: %(reason)s") % {"reason": error})
    except StorageUnavailable as error:
        messages.error(request, str(error))
    except actions.Incomplete:
        messages.error(request, _("An amended letter must stay complete."))
    except Refused as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The document was uploaded and checked."))
    return redirect("letters:letter_detail", letter.pk)


@login_required
def document_remove(request, pk, document_pk):
    letter = letter_for(request, pk, change=True)
    document = get_object_or_404(Document.objects.current(), pk=document_pk, letter=letter)
    if request.method == "POST":
        try:
            actions.remove_document(letter_id=letter.pk, user=request.user, document_id=document.pk)
        except actions.Incomplete:
            messages.error(
                request,
                _("This document is required; upload its replacement before removing it."),
            )
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The document was removed from the letter."))
        return redirect("letters:letter_detail", letter.pk)
    return render(
        request, "intents/letters/document_remove.html", {"letter": letter, "document": document}
    )


@login_required
def document_download(request, pk, document_pk):
    letter = letter_for(request, pk)
    document = get_object_or_404(Document, pk=document_pk, letter=letter)
    return document_response(request, letter, document, filename=document.original_name)


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
