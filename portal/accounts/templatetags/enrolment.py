"""The way on from two-factor enrolment, which ends on allauth's recovery codes page."""

from django import template

from portal.registry import landing_url

from ..mfa import AFTER_ENROLMENT

register = template.Library()


@register.simple_tag(takes_context=True)
def after_enrolment_url(context):
    """The page the enrolment interrupted (an officer's first office page), else where
    signing in would have taken the user."""
    request = context["request"]
    return request.session.get(AFTER_ENROLMENT) or landing_url(request.user)
