from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_programme_office_group

        post_migrate.connect(ensure_programme_office_group, dispatch_uid="programme-office")
