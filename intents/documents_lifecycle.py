"""What happens to a document's stored bytes after the upload: the per-letter storage quota, the
purge of removed draft documents no receipt names, and the blind-review copy.

- *Quota*: a letter's current documents plus its removed documents still stored and named by no
  filed version may hold at most LETTER_STORAGE_QUOTA_BYTES (checked under the letter's lock).
- *Purge*: a removed document whose bytes no filed version of its letter names (by SHA-256, as
  the receipts freeze them) is deleted from storage REMOVED_DOCUMENT_GRACE_HOURS after its
  removal; the row stays, with `file_purged_at`. A document any receipt names is never deleted.
- *Blind copy*: for a call with blind review, reviewers get a copy of each PDF without its
  document information dictionary and XMP metadata; the original stays the filed document.
"""

import hashlib
import logging
import tempfile
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.storage import CHUNK, read_chunks, unavailable_errors

from .models import Document, LetterVersion
from .models.document import random_document_name

logger = logging.getLogger(__name__)

MB = 1024 * 1024


# --- What the receipts name ------------------------------------------------------------------


def filed_hashes(letter_id) -> set[str]:
    """Every document SHA-256 any filed version of the letter froze."""
    hashes = set()
    for snapshot in LetterVersion.objects.filter(letter_id=letter_id).values_list(
        "snapshot", flat=True
    ):
        for entry in (snapshot or {}).get("documents", []):
            if entry.get("sha256"):
                hashes.add(entry["sha256"])
    return hashes


# --- Quota -----------------------------------------------------------------------------------


def storage_used(letter) -> int:
    """Bytes the letter holds against its quota: its current documents, and its removed ones
    still stored that no filed version names (those are purged after the grace period)."""
    rows = letter.documents.stored().values_list("removed_at", "sha256", "size")
    rows = list(rows)
    if not any(removed_at is not None for removed_at, _sha, _size in rows):
        return sum(size for _removed, _sha, size in rows)
    named = filed_hashes(letter.pk)
    return sum(
        size for removed_at, sha256, size in rows if removed_at is None or sha256 not in named
    )


def in_megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


def quota_refusal(letter, adding: int) -> str | None:
    """Why a new document of `adding` bytes would not fit the letter's quota; None if it does.
    Call it with the letter locked, so parallel uploads cannot pass the quota together."""
    quota = settings.LETTER_STORAGE_QUOTA_BYTES
    used = storage_used(letter)
    if used + adding <= quota:
        return None
    return _(
        "This letter's documents may take up %(quota)s MB; %(used)s MB are used and this file "
        "needs %(size)s MB. Removed documents are counted for %(hours)s hours after their "
        "removal."
    ) % {
        "quota": in_megabytes(quota),
        "used": in_megabytes(used),
        "size": in_megabytes(adding),
        "hours": settings.REMOVED_DOCUMENT_GRACE_HOURS,
    }


# --- Purge -----------------------------------------------------------------------------------


def purgeable(now=None):
    """Removed documents past the grace period whose file is still stored (not yet checked
    against the receipts)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.REMOVED_DOCUMENT_GRACE_HOURS)
    return Document.objects.stored().filter(removed_at__lte=cutoff)


def purge_removed_documents(now=None) -> int:
    """Delete the stored files of removed documents no filed version names, past the grace
    period. Each row is claimed by a conditional UPDATE, so two runs at once delete each file
    once; a file the storage could not delete is released for the next run. Returns how many
    documents were purged."""
    now = now or timezone.now()
    purged = 0
    named_by_letter: dict[int, set[str]] = {}
    candidates = purgeable(now).values_list("pk", "letter_id", "sha256", "file", "blind_copy")
    for pk, letter_id, sha256, name, copy_name in list(candidates.iterator(chunk_size=500)):
        if letter_id not in named_by_letter:
            named_by_letter[letter_id] = filed_hashes(letter_id)
        if sha256 in named_by_letter[letter_id]:
            continue  # an earlier receipt names these bytes: kept for ever
        with transaction.atomic():
            claimed = Document.objects.removed().stored().filter(pk=pk).update(file_purged_at=now)
        if not claimed:
            continue  # another run took it
        try:
            storage = Document._meta.get_field("file").storage
            for stored in (name, copy_name):
                if stored:
                    storage.delete(stored)
        except unavailable_errors() as error:
            logger.warning("Storage did not delete removed document %s: %r", pk, error)
            Document.objects.filter(pk=pk, file_purged_at=now).update(file_purged_at=None)
            continue
        purged += 1
    return purged


# --- Blind copies ----------------------------------------------------------------------------


class BlindCopyFailed(Exception):
    """The PDF could not be rewritten without its metadata; its original must not be served."""


INFO_KEYS = ("/Author", "/Creator", "/Producer", "/Title", "/Subject", "/Keywords")


def strip_metadata(source, target) -> None:
    """Write to `target` the PDF read from `source` without its document information
    dictionary and without XMP metadata (the catalog's and each page's /Metadata)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.metadata = None  # drops the trailer's /Info
    root = writer._root_object
    root.pop(NameObject("/Metadata"), None)
    for page in writer.pages:
        page.pop(NameObject("/Metadata"), None)
    # The removed objects would otherwise still be written, unreferenced.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    writer.write(target)


def make_blind_copy(document_id) -> Document | None:
    """Store the metadata-free copy of the document and record its hash; the document as it now
    is (None if it has gone). A copy already made is kept; a copy made twice at once is kept
    once (the second one's file is deleted)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.blind_copy or document.file_purged_at is not None:
        return document
    storage = Document._meta.get_field("file").storage
    with (
        tempfile.SpooledTemporaryFile(max_size=8 * MB) as original,
        tempfile.SpooledTemporaryFile(max_size=8 * MB) as copy,
    ):
        for chunk in read_chunks(storage, document.file.name):
            original.write(chunk)
        original.seek(0)
        try:
            strip_metadata(original, copy)
        except Exception as error:
            # The upload check parsed this file, so pypdf failing on it is a bug or a parser
            # difference: whatever it raised, the reviewer gets a page, never the original.
            logger.exception("No blind copy could be made of document %s", document_id)
            raise BlindCopyFailed(document_id) from error
        copy.seek(0)
        digest, size = hashlib.sha256(), 0
        while chunk := copy.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        copy.seek(0)
        name = storage.save(random_document_name(None, ""), File(copy))
    updated = Document.objects.filter(pk=document_id, blind_copy="").update(
        blind_copy=name, blind_copy_sha256=digest.hexdigest(), blind_copy_size=size
    )
    if not updated:
        storage.delete(name)
    return Document.objects.get(pk=document_id)


@shared_task(name="intents.make_blind_copy", acks_late=True)
def make_blind_copy_task(document_id):
    """Published on commit of an upload to a blind-review call. If it never runs (the broker was
    down), the first blind download makes the copy."""
    make_blind_copy(document_id)
