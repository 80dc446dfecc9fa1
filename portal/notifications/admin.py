from django.contrib import admin
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from portal.admin_helpers import NamedFields, ReadOnlyAdmin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """Superusers only: bodies hold sign-in and password-reset links until they expire."""

    list_display = ["created_at", "to", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state"]
    search_fields = ["to", "subject", "idempotency_key"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


# The schedule's page officers correct times on: django-celery-beat's admin, with its start
# time's inputs named (portal.admin_helpers.NamedFields).
admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class NamedPeriodicTaskAdmin(NamedFields, PeriodicTaskAdmin):
    pass
