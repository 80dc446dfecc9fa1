"""The office configures calls, grants extensions and verifies organisations."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intents.models import (
    Assignment,
    Call,
    CooperationMode,
    Criterion,
    DocumentType,
    Extension,
    LetterOfIntent,
    Review,
    Score,
)
from intents.office import config
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail
from portal.organisations.models import Membership, Organisation, Role

from ..factories import (
    CallFactory,
    CriterionFactory,
    DocumentFactory,
    DocumentTypeFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    OrganisationFactory,
    ReviewerFactory,
)
from . import posted
from .posted import settings_data

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def typed(moment, zone=SHANGHAI):
    return posted.typed(moment, zone)


def settings_url(call):
    return reverse("office:call_settings", args=[call.slug])


@pytest.fixture
def call(db):
    """A call whose deadline falls on a whole second, as an officer would type it."""
    now = timezone.now().replace(microsecond=0)
    return CallFactory(
        opens_at=now - dt.timedelta(days=10),
        deadline=now + dt.timedelta(days=10),
        review_deadline=now + dt.timedelta(days=60),
    )


# Settings


def test_the_settings_page_shows_times_in_the_calls_official_zone(officer_client):
    call = CallFactory(
        deadline=dt.datetime(2030, 1, 1, 15, 59, 59, tzinfo=dt.UTC),
        review_deadline=None,
    )
    page = officer_client.get(settings_url(call)).content.decode()
    assert 'value="2030-01-01T23:59:59"' in page
    assert "Times on this page are in the official time zone, Asia/Shanghai." in page


def test_an_officer_saves_the_settings_and_the_changed_fields_are_audited(officer_client, call):
    response = officer_client.post(
        settings_url(call),
        settings_data(call, title="Chang'e-8 partners", blind_review="on", score_max=7),
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.blind_review, call.score_max) == ("Chang'e-8 partners", True, 7)
    event = AuditEvent.objects.get(verb="call.updated")
    assert event.data == {"fields": ["blind_review", "score_max", "title"]}


def test_saving_only_the_deadline_and_grace_audits_only_those(officer_client, call):
    # A description saved with \n line breaks comes back from the browser with \r\n.
    call.description, call.description_zh = "Partners wanted.\nOn the Moon.", "招募\n伙伴"
    call.save()
    posted = settings_data(
        call,
        description=call.description.replace("\n", "\r\n"),
        description_zh=call.description_zh.replace("\n", "\r\n"),
        deadline=typed(call.deadline + dt.timedelta(days=1)),
        grace_minutes=call.grace_minutes + 15,
    )
    assert officer_client.post(settings_url(call), posted).status_code == 302
    event = AuditEvent.objects.get(verb="call.updated")
    assert event.data["fields"] == ["deadline", "grace_minutes"]
    call.refresh_from_db()
    assert call.description == "Partners wanted.\nOn the Moon."


def test_an_unchanged_form_changes_nothing(officer_client, call):
    officer_client.post(settings_url(call), settings_data(call))
    assert not AuditEvent.objects.filter(verb="call.updated").exists()


def test_times_are_read_in_the_official_zone(officer_client, call):
    officer_client.post(
        settings_url(call), settings_data(call, deadline="2030-03-01T23:59:59", review_deadline="")
    )
    call.refresh_from_db()
    assert call.deadline == dt.datetime(2030, 3, 1, 15, 59, 59, tzinfo=dt.UTC)


def test_times_follow_a_new_official_zone_chosen_on_the_same_form(officer_client, call):
    officer_client.post(
        settings_url(call),
        settings_data(
            call, time_zone="Europe/Paris", deadline="2030-03-01T12:00:00", review_deadline=""
        ),
    )
    call.refresh_from_db()
    assert call.time_zone == "Europe/Paris"
    assert call.deadline == dt.datetime(2030, 3, 1, 11, 0, tzinfo=dt.UTC)


def test_the_reminder_schedule_is_cleaned_into_hours_latest_first(officer_client, call):
    officer_client.post(
        settings_url(call), settings_data(call, reminder_hours="24, 720,3, 24 ,168")
    )
    call.refresh_from_db()
    assert call.reminder_hours == [720, 168, 24, 3]
    assert 'value="720, 168, 24, 3"' in officer_client.get(settings_url(call)).content.decode()


def test_an_empty_reminder_schedule_sends_no_reminders(officer_client, call):
    officer_client.post(settings_url(call), settings_data(call, reminder_hours=""))
    call.refresh_from_db()
    assert call.reminder_hours == []


@pytest.mark.parametrize("schedule", ["24, -3", "24, 0", "a day", "1.5"])
def test_a_reminder_schedule_of_anything_but_whole_hours_is_refused(officer_client, call, schedule):
    response = officer_client.post(settings_url(call), settings_data(call, reminder_hours=schedule))
    assert response.status_code == 200
    assert "reminder_hours" in response.context["form"].errors
    call.refresh_from_db()
    assert call.reminder_hours == [720, 168, 24, 3]


def test_the_deadline_must_come_after_the_opening_and_before_the_review_deadline(
    officer_client, call
):
    opens = typed(call.opens_at)
    response = officer_client.post(settings_url(call), settings_data(call, deadline=opens))
    assert response.context["form"].errors["deadline"] == [
        "The deadline must come after the opening time."
    ]
    late = typed(call.review_deadline + dt.timedelta(days=1))
    response = officer_client.post(settings_url(call), settings_data(call, deadline=late))
    assert response.context["form"].errors["review_deadline"] == [
        "The review deadline must come after the deadline."
    ]
    saved = call.deadline
    call.refresh_from_db()
    assert call.deadline == saved


def test_without_letters_the_deadline_moves_at_once(officer_client, call):
    later = call.deadline + dt.timedelta(days=3)
    response = officer_client.post(settings_url(call), settings_data(call, deadline=typed(later)))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.deadline == later


@pytest.fixture
def letters_of_two_organisations(call):
    mode = ModeFactory(call=call)
    first, second = OrganisationFactory(), OrganisationFactory()
    LetterFactory(mode=mode, organisation=first)
    LetterFactory(mode=mode, organisation=first, state=LetterOfIntent.State.SUBMITTED)
    LetterFactory(mode=mode, organisation=second)
    LetterFactory(mode=mode, organisation=second, state=LetterOfIntent.State.WITHDRAWN)


@pytest.mark.usefixtures("letters_of_two_organisations")
def test_moving_the_deadline_under_letters_asks_for_confirmation_first(officer_client, call):
    old = call.deadline
    later = old + dt.timedelta(days=3)
    response = officer_client.post(settings_url(call), settings_data(call, deadline=typed(later)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 letters of intent have already been started or filed in this call." in page
    assert "They concern 2 organisations." in page
    assert 'name="confirm_closing_change"' in page
    call.refresh_from_db()
    assert call.deadline == old
    assert not AuditEvent.objects.filter(verb="call.updated").exists()

    response = officer_client.post(
        settings_url(call),
        settings_data(call, deadline=typed(later), confirm_closing_change="on"),
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.deadline == later
    event = AuditEvent.objects.get(verb="call.updated")
    assert event.data["fields"] == ["deadline"]
    assert event.data["deadline"] == {"old": old.isoformat(), "new": later.isoformat()}


@pytest.mark.usefixtures("letters_of_two_organisations")
def test_changing_the_grace_minutes_under_letters_asks_for_confirmation_too(officer_client, call):
    response = officer_client.post(settings_url(call), settings_data(call, grace_minutes=30))
    assert "confirm_closing_change" in response.content.decode()
    call.refresh_from_db()
    assert call.grace_minutes == 0
    officer_client.post(
        settings_url(call), settings_data(call, grace_minutes=30, confirm_closing_change="on")
    )
    call.refresh_from_db()
    assert call.grace_minutes == 30
    assert AuditEvent.objects.get(verb="call.updated").data["grace_minutes"] == {
        "old": 0,
        "new": 30,
    }


@pytest.mark.usefixtures("letters_of_two_organisations")
def test_other_settings_save_without_confirmation_even_with_letters(officer_client, call):
    response = officer_client.post(settings_url(call), settings_data(call, title="Renamed"))
    assert response.status_code == 302


def test_the_reference_prefix_is_locked_once_a_letter_has_a_reference(officer_client, submitted):
    call = submitted.call
    page = officer_client.get(settings_url(call)).content.decode()
    assert "Letters already carry references with this prefix" in page
    prefix = call.reference_prefix
    officer_client.post(settings_url(call), settings_data(call, reference_prefix="NEW"))
    call.refresh_from_db()
    assert call.reference_prefix == prefix
    with pytest.raises(config.ConfigError):
        config.update_call(user=None, call=call, data={"reference_prefix": "NEW"})


def test_the_reference_prefix_may_change_while_no_letter_has_a_reference(
    officer_client, call, draft
):
    officer_client.post(settings_url(call), settings_data(call, reference_prefix="CE8"))
    call.refresh_from_db()
    assert call.reference_prefix == "CE8"


# Creating a call


def test_an_officer_creates_a_call_and_goes_on_to_its_modes(officer_client):
    data = {
        "title": "Chang'e-8",
        "title_zh": "嫦娥八号",
        "slug": "change-8-new",
        "description": "Partners wanted.",
        "time_zone": "Asia/Shanghai",
        "opens_at": "2030-01-01T00:00:00",
        "deadline": "2030-06-30T23:59:59",
        "grace_minutes": 0,
        "reference_prefix": "CE8",
        "reminder_hours": "24, 168",
        "reviewers_per_letter": 3,
        "score_max": 5,
        "blind_review": "on",
    }
    response = officer_client.post(reverse("office:call_create"), data)
    assert response["Location"] == reverse("office:call_modes", args=["change-8-new"])
    call = Call.objects.get(slug="change-8-new")
    assert call.deadline == dt.datetime(2030, 6, 30, 15, 59, 59, tzinfo=dt.UTC)
    assert call.reminder_hours == [168, 24]
    assert call.blind_review
    assert AuditEvent.objects.filter(verb="call.created", target_id=str(call.pk)).exists()


def test_a_call_cannot_take_a_slug_or_prefix_already_used(officer_client, call):
    data = settings_data(call, slug=call.slug)
    response = officer_client.post(reverse("office:call_create"), data)
    assert set(response.context["form"].errors) == {"slug", "reference_prefix"}
    assert Call.objects.count() == 1


# Cooperation modes, document types, rubric


def formset_data(formset, changes=None):
    """What the formset's page posts back untouched, with {form index: {field: value}}."""
    data = {field.html_name: field.value() for field in formset.management_form}
    for index, form in enumerate(formset.forms):
        values = {name: form[name].value() for name in form.fields if name != "DELETE"}
        values.update((changes or {}).get(index, {}))
        for name, value in values.items():
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value
    return data


