"""Registering an organisation for a call: from then on it is reminded of the deadline until
it files a letter."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record
from portal.organisations.models import Organisation
from portal.refusals import Refused

from ..deadlines import is_open_for
from ..models import Call, CallRegistration


def register(
    *, user: User, call: Call, organisation: Organisation
) -> tuple[CallRegistration, bool]:
    """Register `organisation` for `call`; (registration, created). A second click is harmless."""
    if not is_open_for(call, organisation):
        raise Refused(_("This call is not open for registrations."))
    with transaction.atomic():
        registration, created = CallRegistration.objects.get_or_create(
            call=call, organisation=organisation, defaults={"registered_by": user}
        )
        if created:
            record(user, "call.registered", call, organisation=organisation.pk)
    return registration, created


def registrations_of(call, organisations):
    """{organisation id: registration} for those of `organisations` registered for `call`."""
    return {
        registration.organisation_id: registration
        for registration in CallRegistration.objects.filter(
            call=call, organisation__in=organisations
        ).select_related("organisation")
    }
