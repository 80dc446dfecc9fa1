import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from intents.letters import actions
from portal.organisations.models import Role

from .factories import (
    CallFactory,
    DocumentTypeFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    UserFactory,
    attach_pdf,
    complete_letter_fields,
)


@pytest.fixture(autouse=True)
def english_by_default():
    """A page requested in Chinese leaves Chinese active in the thread; start each test afresh."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none used."""
    cache.clear()


@pytest.fixture
def call(db):
    return CallFactory()


@pytest.fixture
def mode(call):
    return ModeFactory(call=call, number=3)


@pytest.fixture
def signed_letter_type(call, mode):
    document_type = DocumentTypeFactory(call=call, code="signed-letter", name="Signed letter")
    document_type.required_for.add(mode)
    return document_type


@pytest.fixture
def owner(db):
    return MembershipFactory(role=Role.OWNER).user


@pytest.fixture
def organisation(owner):
    return owner.memberships.get().organisation


@pytest.fixture
def editor(organisation):
    return MembershipFactory(organisation=organisation, role=Role.EDITOR).user


@pytest.fixture
def viewer(organisation):
    return MembershipFactory(organisation=organisation, role=Role.VIEWER).user


@pytest.fixture
def outsider(db):
    """A member of another organisation: must never see anything of ours."""
    return MembershipFactory(role=Role.OWNER).user


@pytest.fixture
def officer(db):
    return UserFactory(is_programme_officer=True)


@pytest.fixture
def draft(organisation, mode, owner):
    return LetterFactory(organisation=organisation, mode=mode, created_by=owner)


@pytest.fixture
def complete_draft(draft, owner, signed_letter_type):
    for name, value in complete_letter_fields().items():
        setattr(draft, name, value)
    draft.save()
    attach_pdf(draft, owner, signed_letter_type)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def submitted(complete_draft, owner):
    return actions.submit(
        letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version
    )


@pytest.fixture(scope="session")
def celery_worker_session(django_db_setup, django_db_blocker):
    """A real Celery worker on the real Redis, for the whole run, when REDIS_URL is set.

    Under CI a broker that cannot be reached fails the run instead of skipping.
    """
    if not settings.REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run with REDIS_URL set: the broker tests need a real Redis.")
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker


@pytest.fixture
def s3_server():
    """A real S3-compatible server (moto's server mode) in its own process, with a bucket."""
    from .object_storage import S3Server

    server = S3Server().start()
    yield server
    server.cleanup()


@pytest.fixture
def s3_storage(s3_server, settings):
    """This process's private storage on the S3 server, as S3_BUCKET & co. would configure it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_server.storage_options(),
        },
    }
    return s3_server
