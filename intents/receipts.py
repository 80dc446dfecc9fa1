"""What a filed version records, and the e-mails that confirm it."""

from portal.notifications.outbox import queue_templated_email
from portal.organisations.models import Role

from .models.letter import LETTER_FIELDS


def snapshot(letter, documents):
    """The letter's content and its documents' fingerprints, frozen at filing time."""
    fields = {}
    for name in LETTER_FIELDS:
        value = getattr(letter, name)
        fields[name] = None if value is None else str(value)
    return {
        "reference": letter.reference,
        "mode": letter.mode.number,
        "fields": fields,
        "documents": [
            {
                "type": document.document_type.code,
                "type_name": document.document_type.name,
                "type_name_zh": document.document_type.name_zh,
                "name": document.original_name,
                "size": document.size,
                "pages": document.page_count,
                "sha256": document.sha256,
            }
            for document in documents
        ],
    }


def _queue_for_owners_and_editors(letter, *, key, template, context):
    """One e-mail per owner and editor, each in their own language and time zone."""
    memberships = letter.organisation.memberships.filter(
        role__in=[Role.OWNER, Role.EDITOR]
    ).select_related("user")
    for user in (membership.user for membership in memberships):
        queue_templated_email(
            key=f"{key}:{user.pk}",
            to=user.email,
            template=template,
            context={**context, "letter": letter, "recipient": user},
            language=user.language,
            time_zone=user.time_zone,
        )


def queue_receipts(letter, version):
    _queue_for_owners_and_editors(
        letter,
        key=f"receipt:{letter.pk}:v{version.number}",
        template="emails/receipt",
        context={"version": version, "official_zone": letter.call.time_zone},
    )


def queue_withdrawal_notices(letter, actor):
    _queue_for_owners_and_editors(
        letter,
        key=f"withdrawal:{letter.pk}",
        template="emails/withdrawal",
        context={"actor": actor},
    )
