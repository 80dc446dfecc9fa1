from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import LetterOfIntent


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
