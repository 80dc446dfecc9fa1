from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_helpers import NamedEmptyValueFilter, ReadOnlyAdmin

from .models import AuditEvent
from .sentences import sentence


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "what_happened", "target_type", "target_label"]
    list_filter = ["verb", ("target_type", NamedEmptyValueFilter)]
    search_fields = ["target_label", "actor__email"]

    @admin.display(description=_("What happened"))
    def what_happened(self, event):
        return sentence(event)
