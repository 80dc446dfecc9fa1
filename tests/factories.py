import base64
import datetime as dt
import hashlib
import hmac
import io
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from intents.models import (
    Call,
    CooperationMode,
    Criterion,
    Document,
    DocumentType,
    LetterOfIntent,
    Reviewer,
)
from portal.accounts.models import User
from portal.organisations.models import Membership, Organisation, Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create:
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        # Officers cannot work without an authenticator app (portal/accounts/mfa.py), so they
        # have one unless a test passes totp=False; totp=True gives anyone one.
        wanted = user.is_programme_officer if extracted is None else extracted
        if create and wanted:
            turn_on_totp(user)


def turn_on_totp(user):
    """Two-factor authentication with an authenticator app, as if set up on the user's phone."""
    TOTP.activate(user, generate_totp_secret())
    return user


def authenticator_code(secret):
    """The code an authenticator app shows now for `secret` (RFC 6238: HMAC-SHA1, 30 s, 6
    digits), computed here rather than by allauth so the tests hold allauth to the standard."""
    counter = int(time.time()) // 30
    digest = hmac.new(base64.b32decode(secret), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def totp_code(user):
    """The code the user's authenticator app shows now."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return authenticator_code(decrypt(authenticator.data["secret"]))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Space Institute {n}")
    short_name = factory.Sequence(lambda n: f"SI{n}")
    kind = Organisation.Kind.RESEARCH
    country = "FR"
    postal_address = "1 Rue de la Lune\nParis"
    contact_name = "Claire Dupont"
    contact_email = "claire@example.org"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Lunar call {n}")
    slug = factory.Sequence(lambda n: f"lunar-call-{n}")
    description = "Cooperate with us on the Moon."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    time_zone = "Asia/Shanghai"
    reference_prefix = factory.Sequence(lambda n: f"C{n}")


class ModeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationMode

    call = factory.SubFactory(CallFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "Joint exploration of the lunar surface"
    description = "Your payload rides on our lander."
    technical_fields = ["mass_kg", "power_w", "data_volume_gb"]


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"type-{n}")
    name = "Signed letter"


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterOfIntent

    call = factory.LazyAttribute(lambda letter: letter.mode.call)
    mode = factory.SubFactory(ModeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "Dust spectrometer"


def complete_letter_fields():
    return {
        "summary": "A spectrometer for charged dust.",
        "objectives": "Measure dust levitation.",
        "contribution": "A 4 kg instrument.",
        "mass_kg": 4,
        "power_w": 12,
        "data_volume_gb": 30,
        "trl": 6,
        "funding_status": LetterOfIntent.Funding.SECURED,
        "timeline": "Ready in 2027.",
        "contact_name": "Claire Dupont",
        "contact_email": "claire@example.org",
    }


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="letter.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def attach_pdf(letter, user, document_type, name="letter.pdf", pages=1):
    """A PDF added to the letter through the domain, checked as an upload is."""
    from django.conf import settings

    from intents.letters import actions
    from intents.uploads import inspect_upload

    upload = pdf_upload(name, pages=pages)
    return actions.add_document(
        letter_id=letter.pk,
        user=user,
        document_type=document_type,
        stored_file=upload,
        inspected=inspect_upload(upload, settings.DOCUMENT_MAX_BYTES),
        original_name=name,
    )


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    letter = factory.SubFactory(LetterFactory)
    document_type = factory.LazyAttribute(
        lambda document: DocumentTypeFactory(call=document.letter.call)
    )
    file = factory.LazyFunction(lambda: pdf_upload())
    original_name = "letter.pdf"
    content_type = "application/pdf"
    size = 1000
    sha256 = "0" * 64
    page_count = 1


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    description = "How good it is."
    weight = 1
    position = factory.Sequence(lambda n: n)


class ReviewerFactory(factory.django.DjangoModelFactory):
    """A reviewer who has accepted their place in the call's pool."""

    class Meta:
        model = Reviewer
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda reviewer: reviewer.user.email if reviewer.user else "")
    affiliation = "Independent"
    country = "DE"
    accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def expertise(reviewer, create, extracted, **kwargs):
        if create and extracted:
            reviewer.expertise.set(extracted)
