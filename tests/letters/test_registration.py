"""Registering an organisation for a call, so it is reminded before the deadline."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from intents.models import CallRegistration
from portal.audit.models import AuditEvent

from ..factories import MembershipFactory


def register_url(call):
    return reverse("letters:call_register", args=[call.slug])


def test_an_owner_without_a_letter_is_offered_registration(client, call, mode, owner, organisation):
    client.force_login(owner)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Remind us before the deadline" in page
    assert register_url(call) in page
    # One organisation: the form carries it, with nothing to choose.
    assert f'type="hidden" name="organisation" value="{organisation.pk}"' in page


def test_registering_records_the_organisation_and_says_so(client, call, owner, organisation):
    client.force_login(owner)
    response = client.post(register_url(call), {"organisation": organisation.pk}, follow=True)
    registration = CallRegistration.objects.get()
    assert (registration.call, registration.organisation) == (call, organisation)
    assert registration.registered_by == owner
    assert "is registered for this call" in response.content.decode()
    assert AuditEvent.objects.filter(verb="call.registered").count() == 1
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Remind us before the deadline" not in page
    assert "is registered for this call: its owners and editors are reminded" in page


def test_a_second_click_registers_once(client, call, owner, organisation):
    client.force_login(owner)
    client.post(register_url(call), {"organisation": organisation.pk})
    response = client.post(register_url(call), {"organisation": organisation.pk}, follow=True)
    assert CallRegistration.objects.count() == 1
    assert AuditEvent.objects.filter(verb="call.registered").count() == 1
    assert "was already registered" in response.content.decode()


def test_an_organisation_with_a_letter_is_not_offered_registration(client, call, draft, owner):
    client.force_login(owner)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Remind us before the deadline" not in page


def test_a_viewer_may_not_register_the_organisation(client, call, viewer, organisation):
    client.force_login(viewer)
    response = client.post(register_url(call), {"organisation": organisation.pk})
    assert response.status_code == 403
    assert not CallRegistration.objects.exists()


def test_someone_elses_organisation_cannot_be_registered(client, call, outsider, organisation):
    client.force_login(outsider)
    response = client.post(register_url(call), {"organisation": organisation.pk}, follow=True)
    assert "Choose one of your organisations" in response.content.decode()
    assert not CallRegistration.objects.exists()


def test_a_closed_call_takes_no_registrations(client, call, owner, organisation):
    call.deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    client.force_login(owner)
    client.post(register_url(call), {"organisation": organisation.pk})
    assert not CallRegistration.objects.exists()


def test_a_member_of_two_organisations_chooses_which_to_register(client, call, owner):
    second = MembershipFactory(user=owner).organisation
    client.force_login(owner)
    page = client.get(call.get_absolute_url()).content.decode()
    assert f'value="{second.pk}"' in page
    client.post(register_url(call), {"organisation": second.pk})
    assert CallRegistration.objects.get().organisation == second


def button_styles(page, name):
    """The btn-* style classes (not the bare `btn`) of the submit button called `name`."""
    tag = re.search(rf'<input type="submit"[^>]*name="{name}"[^>]*>', page).group()
    classes = re.search(r'class="([^"]*)"', tag).group(1).split()
    return [c for c in classes if c.startswith("btn-")]


def test_the_reminder_button_has_one_style(client, call, mode, owner, organisation):
    # btn-primary beside btn-outline-primary drew blue text on blue: an empty bar.
    client.force_login(owner)
    page = client.get(call.get_absolute_url()).content.decode()
    assert button_styles(page, "register") == ["btn-outline-primary"]


def test_the_withdraw_button_has_one_style(client, submitted, owner):
    client.force_login(owner)
    page = client.get(reverse("letters:letter_withdraw", args=[submitted.pk])).content.decode()
    assert button_styles(page, "withdraw") == ["btn-danger"]
