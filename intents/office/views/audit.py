"""The audit log: who did what, when, to which object; filterable and exportable."""

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.roles import require_office
from portal.audit.sentences import object_in_words, sentence, type_label

from ...models import LetterOfIntent
from ..exports import CHUNK, Table, csv_response
from ..filters.audit import AuditFilter

PAGE_SIZE = 50
LETTER = LetterOfIntent._meta.label_lower


@login_required
def audit_log(request):
    require_office(request)
    events = AuditFilter(request.GET or None)
    page = Paginator(events.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Letters link to their office page once filed (a draft is the organisation's own).
    letter_ids = [e.target_id for e in page if e.target_type == LETTER and e.target_id.isdigit()]
    filed = {
        str(pk)
        for pk in LetterOfIntent.objects.filed()
        .filter(pk__in=letter_ids)
        .values_list("pk", flat=True)
    }
    rows = [
        {
            "event": event,
            "sentence": sentence(event),
            "type": type_label(event.target_type),
            "letter_id": event.target_id
            if event.target_type == LETTER and event.target_id in filed
            else None,
        }
        for event in page
    ]
    return render(
        request,
        "intents/office/audit/log.html",
        {"filter": events, "page": page, "rows": rows},
    )


@login_required
def audit_csv(request):
    require_office(request)
    events = AuditFilter(request.GET or None).qs
    table = Table(
        title=_("Audit log"),
        # Machine columns (the time in ISO 8601, the action's code, the object's id) beside the
        # reader's: the object and what happened in words. The raw details come last, for a
        # program or an auditor who needs the exact values (seconds, hashes, ids).
        header=[
            _("When (UTC)"),
            _("Actor"),
            _("Actor's e-mail"),
            _("Action code"),
            _("Object"),
            _("Object id"),
            _("What happened"),
            _("Details (JSON)"),
        ],
        rows=(
            [
                event.created_at,
                event.actor.full_name if event.actor else "",
                event.actor.email if event.actor else "",
                event.verb,
                object_in_words(event),
                event.target_id,
                sentence(event),
                json.dumps(event.data, ensure_ascii=False, sort_keys=True),
            ]
            for event in events.iterator(chunk_size=CHUNK)
        ),
    )
    return csv_response(table, f"audit-{timezone.localdate():%Y-%m-%d}.csv")
