"""The reviewer's pages: the desk, the invitation, the conflict question, the letter, the review."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.entrance import sign_in_to_accept
from portal.audit.log import record
from portal.refusals import Refused, show_refusal
from portal.storage import is_missing, unavailable_errors

from ... import documents_lifecycle
from ...access import assignment_for
from ...downloads import (
    document_response,
    storage_unavailable,
    stored_chunks,
    streamed_attachment,
)
from ...models import Assignment, Document, Review, Reviewer
from ...models.letter import RANKED_LETTER
from ...models.paths import through
from .. import assignments, pool, reviews
from ..conflicts import ConflictFinder
from ..forms import ConflictForm, ReviewerProfileForm, ReviewForm
from ..scoring import aggregate

DESK_PAGE_SIZE = 50
DESK_UNUSED_FIELDS = [
    "explanation",
    "assigned_at",
    *(
        f"letter__{name}"
        for name in (
            "summary",
            "objectives",
            "contribution",
            "timeline",
            "withdrawal_reason",
            "contact_name",
            "contact_email",
            "created_at",
            "updated_at",
            "withdrawn_at",
        )
    ),
    "review__comment_to_committee",
    "review__comment_to_applicant",
    "review__updated_at",
]


@login_required
def desk(request):
    mine = _free_of_conflict(
        Assignment.objects.filter(through("letter", RANKED_LETTER), reviewer__user=request.user)
        .select_related("letter__organisation", "review")
        # Shared by many rows: one object each rather than one per row, which costs more
        # to build than the extra queries.
        .prefetch_related("letter__mode", "letter__call", "reviewer__organisation")
        # Two hundred rows: reading and converting the columns the desk never shows (the
        # letter's texts, the dates) took longer than the queries.
        .defer(*DESK_UNUSED_FIELDS)
        .order_by("letter__call__review_deadline", "letter__reference")
    )
    # Counted from the visible list, so the figures match the table.
    progress = Counter((a.reviewer_id, a.progress) for a in mine)
    places = list(
        Reviewer.objects.in_pool()
        .filter(user=request.user)
        .select_related("call")
        .order_by("call__review_deadline", "pk")
    )
    for place in places:
        # The desk's figures ride on the rows the template lists.
        place.assigned = sum(n for (r, _p), n in progress.items() if r == place.pk)  # type: ignore[attr-defined]
        place.to_declare = progress[(place.pk, Assignment.Progress.TO_DECLARE)]  # type: ignore[attr-defined]
        place.submitted = progress[(place.pk, Assignment.Progress.SUBMITTED)]  # type: ignore[attr-defined]
    page = Paginator(mine, DESK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intents/reviewing/reviewer/desk.html", {"page": page, "places": places})


def _free_of_conflict(mine):
    """Leave out the letters a conflict hides: one that arose after the assignment (the
    reviewer joined the applicant or a partner) closes the letter's pages at once
    (rules.free_of_conflict), and must take it off the desk too."""
    mine = list(mine)
    finders = {}
    for assignment in mine:
        if assignment.reviewer_id not in finders:
            finders[assignment.reviewer_id] = ConflictFinder(
                assignment.letter.call, [assignment.reviewer]
            )
    return [
        assignment
        for assignment in mine
        if finders[assignment.reviewer_id].reason(assignment.reviewer, assignment.letter) is None
    ]


def invitation(request, token):
    place = get_object_or_404(Reviewer.objects.select_related("call"), token=token)
    if not request.user.is_authenticated:
        return sign_in_to_accept(request, place.email)
    call = place.call
    form = ReviewerProfileForm(
        request.POST or None,
        call=call,
        submit_label=_("Join the reviewer pool"),
        initial={
            "affiliation": place.affiliation,
            "country": place.country,
            "expertise": list(place.expertise.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            pool.accept_invitation(
                user=request.user,
                token=token,
                profile=form.profile() | {"organisation": place.organisation},
                expertise=form.cleaned_data["expertise"],
            )
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("You have joined the reviewer pool of this call."))
            return redirect("reviewing:reviewer_desk")
    return render(
        request,
        "intents/reviewing/reviewer/invitation.html",
        {
            "place": place,
            "call": call,
            "form": form,
            "wrong_address": _wrong_address(request, place),
        },
    )


def _wrong_address(request, place):
    return place.user_id is None and place.email.lower() != request.user.email.lower()


@login_required
def assignment_detail(request, pk):
    assignment = assignment_for(request, pk)
    letter = assignment.letter
    call = letter.call
    if assignment.no_conflict_confirmed_at is None:
        form = ConflictForm()
        # The answer goes to its own view: this page ignores a POST.
        form.helper.form_action = reverse("reviewing:assignment_conflict", args=[assignment.pk])
        return render(
            request,
            "intents/reviewing/reviewer/conflict.html",
            {"assignment": assignment, "letter": letter, "form": form},
        )
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    context = {
        "assignment": assignment,
        "letter": letter,
        "call": call,
        "blind": call.blind_review,
        "review": review,
        "documents": letter.documents.current().select_related("document_type"),
        "refusal": reviews.review_refusal(assignment),
    }
    if call.reviewers_see_other_reviews and review is not None and review.is_submitted:
        others = list(
            Review.objects.submitted()
            .filter(assignment__letter=letter)
            .exclude(pk=review.pk)
            .prefetch_related("scores__criterion")
            .order_by("pk")
        )
        context["others"] = others
        context["aggregate"] = aggregate(
            [review.total] + [other.total for other in others], call.score_max
        )
    return render(request, "intents/reviewing/reviewer/assignment.html", context)


@login_required
@require_POST
def assignment_conflict(request, pk):
    assignment = assignment_for(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "intents/reviewing/reviewer/conflict.html",
            {"assignment": assignment, "letter": assignment.letter, "form": form},
            status=400,
        )
    try:
        if form.cleaned_data["answer"] == ConflictForm.NONE:
            assignments.confirm_no_conflict(user=request.user, assignment_id=assignment.pk)
        else:
            assignments.declare_conflict(
                user=request.user,
                assignment_id=assignment.pk,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
    except Refused as error:
        show_refusal(request, error)
        return redirect(assignment)
    if form.cleaned_data["answer"] == ConflictForm.NONE:
        messages.success(request, _("Thank you. The letter is open for your review."))
        return redirect(assignment)
    messages.success(
        request,
        _("Your conflict is recorded and the letter was taken off your desk. The office is told."),
    )
    return redirect("reviewing:reviewer_desk")


@login_required
def review_edit(request, pk):
    assignment = assignment_for(request, pk, "intents.read_assigned_letter")
    call = assignment.letter.call
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    refusal = reviews.review_refusal(assignment)
    if refusal is not None:
        if request.method == "POST":
            raise PermissionDenied(str(refusal))
        show_refusal(request, refusal, messages.INFO)
        return redirect(assignment)
    submitted = review is not None and review.is_submitted
    form = ReviewForm(
        request.POST or None,
        initial=ReviewForm.initial_for(review),
        criteria=call.criteria.all(),
        score_max=call.score_max,
        submitted=submitted,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = reviews.save_review(
                user=request.user,
                assignment_id=assignment.pk,
                values=form.values(),
                answers=form.answers(),
                submit=submit,
            )
        except reviews.IncompleteReview as error:
            show_refusal(request, error)  # the summary, above the form
            form.mark_incomplete(error)
        except Refused as error:
            show_refusal(request, error)
        else:
            if saved.is_submitted:
                messages.success(
                    request,
                    _(
                        "Your review is submitted. You can still change it until the review "
                        "deadline."
                    ),
                )
            else:
                messages.success(request, _("Your draft is saved."))
            return redirect(assignment)
    return render(
        request,
        "intents/reviewing/reviewer/review_form.html",
        {
            "assignment": assignment,
            "letter": assignment.letter,
            "call": call,
            "form": form,
            "submitted": submitted,
        },
    )


@login_required
def assignment_document(request, pk, document_pk):
    assignment = assignment_for(request, pk, "intents.read_assigned_letter")
    letter = assignment.letter
    document = get_object_or_404(
        Document.objects.current().select_related("document_type"), pk=document_pk, letter=letter
    )
    if letter.call.blind_review:
        # The original file name often carries the applicant's name.
        extension = document.original_name.rpartition(".")[2].lower() or "pdf"
        name = f"{letter.reference}-{document.document_type.code}-{document.pk}.{extension}"
        return _blind_copy_response(request, letter, document, filename=name)
    return document_response(request, letter, document, filename=document.original_name)


def _blind_copy_response(request, letter, document, *, filename):
    """The copy without the PDF's identifying metadata (documents_lifecycle), made now if the
    worker has not made it yet. Never the original: its /Author or XMP may name the applicant."""
    if not document.blind_copy:
        try:
            document = documents_lifecycle.make_blind_copy(document.pk)
        except unavailable_errors() as error:
            if is_missing(error):
                raise Http404 from error
            return storage_unavailable(request)
        except documents_lifecycle.BlindCopyFailed:
            return render(
                request,
                "intents/reviewing/reviewer/blind_copy_failed.html",
                {"letter": letter, "document": document},
                status=422,
            )
    chunks = stored_chunks(document.blind_copy)
    if chunks is None:
        return storage_unavailable(request)
    record(request.user, "document.downloaded", letter, document=document.original_name)
    return streamed_attachment(
        chunks, filename=filename, content_type=document.content_type, size=document.blind_copy_size
    )
