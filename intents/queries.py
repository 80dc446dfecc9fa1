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
