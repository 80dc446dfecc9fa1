from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    audit_kinds = ["portal.notifications.audit_kinds.KINDS"]  # read by portal/audit/sentences.py

    def ready(self):
        from django.db.models.signals import post_migrate

        from .schedule import ensure_periodic_tasks

        post_migrate.connect(ensure_periodic_tasks, sender=self, dispatch_uid="periodic-tasks")
