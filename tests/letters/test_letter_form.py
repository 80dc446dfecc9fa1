import re
from decimal import Decimal

from django.urls import reverse

from intents.completeness import required_fields
from intents.models import LetterOfIntent
from intents.models.call import TECHNICAL_FIELDS

from ..factories import ModeFactory


def test_the_form_says_which_technical_fields_each_mode_asks_for(client, draft, owner):
    interaction = ModeFactory(call=draft.call, number=2, technical_fields=["data_volume_gb"])
    client.force_login(owner)
    response = client.get(reverse("letters:letter_edit", args=[draft.pk]))
    assert response.context["form"].mode_fields[str(interaction.pk)] == ["data_volume_gb"]
    assert 'id="mode-technical-fields"' in response.content.decode()


def test_only_the_technical_fields_of_the_chosen_mode_are_saved(client, draft, owner):
    interaction = ModeFactory(call=draft.call, number=2, technical_fields=["data_volume_gb"])
    client.force_login(owner)
    client.post(
        reverse("letters:letter_edit", args=[draft.pk]),
        {
            "version": draft.version,
            "mode": interaction.pk,
            "title": draft.title,
            "mass_kg": "12",
            "data_volume_gb": "5",
        },
    )
    draft.refresh_from_db()
    assert draft.mode == interaction
    assert draft.data_volume_gb == 5
    assert draft.mass_kg is None


def test_a_filed_letter_shows_only_its_own_modes_fields(client, submitted, owner):
    submitted.mode.technical_fields = ["power_w"]
    submitted.mode.save()
    client.force_login(owner)
    page = client.get(reverse("letters:letter_edit", args=[submitted.pk])).content.decode()
    assert 'name="power_w"' in page
    assert 'name="mass_kg"' not in page


def test_a_draft_saves_with_fields_left_empty(client, draft, owner):
    client.force_login(owner)
    response = client.post(
        reverse("letters:letter_edit", args=[draft.pk]),
        {"version": draft.version, "mode": draft.mode_id, "title": "Working title"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Working title"
    assert draft.version == 2


def test_bad_values_get_a_message_per_field_and_save_nothing(client, draft, owner):
    client.force_login(owner)
    response = client.post(
        reverse("letters:letter_edit", args=[draft.pk]),
        {
            "version": draft.version,
            "mode": draft.mode_id,
            "title": "",
            "mass_kg": "-3",
            "trl": "12",
            "contact_email": "not-an-address",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "mass_kg", "trl", "contact_email"}
    draft.refresh_from_db()
    assert draft.title == "Dust spectrometer"
    assert draft.version == 1


def test_the_mode_of_a_submitted_letter_cannot_change(client, submitted, owner):
    other = ModeFactory(call=submitted.call, number=4)
    client.force_login(owner)
    fields = {
        "version": submitted.version,
        "mode": other.pk,
        "title": submitted.title,
        "summary": submitted.summary,
        "objectives": submitted.objectives,
        "contribution": submitted.contribution,
        "mass_kg": submitted.mass_kg,
        "power_w": submitted.power_w,
        "data_volume_gb": submitted.data_volume_gb,
        "trl": submitted.trl,
        "funding_status": submitted.funding_status,
        "timeline": submitted.timeline,
        "contact_name": submitted.contact_name,
        "contact_email": submitted.contact_email,
    }
    client.post(reverse("letters:letter_edit", args=[submitted.pk]), fields)
    submitted.refresh_from_db()
    assert submitted.mode.number == 3
    # Only the (disabled) mode differed, so nothing was saved and no amendment was filed.
    assert submitted.versions.count() == 1


def test_starting_a_letter_needs_an_organisation_the_user_may_edit(client, call, mode, viewer):
    client.force_login(viewer)
    response = client.post(
        reverse("letters:letter_start", args=[call.slug]),
        {"organisation": viewer.memberships.get().organisation_id, "mode": mode.pk, "title": "x"},
    )
    assert response.status_code == 403
    assert not LetterOfIntent.objects.exists()


def test_starting_a_letter_makes_a_draft_and_opens_the_form(client, call, mode, owner):
    client.force_login(owner)
    organisation = owner.memberships.get().organisation
    response = client.post(
        reverse("letters:letter_start", args=[call.slug]),
        {"organisation": organisation.pk, "mode": mode.pk, "title": "Lunar seismometer"},
    )
    letter = LetterOfIntent.objects.get()
    assert response.url == reverse("letters:letter_edit", args=[letter.pk])
    assert letter.is_draft and letter.organisation == organisation
    assert letter.contact_email == owner.email


def test_saving_a_submitted_letter_says_an_amendment_was_filed(client, submitted, owner):
    client.force_login(owner)
    url = reverse("letters:letter_edit", args=[submitted.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = client.post(url, {**data, "summary": "A better summary."}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        f"The amendment was filed as version 2 of {submitted.reference}, and a new receipt "
        "was e-mailed to the organisation's owners and editors."
    ]
    assert submitted.versions.count() == 2


def marked_fields(page):
    """The names of the inputs the legend describes: those marked as needed to submit."""
    return set(
        re.findall(r'name="(\w+)"[^>]*aria-describedby="needed-later-legend[^"]*"', page)
        + re.findall(r'aria-describedby="needed-later-legend[^"]*"[^>]*name="(\w+)"', page)
    )


def test_the_form_marks_what_submission_needs_and_explains_the_mark(client, draft, owner):
    draft.mode.technical_fields = ["mass_kg"]
    draft.mode.save()
    client.force_login(owner)
    page = client.get(reverse("letters:letter_edit", args=[draft.pk])).content.decode()
    assert 'id="needed-later-legend"' in page
    assert "Needed to submit the letter" in page
    # The title is required even for a draft: crispy's own mark and the browser say so.
    needed = set(required_fields(draft.mode)) - {"title"}
    # A draft carries every technical field; the page shows the chosen mode's.
    assert marked_fields(page) == needed | set(TECHNICAL_FIELDS)
    assert 'aria-describedby="needed-later-legend id_summary_helptext"' in page


def test_an_amendment_marks_the_fields_the_letter_must_keep(client, submitted, owner):
    client.force_login(owner)
    page = client.get(reverse("letters:letter_edit", args=[submitted.pk])).content.decode()
    assert "a submitted letter must stay complete" in page
    assert marked_fields(page) == set(required_fields(submitted.mode)) - {"title"}


def test_the_legend_is_in_chinese_for_a_chinese_reader(client, draft, owner):
    owner.language = "zh-hans"
    owner.save()
    client.force_login(owner)
    page = client.get(reverse("letters:letter_edit", args=[draft.pk])).content.decode()
    assert "提交意向书时必填" in page
    assert "Needed to submit the letter" not in page


def test_a_figure_is_written_the_same_in_the_form_and_on_the_page(client, draft, owner):
    LetterOfIntent.objects.filter(pk=draft.pk).update(
        mass_kg=Decimal("12.50"), data_volume_gb=Decimal("80.000")
    )
    client.force_login(owner)
    form = client.get(reverse("letters:letter_edit", args=[draft.pk])).content.decode()
    page = client.get(reverse("letters:letter_detail", args=[draft.pk])).content.decode()
    # The form showed the columns' "12.50" and "80.000" where the page said 12.5 and 80.
    assert 'name="mass_kg" value="12.5"' in form
    assert 'name="data_volume_gb" value="80"' in form
    assert ">12.5</dd>" in page and ">80</dd>" in page
