"""The programme office's reviewing pages: the reviewer pool and the assignments."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portal.accounts.roles import require_office
from portal.refusals import Refused, show_refusal
from portal.security.throttle import limit_invitations

from ...access import office_call
from ...models import Assignment, AssignmentRun, ConflictDeclaration, LetterOfIntent, Reviewer
from .. import assignments, pool
from ..conflicts import REASONS, ConflictFinder
from ..forms import AssignReviewerForm, InviteReviewerForm
from ..scoring import aggregate

LETTERS_PAGE_SIZE = 50
RUN_PAGE_SIZE = 100
SHORTFALL_REASONS = {**REASONS, "assigned": gettext_lazy("already reads this letter")}


@login_required
@limit_invitations
def reviewer_pool(request, slug):
    call = office_call(request, slug)
    form = InviteReviewerForm(
        request.POST or None, call=call, submit_label=_("Send the invitation")
    )
    if request.method == "POST" and form.is_valid():
        try:
            pool.invite_reviewer(
                user=request.user,
                call=call,
                email=form.cleaned_data["email"],
                profile=form.profile(),
                expertise=form.cleaned_data["expertise"],
            )
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("reviewing:reviewer_pool", call.slug)
    reviewers = (
        call.reviewers.in_pool()
        .select_related("user", "organisation")
        .prefetch_related("expertise")
        .annotate(load=Count("assignments"))
        .order_by("email")
    )
    return render(
        request,
        "intents/reviewing/office/reviewer_pool.html",
        {"call": call, "reviewers": reviewers, "form": form},
    )


@login_required
def reviewer_remove(request, slug, reviewer_pk):
    call = office_call(request, slug)
    reviewer = get_object_or_404(Reviewer.objects.in_pool(), pk=reviewer_pk, call=call)
    if request.method == "POST":
        try:
            pool.withdraw_reviewer(user=request.user, reviewer_id=reviewer.pk)
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("%(reviewer)s left the pool.") % {"reviewer": reviewer})
        return redirect("reviewing:reviewer_pool", call.slug)
    return render(
        request,
        "intents/reviewing/office/reviewer_remove.html",
        {"call": call, "reviewer": reviewer},
    )


@login_required
def assignment_overview(request, slug):
    call = office_call(request, slug)
    letters = (
        call.letters.reviewable()
        .select_related("organisation", "mode")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer__user", "review").order_by(
                    "pk"
                ),
            )
        )
        .order_by("reference")
    )
    page = Paginator(letters, LETTERS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for letter in page:
        placed = list(letter.assignments.all())
        totals = [a.review.total for a in placed if a.progress == Assignment.Progress.SUBMITTED]
        rows.append(
            {
                "letter": letter,
                "assignments": placed,
                "missing": max(call.reviewers_per_letter - len(placed), 0),
                "aggregate": aggregate(totals, call.score_max),
            }
        )
    context = {
        "call": call,
        "page": page,
        "rows": rows,
        "runs": call.assignment_runs.select_related("run_by")[:5],
        # The reviewer's name is their user's: select it too, or each line costs a query.
        "conflicts": ConflictDeclaration.objects.filter(letter__call=call)
        .select_related("reviewer__user", "letter")
        .order_by("-declared_at")[:20],
        "pool_size": call.reviewers.active().count(),
    }
    return render(request, "intents/reviewing/office/assignments.html", context)


@login_required
@require_POST
def assignment_run_start(request, slug):
    call = office_call(request, slug)
    run = assignments.run_automatic_assignment(user=request.user, call_id=call.pk)
    made = len(run.report["picks"])
    messages.success(
        request,
        ngettext(
            "Automatic assignment made %(count)s assignment.",
            "Automatic assignment made %(count)s assignments.",
            made,
        )
        % {"count": made},
    )
    return redirect(run)


@login_required
def assignment_run(request, slug, run_pk):
    call = office_call(request, slug)
    run = get_object_or_404(AssignmentRun.objects.select_related("run_by"), pk=run_pk, call=call)
    # The run's letters (filed ones: submitted_at is never cleared) and reviewers are all the
    # call's; loaded without a list of ids, which in_bulk splits into batches of 999 on SQLite.
    letters = LetterOfIntent.objects.filed().filter(call=call).select_related("mode").in_bulk()
    reviewers = call.reviewers.select_related("user").in_bulk()
    picks = defaultdict(list)
    for pick in run.report["picks"]:
        picks[pick["letter_id"]].append({**pick, "reviewer": reviewers.get(pick["reviewer_id"])})
    shortfalls = [
        {
            **shortfall,
            "letter": letters.get(shortfall["letter_id"]),
            "reasons": [
                (SHORTFALL_REASONS[reason], count)
                for reason, count in shortfall["reasons"].items()
                if reason in SHORTFALL_REASONS
            ],
            "pool": shortfall["reasons"].get("pool", 0),
        }
        for shortfall in run.report["shortfalls"]
    ]
    page = Paginator(sorted(picks), RUN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "call": call,
        "run": run,
        "page": page,
        "letters": [(letters.get(letter_id), picks[letter_id]) for letter_id in page],
        "shortfalls": shortfalls,
    }
    return render(request, "intents/reviewing/office/assignment_run.html", context)


@login_required
def letter_assign(request, pk):
    """Assign one letter by hand: every reviewer of the pool, with their load and conflicts."""
    require_office(request)
    letter = get_object_or_404(
        LetterOfIntent.objects.reviewable().select_related("call", "organisation", "mode"),
        pk=pk,
    )
    call = letter.call
    if request.method == "POST":
        form = AssignReviewerForm(request.POST)
        if form.is_valid():
            try:
                assignments.assign(
                    user=request.user,
                    reviewer_id=form.cleaned_data["reviewer"],
                    letter_id=letter.pk,
                )
            except Refused as error:
                show_refusal(request, error)
            else:
                messages.success(request, _("The reviewer is assigned and told by e-mail."))
        else:
            messages.error(request, _("Choose a reviewer."))
        return redirect("reviewing:letter_assign", letter.pk)
    reviewers = list(
        call.reviewers.active()
        .select_related("user", "organisation")
        .prefetch_related("expertise")
        .annotate(load=Count("assignments"))
        .order_by("load", "user__email")
    )
    finder = ConflictFinder(call, reviewers)
    current = {a.reviewer_id: a for a in letter.assignments.select_related("review")}
    candidates = [
        {
            "reviewer": reviewer,
            "conflict": REASONS.get(finder.reason(reviewer, letter)),
            "expert": any(mode.pk == letter.mode_id for mode in reviewer.expertise.all()),
            "assignment": current.get(reviewer.pk),
        }
        for reviewer in reviewers
    ]
    return render(
        request,
        "intents/reviewing/office/letter_assign.html",
        {"call": call, "letter": letter, "candidates": candidates},
    )


@login_required
def assignment_remove(request, pk):
    require_office(request)
    assignment = get_object_or_404(
        Assignment.objects.select_related("letter__call", "reviewer__user"), pk=pk
    )
    if request.method == "POST":
        try:
            assignments.unassign(user=request.user, assignment_id=assignment.pk)
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The assignment was removed."))
        return redirect("reviewing:letter_assign", assignment.letter_id)
    return render(
        request, "intents/reviewing/office/assignment_remove.html", {"assignment": assignment}
    )
