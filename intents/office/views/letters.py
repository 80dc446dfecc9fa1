"""The office's letters list (filters, search, sorting), letter detail and ranking."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render

from portal.audit.models import AuditEvent

from ...access import office_call, office_letter
from ...models import Assignment, ConflictDeclaration, Decision, LetterOfIntent, Review, Score
from ...reviewing.scoring import aggregate
from ..filters.letters import LetterFilter
from ..forms.decisions import BulkDecisionForm
from ..ranking import ranked_page, standings
from ..scores import empty_score, letter_scores

LETTERS_PAGE_SIZE = 50
RANKING_PAGE_SIZE = 100
AUDIT_LIMIT = 100


@login_required
def letters(request, slug):
    call = office_call(request, slug)
    letter_filter = LetterFilter(request.GET, call=call)
    page = Paginator(letter_filter.qs, LETTERS_PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's scores, summed up the same way as on the ranking.
    scores = letter_scores(call, letter_ids=[letter.pk for letter in page])
    nothing = empty_score(call)
    context = {
        "call": call,
        "filter": letter_filter,
        "page": page,
        "rows": [(letter, scores.get(letter.pk, nothing)) for letter in page],
        "bulk_form": BulkDecisionForm(call=call, initial={"next": request.get_full_path()}),
        "undecidable": LetterOfIntent.State.WITHDRAWN,
    }
    return render(request, "intents/office/letters/list.html", context)


@login_required
def letter(request, pk):
    """Everything about one filed letter; the office is never blind."""
    letter = office_letter(request, pk)
    call = letter.call
    criteria = list(call.criteria.all())
    placed = list(
        Assignment.objects.filter(letter=letter)
        .select_related("reviewer__user", "review")
        .prefetch_related(
            Prefetch("review__scores", queryset=Score.objects.select_related("criterion"))
        )
        .order_by("pk")
    )
    reviews = []
    for assignment in placed:
        if assignment.progress == Assignment.Progress.SUBMITTED:
            review = assignment.review
            values = {score.criterion_id: score.value for score in review.scores.all()}
            review.values = [values.get(criterion.pk) for criterion in criteria]
            reviews.append(review)
    events = AuditEvent.objects.filter(target_type="intents.letterofintent", target_id=str(pk))
    context = {
        "call": call,
        "letter": letter,
        "criteria": criteria,
        "reviews": reviews,
        "open_assignments": [a for a in placed if a.progress != Assignment.Progress.SUBMITTED],
        "aggregate": aggregate([review.total for review in reviews], call.score_max),
        "expected": max(len(placed), call.reviewers_per_letter),
        "assignable": letter.is_reviewable,
        "conflicts": ConflictDeclaration.objects.filter(letter=letter).select_related(
            "reviewer__user"
        ),
        "decision": Decision.objects.filter(letter=letter)
        .select_related("decided_by", "released_by")
        .first(),
        "documents": letter.documents.select_related("document_type", "uploaded_by"),
        "versions": letter.versions.select_related("created_by").order_by("-number"),
        "events": events.select_related("actor")[:AUDIT_LIMIT],
        "event_count": events.count(),
    }
    return render(request, "intents/office/letters/detail.html", context)


@login_required
def ranking(request, slug):
    call = office_call(request, slug)
    criteria = list(call.criteria.all())
    # Only the page's rows are read, in order, from the letters' stored review figures.
    page = Paginator(standings(call), RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = ranked_page(call, page)
    for ranked in page:
        ranked.criteria = [ranked.score.criteria.get(criterion.pk) for criterion in criteria]
        ranked.recommendations = [
            (label, ranked.score.recommendations[value])
            for value, label in Review.Recommendation.choices
            if ranked.score.recommendations[value]
        ]
    return render(
        request,
        "intents/office/letters/ranking.html",
        {"call": call, "criteria": criteria, "page": page},
    )
