"""Decisions: one by one or in bulk, private until released; the release with its preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.refusals import Refused, show_form_errors, show_refusal

from ...access import office_call, office_letter
from ...decision_notice import shared_comments
from ...models import Decision, Review
from .. import actions, decisions
from ..forms.decisions import BulkDecisionForm, DecisionForm, ReleaseForm
from ..scores import empty_score, letter_scores

PREVIEW_PAGE_SIZE = 20
# Letters still without a decision, shown to decide in bulk: deciding them brings up the next.
UNDECIDED_SHOWN = 50


@login_required
def letter_decision(request, pk):
    letter = office_letter(request, pk)
    call = letter.call
    decision = (
        Decision.objects.filter(letter=letter).select_related("decided_by", "released_by").first()
    )
    posted = request.POST if request.method == "POST" else None
    form = DecisionForm(posted, decision=decision)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide(
                user=request.user,
                letter_id=letter.pk,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                _("The decision is saved. The applicant hears of it only once it is released."),
            )
            return redirect("office:letter_decision", letter.pk)
    score = letter_scores(call, [letter.pk]).get(letter.pk) or empty_score(call)
    context = {
        "call": call,
        "letter": letter,
        "decision": decision,
        "refusal": actions.decision_refusal(letter, decision),
        "score": score,
        "recommendations": [
            (Review.Recommendation(value).label, count)
            for value, count in sorted(score.recommendations.items())
            if value
        ],
        "form": form,
    }
    return render(request, "intents/office/decisions/letter.html", context)


@login_required
@require_POST
def decisions_bulk(request, slug):
    call = office_call(request, slug)
    form = BulkDecisionForm(request.POST, call=call)
    if not form.is_valid():
        show_form_errors(request, form)
        return _back(request, call)
    letters = form.cleaned_data["letters"]
    outcome = Decision.Outcome(form.cleaned_data["outcome"])
    try:
        count = actions.decide_all(
            user=request.user,
            letter_ids=[letter.pk for letter in letters],
            outcome=outcome,
            # Left empty, the notes written letter by letter stay.
            note=form.cleaned_data["note"] or None,
        )
    except Refused as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "“%(outcome)s” is now the decision on %(count)s letter.",
                "“%(outcome)s” is now the decision on %(count)s letters.",
                count,
            )
            % {"outcome": outcome.label, "count": count},
        )
    return _back(request, call)


def _back(request, call):
    """To the page the officer came from, if it is one of ours; else to the decisions."""
    target = request.POST.get("next", "")
    # A path, never handed to redirect(), which would take "abc" for the name of a view.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("office:decisions_release", call.slug)


@login_required
def decisions_release(request, slug):
    call = office_call(request, slug)
    # Not `request.POST or None`: an empty POST (the box left unticked) must bind the form.
    call_open = timezone.now() <= call.closes_at
    form = ReleaseForm(request.POST if request.method == "POST" else None, call_open=call_open)
    if request.method == "POST" and form.is_valid():
        released = actions.release_decisions(user=request.user, call_id=call.pk)
        if released:
            messages.success(
                request,
                ngettext(
                    "%(count)s decision was released; the applicants are told by e-mail.",
                    "%(count)s decisions were released; the applicants are told by e-mail.",
                    len(released),
                )
                % {"count": len(released)},
            )
        else:
            messages.info(request, _("Nothing to release."))
        return redirect("office:decisions_release", call.slug)

    pending = decisions.pending(call)
    page = Paginator(
        decisions.with_recipients(pending).order_by("letter__reference"), PREVIEW_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    comments = shared_comments(call, [decision.letter_id for decision in page])
    waiting = _count_by_outcome(pending)
    released = _count_by_outcome(Decision.objects.released().filter(letter__call=call))
    undecided = call.letters.reviewable().filter(decision__isnull=True)
    context = {
        "call": call,
        "form": form,
        "counts": [
            (outcome, waiting.get(outcome, 0), released.get(outcome, 0))
            for outcome in Decision.Outcome
        ],
        "pending_total": sum(waiting.values()),
        "call_open": call_open,
        "short_of_reviews": decisions.short_of_reviews(pending),
        "released_total": sum(released.values()),
        "undecided_count": undecided.count(),
        "undecided": undecided.select_related("organisation").order_by("reference")[
            :UNDECIDED_SHOWN
        ],
        "bulk_form": BulkDecisionForm(call=call, initial={"next": request.get_full_path()}),
        "page": page,
        "previews": [
            (decision, decisions.previews(decision, comments.get(decision.letter_id, [])))
            for decision in page
        ],
    }
    return render(request, "intents/office/decisions/release.html", context)


def _count_by_outcome(decision_rows):
    """outcome -> number of decisions, in one query."""
    return dict(decision_rows.order_by().values_list("outcome").annotate(count=Count("pk")))
