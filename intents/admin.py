"""Django's admin stays for raw data. Letters and documents are read-only here: every change
to them goes through intents.letters.actions, which versions, audits and notifies."""

import zoneinfo

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_helpers import NamedFields, ReadOnlyAdmin

from .models import (
    Assignment,
    Call,
    ConflictDeclaration,
    CooperationMode,
    Criterion,
    Document,
    DocumentType,
    Extension,
    LetterOfIntent,
    Review,
    Reviewer,
)
from .models.letter import FILED_LETTER
from .models.paths import through


class OfficialTimeZoneAdmin(NamedFields, admin.ModelAdmin):
    """Dates and times on this form are read and shown in the call's official time zone,
    not the officer's own, so "23:59" means 23:59 in Beijing for the Chang'e-8 call."""

    def official_zone(self, request, object_id):
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.official_zone(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "subtitle": _("Times in %(zone)s") % {"zone": zone},
        }
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render inside the override: a template response would otherwise render later,
            # in the officer's own zone.
            if hasattr(response, "render"):
                response.render()
            return response


def _zone_named(name):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    # A forged name may be no zone, not a path, or too long for the file system.
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return zoneinfo.ZoneInfo("UTC")


def _row(model, pk):
    """The row with this primary key, or None: `pk` comes from the request and may be anything."""
    try:
        return model.objects.filter(pk=pk).first() if pk else None
    except ValueError:  # not a number: Django's own view then says the object does not exist
        return None


class CooperationModeInline(admin.StackedInline):
    model = CooperationMode
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(OfficialTimeZoneAdmin):
    list_display = ["title", "reference_prefix", "opens_at", "deadline", "time_zone"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CooperationModeInline, CriterionInline]

    def official_zone(self, request, object_id):
        if request.method == "POST":
            return _zone_named(request.POST.get("time_zone"))
        call = _row(Call, object_id)
        return _zone_named(call.time_zone if call else None)


@admin.register(Extension)
class ExtensionAdmin(OfficialTimeZoneAdmin):
    list_display = ["organisation", "call", "closes_at"]
    raw_id_fields = ["organisation"]

    def official_zone(self, request, object_id):
        call = _row(Call, request.POST.get("call")) if request.method == "POST" else None
        if call is None and (extension := _row(Extension, object_id)):
            call = extension.call
        return _zone_named(call.time_zone if call else None)


@admin.register(DocumentType)
class DocumentTypeAdmin(NamedFields, admin.ModelAdmin):
    list_display = ["name", "call", "code"]


class FiledOnlyAdmin(ReadOnlyAdmin):
    """A draft is the organisation's working paper: officers see letters once filed, here as on
    the office's pages (intents.rules.is_filed). Superusers keep all the raw data."""

    filed_condition = FILED_LETTER

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self.filed_condition)


@admin.register(LetterOfIntent)
class LetterOfIntentAdmin(FiledOnlyAdmin):
    list_display = ["reference", "title", "organisation", "call", "state", "submitted_at"]
    list_filter = ["state", "call"]
    search_fields = ["reference", "title", "organisation__legal_name"]


@admin.register(Document)
class DocumentAdmin(FiledOnlyAdmin):
    list_display = ["original_name", "letter", "document_type", "size", "sha256"]
    exclude = ["file"]
    filed_condition = through("letter", FILED_LETTER)


@admin.register(Reviewer)
class ReviewerAdmin(NamedFields, admin.ModelAdmin):
    """Profiles may be corrected here; joining and leaving go through the office's pages."""

    list_display = ["email", "user", "call", "country", "accepted_at"]
    list_filter = ["call"]
    fields = ["organisation", "affiliation", "country", "expertise"]
    raw_id_fields = ["organisation"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["letter", "reviewer", "origin", "assigned_at", "no_conflict_confirmed_at"]
    list_filter = ["origin", "letter__call"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["letter", "reviewer", "kind", "declared_at"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "recommendation", "total", "submitted_at"]
