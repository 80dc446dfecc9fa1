"""The benchmark seed's content, created in bulk inside the command's transaction."""

import datetime as dt
import os
import uuid
from decimal import Decimal
from pathlib import Path

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from intents.demo import configure
from intents.models import (
    Assignment,
    Call,
    Document,
    LetterOfIntent,
    LetterVersion,
    ReferenceSequence,
    Review,
    Reviewer,
    Score,
)
from intents.models.document import private_storage
from intents.receipts import snapshot
from intents.reviewing.figures import refresh_review_figures
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.organisations.models import Membership, Organisation, Role

from .bulk import BATCH, insert, insert_rows
from .samples import COUNTRIES, TEXT, pdf_bytes

KINDS = [kind for kind, _label in Organisation.Kind.choices]
FUNDING = [value for value, _label in LetterOfIntent.Funding.choices]
RECOMMENDATIONS = [value for value, _label in Review.Recommendation.choices]
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


class Seeder:
    def __init__(self, options, rng):
        self.o = options
        self.rng = rng
        self.now = timezone.now()
        self.storage = private_storage()
        self.pdf = pdf_bytes(options["document_bytes"])
        self.no_password = make_password(None)

    def run(self):
        o = self.o
        call = self.call()
        organisations, owners = self.organisations()
        filed = self.letters(call, organisations, o["letters"], filed=True)
        applicants = owners[: o["applicants"]]
        drafts = self.letters(call, organisations[: o["applicants"]], o["applicants"], filed=False)
        documents = self.documents(call, filed + drafts, owners)
        self.versions_and_audit(call, filed, documents)
        reviewers = self.reviewers(call)
        reviews = self.reviews(call, filed, reviewers)
        officer = self.officer()
        # Letters began a few weeks before they were filed (auto_now_add wrote the seeding time).
        LetterOfIntent.objects.filed().filter(call=call).update(
            created_at=F("submitted_at") - dt.timedelta(days=12)
        )
        desk = reviewers[: o["desk_reviewers"]]
        sessions = self.sessions(
            [*applicants, *(r.user for r in desk), *([officer] * o["officer_sessions"])]
        )
        applicant_sessions = sessions[: len(applicants)]
        desk_sessions = sessions[len(applicants) : len(applicants) + len(desk)]
        return {
            "call": {"pk": call.pk, "slug": call.slug},
            "counts": {
                "organisations": len(organisations),
                "filed_letters": len(filed),
                "drafts": len(drafts),
                "documents": len(documents),
                "reviewers": len(reviewers),
                "reviews": reviews,
            },
            "applicants": [
                {
                    "user": user.pk,
                    "session": session,
                    "organisation": draft.organisation_id,
                    "letter": draft.pk,
                    "mode": draft.mode_id,
                }
                for user, session, draft in zip(applicants, applicant_sessions, drafts, strict=True)
            ],
            "desk_reviewers": [
                {"user": r.user_id, "session": s, "reviewer": r.pk}
                for r, s in zip(desk, desk_sessions, strict=True)
            ],
            "officer": {"user": officer.pk, "sessions": sessions[len(applicants) + len(desk) :]},
        }

    def call(self):
        o = self.o
        call = Call.objects.create(
            title="Lunar cooperation: benchmark cycle",
            title_zh="月球合作：基准测试周期",
            slug=o["slug"],
            description="A call seeded for the benchmarks.",
            opens_at=self.now - dt.timedelta(days=40),
            # Open for the whole run: the rush submits before it, in the official zone.
            deadline=self.now + dt.timedelta(days=2),
            time_zone="Asia/Shanghai",
            review_deadline=self.now + dt.timedelta(days=60),
            reference_prefix=o["prefix"],
            reviewers_per_letter=o["reviews_per_letter"],
        )
        ReferenceSequence.objects.create(call=call, last_number=o["letters"])
        modes, self.required, self.criteria = configure(call)
        self.modes = list(modes.values())
        return call

    def organisations(self):
        count, prefix = self.o["organisations"], self.o["prefix"].lower()
        organisations = insert(
            Organisation(
                legal_name=f"Lunar Organisation {number:05d}",
                short_name=f"LO{number}",
                kind=KINDS[number % len(KINDS)],
                country=COUNTRIES[self.rng.randrange(len(COUNTRIES))],
                postal_address=f"{number} Crater Road",
                contact_name=f"Contact {number}",
                contact_email=f"{prefix}-contact{number}@example.org",
                is_verified=number % 3 != 0,
            )
            for number in range(count)
        )
        owners = insert(
            self._user(f"{prefix}-owner{number}@example.org", f"Owner {number}")
            for number in range(count)
        )
        insert(
            Membership(organisation=organisation, user=user, role=Role.OWNER)
            for organisation, user in zip(organisations, owners, strict=True)
        )
        return organisations, owners

    def _user(self, email, name):
        # No password: they sign in through the sessions below. One unusable value for all
        # (set_unusable_password makes a random one each time, which is slow by the thousand).
        return User(email=email, full_name=name, password=self.no_password)

    def letters(self, call, organisations, count, *, filed):
        rng, prefix = self.rng, self.o["prefix"]
        window = 40 * 24 * 3600  # filed over the weeks the call has been open, most at the end
        rows = []
        for number in range(count):
            mode = self.modes[number % len(self.modes)]
            organisation = organisations[number % len(organisations)]
            letter = LetterOfIntent(
                call=call,
                organisation=organisation,
                mode=mode,
                title=f"{'Instrument' if filed else 'Draft instrument'} {number}",
                summary=TEXT,
                objectives="Map the volatiles within 500 m of the lander over one lunar day.",
                contribution="The instrument, its ground segment and two years of operations.",
                mass_kg=Decimal(rng.randrange(10, 4000)) / 10,
                power_w=Decimal(rng.randrange(10, 2000)) / 10,
                data_volume_gb=Decimal(rng.randrange(1, 5000)),
                trl=rng.randint(3, 9),
                funding_status=FUNDING[number % len(FUNDING)],
                timeline="Flight model delivered 18 months before launch.",
                partner_organisations="",
                contact_name=organisation.contact_name,
                contact_email=organisation.contact_email,
            )
            if filed:
                letter.state = LetterOfIntent.State.SUBMITTED
                letter.reference = f"{prefix}-LOI-{number + 1:04d}"
                letter.submitted_at = self.now - dt.timedelta(
                    seconds=int(window * (1 - rng.random() ** 0.25))
                )
                letter.submitted_from_version = 1
                letter.version = 2
            rows.append(letter)
        return insert(rows)

    def documents(self, call, letters, owners):
        """Each letter's required documents, as files in private storage."""
        rows, shared = [], []
        for letter in letters:
            for document_type in self.required[letter.mode_id]:
                if len(shared) < (self.o["document_files"] or 1):
                    name = self._store()
                    if self.o["document_files"]:
                        shared.append(name)
                else:
                    name = shared[len(rows) % len(shared)]
                rows.append(
                    Document(
                        letter=letter,
                        document_type=document_type,
                        file=name,
                        original_name=f"{document_type.code}.pdf",
                        content_type="application/pdf",
                        size=len(self.pdf),
                        sha256=uuid.uuid4().hex * 2,  # not checked by anything the bench reads
                        page_count=1,
                    )
                )
        return insert(rows)

    def _store(self):
        token = uuid.uuid4().hex
        name = f"documents/{token[:2]}/{token}.bin"
        try:
            path = Path(self.storage.path(name))
        except NotImplementedError:  # object storage
            from django.core.files.base import ContentFile

            return self.storage.save(name, ContentFile(self.pdf))
        # File system storage: written straight, thousands of files in a few seconds.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(self.pdf)
        return name

    def versions_and_audit(self, call, filed, documents):
        per_letter = {}
        for document in documents:
            per_letter.setdefault(document.letter_id, []).append(document)
        insert(
            LetterVersion(
                letter=letter,
                number=1,
                kind=LetterVersion.Kind.SUBMISSION,
                snapshot=snapshot(letter, per_letter.get(letter.pk, [])),
                created_at=letter.submitted_at,
            )
            for letter in filed
        )
        insert(
            AuditEvent(
                verb="letter.submitted",
                target_type="intents.letterofintent",
                target_id=str(letter.pk),
                target_label=letter.reference,
                data={"version": 1, "reference": letter.reference},
            )
            for letter in filed
        )

    def reviewers(self, call):
        prefix = self.o["prefix"].lower()
        users = User.objects.bulk_create(
            self._user(f"{prefix}-reviewer{n}@example.org", f"Reviewer {n:03d}")
            for n in range(self.o["reviewers"])
        )
        pool = Reviewer.objects.bulk_create(
            Reviewer(
                call=call,
                user=user,
                email=user.email,
                affiliation=f"Institute {n}",
                country=COUNTRIES[(n * 7) % len(COUNTRIES)],
                accepted_at=self.now - dt.timedelta(days=30),
            )
            for n, user in enumerate(users)
        )
        Reviewer.expertise.through.objects.bulk_create(
            Reviewer.expertise.through(reviewer_id=r.pk, cooperationmode_id=m.pk)
            for n, r in enumerate(pool)
            for m in self.modes[n % 2 :: 2]
        )
        for reviewer, user in zip(pool, users, strict=True):
            reviewer.user = user
        return pool

    def _loads(self, slots, reviewers):
        """Assignments per reviewer: the desk reviewers get --desk-size each when the call has
        enough letters, the rest is shared evenly."""
        desk, size = min(self.o["desk_reviewers"], reviewers), self.o["desk_size"]
        if reviewers > desk and slots >= desk * size + (reviewers - desk):
            rest, others = slots - desk * size, reviewers - desk
            return [size] * desk + [rest // others + (i < rest % others) for i in range(others)]
        return [slots // reviewers + (i < slots % reviewers) for i in range(reviewers)]

    def reviews(self, call, filed, pool):
        """Each letter read by --reviews-per-letter reviewers, never twice by the same one:
        slot k reads letter k mod L, and each reviewer takes a run of at most L slots."""
        letters, per_letter = len(filed), self.o["reviews_per_letter"]
        loads = self._loads(letters * per_letter, len(pool))
        if max(loads) > letters:
            raise CommandError("More assignments per reviewer than letters.")
        confirmed = self.now - dt.timedelta(days=5)
        assignments, slot = [], 0
        for reviewer, load in zip(pool, loads, strict=True):
            for _ in range(load):
                assignments.append(
                    Assignment(
                        reviewer=reviewer,
                        letter=filed[slot % letters],
                        no_conflict_confirmed_at=confirmed,
                    )
                )
                slot += 1
        assignments = insert(assignments)
        weights = [criterion.weight for criterion in self.criteria]
        share, rng = self.o["submitted_share"], self.rng
        reviews, values = [], []
        for index, assignment in enumerate(assignments):
            marks = [rng.randint(1, call.score_max) for _ in self.criteria]
            submitted = rng.random() < share
            total = sum(w * m for w, m in zip(weights, marks, strict=True)) / sum(weights)
            reviews.append(
                Review(
                    assignment=assignment,
                    recommendation=RECOMMENDATIONS[index % len(RECOMMENDATIONS)],
                    comment_to_committee="A sound plan with a credible team.",
                    comment_to_applicant="Clear and well argued." if index % 2 else "",
                    total=Decimal(f"{total:.3f}") if submitted else None,
                    submitted_at=self.now - dt.timedelta(hours=index % 400) if submitted else None,
                )
            )
            values.append(marks)
        reviews = insert(reviews)
        insert_rows(
            Score,
            ["review_id", "criterion_id", "value"],
            (
                (review.pk, criterion.pk, value)
                for review, marks in zip(reviews, values, strict=True)
                for criterion, value in zip(self.criteria, marks, strict=True)
            ),
        )
        # The letters' stored figures, as submitting each review would have left them.
        refresh_review_figures([letter.pk for letter in filed])
        return len(reviews)

    def officer(self):
        officer = self._user(f"{self.o['prefix'].lower()}-officer@example.org", "Bench Officer")
        officer.is_programme_officer = True
        officer.is_staff = True
        officer.save()
        # The office's pages only ask whether an authenticator app is on record
        # (portal.accounts.mfa); the sign-in that would ask for its code is skipped.
        TOTP.activate(officer, generate_totp_secret())
        return officer

    def sessions(self, users):
        """One signed-in session per entry, as django.contrib.auth.login would write it."""
        expire = self.now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        store = SessionStore()
        rows = []
        for user in users:
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: AUTH_BACKEND,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            key = store._get_new_session_key()
            rows.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=expire)
            )
        Session.objects.bulk_create(rows, batch_size=BATCH)
        return [row.session_key for row in rows]
