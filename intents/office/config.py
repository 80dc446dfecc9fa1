"""The office's changes to a call's configuration, to per-organisation extensions and to the
verification of organisations. Each runs in one transaction with its audit event and e-mails."""

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import User
from portal.audit.log import record
from portal.notifications.outbox import queue_templated_email
from portal.organisations.mail import OWNERS_AND_EDITORS, queue_for_members
from portal.organisations.models import Membership, Organisation, Role
from portal.refusals import Refused

from ..models import (
    Call,
    CooperationMode,
    Criterion,
    Document,
    DocumentType,
    Extension,
    LetterOfIntent,
    Score,
)

# Changing these moves the moment letters stop being accepted.
CLOSING_FIELDS = ("deadline", "grace_minutes")


class ConfigError(Refused):
    """A change to a call's configuration, an extension or a verification that cannot be made."""


class ClosingTimeUnconfirmed(ConfigError):
    """The closing time would move under letters already started: the officer must confirm."""

    def __init__(self, letters, organisations):
        super().__init__(_("Confirm the new closing time."))
        self.letters = letters
        self.organisations = organisations


def create_call(*, user: User, data: Mapping[str, Any]) -> Call:
    with transaction.atomic():
        call = Call.objects.create(**data)
        record(user, "call.created", call, slug=call.slug)
    return call


