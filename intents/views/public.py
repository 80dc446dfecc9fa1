from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..deadlines import closing_time
from ..forms import StartLetterForm
from ..models import Call, CooperationMode, DocumentType


def home(request):
    calls = Call.objects.filter(opens_at__lte=timezone.now()).order_by("-deadline")
    organisations = []
    if request.user.is_authenticated:
        organisations = request.user.organisations.order_by("legal_name")
    return render(request, "intents/home.html", {"calls": calls, "organisations": organisations})


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
    editable_organisations = organisations_user_may_edit(request.user)
    start_form = None
    if editable_organisations:
        start_form = StartLetterForm(call=call, organisations=editable_organisations)
    context = {
        "call": call,
        "closes_at": call.closes_at,
        "start_form": start_form,
    }
    if len(editable_organisations) == 1:
        context["closes_at"] = closing_time(call, editable_organisations[0])
    return render(request, "intents/call_detail.html", context)


def organisations_user_may_edit(user):
    if not user.is_authenticated:
        return []
    return [
        membership.organisation
        for membership in user.memberships.select_related("organisation")
        if user.has_perm("intents.start_letter", membership.organisation)
    ]
