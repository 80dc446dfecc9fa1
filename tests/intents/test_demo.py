from django.core.management import call_command

from intents.models import (
    Assignment,
    Call,
    CooperationMode,
    Criterion,
    DocumentType,
    LetterOfIntent,
)
from portal.accounts.models import User

from ..sign_in import sign_in


def test_seed_demo_creates_the_change_8_call_with_its_four_modes(db):
    call_command("seed_demo")
    call = Call.objects.get(slug="change-8")
    assert call.time_zone == "Asia/Shanghai"
    assert call.is_open
    assert list(call.modes.values_list("number", flat=True)) == [1, 2, 3, 4]
    signed = DocumentType.objects.get(call=call, code="signed-letter")
    assert signed.required_for.count() == 4


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Call.objects.count() == 1
    assert CooperationMode.objects.count() == 4
    assert User.objects.count() == 4
    assert LetterOfIntent.objects.count() == 2
    assert Assignment.objects.count() == 1
    assert Criterion.objects.count() == 6


def test_the_historical_dates_are_the_real_ones(db):
    call_command("seed_demo", "--historical")
    call = Call.objects.get(slug="change-8")
    official = call.deadline.astimezone(call.zone)
    assert (official.year, official.month, official.day) == (2023, 12, 31)
    assert call.selection_date.isoformat().startswith("2024-09")
    assert not call.is_open


def test_the_demo_applicant_can_sign_in_and_see_the_draft(client, db):
    call_command("seed_demo")
    assert sign_in(client, "applicant@example.org", "moon-applicant-2024")
    letter = LetterOfIntent.objects.get(organisation__members__email="applicant@example.org")
    response = client.get(letter.organisation.letters.first().get_absolute_url())
    assert response.status_code == 200
    assert "Regolith Dust Spectrometer" in response.content.decode()


def test_the_demo_reviewer_finds_the_filed_letter_on_the_desk(client, db):
    call_command("seed_demo")
    assert sign_in(client, "reviewer@example.org", "moon-reviewer-2024")
    response = client.get("/review/")
    assert response.status_code == 200
    assert "Polar Micro-Rover" in response.content.decode()


def test_the_demo_rubric_weights_the_named_benefits(db):
    call_command("seed_demo")
    weights = dict(Criterion.objects.values_list("name", "weight"))
    assert weights["Scientific and exploration value"] == 3
    assert weights["International relations"] == 1
    assert len(weights) == 6