def post_rows(client, url, changes):
    formset = client.get(url).context["formset"]
    return client.post(url, formset_data(formset, changes))


def modes_url(call):
    return reverse("office:call_modes", args=[call.slug])


def test_an_officer_adds_a_mode_and_changes_another(officer_client, call, mode):
    response = post_rows(
        officer_client,
        modes_url(call),
        {
            0: {"name": "Payload on the lander", "technical_fields": ["mass_kg"]},
            1: {
                "number": 5,
                "name": "Orbiter instrument",
                "name_zh": "轨道器载荷",
                "description": "On the orbiter.",
                "technical_fields": ["power_w", "data_volume_gb"],
            },
        },
    )
    assert response.status_code == 302
    mode.refresh_from_db()
    assert (mode.name, mode.technical_fields) == ("Payload on the lander", ["mass_kg"])
    added = call.modes.get(number=5)
    assert (added.name_zh, added.technical_fields) == ("轨道器载荷", ["power_w", "data_volume_gb"])
    event = AuditEvent.objects.get(verb="call.modes_changed")
    assert event.data["added"] == ["5. Orbiter instrument"]
    assert event.data["changed"] == {"3. Payload on the lander": ["name", "technical_fields"]}


def test_a_mode_without_letters_can_be_deleted(officer_client, call, mode):
    post_rows(officer_client, modes_url(call), {0: {"DELETE": True}})
    assert not call.modes.exists()
    assert AuditEvent.objects.get(verb="call.modes_changed").data["removed"] == [str(mode)]


