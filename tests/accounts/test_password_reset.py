import re

from django.urls import reverse

from portal.notifications.models import OutboundEmail

from ..factories import PASSWORD
from ..sign_in import sign_in


def test_a_password_reset_link_goes_through_the_outbox_and_works(client, owner):
    client.post(reverse("account_reset_password"), {"email": owner.email})
    email = OutboundEmail.objects.get(to=owner.email)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", email.body_text)
    form_page = client.get(link.group(1), follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    response = client.post(
        action,
        {"password1": "a-new-and-unusual-passphrase", "password2": "a-new-and-unusual-passphrase"},
    )
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, owner.email, "a-new-and-unusual-passphrase")
    client.logout()
    assert not sign_in(client, owner.email, PASSWORD)


def test_a_reset_for_an_unknown_address_answers_as_for_a_known_one(client, owner):
    known = client.post(reverse("account_reset_password"), {"email": owner.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.url == unknown.url == reverse("account_reset_password_done")
