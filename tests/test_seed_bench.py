"""The benchmarks' seeder (manage.py seed_bench), small: what bench/run.py relies on."""

import json

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from intents.completeness import missing_items
from intents.models import LetterOfIntent, Review
from intents.reviewing.scoring import aggregate


def seed(tmp_path):
    manifest = tmp_path / "manifest.json"
    call_command(
        "seed_bench",
        letters=30,
        organisations=20,
        reviewers=6,
        applicants=4,
        desk_reviewers=2,
        desk_size=10,
        officer_sessions=1,
        document_bytes=2048,
        manifest=str(manifest),
    )
    return json.loads(manifest.read_text())


def test_the_seeder_writes_the_cycle_its_manifest_describes(db, tmp_path):
    manifest = seed(tmp_path)
    assert manifest["counts"]["filed_letters"] == 30
    assert manifest["counts"]["drafts"] == 4
    filed = LetterOfIntent.objects.exclude(reference="")
    assert filed.count() == 30
    assert len(set(filed.values_list("reference", flat=True))) == 30
    assert Review.objects.count() == manifest["counts"]["reviews"]
    # The rush submits these drafts as they are: each must be complete.
    for applicant in manifest["applicants"]:
        assert missing_items(LetterOfIntent.objects.get(pk=applicant["letter"])) == []


def test_the_seeded_sessions_open_the_pages_the_benchmark_reads(client, db, tmp_path):
    manifest = seed(tmp_path)
    slug = manifest["call"]["slug"]
    visits = [
        (manifest["officer"]["sessions"][0], reverse("office:office_letters", args=[slug])),
        (manifest["desk_reviewers"][0]["session"], reverse("reviewing:reviewer_desk")),
        (
            manifest["applicants"][0]["session"],
            reverse("letters:letter_detail", args=[manifest["applicants"][0]["letter"]]),
        ),
    ]
    for session, url in visits:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        assert client.get(url).status_code == 200, url


def test_the_seeded_letters_carry_the_figures_of_their_submitted_reviews(db, tmp_path):
    seed(tmp_path)
    filed = LetterOfIntent.objects.exclude(reference="").select_related("call")
    counted = 0
    for letter in filed:
        totals = Review.objects.filter(
            assignment__letter=letter, submitted_at__isnull=False
        ).values_list("total", flat=True)
        worked_out = aggregate(list(totals), letter.call.score_max)
        assert (letter.review_count, letter.review_mean, letter.review_median) == (
            worked_out.count,
            worked_out.mean,
            worked_out.median,
        ), letter.reference
        counted += worked_out.count
    assert counted == Review.objects.filter(submitted_at__isnull=False).count() > 0
