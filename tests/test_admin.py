"""Django's admin for raw data: what officers may touch there, and in which time zone."""

import zoneinfo

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils.functional import Promise

from intents.models import Call, LetterOfIntent
from portal.accounts.models import User

from .factories import turn_on_totp


def officer_client(client):
    call_command("seed_demo")
    # The demo officer sets up an authenticator app at the first sign-in; skip that step here.
    client.force_login(turn_on_totp(User.objects.get(email="officer@example.org")))
    return client


def test_the_demo_officer_can_open_the_call_in_the_admin(client, db):
    officer_client(client)
    call = Call.objects.get()
    assert client.get(reverse("admin:intents_call_change", args=[call.pk])).status_code == 200


def test_letters_are_read_only_in_the_admin(client, db):
    officer_client(client)
    letter = LetterOfIntent.objects.get(title="Polar Micro-Rover")
    url = reverse("admin:intents_letterofintent_change", args=[letter.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    client.post(url, {"title": "Changed behind the domain's back"})
    letter.refresh_from_db()
    assert letter.title == "Polar Micro-Rover"


def test_the_outbox_is_hidden_from_officers(client, db):
    officer_client(client)
    response = client.get(reverse("admin:notifications_outboundemail_changelist"))
    assert response.status_code == 403


def test_call_times_typed_in_the_admin_are_in_the_official_zone(client, db):
    officer_client(client)
    call = Call.objects.get()
    User.objects.filter(email="officer@example.org").update(time_zone="Europe/Paris")
    page = client.get(reverse("admin:intents_call_change", args=[call.pk])).content.decode()
    official = call.deadline.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert official.strftime("%H:%M:%S") in page
    assert "Asia/Shanghai" in page


def test_a_forged_zone_name_too_long_for_a_file_name_is_refused_not_a_crash(client, db):
    officer_client(client)
    call = Call.objects.get()
    url = reverse("admin:intents_call_change", args=[call.pk])
    response = client.post(url, {"time_zone": "a" * 5000})
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.time_zone == "Asia/Shanghai"


def test_the_audit_events_read_as_sentences_in_the_admin(client, db):
    officer_client(client)
    page = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "Letter submitted as " in page
    assert "{&#x27;" not in page and "{'" not in page


def test_every_field_of_our_models_has_a_translatable_name(db):
    """The admin's columns, filters and forms are labelled with these; a foreign key left
    unnamed was labelled "call" or "created by" in the Chinese admin too."""
    unnamed = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith(("intents.", "portal."))
        # Reverse relations are named by the other side; "ID" is the admin's own.
        for field in model._meta.get_fields(include_hidden=False)
        if not field.auto_created or (field.concrete and field.name != "id")
        if not isinstance(field.verbose_name, Promise)
    ]
    assert unnamed == []


def test_the_admin_names_the_foreign_keys_in_chinese(client, db):
    officer_client(client)
    User.objects.filter(email="officer@example.org").update(language="zh-hans")
    page = client.get(reverse("admin:intents_letterofintent_changelist")).content.decode()
    assert '<html lang="zh-hans"' in page
    # The column of the letter's call, and its filter.
    assert "合作征集" in page
    assert ">Call<" not in page and "By call" not in page
