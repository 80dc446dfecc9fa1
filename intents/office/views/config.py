"""Call configuration, per-organisation extensions and organisation verification."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.roles import require_office
from portal.audit.models import AuditEvent
from portal.organisations.models import Organisation
from portal.refusals import Refused, show_refusal

from ...access import office_call
from ...models import CooperationMode, Criterion, DocumentType, Extension
from ...models.letter import FILED_LETTER
from ...models.paths import through
from .. import config
from ..filters.organisations import OrganisationFilter
from ..forms.call_rows import DocumentTypeFormSet, ModeFormSet, RubricFormSet
from ..forms.call_settings import CallForm, CallSettingsForm
from ..forms.extensions import ExtensionForm
from ..forms.times import official_zone
from ..forms.verification import VerificationForm, WithdrawVerificationForm

PAGE_SIZE = 50
VERIFICATION_EVENTS = {
    "organisation.verified": gettext_lazy("Verified"),
    "organisation.information_requested": gettext_lazy("Information requested"),
    "organisation.verification_withdrawn": gettext_lazy("Verification withdrawn"),
}


@login_required
def call_create(request):
    require_office(request)
    zone = official_zone(request.POST)
    with timezone.override(zone):
        form = CallForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            call = config.create_call(user=request.user, data=form.settings())
            messages.success(request, _("The call is created. Now describe its cooperation modes."))
            return redirect("office:call_modes", call.slug)
        # Rendered inside the override, so the form shows its times in the official zone.
        return render(request, "intents/office/config/call_create.html", {"form": form})


@login_required
def call_settings(request, slug):
    call = office_call(request, slug)
    zone = official_zone(request.POST, call)
    closing_change = None
    with timezone.override(zone):
        # A model form writes what it validates into its instance: give it a copy, so the page
        # keeps showing the saved call when the change is refused or awaits confirmation.
        form = CallSettingsForm(
            request.POST or None,
            instance=copy.copy(call),
            prefix_locked=config.prefix_in_use(call),
        )
        if request.method == "POST" and form.is_valid():
            try:
                config.update_call(
                    user=request.user,
                    call=call,
                    data=form.changes(),
                    confirm_closing_change=form.cleaned_data["confirm_closing_change"],
                )
            except config.ClosingTimeUnconfirmed as unconfirmed:
                closing_change = unconfirmed
                form.ask_to_confirm()
            except Refused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The settings are saved."))
                return redirect("office:call_settings", call.slug)
        context = {"call": call, "form": form, "zone": zone, "closing_change": closing_change}
        return render(request, "intents/office/config/call_settings.html", context)


@login_required
def call_modes(request, slug):
    call = office_call(request, slug)
    return _edit_rows(
        request,
        call,
        ModeFormSet,
        CooperationMode.objects.all(),
        config.save_modes,
        "modes",
    )


@login_required
def call_document_types(request, slug):
    call = office_call(request, slug)
    return _edit_rows(
        request,
        call,
        DocumentTypeFormSet,
        DocumentType.objects.prefetch_related("required_for"),
        config.save_document_types,
        "document_types",
        form_kwargs={"call": call},
    )


@login_required
def call_rubric(request, slug):
    call = office_call(request, slug)
    criteria = list(call.criteria.all())
    total = sum(criterion.weight for criterion in criteria)
    shares = [(criterion, 100 * criterion.weight / total) for criterion in criteria]
    return _edit_rows(
        request,
        call,
        RubricFormSet,
        Criterion.objects.all(),
        config.save_rubric,
        "rubric",
        context={"shares": shares},
    )


def _edit_rows(
    request, call, formset_class, queryset, save, section, form_kwargs=None, context=None
):
    """A settings page editing one of the call's lists (modes, document types, criteria)."""
    formset = formset_class(
        request.POST or None, call=call, queryset=queryset, form_kwargs=form_kwargs or {}
    )
    if request.method == "POST" and formset.is_valid():
        try:
            save(user=request.user, call=call, rows=formset.rows(), deleted=formset.deleted_ids())
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(request.path)
    context = {"call": call, "formset": formset, "section": section, **(context or {})}
    return render(request, f"intents/office/config/{section}.html", context)


