"""What a filed version records, and the e-mails that confirm it."""

from portal.notifications.outbox import queue_templated_email
from portal.organisations.models import Role


def snapshot(letter, documents):
    """The letter's content and its documents' fingerprints, frozen at filing time."""
    from .domain import LETTER_FIELDS

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
                "name": document.original_name,
                "size": document.size,
                "pages": document.page_count,
                "sha256": document.sha256,
            }
            for document in documents
        ],
    }


def _recipients(letter):
    return [
        membership.user
        for membership in letter.organisation.memberships.filter(
            role__in=[Role.OWNER, Role.EDITOR]
        ).select_related("user")
    ]


def queue_receipts(letter, version):
    for user in _recipients(letter):
        queue_templated_email(
            key=f"receipt:{letter.pk}:v{version.number}:{user.pk}",
            to=user.email,
            template="emails/receipt",
            context={
                "letter": letter,
                "version": version,
                "recipient": user,
                "official_zone": letter.call.time_zone,
            },
            language=user.language,
            time_zone=user.time_zone,
        )


def queue_withdrawal_notices(letter, actor):
    for user in _recipients(letter):
        queue_templated_email(
            key=f"withdrawal:{letter.pk}:{user.pk}",
            to=user.email,
            template="emails/withdrawal",
            context={"letter": letter, "actor": actor, "recipient": user},
            language=user.language,
            time_zone=user.time_zone,
        )
