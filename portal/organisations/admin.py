from django.contrib import admin
from django.db import models

from .models import Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    # As on the portal's form (forms.OrganisationForm): a website typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["legal_name", "short_name", "kind", "country", "is_verified"]
    list_filter = ["kind", "is_verified"]
    search_fields = ["legal_name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token"]
