from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "security"
    verbose_name = _("Security")
    audit_kinds = ["portal.security.audit_kinds.KINDS"]  # read by portal/audit/sentences.py

    def ready(self):
        from . import events  # noqa: F401  (connects the receivers)
