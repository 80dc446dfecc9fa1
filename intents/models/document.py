import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.storage import private_storage

from .call import DocumentType
from .letter import RANKED_LETTER, LetterOfIntent
from .paths import through


def random_document_name(instance, filename):
    # The stored name says nothing about the file; the original name is kept in a column.
    token = uuid.uuid4().hex
    return f"documents/{token[:2]}/{token}.bin"


# Not removed by the applicant: the letter's documents as it stands.
CURRENT_DOCUMENT = Q(removed_at__isnull=True)


class DocumentQuerySet(models.QuerySet):
    def current(self):
        """Not removed: the documents the letter has now."""
        return self.filter(CURRENT_DOCUMENT)

    def removed(self):
        """Removed by the applicant; kept while a filed version names them."""
        return self.filter(removed_at__isnull=False)

    def stored(self):
        """Their file still in storage: not purged after removal."""
        return self.filter(file_purged_at__isnull=True)

    def of_standing_letters(self):
        """Documents of letters filed and not withdrawn since, decided or not."""
        return self.filter(through("letter", RANKED_LETTER))


class Document(models.Model):
    letter = models.ForeignKey(
        LetterOfIntent, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="documents"
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=random_document_name)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removed documents stay stored while a filed version names them; a draft's removed
    # document no version names is deleted from storage after a grace period, its row kept.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    file_purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    # Blind review: a copy without the PDF's identifying metadata, served to reviewers; the
    # original stays the filed, hashed document.
    blind_copy = models.FileField(
        _("blind copy"), storage=private_storage, upload_to=random_document_name, blank=True
    )
    blind_copy_sha256 = models.CharField(_("SHA-256 of the blind copy"), max_length=64, blank=True)
    blind_copy_size = models.PositiveBigIntegerField(_("blind copy size"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["document_type__position", "uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_download_url(self):
        return reverse("letters:document_download", args=[self.letter_id, self.pk])