def update_call(
    *, user: User, call: Call, data: Mapping[str, Any], confirm_closing_change: bool = False
) -> Call:
    """Save the changed settings in `data`. Moving the closing time under existing letters
    needs `confirm_closing_change`; the prefix is fixed once a letter carries a reference."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        data = {name: value for name, value in data.items() if getattr(call, name) != value}
        if not data:
            return call
        if "reference_prefix" in data and prefix_in_use(call):
            raise ConfigError(
                _("Letters already carry references starting with %(prefix)s.")
                % {"prefix": call.reference_prefix}
            )
        moved = {name: (getattr(call, name), data[name]) for name in CLOSING_FIELDS if name in data}
        if moved and not confirm_closing_change:
            letters, organisations = letters_affected(call)
            if letters:
                raise ClosingTimeUnconfirmed(letters, organisations)
        for name, value in data.items():
            setattr(call, name, value)
        call.save(update_fields=list(data))
        record(
            user,
            "call.updated",
            call,
            fields=sorted(data),
            **{
                name: {"old": _plain(old), "new": _plain(new)} for name, (old, new) in moved.items()
            },
        )
    return call


def letters_affected(call):
    """(letters, organisations) a change of the closing time touches: all but withdrawn."""
    letters = call.letters.current()
    return letters.count(), letters.values("organisation").distinct().count()


def prefix_in_use(call):
    return call.letters.exclude(reference="").exists()


# Cooperation modes, document types and the rubric: a formset's rows saved at once.
Rows = Iterable[tuple[int | None, Mapping[str, Any]]]


def refuse_deleting_modes(ids):
    _refuse_if_used(
        CooperationMode.objects.filter(
            pk__in=LetterOfIntent.objects.filter(mode__in=ids).values("mode")
        ),
        lambda count: ngettext(
            "Mode %(names)s has letters of intent and cannot be deleted.",
            "Modes %(names)s have letters of intent and cannot be deleted.",
            count,
        ),
    )


def refuse_deleting_document_types(ids):
    _refuse_if_used(
        DocumentType.objects.filter(
            pk__in=Document.objects.filter(document_type__in=ids).values("document_type")
        ),
        lambda count: ngettext(
            "Documents of type %(names)s were uploaded; it cannot be deleted.",
            "Documents of types %(names)s were uploaded; they cannot be deleted.",
            count,
        ),
    )


def refuse_deleting_criteria(ids):
    _refuse_if_used(
        Criterion.objects.filter(
            pk__in=Score.objects.filter(criterion__in=ids).values("criterion")
        ),
        lambda count: ngettext(
            "Reviewers have scored %(names)s; the criterion cannot be deleted.",
            "Reviewers have scored %(names)s; these criteria cannot be deleted.",
            count,
        ),
    )


def _refuse_if_used(used, message):
    """Refuse a deletion naming the rows still in use; `message(count)` words it."""
    names = [str(row) for row in used]
    if names:
        raise ConfigError(message(len(names)) % {"names": ", ".join(names)})


def save_modes(*, user: User, call: Call, rows: Rows, deleted: Collection[int]) -> None:
    """`rows`: (id or None for a new mode, {field: value}); `deleted`: ids of modes to delete."""
    with transaction.atomic():
        refuse_deleting_modes(deleted)
        _save_rows(user, call, CooperationMode, rows, deleted, "call.modes_changed")


def save_document_types(*, user: User, call: Call, rows: Rows, deleted: Collection[int]) -> None:
    with transaction.atomic():
        refuse_deleting_document_types(deleted)
        _save_rows(user, call, DocumentType, rows, deleted, "call.document_types_changed")


def save_rubric(*, user: User, call: Call, rows: Rows, deleted: Collection[int]) -> None:
    with transaction.atomic():
        refuse_deleting_criteria(deleted)
        _save_rows(user, call, Criterion, rows, deleted, "call.rubric_changed")


def _save_rows(user, call, model, rows, deleted, verb):
    Call.objects.select_for_update().filter(pk=call.pk).exists()  # one editor of a call at a time
    existing = model.objects.filter(call=call).in_bulk()
    removed = [existing[pk] for pk in deleted if pk in existing]
    # Deleted first, so a new row may take the number or code a deleted one had.
    for row in removed:
        row.delete()
    added, changed = [], {}
    for pk, data in rows:
        if pk is not None and pk not in existing:
            raise ConfigError(_("Someone else changed this list meanwhile. Reload the page."))
        row = existing[pk] if pk is not None else model(call=call)
        related = {}
        for name, value in data.items():
            if model._meta.get_field(name).many_to_many:
                related[name] = value
            else:
                setattr(row, name, value)
        try:
            row.save()
        except IntegrityError:
            # Two rows swapping numbers or codes collide halfway; the transaction is undone.
            raise ConfigError(
                _("Two rows cannot share a number or code, even for a moment: swap in two steps.")
            ) from None
        for name, value in related.items():
            getattr(row, name).set(value)
        if pk is None:
            added.append(str(row))
        else:
            changed[str(row)] = sorted(data)
    if added or changed or removed:
        record(user, verb, call, added=added, changed=changed, removed=[str(r) for r in removed])


# Extensions


def grant_extension(
    *, user: User, call: Call, organisation: Organisation, closes_at: dt.datetime, reason: str
) -> Extension:
    """Give `organisation` a later closing time for `call`; an existing extension is replaced."""
    if closes_at <= call.closes_at:
        raise ConfigError(_("An extension must end after the call's own closing time."))
    with transaction.atomic():
        previous = (
            Extension.objects.select_for_update()
            .filter(call=call, organisation=organisation)
            .first()
        )
        # The same grant sent again (a replayed form) changes nothing and tells nobody twice.
        if previous and (previous.closes_at, previous.reason) == (closes_at, reason):
            return previous
        # Replaced, not edited: the list's "granted by" and "when" must be the latest grant's.
        if previous:
            previous.delete()
        extension = Extension.objects.create(
            call=call,
            organisation=organisation,
            closes_at=closes_at,
            reason=reason,
            granted_by=user,
        )
        record(
            user,
            "extension.replaced" if previous else "extension.granted",
            call,
            organisation=organisation.legal_name,
            organisation_id=organisation.pk,
            closes_at=_plain(closes_at),
            reason=reason,
            **({"previous_closes_at": _plain(previous.closes_at)} if previous else {}),
        )
        # Keyed by the new row and time: a replacement is news, a replay of this one is not.
        _tell_owners_and_editors(
            extension,
            "extension_granted",
            f"extension:{extension.pk}:{_plain(closes_at)}",
        )
    return extension


def remove_extension(*, user: User, extension: Extension) -> None:
    with transaction.atomic():
        record(
            user,
            "extension.removed",
            extension.call,
            organisation=extension.organisation.legal_name,
            organisation_id=extension.organisation_id,
            closes_at=_plain(extension.closes_at),
        )
        # Their closing time moves earlier again: they must hear of it as they heard of the grant.
        _tell_owners_and_editors(
            extension, "extension_removed", f"extension-removed:{extension.pk}"
        )
        Extension.objects.filter(pk=extension.pk).delete()


# Verification of organisations


def verify_organisation(*, user: User, organisation: Organisation) -> Organisation:
    with transaction.atomic():
        organisation = _change_verification(organisation, verified=True, request="")
        record(user, "organisation.verified", organisation)
        _tell_owners(organisation, "organisation_verified", "organisation-verified")
    return organisation


def request_information(*, user: User, organisation: Organisation, text: str) -> Organisation:
    """Ask the organisation for what the office needs before it can verify it."""
    with transaction.atomic():
        organisation = _change_verification(organisation, verified=False, request=text)
        record(user, "organisation.information_requested", organisation, request=text)
        _tell_owners(organisation, "verification_request", "verification-request")
    return organisation


def withdraw_verification(
    *, user: User, organisation: Organisation, reason: str = ""
) -> Organisation:
    with transaction.atomic():
        organisation = _change_verification(organisation, verified=False, request="")
        record(user, "organisation.verification_withdrawn", organisation, reason=reason)
    return organisation


def _change_verification(organisation, *, verified, request):
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.is_verified = verified
    organisation.verification_request = request
    organisation.verification_changed_at = timezone.now()
    organisation.save(
        update_fields=["is_verified", "verification_request", "verification_changed_at"]
    )
    return organisation


def _tell_owners(organisation, template, key):
    owners = Membership.objects.filter(organisation=organisation, role=Role.OWNER).select_related(
        "user"
    )
    moment = organisation.verification_changed_at.isoformat()
    for membership in owners:
        recipient = membership.user
        queue_templated_email(
            key=f"{key}:{organisation.pk}:{recipient.pk}:{moment}",
            to=recipient.email,
            template=f"emails/{template}",
            context={"organisation": organisation, "recipient": recipient},
            language=recipient.language,
            time_zone=recipient.time_zone,
        )


def _tell_owners_and_editors(extension, template, key):
    """The extension's organisation hears of it, with the call's official zone shown beside
    each reader's own."""
    queue_for_members(
        extension.organisation,
        roles=OWNERS_AND_EDITORS,
        key=key,
        template=f"emails/{template}",
        context={
            "extension": extension,
            "call": extension.call,
            "organisation": extension.organisation,
            "official_zone": extension.call.time_zone,
        },
    )


def _plain(value):
    """A value the audit's JSON can hold; times in UTC, whatever zone they were typed in."""
    return value.astimezone(dt.UTC).isoformat() if isinstance(value, dt.datetime) else value
