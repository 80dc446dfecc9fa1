from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows shown in Django's admin that only the portal's own code may create or change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
