"""The programme office: the check every office page makes, and the group that says what
officers may do in Django's admin (raw data)."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from portal.registry import app_configs_with

PROGRAMME_OFFICE = "Programme office"


def require_office(request):
    """Office pages answer 403 to everyone but programme officers."""
    if not request.user.has_perm("accounts.run_office"):
        raise PermissionDenied


# Officers check organisations and read the audit log; the apps above portal add the
# permissions on their own models (their AppConfig's `office_permissions`, see portal/registry.py).
OFFICE_PERMISSIONS = {
    "organisations": ["change_organisation", "view_organisation", "view_membership"],
    "audit": ["view_auditevent"],
    # The beat schedule (reminders, the outbox sweeper): visible and editable by the office.
    "django_celery_beat": [
        "change_periodictask", "view_periodictask",
        "add_intervalschedule", "change_intervalschedule", "view_intervalschedule",
        "add_crontabschedule", "change_crontabschedule", "view_crontabschedule",
    ],
}  # fmt: skip


def office_permissions():
    """{app label: permission codenames} for the office's group."""
    added = {
        config.label: config.office_permissions for config in app_configs_with("office_permissions")
    }
    return {**OFFICE_PERMISSIONS, **added}


def ensure_programme_office_group(**kwargs):
    """Create or refresh the group; safe to run after every migrate."""
    permissions = [
        permission
        for app_label, codenames in office_permissions().items()
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    ]
    group, _created = Group.objects.get_or_create(name=PROGRAMME_OFFICE)
    group.permissions.set(permissions)
    return group
