from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.accounts.roles import require_office

from .models import Assignment, Call, LetterOfIntent


def letter_for(request, pk, *, change=False):
    """The letter if the user may see it (404 otherwise, so its existence is not revealed);
    with change=True the user must also be allowed to edit it (403)."""
    letter = get_object_or_404(
        LetterOfIntent.objects.select_related("call", "organisation", "mode"), pk=pk
    )
    if not request.user.has_perm("intents.view_letter", letter):
        raise Http404
    if change and not request.user.has_perm("intents.change_letter", letter):
        raise PermissionDenied
    return letter


def assignment_for(request, pk, permission="intents.open_assignment"):
    """The user's own assignment (404 for anyone else's, and when a conflict hides it)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "reviewer__organisation", "letter__call", "letter__organisation", "letter__mode"
        ),
        pk=pk,
        reviewer__user=request.user,
    )
    if not request.user.has_perm(permission, assignment):
        raise Http404
    return assignment


def office_call(request, slug):
    """A call, for the programme office only."""
    require_office(request)
    return get_object_or_404(Call, slug=slug)


def office_letter(request, pk):
    """A filed letter, for the programme office only (drafts stay the organisation's own)."""
    require_office(request)
    return get_object_or_404(
        LetterOfIntent.objects.filed().select_related("call", "organisation", "mode"),
        pk=pk,
    )