def test_a_mode_with_letters_cannot_be_deleted(officer_client, call, mode, draft):
    response = post_rows(officer_client, modes_url(call), {0: {"DELETE": True}})
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        f"Mode {mode} has letters of intent and cannot be deleted."
    ]
    assert call.modes.filter(pk=mode.pk).exists()
    with pytest.raises(config.ConfigError):
        config.save_modes(user=None, call=call, rows=[], deleted=[mode.pk])
    assert not AuditEvent.objects.filter(verb="call.modes_changed").exists()


def test_two_modes_cannot_share_a_number(officer_client, call, mode):
    response = post_rows(
        officer_client,
        modes_url(call),
        {1: {"number": mode.number, "name": "Again", "description": "Twice."}},
    )
    assert response.status_code == 200
    assert call.modes.count() == 1


def test_swapping_two_mode_numbers_at_once_is_refused_and_changes_nothing(
    officer_client, call, mode
):
    other = ModeFactory(call=call, number=4)
    response = post_rows(officer_client, modes_url(call), {0: {"number": 4}, 1: {"number": 3}})
    assert response.status_code == 200
    assert messages_of(response) == [
        "Two rows cannot share a number or code, even for a moment: swap in two steps."
    ]
    assert {m.pk: m.number for m in call.modes.all()} == {mode.pk: 3, other.pk: 4}


