from django.db.models import Prefetch

from .models import Document


def organisation_letters(organisation):
    """An organisation's letters with their call, mode and current documents, in three queries."""
    return (
        organisation.letters.select_related("call", "mode")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.filter(removed_at__isnull=True))
        )
        .order_by("-updated_at")
    )


def organisations_user_may_edit(user):
    """The organisations in which the user may start and edit letters."""
    if not user.is_authenticated:
        return []
    return [
        membership.organisation
        for membership in user.memberships.select_related("organisation")
        if user.has_perm("intents.start_letter", membership.organisation)
    ]
