import pytest
from django.urls import reverse

from intents.letters import actions


def test_a_stale_save_is_refused(draft, owner):
    actions.save_letter(
        letter_id=draft.pk, user=owner, changes={"summary": "first"}, expected_version=draft.version
    )
    with pytest.raises(actions.StaleVersion):
        actions.save_letter(
            letter_id=draft.pk,
            user=owner,
            changes={"summary": "second"},
            expected_version=draft.version,
        )
    draft.refresh_from_db()
    assert draft.summary == "first"


def test_the_second_editor_is_told_and_keeps_their_text(client, draft, owner, editor):
    url = reverse("letters:letter_edit", args=[draft.pk])
    stale_version = draft.version
    actions.save_letter(
        letter_id=draft.pk,
        user=owner,
        changes={"summary": "Owner's text"},
        expected_version=stale_version,
    )
    client.force_login(editor)
    response = client.post(
        url,
        {
            "version": stale_version,
            "mode": draft.mode_id,
            "title": draft.title,
            "summary": "Editor's careful paragraph",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this letter" in page
    assert "Editor&#x27;s careful paragraph" in page
    draft.refresh_from_db()
    assert draft.summary == "Owner's text"
