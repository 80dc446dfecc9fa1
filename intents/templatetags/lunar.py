from django import template
from django.utils import translation

from portal.audit import sentences

register = template.Library()


@register.filter
def localized(obj, field):
    """`{{ call|localized:"title" }}`: the Chinese text on Chinese pages, when there is one."""
    return obj.localized(field)


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