def document_types_url(call):
    return reverse("office:call_document_types", args=[call.slug])


def test_an_officer_adds_a_document_type_required_for_a_mode(officer_client, call, mode):
    other = ModeFactory(call=call, number=4)
    post_rows(
        officer_client,
        document_types_url(call),
        {0: {"code": "budget", "name": "Budget", "required_for": [str(other.pk)], "position": 2}},
    )
    budget = call.document_types.get(code="budget")
    assert list(budget.required_for.all()) == [other]
    assert AuditEvent.objects.get(verb="call.document_types_changed").data["added"] == ["Budget"]


def test_a_document_type_in_use_cannot_be_deleted_but_an_unused_one_can(officer_client, call, mode):
    used = DocumentTypeFactory(call=call, name="Signed letter", position=0)
    unused = DocumentTypeFactory(call=call, name="Annex", position=1)
    DocumentFactory(letter=LetterFactory(mode=mode), document_type=used)
    response = post_rows(officer_client, document_types_url(call), {0: {"DELETE": True}})
    assert response.context["formset"].non_form_errors() == [
        "Documents of type Signed letter were uploaded; it cannot be deleted."
    ]
    assert call.document_types.count() == 2
    post_rows(officer_client, document_types_url(call), {1: {"DELETE": True}})
    assert list(call.document_types.all()) == [used]
    assert not DocumentType.objects.filter(pk=unused.pk).exists()


def test_two_document_types_cannot_share_a_code(officer_client, call):
    DocumentTypeFactory(call=call, code="letter")
    post_rows(officer_client, document_types_url(call), {1: {"code": "letter", "name": "Again"}})
    assert call.document_types.count() == 1


def rubric_url(call):
    return reverse("office:call_rubric", args=[call.slug])


@pytest.fixture
def criteria(call):
    return [
        CriterionFactory(call=call, name="Science", weight=3, position=0),
        CriterionFactory(call=call, name="Feasibility", weight=2, position=1),
        CriterionFactory(call=call, name="Relations", weight=1, position=2),
    ]


@pytest.mark.usefixtures("criteria")
def test_the_rubric_shows_each_weight_as_a_share_of_the_total(officer_client, call):
    page = officer_client.get(rubric_url(call)).content.decode()
    for share in ("50 %", "33.3 %", "16.7 %"):
        assert share in page


def test_an_officer_adds_a_criterion_and_reweights_another(officer_client, call, criteria):
    post_rows(
        officer_client,
        rubric_url(call),
        {1: {"weight": 4}, 3: {"name": "Costs", "weight": 2, "position": 3}},
    )
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("Science", 3),
        ("Feasibility", 4),
        ("Relations", 1),
        ("Costs", 2),
    ]
    event = AuditEvent.objects.get(verb="call.rubric_changed")
    assert event.data == {
        "added": ["Costs"],
        "changed": {"Feasibility": ["weight"]},
        "removed": [],
    }


