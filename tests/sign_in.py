from django.contrib.auth import SESSION_KEY
from django.urls import reverse


def sign_in(client, email, password, **extra):
    """Signs in through the real sign-in page, as a person does (django-axes watches it there);
    True if the client is then signed in. `extra`: request headers, e.g. REMOTE_ADDR."""
    client.post(reverse("account_login"), {"login": email, "password": password}, **extra)
    return SESSION_KEY in client.session
