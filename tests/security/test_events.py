"""Security events in the audit log: sign-ins, failed sign-ins, sign-outs and refused requests.
(Lockouts: test_lockout.py; document downloads: tests/letters/test_receipts.py.)"""

import html
import json

from django.urls import reverse

from portal.audit.log import record
from portal.audit.models import AuditEvent

from ..factories import PASSWORD
from ..sign_in import sign_in

ADDRESS = "192.0.2.10"


def events(verb):
    return list(AuditEvent.objects.filter(verb=verb))


def test_a_sign_in_is_recorded_with_the_address(client, owner):
    assert sign_in(client, owner.email, PASSWORD, REMOTE_ADDR=ADDRESS)
    [event] = events("security.login")
    assert event.actor == owner
    assert event.data == {"ip": ADDRESS}


def test_a_failed_sign_in_keeps_the_address_tried_but_never_the_password(client, owner):
    assert not sign_in(client, owner.email.upper(), "my-secret-guess", REMOTE_ADDR=ADDRESS)
    [event] = events("security.login_failed")
    assert event.actor is None
    assert event.data == {"email": owner.email, "ip": ADDRESS}
    assert "my-secret-guess" not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_a_sign_out_is_recorded(client, owner):
    client.force_login(owner)
    client.post(reverse("account_logout"), REMOTE_ADDR=ADDRESS)
    [event] = events("security.logout")
    assert event.actor == owner
    assert event.data == {"ip": ADDRESS}


def test_signing_out_when_not_signed_in_records_nothing(client, db):
    client.post(reverse("account_logout"))
    assert events("security.logout") == []


def test_a_refused_request_is_recorded_with_its_path_and_method(client, owner):
    client.force_login(owner)
    response = client.post(reverse("office:office_home"), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    [event] = events("security.denied")
    assert event.actor == owner
    assert event.data == {"path": "/office/", "method": "POST", "ip": ADDRESS}
    assert (event.target_type, event.target_id, event.target_label) == ("", "", "")


def test_a_page_not_found_is_no_refusal(client, owner):
    client.force_login(owner)
    assert client.get("/no-such-page/").status_code == 404
    assert events("security.denied") == []


def test_the_audit_log_tells_the_security_events_in_words(client, officer, owner):
    for verb in ("security.login", "security.logout"):
        record(owner, verb, None, ip=ADDRESS)
    record(None, "security.login_failed", None, email=owner.email, ip=ADDRESS)
    record(owner, "security.denied", None, path="/office/", method="GET", ip=ADDRESS)
    record(None, "security.lockout", None, email=owner.email, ip=ADDRESS)
    client.force_login(officer)
    response = client.get(reverse("office:audit_log"))
    page = html.unescape(response.content.decode())
    for sentence in (
        f"Signed in from {ADDRESS}.",
        f"Failed sign-in as {owner.email}, from {ADDRESS}.",
        f"Signed out from {ADDRESS}.",
        f"Access refused to GET /office/, from {ADDRESS}.",
        f"Sign-in as {owner.email} locked after repeated failures, from {ADDRESS}.",
    ):
        assert f">{sentence}</td>" in page
    # Events about no object show no "type #id" line and add no blank object type to the filter.
    assert " #</span>" not in page
    type_choices = response.context["filter"].form.fields["target_type"].choices
    assert [code for code, _ in type_choices] == [""]  # "Any" alone
