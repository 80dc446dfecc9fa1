"""Every change to a letter of intent, and an organisation's registration for a call, goes
through one of these functions.

Each runs in one transaction: it checks the deadline and the letter's state on the server,
changes the rows, writes the audit event and queues the e-mails, or changes nothing at all.
"""

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record
from portal.organisations.models import Organisation
from portal.refusals import Refused
from portal.storage import StorageUnavailable, unavailable_errors

from .. import documents_lifecycle, receipts
from ..completeness import missing_items
from ..deadlines import closing_time, is_open_for
from ..models import (
    Call,
    CallRegistration,
    CooperationMode,
    Document,
    DocumentType,
    LetterOfIntent,
    LetterVersion,
    ReferenceSequence,
)
from ..models.document import random_document_name
from ..models.letter import LETTER_FIELDS
from ..uploads import InspectedFile


class LetterError(Refused):
    """A change to a letter or a decision that cannot be made."""


class DeadlinePassed(LetterError):
    pass


class StaleVersion(LetterError):
    pass


class AlreadySubmitted(LetterError):
    pass


class Incomplete(LetterError):
    def __init__(self, items):
        super().__init__(_("The letter is not complete yet."))
        self.items = items


def register(
    *, user: User, call: Call, organisation: Organisation
) -> tuple[CallRegistration, bool]:
    """Register `organisation` for `call` so it is reminded of the deadline until it files a
    letter; (registration, created). A second click is harmless."""
    if not is_open_for(call, organisation):
        raise LetterError(_("This call is not open for registrations."))
    with transaction.atomic():
        registration, created = CallRegistration.objects.get_or_create(
            call=call, organisation=organisation, defaults={"registered_by": user}
        )
        if created:
            record(user, "call.registered", call, organisation=organisation.pk)
    return registration, created


def start_letter(
    *, user: User, organisation: Organisation, call: Call, mode: CooperationMode, title: str
) -> LetterOfIntent:
    with transaction.atomic():
        _check_open(call, organisation)
        letter = LetterOfIntent.objects.create(
            call=call,
            organisation=organisation,
            mode=mode,
            title=title,
            contact_name=user.full_name,
            contact_email=user.email,
            created_by=user,
        )
        record(user, "letter.started", letter, call=call.slug)
    return letter


def save_letter(
    *,
    letter_id: int,
    user: User,
    changes: Mapping[str, Any],
    expected_version: int,
    mode: CooperationMode | None = None,
) -> LetterOfIntent:
    """Save edits. A draft simply saves; a submitted letter is amended (new version, receipt)."""
    with transaction.atomic():
        letter = lock_letter(letter_id)
        _check_editable(letter)
        if letter.version != expected_version:
            raise StaleVersion(
                _(
                    "Someone else saved this letter while you were editing it. Your text is "
                    "kept below; copy what you need, then reload the page to see their version."
                )
            )
        changed = {
            name: value
            for name, value in changes.items()
            if name in LETTER_FIELDS and getattr(letter, name) != value
        }
        new_mode = mode if mode is not None and letter.is_draft and mode != letter.mode else None
        if not changed and new_mode is None:
            # Nothing to save: no new version, no receipt, and other editors' forms stay valid.
            return letter
        for name, value in changed.items():
            setattr(letter, name, value)
        if new_mode is not None:
            letter.mode = new_mode
        letter.version = F("version") + 1
        if letter.is_submitted:
            _require_complete(letter)
        letter.save()
        letter.refresh_from_db()
        if letter.is_submitted:
            _file_version(letter, user, LetterVersion.Kind.AMENDMENT)
        else:
            record(user, "letter.saved", letter)
    return letter


def add_document(
    *,
    letter_id: int,
    user: User,
    document_type: DocumentType,
    stored_file: File,
    inspected: InspectedFile,
    original_name: str,
) -> Document:
    storage = Document._meta.get_field("file").storage

    def forget(name):
        # Best effort: with the storage down this fails too, and the error that matters is
        # the one being raised.
        with suppress(*unavailable_errors()):
            storage.delete(name)

    stored_name = random_document_name(None, original_name)
    try:
        stored_name = storage.save(stored_name, stored_file)
    except unavailable_errors() as error:
        # No row is written; and if the storage kept the file before failing to answer, it is
        # removed (the name is random and new, so nothing else can be under it).
        forget(stored_name)
        raise StorageUnavailable(
            _(
                "The file storage did not answer, so the document was not kept. "
                "Please try again in a few minutes."
            )
        ) from error
    try:
        with transaction.atomic():
            letter = lock_letter(letter_id)
            _check_editable(letter)
            if letter.is_submitted:
                # An amendment replaces the filed document of this type rather than adding a
                # second beside it; the old one stays on disk for the earlier receipts.
                for old in letter.documents.current().filter(document_type=document_type):
                    _take_out(old, letter=letter, user=user)
            # Counted under the letter's lock, so parallel uploads cannot pass the limit.
            if letter.documents.current().count() >= (settings.DOCUMENTS_PER_LETTER):
                raise LetterError(_("This letter already has the maximum number of documents."))
            if refusal := documents_lifecycle.quota_refusal(letter, inspected.size):
                raise LetterError(refusal)
            document = Document.objects.create(
                letter=letter,
                document_type=document_type,
                file=stored_name,
                original_name=original_name,
                content_type=inspected.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
                page_count=inspected.page_count,
                uploaded_by=user,
            )
            if letter.call.blind_review:
                # celery-types gives shared tasks Celery's own Task type; the app's task class
                # (portal.celery.Task, a DjangoTask) has delay_on_commit.
                task = documents_lifecycle.make_blind_copy_task
                task.delay_on_commit(document.pk)  # type: ignore[attr-defined]
            # Documents do not bump the letter's version: an editor's open form stays valid.
            record(
                user, "document.uploaded", letter, document=original_name, sha256=inspected.sha256
            )
            if letter.is_submitted:
                _file_version(letter, user, LetterVersion.Kind.AMENDMENT)
    except BaseException:
        # A refused or failed upload leaves nothing stored.
        forget(stored_name)
        raise
    return document


