from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..deadlines import closing_times
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
    open_organisations, closes_at = organisations_open_for(call, request.user)
    start_form = None
    if open_organisations:
        start_form = StartLetterForm(call=call, organisations=open_organisations)
    context = {"call": call, "closes_at": closes_at, "start_form": start_form}
    return render(request, "intents/call_detail.html", context)


def organisations_open_for(call, user):
    """The user's organisations that may start a letter now (extensions included), and the
    closing time to show: the call's, or the latest of those organisations' own."""
    editable = organisations_user_may_edit(user)
    closing = closing_times(call, editable)
    now = timezone.now()
    open_organisations = [
        organisation
        for organisation in editable
        if call.opens_at <= now <= closing[organisation.pk]
    ]
    return open_organisations, max(closing.values(), default=call.closes_at)


def organisations_user_may_edit(user):
    if not user.is_authenticated:
        return []
    return [
        membership.organisation
        for membership in user.memberships.select_related("organisation")
        if user.has_perm("intents.start_letter", membership.organisation)
    ]
