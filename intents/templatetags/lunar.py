from django import template
from django.utils import translation

from ..office.audit_labels import verb_label

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
def audit_verb(verb):
    """An audit event's verb in words (`letter.submitted` → "Letter submitted")."""
    return verb_label(verb)
