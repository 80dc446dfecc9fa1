"""The letter's storage use beside its upload field: "X MB of Y MB used"."""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from ..documents_lifecycle import in_megabytes, storage_used

register = template.Library()


@register.simple_tag
def storage_quota(letter):
    return _("%(used)s MB of %(quota)s MB used") % {
        "used": in_megabytes(storage_used(letter)),
        "quota": in_megabytes(settings.LETTER_STORAGE_QUOTA_BYTES),
    }
