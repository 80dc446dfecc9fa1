from django import template

register = template.Library()


@register.filter
def localized(obj, field):
    """`{{ call|localized:"title" }}`: the Chinese text on Chinese pages, when there is one."""
    return obj.localized(field)