def test_a_scored_criterion_cannot_be_deleted_but_an_unscored_one_can(
    officer_client, call, criteria, reviewer
):
    letter = LetterFactory(mode=ModeFactory(call=call), submitted_at=timezone.now())
    review = Review.objects.create(
        assignment=Assignment.objects.create(letter=letter, reviewer=reviewer)
    )
    Score.objects.create(review=review, criterion=criteria[0], value=4)
    response = post_rows(officer_client, rubric_url(call), {0: {"DELETE": True}})
    assert response.context["formset"].non_form_errors() == [
        "Reviewers have scored Science; the criterion cannot be deleted."
    ]
    post_rows(officer_client, rubric_url(call), {2: {"DELETE": True}})
    assert [c.name for c in call.criteria.all()] == ["Science", "Feasibility"]


@pytest.fixture
def reviewer(call):
    return ReviewerFactory(call=call)


# Extensions


def extensions_url(call):
    return reverse("office:extensions", args=[call.slug])


def grant(client, call, organisation, closes_at, reason="Their embassy closed for a week."):
    return client.post(
        extensions_url(call),
        {"organisation": organisation.pk, "closes_at": typed(closes_at), "reason": reason},
    )


def test_an_officer_grants_an_extension_typed_in_the_official_zone(
    officer_client, officer, call, organisation
):
    response = officer_client.post(
        extensions_url(call),
        {
            "organisation": organisation.pk,
            "closes_at": typed(call.deadline + dt.timedelta(days=2)),
            "reason": "Strike at the post office.",
        },
    )
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.organisation, extension.granted_by) == (organisation, officer)
    assert extension.closes_at == call.deadline + dt.timedelta(days=2)
    event = AuditEvent.objects.get(verb="extension.granted")
    assert event.data["organisation_id"] == organisation.pk
    assert event.data["reason"] == "Strike at the post office."
    page = officer_client.get(extensions_url(call)).content.decode()
    closes = extension.closes_at.astimezone(call.zone)
    assert f"{closes.day} {closes:%b %Y, %H:%M:%S} Asia/Shanghai" in page
    assert "Strike at the post office." in page


def test_an_extension_must_end_after_the_calls_closing_time(officer_client, call, organisation):
    response = grant(officer_client, call, organisation, call.deadline)
    assert response.context["form"].errors["closes_at"] == [
        "Choose a time after the call's own closing time."
    ]
    assert not Extension.objects.exists()


def test_a_reason_is_required(officer_client, call, organisation):
    response = grant(officer_client, call, organisation, call.deadline + dt.timedelta(days=1), "")
    assert "reason" in response.context["form"].errors
    assert not Extension.objects.exists()


def test_granting_again_replaces_the_extension(officer_client, call, organisation):
    first = call.deadline + dt.timedelta(days=1)
    grant(officer_client, call, organisation, first)
    page = officer_client.get(extensions_url(call) + f"?organisation={organisation.pk}")
    assert page.context["editing"].organisation == organisation
    assert "Their embassy closed for a week." in page.content.decode()
    later = call.deadline + dt.timedelta(days=4)
    grant(officer_client, call, organisation, later, "A second strike.")
    extension = Extension.objects.get()
    assert (extension.closes_at, extension.reason) == (later, "A second strike.")
    event = AuditEvent.objects.get(verb="extension.replaced")
    assert event.data["previous_closes_at"] == first.isoformat()


@pytest.fixture
def extension(call, organisation, officer):
    return config.grant_extension(
        user=officer,
        call=call,
        organisation=organisation,
        closes_at=call.deadline + dt.timedelta(days=3),
        reason="Their embassy closed for a week.",
    )


def test_removing_an_extension_asks_first_then_removes_it(officer_client, call, extension):
    url = reverse("office:extension_remove", args=[call.slug, extension.pk])
    page = officer_client.get(url)
    assert page.status_code == 200
    assert Extension.objects.exists()
    response = officer_client.post(url)
    assert response["Location"] == extensions_url(call)
    assert not Extension.objects.exists()
    assert AuditEvent.objects.get(verb="extension.removed").data["organisation_id"] == (
        extension.organisation_id
    )


