"""Exports: CSV and Excel tables, and the ZIP of a call's documents built in the background."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.roles import require_office
from portal.audit.log import record

from ...access import office_call
from ...downloads import storage_unavailable, stored_chunks, streamed_attachment
from ...models import ExportJob
from .. import actions
from ..exports import csv_response, letters_table, reviews_table, xlsx_response

JOBS_PAGE_SIZE = 20
TABLES = {"letters": letters_table, "reviews": reviews_table}
WRITERS = {"csv": csv_response, "xlsx": xlsx_response}
REFRESH_SECONDS = 3


@login_required
def exports(request, slug):
    call = office_call(request, slug)
    jobs = call.exports.select_related("requested_by")
    page = Paginator(jobs, JOBS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intents/office/exports/exports.html", {"call": call, "page": page})


@login_required
def export_table(request, slug, kind, fmt):
    call = office_call(request, slug)
    if kind not in TABLES or fmt not in WRITERS:
        raise Http404
    table = TABLES[kind](call)
    record(request.user, "export.downloaded", call, kind=kind, format=fmt)
    filename = f"{call.reference_prefix}-{kind}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    return WRITERS[fmt](table, filename)


@login_required
@require_POST
def export_documents(request, slug):
    call = office_call(request, slug)
    job, created = actions.request_documents_zip(user=request.user, call=call)
    if not created:
        messages.info(request, _("The documents of this call are already being put together."))
    return redirect(job)


@login_required
def export_detail(request, pk):
    require_office(request)
    job = get_object_or_404(ExportJob.objects.select_related("call", "requested_by"), pk=pk)
    under_way = job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING)
    return render(
        request,
        "intents/office/exports/detail.html",
        {
            "call": job.call,
            "job": job,
            "refresh_seconds": REFRESH_SECONDS if under_way else None,
        },
    )


@login_required
def export_download(request, pk):
    require_office(request)
    job = get_object_or_404(
        ExportJob.objects.select_related("call"), pk=pk, state=ExportJob.State.DONE
    )
    chunks = stored_chunks(job.file)
    if chunks is None:
        return storage_unavailable(request)
    record(request.user, "export.downloaded", job.call, kind="documents", format="zip", job=job.pk)
    day = timezone.localdate(job.finished_at)
    filename = f"{job.call.reference_prefix}-documents-{day:%Y-%m-%d}.zip"
    return streamed_attachment(
        chunks, filename=filename, content_type="application/zip", size=job.size
    )
