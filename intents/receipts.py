"""What a filed version records, and the e-mails that confirm it."""

from portal.organisations.mail import OWNERS_AND_EDITORS, queue_for_members

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


def queue_receipts(letter, version):
    queue_for_members(
        letter.organisation,
        roles=OWNERS_AND_EDITORS,
        key=f"receipt:{letter.pk}:v{version.number}",
        template="emails/receipt",
        context={"letter": letter, "version": version, "official_zone": letter.call.time_zone},
    )


def queue_withdrawal_notices(letter, actor):
    queue_for_members(
        letter.organisation,
        roles=OWNERS_AND_EDITORS,
        key=f"withdrawal:{letter.pk}",
        template="emails/withdrawal",
        context={"letter": letter, "actor": actor},
    )
