from django.db.models import Count

from .models import CallRegistration
from .models.document import CURRENT_DOCUMENT
from .models.paths import through


def organisation_letters(organisation):
    """An organisation's letters with their call, mode and count of current documents, in one
    query."""
    return (
        organisation.letters.select_related("call", "mode")
        .annotate(document_count=Count("documents", filter=through("documents", CURRENT_DOCUMENT)))
        .order_by("-updated_at")
    )


def organisations_user_may_edit(user):
    """The organisations in which the user may start and edit letters."""
    if not user.is_authenticated:
        return []
    return [
        membership.organisation
        for membership in user.membership_list
        if user.has_perm("intents.start_letter", membership.organisation)
    ]


def registrations_of(call, organisations):
    """{organisation id: registration} for those of `organisations` registered for `call`."""
    return {
        registration.organisation_id: registration
        for registration in CallRegistration.objects.filter(
            call=call, organisation__in=organisations
        ).select_related("organisation")
    }
