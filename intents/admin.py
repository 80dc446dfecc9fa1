from django.contrib import admin

from .models import Call, CooperationMode, Document, DocumentType, Extension, LetterOfIntent


class CooperationModeInline(admin.StackedInline):
    model = CooperationMode
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "reference_prefix", "opens_at", "deadline", "time_zone"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CooperationModeInline]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "call", "code"]
    filter_horizontal = ["required_for"]


@admin.register(LetterOfIntent)
class LetterOfIntentAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "call", "state", "submitted_at"]
    list_filter = ["state", "call"]
    search_fields = ["reference", "title", "organisation__legal_name"]
    readonly_fields = ["state", "reference", "version", "submitted_at"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "letter", "document_type", "size", "sha256"]
    exclude = ["file"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "call", "closes_at"]