def test_the_extension_of_another_call_is_not_found(officer_client, extension):
    other = CallFactory()
    url = reverse("office:extension_remove", args=[other.slug, extension.pk])
    assert officer_client.post(url).status_code == 404
    assert Extension.objects.exists()


@pytest.mark.usefixtures("extension")
@pytest.mark.parametrize("member", ["owner", "viewer"])
def test_the_organisations_members_see_their_extension_on_the_call_page(
    client, call, request, member
):
    client.force_login(request.getfixturevalue(member))
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Their embassy closed for a week." in page
    assert "Extension for" in page


@pytest.mark.usefixtures("extension")
@pytest.mark.parametrize("visitor", ["outsider", "officer", None])
def test_nobody_else_sees_the_extension_on_the_call_page(client, call, request, visitor):
    if visitor:
        client.force_login(request.getfixturevalue(visitor))
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Their embassy closed for a week." not in page
    assert "Extension for" not in page


# Organisations and their verification


def organisations_url(**query):
    url = reverse("office:office_organisations")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def three_states(db):
    return {
        "verified": OrganisationFactory(legal_name="Andean Space Robotics", is_verified=True),
        "requested": OrganisationFactory(
            legal_name="Lunar Instruments Institute", verification_request="Your statutes."
        ),
        "unverified": OrganisationFactory(legal_name="Regolith Works"),
    }


@pytest.mark.parametrize("state", ["verified", "requested", "unverified"])
def test_the_organisations_list_filters_by_verification_state(officer_client, three_states, state):
    response = officer_client.get(organisations_url(state=state))
    assert list(response.context["page"]) == [three_states[state]]


def test_the_organisations_list_searches_names_and_counts_members_and_filed_letters(
    officer_client, three_states, mode
):
    lunar = three_states["requested"]
    MembershipFactory(organisation=lunar)
    MembershipFactory(organisation=lunar, role=Role.VIEWER)
    LetterFactory(organisation=lunar, mode=mode, submitted_at=timezone.now())
    LetterFactory(organisation=lunar, mode=mode)  # a draft: the organisation's own
    response = officer_client.get(organisations_url(name="lunar"))
    [row] = response.context["page"]
    assert (row, row.member_count, row.letter_count) == (lunar, 2, 1)
    assert "Information requested" in response.content.decode()


def test_the_organisations_list_has_an_empty_state(officer_client, three_states):
    page = officer_client.get(organisations_url(name="nobody")).content.decode()
    assert "No organisation matches." in page


def test_the_filter_is_kept_across_pages(officer_client):
    Organisation.objects.bulk_create(
        Organisation(legal_name=f"Org {n:03d}", short_name=f"O{n}", kind="company", country="FR")
        for n in range(60)
    )
    page = officer_client.get(organisations_url(name="org", state="unverified")).content.decode()
    assert "name=org&amp;state=unverified&amp;page=2" in page


def verification_url(organisation):
    return reverse("office:organisation_verification", args=[organisation.pk])


def test_the_verification_page_shows_the_organisations_details(
    officer_client, organisation, owner, mode
):
    LetterFactory(organisation=organisation, mode=mode, title="Hidden draft")
    page = officer_client.get(verification_url(organisation)).content.decode()
    assert organisation.postal_address.splitlines()[0] in page
    assert owner.email in page
    assert "Hidden draft" not in page


