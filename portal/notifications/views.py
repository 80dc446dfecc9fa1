"""The office's view of the outbox (never the bodies: they hold sign-in links), its resend
buttons, and the beat schedule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.accounts.roles import require_office
from portal.refusals import show_form_errors, show_refusal

from . import actions
from .filters import OutboxFilter, kind_label
from .forms import ResendFailedForm
from .models import OutboundEmail
from .schedule import in_reader_language, in_words, periodic_tasks

PAGE_SIZE = 50


@login_required
def outbox_list(request):
    require_office(request)
    emails = OutboxFilter(request.GET or None)
    page = Paginator(emails.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"email": email, "kind": kind_label(email.kind)} for email in page]
    counts = dict(OutboundEmail.objects.order_by().values_list("state").annotate(count=Count("pk")))
    # How many the "send all again" button would take: asked only when anything failed.
    failed_here = 0
    if counts.get(OutboundEmail.State.FAILED):
        failed_here = emails.qs.filter(state=OutboundEmail.State.FAILED).count()
    context = {
        "filter": emails,
        "page": page,
        "rows": rows,
        "counts": [(state, counts.get(state, 0)) for state in OutboundEmail.State],
        "resend_form": ResendFailedForm(count=failed_here, query=_query(request)),
        "failed_here": failed_here,
    }
    return render(request, "notifications/outbox.html", context)


@login_required
@require_POST
def resend(request, pk):
    require_office(request)
    try:
        email = actions.resend(user=request.user, email_id=pk)
    except OutboundEmail.DoesNotExist as error:
        raise Http404 from error
    except actions.ResendRefused as refusal:
        show_refusal(request, refusal, messages.WARNING)
    else:
        messages.success(
            request, _("The e-mail to %(to)s is queued to be sent again.") % {"to": email.to}
        )
    return _back(request)


@login_required
@require_POST
def resend_failed(request):
    """Every failed e-mail the current filters show, once the officer has confirmed."""
    require_office(request)
    form = ResendFailedForm(request.POST, count=None, query=_query(request))
    if not form.is_valid():
        show_form_errors(request, form)
        return _back(request)
    emails = OutboxFilter(request.GET or None)
    # A subquery rather than a list: there may be more ids than SQLite takes as parameters.
    ids = emails.qs.filter(state=OutboundEmail.State.FAILED).order_by().values("pk")
    count = actions.resend_failed(user=request.user, email_ids=ids)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s failed e-mail is queued to be sent again.",
                "%(count)s failed e-mails are queued to be sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No failed e-mail to send again; nothing was changed."))
    return _back(request)


@login_required
def schedule(request):
    require_office(request)
    tasks = [
        {
            "task": task,
            "name": in_reader_language(task.name),
            "description": in_reader_language(task.description),
            "schedule": in_words(task),
        }
        for task in periodic_tasks()
    ]
    # The edit links lead to Django's admin, which lets in staff with the office's group.
    may_edit = request.user.is_staff and request.user.has_perm(
        "django_celery_beat.change_periodictask"
    )
    return render(request, "notifications/schedule.html", {"tasks": tasks, "may_edit": may_edit})


def _query(request):
    """The filters of the page, without its page number: what the forms post back to."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _back(request):
    """To the outbox as the officer was looking at it (filters and page kept)."""
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("notifications:outbox") + (f"?{query}" if query else ""))
