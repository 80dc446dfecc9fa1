from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.refusals import Refused, show_refusal

from ...access import letter_for
from ...completeness import missing_items
from ...deadlines import closing_time, is_open_for, open_organisations
from ...decision_notice import released_notice
from ...models import Call, LetterVersion
from ...queries import organisations_user_may_edit
from .. import actions
from ..forms import (
    DocumentUploadForm,
    LetterForm,
    RegisterForm,
    StartLetterForm,
    SubmitForm,
    WithdrawForm,
)
from .file_refusals import refused_files


@login_required
@require_POST
def start_letter(request, slug):
    call = get_object_or_404(Call, slug=slug)
    editable = organisations_user_may_edit(request.user)
    if not editable:
        raise PermissionDenied
    organisations, _closes_at = open_organisations(call, editable)
    form = StartLetterForm(request.POST, call=call, organisations=organisations)
    if not form.is_valid():
        messages.error(
            request, _("Choose your organisation and a cooperation mode, and give a title.")
        )
        return redirect(call)
    try:
        letter = actions.start_letter(
            user=request.user,
            organisation=form.cleaned_data["organisation"],
            call=call,
            mode=form.cleaned_data["mode"],
            title=form.cleaned_data["title"],
        )
    except Refused as error:
        show_refusal(request, error)
        return redirect(call)
    messages.success(request, _("Your draft is ready. It saves whenever you press Save."))
    return redirect("letters:letter_edit", letter.pk)


@login_required
@require_POST
def call_register(request, slug):
    call = get_object_or_404(Call, slug=slug)
    editable = organisations_user_may_edit(request.user)
    if not editable:
        raise PermissionDenied
    organisations, _closes_at = open_organisations(call, editable)
    form = RegisterForm(request.POST, call=call, organisations=organisations)
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations that may still apply."))
        return redirect(call)
    organisation = form.cleaned_data["organisation"]
    try:
        _registration, created = actions.register(
            user=request.user, call=call, organisation=organisation
        )
    except Refused as error:
        show_refusal(request, error)
        return redirect(call)
    if created:
        messages.success(
            request,
            _(
                "%(organisation)s is registered for this call: its owners and editors will be "
                "reminded before the deadline."
            )
            % {"organisation": organisation.legal_name},
        )
    else:
        messages.info(
            request,
            _("%(organisation)s was already registered for this call.")
            % {"organisation": organisation.legal_name},
        )
    return redirect(call)


@login_required
def letter_detail(request, pk):
    letter = letter_for(request, pk)
    documents = list(letter.documents.current().select_related("document_type"))
    refusal = actions.change_refusal(letter)
    context = {
        "letter": letter,
        "decision": released_notice(letter),
        "documents": documents,
        "versions": letter.versions.all(),
        "missing": missing_items(letter) if letter.is_draft else [],
        "can_change": refusal is None and request.user.has_perm("intents.change_letter", letter),
        "deadline_passed": isinstance(refusal, actions.DeadlinePassed),
        "closes_at": closing_time(letter.call, letter.organisation),
        "upload_form": DocumentUploadForm(letter=letter, refused=refused_files(request)),
        "submit_form": SubmitForm(initial={"version": letter.version}),
    }
    return render(request, "intents/letters/letter_detail.html", context)


def closed_letter_redirect(request, letter):
    """Send the user back to the letter, saying why, when it can no longer be changed."""
    refusal = actions.change_refusal(letter)
    if refusal is None:
        return None
    show_refusal(request, refusal, messages.INFO)
    return redirect("letters:letter_detail", letter.pk)


def say_amendment_filed(request, letter):
    """After a change to a submitted letter, which the actions file as a new version."""
    number = letter.versions.order_by("-number").values_list("number", flat=True).first()
    messages.success(
        request,
        _(
            "The amendment was filed as version %(number)s of %(reference)s, and a new receipt "
            "was e-mailed to the organisation's owners and editors."
        )
        % {"number": number, "reference": letter.reference},
    )


@login_required
def letter_edit(request, pk):
    letter = letter_for(request, pk, change=True)
    if request.method == "GET" and (refusal := closed_letter_redirect(request, letter)):
        return refusal
    if request.method == "POST":
        form = LetterForm(request.POST, instance=letter)
        if not form.is_valid():
            messages.error(request, _("Please correct the fields marked below."))
        elif not form.has_changed():
            messages.info(request, _("Nothing had changed, so nothing was saved."))
            return redirect("letters:letter_detail", letter.pk)
        else:
            try:
                saved = actions.save_letter(
                    letter_id=letter.pk,
                    user=request.user,
                    changes=form.changes(),
                    expected_version=form.cleaned_data["version"],
                    mode=form.cleaned_data.get("mode"),
                )
            except actions.Incomplete as error:
                messages.error(request, _("An amended letter must stay complete."))
                for item in error.items:
                    messages.error(request, item)
            except Refused as error:
                show_refusal(request, error)
            else:
                if saved.is_submitted and saved.version != form.cleaned_data["version"]:
                    say_amendment_filed(request, saved)
                else:
                    messages.success(request, _("Saved."))
                return redirect("letters:letter_detail", letter.pk)
    else:
        form = LetterForm(instance=letter)
    return render(request, "intents/letters/letter_edit.html", {"letter": letter, "form": form})


@login_required
def letter_submit(request, pk):
    letter = letter_for(request, pk, change=True)
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The form was incomplete; please try again."))
            return redirect("letters:letter_submit", letter.pk)
        try:
            letter = actions.submit(
                letter_id=letter.pk,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except actions.Incomplete as error:
            for item in error.items:
                messages.error(request, item)
            return redirect("letters:letter_submit", letter.pk)
        except actions.AlreadySubmitted as error:
            show_refusal(request, error, messages.INFO)
            return redirect("letters:letter_receipt", letter.pk, 1)
        except Refused as error:
            show_refusal(request, error)
            return redirect("letters:letter_detail", letter.pk)
        # Version 1 is always the submission; a replayed form lands on the same receipt.
        return redirect("letters:letter_receipt", letter.pk, 1)
    context = {
        "letter": letter,
        "missing": missing_items(letter),
        "is_open": is_open_for(letter.call, letter.organisation),
        "closes_at": closing_time(letter.call, letter.organisation),
        "documents": letter.documents.current().select_related("document_type"),
        "form": SubmitForm(initial={"version": letter.version}),
    }
    return render(request, "intents/letters/letter_submit.html", context)


@login_required
def letter_receipt(request, pk, number):
    letter = letter_for(request, pk)
    version = get_object_or_404(LetterVersion, letter=letter, number=number)
    return render(
        request, "intents/letters/letter_receipt.html", {"letter": letter, "version": version}
    )


@login_required
def letter_withdraw(request, pk):
    letter = letter_for(request, pk, change=True)
    if request.method == "GET" and (refusal := closed_letter_redirect(request, letter)):
        return refusal
    form = WithdrawForm(request.POST or None, initial={"version": letter.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw(
                letter_id=letter.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The letter has been withdrawn."))
        return redirect("letters:letter_detail", letter.pk)
    return render(request, "intents/letters/letter_withdraw.html", {"letter": letter, "form": form})