def test_verifying_an_organisation_tells_its_owners(officer_client, organisation, owner, editor):
    second_owner = MembershipFactory(organisation=organisation, role=Role.OWNER).user
    response = officer_client.post(verification_url(organisation), {"decision": "verify"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_verified
    assert organisation.verification_changed_at is not None
    emails = OutboundEmail.objects.all()
    assert sorted(email.to for email in emails) == sorted([owner.email, second_owner.email])
    assert all(f"{organisation.legal_name} is verified" == e.subject for e in emails)
    assert AuditEvent.objects.filter(
        verb="organisation.verified", target_id=str(organisation.pk)
    ).exists()


def test_asking_for_information_saves_the_request_and_tells_the_owners(
    officer_client, client, organisation, owner, viewer
):
    response = officer_client.post(
        verification_url(organisation),
        {"decision": "request", "request": "Send us your statutes, please."},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.is_verified
    assert organisation.verification_request == "Send us your statutes, please."
    [email] = OutboundEmail.objects.all()
    assert email.to == owner.email
    assert "Send us your statutes, please." in email.body_text
    event = AuditEvent.objects.get(verb="organisation.information_requested")
    assert event.data == {"request": "Send us your statutes, please."}

    client.force_login(viewer)
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Information requested" in page
    assert "Send us your statutes, please." in page


def test_asking_for_information_needs_a_text(officer_client, organisation):
    response = officer_client.post(verification_url(organisation), {"decision": "request"})
    assert response.context["form"].errors["request"] == ["Say what the organisation must supply."]
    assert not OutboundEmail.objects.exists()
    organisation.refresh_from_db()
    assert organisation.verification_changed_at is None


def test_verifying_clears_an_earlier_request(officer_client, organisation, owner):
    config.request_information(user=None, organisation=organisation, text="Statutes.")
    officer_client.post(verification_url(organisation), {"decision": "verify"})
    organisation.refresh_from_db()
    assert (organisation.is_verified, organisation.verification_request) == (True, "")
    assert OutboundEmail.objects.count() == 2  # the request, then the verification


def test_withdrawing_a_verification_needs_a_confirmation(officer_client, organisation):
    config.verify_organisation(user=None, organisation=organisation)
    response = officer_client.post(verification_url(organisation), {"reason": "Wrong statutes."})
    assert "confirm" in response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.is_verified

    officer_client.post(
        verification_url(organisation), {"reason": "Wrong statutes.", "confirm": "on"}
    )
    organisation.refresh_from_db()
    assert not organisation.is_verified
    event = AuditEvent.objects.get(verb="organisation.verification_withdrawn")
    assert event.data == {"reason": "Wrong statutes."}
    page = officer_client.get(verification_url(organisation)).content.decode()
    assert "Verification withdrawn" in page


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"is_verified": True}, "Verified"),
        ({"verification_request": "Your statutes."}, "Information requested"),
        ({}, "Not yet verified by the programme office"),
    ],
)
def test_applicants_see_the_verification_state_on_their_organisation_page(
    client, owner, organisation, change, shown
):
    Organisation.objects.filter(pk=organisation.pk).update(**change)
    client.force_login(owner)
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert shown in page


# Who may reach these pages


def urls_of(world):
    call = world["call"]
    return {
        "call_create": reverse("office:call_create"),
        "call_settings": settings_url(call),
        "call_modes": modes_url(call),
        "call_document_types": document_types_url(call),
        "call_rubric": rubric_url(call),
        "extensions": extensions_url(call),
        "extension_remove": reverse(
            "office:extension_remove", args=[call.slug, world["extension"].pk]
        ),
        "office_organisations": organisations_url(),
        "organisation_verification": verification_url(world["organisation"]),
    }


@pytest.fixture
def world(call, mode, organisation, extension, criteria):
    DocumentTypeFactory(call=call)
    return {"call": call, "organisation": organisation, "extension": extension}


def posts_of(world):
    """A POST to each URL that would change something, were it allowed."""
    call, organisation = world["call"], world["organisation"]
    return {
        "call_create": settings_data(call, slug="forged", reference_prefix="FORGED"),
        "call_settings": settings_data(call, title="Forged"),
        "call_modes": {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 0, "form-0-number": 9},
        "call_document_types": {"form-TOTAL_FORMS": 0, "form-INITIAL_FORMS": 0},
        "call_rubric": {"form-TOTAL_FORMS": 0, "form-INITIAL_FORMS": 0},
        "extensions": {
            "organisation": organisation.pk,
            "closes_at": typed(call.deadline + dt.timedelta(days=9)),
            "reason": "Forged",
        },
        "extension_remove": {},
        "office_organisations": {},
        "organisation_verification": {"decision": "verify"},
    }


