from django import template

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
