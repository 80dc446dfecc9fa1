from django.contrib import admin

from portal.admin_helpers import NamedEmptyValueFilter, ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "verb", "target_type", "target_label"]
    list_filter = ["verb", ("target_type", NamedEmptyValueFilter)]
    search_fields = ["target_label", "actor__email"]
