"""The programme office's home: its calls, with their reviewers and letters counted."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from portal.accounts.roles import require_office

from ...models import Call


@login_required
def office_home(request):
    require_office(request)
    calls = Call.objects.annotate(
        reviewer_count=Count("reviewers", distinct=True),
        letter_count=Count("letters", distinct=True),
    ).order_by("-deadline")
    return render(request, "intents/office/home.html", {"calls": calls})