@login_required
def extensions(request, slug):
    call = office_call(request, slug)
    # ?organisation=<id> opens that organisation's extension for a change.
    editing = None
    wanted = request.GET.get("organisation", "")
    # An id: ASCII digits ("²" is a digit to str.isdigit), few enough to fit the database.
    if wanted.isascii() and wanted.isdigit() and len(wanted) <= 18:
        editing = call.extensions.select_related("organisation").filter(organisation=wanted).first()
    with timezone.override(call.zone):
        initial = {}
        if editing:
            initial = {
                "organisation": editing.organisation,
                "closes_at": editing.closes_at,
                "reason": editing.reason,
            }
        form = ExtensionForm(request.POST or None, call=call, initial=initial)
        if request.method == "POST" and form.is_valid():
            organisation = form.cleaned_data["organisation"]
            try:
                config.grant_extension(
                    user=request.user,
                    call=call,
                    organisation=organisation,
                    closes_at=form.cleaned_data["closes_at"],
                    reason=form.cleaned_data["reason"],
                )
            except Refused as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(organisation)s has its extension.") % {"organisation": organisation},
                )
                return redirect("office:extensions", call.slug)
        granted = call.extensions.select_related("organisation", "granted_by").order_by(
            "organisation__legal_name"
        )
        context = {
            "call": call,
            "form": form,
            "editing": editing,
            "page": Paginator(granted, PAGE_SIZE).get_page(request.GET.get("page")),
        }
        return render(request, "intents/office/config/extensions.html", context)


@login_required
def extension_remove(request, slug, extension_pk):
    call = office_call(request, slug)
    extension = get_object_or_404(
        Extension.objects.select_related("organisation"), pk=extension_pk, call=call
    )
    if request.method == "POST":
        config.remove_extension(user=request.user, extension=extension)
        messages.success(
            request,
            _("The extension of %(organisation)s was removed.")
            % {"organisation": extension.organisation},
        )
        return redirect("office:extensions", call.slug)
    return render(
        request,
        "intents/office/config/extension_remove.html",
        {"call": call, "extension": extension},
    )


@login_required
def organisations(request):
    require_office(request)
    listed = Organisation.objects.annotate(
        member_count=Count("memberships", distinct=True),
        letter_count=Count("letters", filter=through("letters", FILED_LETTER), distinct=True),
    ).order_by("legal_name", "pk")
    filtered = OrganisationFilter(request.GET or None, queryset=listed)
    context = {
        "filter": filtered,
        "page": Paginator(filtered.qs, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "intents/office/config/organisations.html", context)


@login_required
def organisation_verification(request, pk):
    require_office(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    verified = organisation.is_verified
    form: VerificationForm | WithdrawVerificationForm
    if verified:
        form = WithdrawVerificationForm(request.POST or None)
    else:
        initial = {"request": organisation.verification_request}
        form = VerificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if verified:
            config.withdraw_verification(
                user=request.user, organisation=organisation, reason=data["reason"]
            )
            messages.success(request, _("The verification was withdrawn."))
        elif data["decision"] == VerificationForm.VERIFY:
            config.verify_organisation(user=request.user, organisation=organisation)
            messages.success(request, _("The organisation is verified; its owners are told."))
        else:
            config.request_information(
                user=request.user, organisation=organisation, text=data["request"].strip()
            )
            messages.success(request, _("The request is sent to the organisation's owners."))
        return redirect("office:organisation_verification", organisation.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "memberships": organisation.memberships.select_related("user").order_by("user__email"),
        # The office reads letters once filed; drafts stay the organisation's own.
        "letters": organisation.letters.filed()
        .select_related("call", "mode")
        .order_by("-submitted_at"),
        "history": [
            (event, VERIFICATION_EVENTS[event.verb])
            for event in AuditEvent.objects.filter(
                target_type=Organisation._meta.label_lower,
                target_id=str(organisation.pk),
                verb__in=VERIFICATION_EVENTS,
            ).select_related("actor")[:20]
        ],
    }
    return render(request, "intents/office/config/organisation_verification.html", context)
