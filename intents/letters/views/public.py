from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ...deadlines import open_organisations
from ...models import Call, CooperationMode, DocumentType, Extension
from ...queries import organisations_user_may_edit, registrations_of
from ...rules import has_reviewer_places
from ..forms import RegisterForm, StartLetterForm


def home(request):
    calls = Call.objects.filter(opens_at__lte=timezone.now()).order_by("-deadline")
    organisations = []
    reviewing = False
    if request.user.is_authenticated:
        organisations = request.user.organisations.order_by("legal_name")
        reviewing = has_reviewer_places(request.user)
    return render(
        request,
        "intents/letters/home.html",
        {"calls": calls, "organisations": organisations, "reviewing": reviewing},
    )


def call_detail(request, slug):
    modes = CooperationMode.objects.prefetch_related(
        Prefetch("required_document_types", queryset=DocumentType.objects.order_by("position"))
    )
    call = get_object_or_404(
        Call.objects.prefetch_related(Prefetch("modes", queryset=modes), "document_types"),
        slug=slug,
    )
    if call.opens_at > timezone.now() and not request.user.has_perm("intents.preview_call"):
        raise Http404
    startable, closes_at = open_organisations(call, organisations_user_may_edit(request.user))
    start_form = register_form = None
    registered = []
    if startable:
        start_form = StartLetterForm(call=call, organisations=startable)
        # Registration asks for reminders; an organisation with a letter is reminded of it.
        with_letter = set(
            call.letters.filter(organisation__in=startable).values_list(
                "organisation_id", flat=True
            )
        )
        known = registrations_of(call, startable)
        registered = [known[o.pk] for o in startable if o.pk in known and o.pk not in with_letter]
        unregistered = [o for o in startable if o.pk not in known and o.pk not in with_letter]
        if unregistered:
            register_form = RegisterForm(call=call, organisations=unregistered)
    # Extensions are shown to their own organisation's members only.
    extensions = []
    if request.user.is_authenticated:
        extensions = Extension.objects.filter(
            call=call, organisation__memberships__user=request.user, closes_at__gt=call.closes_at
        ).select_related("organisation")
    context = {
        "call": call,
        "closes_at": closes_at,
        "start_form": start_form,
        "register_form": register_form,
        "registered": registered,
        "extensions": extensions,
    }
    return render(request, "intents/letters/call_detail.html", context)