def remove_document(*, letter_id: int, user: User, document_id: int) -> Document:
    with transaction.atomic():
        letter = lock_letter(letter_id)
        _check_editable(letter)
        document = letter.documents.current().filter(pk=document_id).first()
        if document is None:
            raise LetterError(_("This document has already been removed."))
        _take_out(document, letter=letter, user=user)
        if letter.is_submitted:
            _require_complete(letter)
            _file_version(letter, user, LetterVersion.Kind.AMENDMENT)
    return document


def _take_out(document, *, letter, user):
    """Out of the letter's current documents, audited; the row and its file stay (receipts)."""
    document.removed_at = timezone.now()
    document.save(update_fields=["removed_at"])
    record(user, "document.removed", letter, document=document.original_name)


def submit(*, letter_id: int, user: User, expected_version: int) -> LetterOfIntent:
    """File a draft. The same form sent twice (a double click, a replay) files it once."""
    with transaction.atomic():
        letter = lock_letter(letter_id)
        if letter.is_submitted and letter.submitted_from_version == expected_version:
            return letter
        if letter.is_submitted:
            raise AlreadySubmitted(
                _("A colleague has already submitted this letter; here is what was filed.")
            )
        if not letter.is_draft:
            raise LetterError(_("Only a draft can be submitted."))
        _check_open(letter.call, letter.organisation)
        if letter.version != expected_version:
            raise StaleVersion(
                _(
                    "The letter changed since you opened this page. "
                    "Please review it and submit again."
                )
            )
        _require_complete(letter)
        letter.reference = _next_reference(letter.call)
        letter.state = LetterOfIntent.State.SUBMITTED
        letter.submitted_at = timezone.now()
        letter.submitted_from_version = expected_version
        letter.version += 1
        letter.save()
        _file_version(letter, user, LetterVersion.Kind.SUBMISSION)
    return letter


def withdraw(*, letter_id: int, user: User, reason: str, expected_version: int) -> LetterOfIntent:
    with transaction.atomic():
        letter = lock_letter(letter_id)
        if letter.state == LetterOfIntent.State.WITHDRAWN:
            return letter
        _check_editable(letter)
        if letter.version != expected_version:
            raise StaleVersion(
                _(
                    "The letter changed since you opened this page. "
                    "Please look at it again before withdrawing it."
                )
            )
        letter.state = LetterOfIntent.State.WITHDRAWN
        letter.withdrawn_at = timezone.now()
        letter.withdrawal_reason = reason
        letter.version += 1
        letter.save()
        record(user, "letter.withdrawn", letter, reason=reason)
        receipts.queue_withdrawal_notices(letter, user)
    return letter


def lock_letter(letter_id):
    """The letter, locked for a state change (its own row only)."""
    return (
        # of=("self",): lock the letter only, not its call, so letters of one call never queue
        # behind each other or behind an officer editing the call.
        LetterOfIntent.objects.select_for_update(of=("self",))
        .select_related("call", "organisation", "mode")
        .get(pk=letter_id)
    )


def change_refusal(letter: LetterOfIntent) -> LetterError | None:
    """Why the letter cannot be changed now, as the error to raise or show; None if it can.
    The one rule behind both the server's refusals and what the pages offer."""
    if letter.state not in LetterOfIntent.State.changeable():
        return LetterError(_("This letter can no longer be changed."))
    return _opening_refusal(letter.call, letter.organisation)


def _opening_refusal(call, organisation):
    now = timezone.now()
    if now < call.opens_at:
        return LetterError(_("This call is not open yet."))
    if now > closing_time(call, organisation):
        return DeadlinePassed(_("The deadline for this call has passed. Nothing can be changed."))
    return None


def _check_open(call, organisation):
    if refusal := _opening_refusal(call, organisation):
        raise refusal


def _check_editable(letter):
    if refusal := change_refusal(letter):
        raise refusal


def _require_complete(letter):
    items = missing_items(letter)
    if items:
        raise Incomplete(items)


def _next_reference(call):
    # The UPDATE takes the sequence's row lock, so concurrent submitters queue for a number.
    sequence, _created = ReferenceSequence.objects.get_or_create(call=call)
    ReferenceSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    number = ReferenceSequence.objects.values_list("last_number", flat=True).get(pk=sequence.pk)
    return f"{call.reference_prefix}-LOI-{number:04d}"


def _file_version(letter, user, kind):
    number = letter.versions.count() + 1
    documents = list(letter.documents.current().select_related("document_type"))
    version = LetterVersion.objects.create(
        letter=letter,
        number=number,
        kind=kind,
        snapshot=receipts.snapshot(letter, documents),
        created_by=user,
        created_at=timezone.now(),
    )
    verb = "letter.submitted" if kind == LetterVersion.Kind.SUBMISSION else "letter.amended"
    record(user, verb, letter, version=number, reference=letter.reference)
    receipts.queue_receipts(letter, version)
    return version
