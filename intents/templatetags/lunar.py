from django import template
from django.utils import translation

from portal.audit import sentences

register = template.Library()


@register.filter
def localized(obj, field):
    """`{{ call|localized:"title" }}`: the Chinese text on Chinese pages, when there is one."""
    return obj.localized(field)


@register.filter
def plain_number(value):
    """A decimal without trailing zeros (3.200 → 3.2); empty for no value."""
    if value is None or value == "":
        return ""
    return format(value.normalize(), "f")


@register.filter
def localized_key(mapping, key):
    """`{{ document|localized_key:"type_name" }}` for the dictionaries frozen in a version."""
    if translation.get_language() == "zh-hans" and mapping.get(f"{key}_zh"):
        return mapping[f"{key}_zh"]
    return mapping.get(key, "")


@register.filter
def audit_sentence(event):
    """What an audit event recorded, as a sentence in the reader's language."""
    return sentences.sentence(event)
