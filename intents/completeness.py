"""What a letter still lacks before it can be submitted."""

from django.utils.translation import gettext as _

from .models import LetterOfIntent

ALWAYS_REQUIRED = [
    "title",
    "summary",
    "objectives",
    "contribution",
    "trl",
    "funding_status",
    "timeline",
    "contact_name",
    "contact_email",
]


def required_fields(mode):
    return ALWAYS_REQUIRED + list(mode.technical_fields)


def missing_fields(letter):
    missing = []
    for name in required_fields(letter.mode):
        value = getattr(letter, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(str(LetterOfIntent._meta.get_field(name).verbose_name))
    return missing


def missing_document_types(letter, documents=None):
    """Required types with no current document; `documents` saves a query when prefetched."""
    if documents is None:
        documents = letter.documents.current()
    present = {document.document_type_id for document in documents}
    return [
        document_type
        for document_type in letter.mode.required_document_types.all()
        if document_type.pk not in present
    ]


def missing_items(letter, documents=None):
    items = [_("Field: %(name)s") % {"name": name} for name in missing_fields(letter)]
    items += [
        _("Document: %(name)s") % {"name": document_type}
        for document_type in missing_document_types(letter, documents)
    ]
    return items
