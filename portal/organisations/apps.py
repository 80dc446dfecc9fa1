from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "portal.organisations"
    label = "organisations"
    verbose_name = _("Organisations")
    audit_kinds = ["portal.organisations.audit_kinds.KINDS"]  # read by portal/audit/sentences.py