def snapshot(world):
    call = Call.objects.get(pk=world["call"].pk)
    return (
        Call.objects.count(),
        call.title,
        CooperationMode.objects.count(),
        DocumentType.objects.count(),
        Criterion.objects.count(),
        list(Extension.objects.values_list("pk", "closes_at", "reason")),
        Organisation.objects.get(pk=world["organisation"].pk).is_verified,
        AuditEvent.objects.exclude(verb__startswith="security.").count(),  # refusals are logged
        OutboundEmail.objects.count(),
    )


PAGES = [
    "call_create",
    "call_settings",
    "call_modes",
    "call_document_types",
    "call_rubric",
    "extensions",
    "extension_remove",
    "office_organisations",
    "organisation_verification",
]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(client, world, page):
    before = snapshot(world)
    for response in (
        client.get(urls_of(world)[page]),
        client.post(urls_of(world)[page], posts_of(world)[page]),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert snapshot(world) == before


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["owner", "reviewer", "outsider"])
def test_everyone_but_officers_is_refused_and_changes_nothing(client, world, request, page, role):
    user = request.getfixturevalue(role)
    client.force_login(user.user if role == "reviewer" else user)
    before = snapshot(world)
    assert client.get(urls_of(world)[page]).status_code == 403
    assert client.post(urls_of(world)[page], posts_of(world)[page]).status_code == 403
    assert snapshot(world) == before


@pytest.mark.parametrize("page", PAGES)
def test_officers_reach_every_page(officer_client, world, page):
    assert officer_client.get(urls_of(world)[page]).status_code == 200


# Query counts


def build_organisations(count, call, mode):
    """`count` organisations in the three states, with members and filed letters and drafts."""
    organisations = Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Organisation {number:04d}",
            short_name=f"O{number}",
            kind=Organisation.Kind.choices[number % 6][0],
            country=["FR", "BR", "JP"][number % 3],
            is_verified=number % 3 == 0,
            verification_request="Statutes." if number % 3 == 1 else "",
        )
        for number in range(count)
    )
    users = User.objects.bulk_create(
        User(email=f"member{number}-{call.pk}@example.org") for number in range(count)
    )
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=user, role=Role.OWNER)
        for organisation, user in zip(organisations, users, strict=True)
    )
    LetterOfIntent.objects.bulk_create(
        LetterOfIntent(
            call=call,
            organisation=organisation,
            mode=mode,
            title="Instrument",
            submitted_at=timezone.now() if number % 2 else None,
        )
        for number, organisation in enumerate(organisations)
    )


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


@pytest.mark.parametrize("query", [{}, {"state": "requested", "name": "organisation"}])
def test_the_organisations_list_uses_as_many_queries_for_a_thousand_as_for_three(
    officer_client, call, mode, query
):
    build_organisations(3, call, mode)
    small = queries_for(officer_client, organisations_url(**query))
    other = ModeFactory()
    build_organisations(1000, other.call, other)
    large_response = officer_client.get(organisations_url(**query))
    assert len(large_response.context["page"]) == 50
    large = queries_for(officer_client, organisations_url(**query))
    assert len(small) == len(large), "\n".join(large)


@pytest.mark.parametrize(
    ("rows", "url", "verb"),
    [
        ("modes", modes_url, "call.modes_changed"),
        ("document_types", document_types_url, "call.document_types_changed"),
        ("criteria", rubric_url, "call.rubric_changed"),
    ],
)
@pytest.mark.usefixtures("signed_letter_type", "criteria")
def test_a_row_posted_back_with_browser_line_breaks_is_not_a_change(
    officer_client, call, rows, url, verb
):
    """Browsers send a textarea's line breaks as \\r\\n: a row whose description has line
    breaks is unchanged when the officer saves the page without touching it."""
    getattr(call, rows).update(description="First line.\nSecond line.", description_zh="一\n二")
    formset = officer_client.get(url(call)).context["formset"]
    changes = {
        index: {
            "description": "First line.\r\nSecond line.",
            "description_zh": "一\r\n二",
        }
        for index in range(len(formset.initial_forms))
    }
    assert officer_client.post(url(call), formset_data(formset, changes)).status_code == 302
    assert not AuditEvent.objects.filter(verb=verb).exists()
    assert set(getattr(call, rows).values_list("description", flat=True)) == {
        "First line.\nSecond line."
    }
