from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from portal.refusals import Refused, show_form_errors, show_refusal
from portal.security.throttle import limit_uploads
from portal.storage import StorageUnavailable

from ...access import letter_for
from ...downloads import document_response
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
from .file_refusals import BESIDE_THE_FILE, refuse_file, upload_form_of
from .letters import say_amendment_filed


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
        return refuse_file(
            request,
            letter,
            _("The file was not accepted: %(reason)s")
            % {"reason": too_large_message(settings.DOCUMENT_MAX_BYTES)},
        )
    form = DocumentUploadForm(request.POST, files, letter=letter)
    if not form.is_valid():
        show_form_errors(request, form, extra_tags=BESIDE_THE_FILE)
        return redirect(upload_form_of(letter))
    uploaded = form.cleaned_data["file"]
    document_type = form.cleaned_data["document_type"]
    # Read before the upload, for the message only: the action decides under the letter's lock.
    replacing = (
        letter.is_submitted
        and letter.documents.current().filter(document_type=document_type).exists()
    )
    try:
        inspected = inspect_upload(uploaded, settings.DOCUMENT_MAX_BYTES)
        actions.add_document(
            letter_id=letter.pk,
            user=request.user,
            document_type=document_type,
            stored_file=uploaded,
            inspected=inspected,
            original_name=clean_file_name(uploaded.name),
        )
    except UploadRejected as error:
        return refuse_file(
            request, letter, _("The file was not accepted: %(reason)s") % {"reason": error}
        )
    except StorageUnavailable as error:
        messages.error(request, str(error))
    except actions.Incomplete:
        messages.error(request, _("An amended letter must stay complete."))
    except Refused as error:
        show_refusal(request, error)
    else:
        if replacing:
            messages.success(
                request,
                _("The document was uploaded and checked; it replaces the earlier %(type)s.")
                % {"type": document_type},
            )
        else:
            messages.success(request, _("The document was uploaded and checked."))
        if letter.is_submitted:
            say_amendment_filed(request, letter)
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
            if letter.is_submitted:
                say_amendment_filed(request, letter)
        return redirect("letters:letter_detail", letter.pk)
    return render(
        request, "intents/letters/document_remove.html", {"letter": letter, "document": document}
    )


@login_required
def document_download(request, pk, document_pk):
    letter = letter_for(request, pk)
    document = get_object_or_404(Document, pk=document_pk, letter=letter)
    return document_response(request, letter, document, filename=document.original_name)
