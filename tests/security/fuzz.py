"""Hostile form posts for Hypothesis, and the check that a post either changed nothing or left
whole, valid objects behind.

`posts(*forms)` draws what a browser, or someone pretending to be one, could send for a page's
forms: the page's own values or nothing at all, then some fields dropped and some replaced by
plausible or hostile values (any unicode, NUL bytes, strings up to 100 kB, numbers as text,
several values for a single field), plus fields the page never had. `send()` sends one and
undoes it after checking the outcome, so every example starts from the same world.
"""

import datetime as dt
import traceback
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, event
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from intents.models import Document

from ..letters.test_documents import files_under


def fuzz(examples=25):
    """Few examples per form, so the whole module runs in about a minute."""
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


# --- What a hostile browser sends ----------------------------------------------------------

TRICKY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1.5",
    "1e309",
    "-0",
    "NaN",
    "sNaN",
    "inf",
    "9" * 40,
    "²",
    "١٢",
    "true",
    "None",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n%x",
    "\u202egpj.exe",
    "\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "月球探测",
    "2024-02-30T25:61:61",
    "0000-00-00",
]
# Any code point a browser can send in UTF-8 (surrogates cannot be encoded), NUL included.
ANY_CHARACTER = st.characters(codec="utf-8")
HUGE_PIECES = ["a", "é", "月", "\x00", "9", "<b>", "\n", "🚀"]
HUGE_BYTES = 100_000
# The first and last moments Python knows: a zone's offset pushes them off the calendar in UTC.
CALENDAR_EDGES = [dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59)]


@st.composite
def huge_text(draw):
    """A string of up to 100 kB of one repeated piece."""
    piece = draw(st.sampled_from(HUGE_PIECES))
    return piece * draw(st.integers(1_000, HUGE_BYTES // len(piece.encode())))


def numbers_as_text():
    return st.one_of(
        st.integers().map(str),
        st.integers(-(2**80), 2**80).map(str),
        st.floats().map(repr),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )


def hostile_text():
    return st.one_of(
        st.sampled_from(TRICKY),
        st.text(ANY_CHARACTER, max_size=30),
        numbers_as_text(),
        huge_text(),
    )


def keys_of(choices):
    """The values of a field's choices, option groups flattened."""
    keys = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            keys.extend(str(inner) for inner, _label in label)
        else:
            keys.append(str(key))
    return keys


def some_of(values):
    return st.lists(st.sampled_from(values), max_size=len(values), unique=True)


def plausible(field):
    """Values of the right shape for `field`: its choices, its numbers and their bounds, dates
    across the calendar, addresses and texts at their length limit."""
    if isinstance(field, forms.ModelChoiceField):
        # The rows on offer, and ids of rows that are not or cannot be.
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:50]]
        one = st.one_of(st.sampled_from(pks or ["1"]), st.integers().map(str))
        if isinstance(field, forms.ModelMultipleChoiceField):
            return st.lists(one, max_size=4)
        return one
    if isinstance(field, forms.ChoiceField):
        keys = keys_of(field.choices) or [""]
        if isinstance(field, forms.MultipleChoiceField):
            return some_of(keys)
        return st.sampled_from(keys)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "true", "false", "0", "1", ""])
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        bounds = [
            value + step
            for value in (field.min_value, field.max_value, 0, 2**31, 2**63)
            if value is not None
            for step in (-1, 0, 1)
        ]
        return st.one_of(st.sampled_from([str(bound) for bound in bounds]), numbers_as_text())
    if isinstance(field, forms.DateTimeField):
        moments = st.one_of(st.sampled_from(CALENDAR_EDGES), st.datetimes(*CALENDAR_EDGES))
        return st.tuples(
            moments, st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"])
        ).map(lambda pair: pair[0].strftime(pair[1]))
    if isinstance(field, forms.DateField):
        days = [moment.date() for moment in CALENDAR_EDGES]
        return st.one_of(st.sampled_from(days), st.dates()).map(dt.date.isoformat)
    if isinstance(field, forms.EmailField):
        return st.one_of(st.emails(), st.integers(60, 400).map(lambda n: "x" * n + "@example.org"))
    if isinstance(field, forms.URLField):
        return st.one_of(urls(), st.integers(150, 2100).map(lambda n: "example.org/" + "p" * n))
    if isinstance(field, forms.CharField) and field.max_length:
        limit = field.max_length
        return st.one_of(
            st.text(ANY_CHARACTER, max_size=limit + 2),
            st.sampled_from(["x" * limit, "月" * limit, "x" * (limit + 1)]),
        )
    return hostile_text()


def value_for(field):
    """Mostly one value, plausible twice as often as hostile; else several for one field."""
    shaped = plausible(field)
    one = st.one_of(shaped, shaped, hostile_text())
    return st.one_of(one, one, one, st.lists(one, min_size=2, max_size=3))


def page_values(form):
    """What the page sends back untouched: every field's current value as the browser has it."""
    data = {}
    for bound in form:
        if isinstance(bound.field, forms.FileField):
            continue
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
            continue
        shown = bound.field.widget.format_value(value)
        if isinstance(shown, list):
            data[bound.html_name] = [str(item) for item in shown]
        else:
            data[bound.html_name] = "" if shown is None else str(shown)
    return data


# Names of fields no page has; ASCII, so the multipart body stays well-formed.
UNKNOWN_NAME = st.text(st.characters(codec="ascii", categories=["L", "N", "Pd"]), min_size=1)


@st.composite
def posts(draw, *forms_, base=None, extra=None):
    """A post for the page holding `forms_` (e.g. a formset's management form and its rows).

    It starts from nothing or from what an honest user sends: `base`, else the page's own
    values. `extra` maps names to strategies: fields the forms do not declare (the page's
    buttons), or values to try besides a field's usual ones."""
    fields = {
        bound.html_name: value_for(bound.field)
        for form in forms_
        for bound in form
        if not isinstance(bound.field, forms.FileField)
    }
    fields.update(extra or {})
    data = {}
    if draw(st.booleans()):
        if base is not None:
            data.update(base)
        else:
            for form in forms_:
                data.update(page_values(form))
    # A few fields changed, so the rest stays valid and the form's deeper checks run; or all.
    changed = draw(st.sampled_from([1, 1, 2, 3, len(fields)])) if fields else 0
    for name in draw(
        st.lists(st.sampled_from(sorted(fields) or [""]), unique=True, max_size=changed)
    ):
        if draw(st.integers(0, 3)) == 0:
            data.pop(name, None)
        else:
            data[name] = draw(fields[name])
    data.update(draw(st.dictionaries(UNKNOWN_NAME, hostile_text(), max_size=2)))
    return data


# --- Sending it, and checking what it left -------------------------------------------------

# Every table but Django's own bookkeeping (sessions, content types, the admin's history).
UNTRACKED_APPS = {"contenttypes", "sessions", "admin"}


def tracked_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in UNTRACKED_APPS
    ]


def database_rows():
    """Every tracked table's rows by primary key, read with plain SQL: building the ORM's
    queries would cost more than the request under test."""
    tables = {}
    with connection.cursor() as cursor:
        for model in tracked_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            columns = [column[0] for column in cursor.description]
            key = columns.index(model._meta.pk.column)
            tables[model] = {row[key]: row for row in cursor.fetchall()}
    return tables


@dataclass
class Outcome:
    """What one request did: its response, and the rows it wrote or deleted, per model."""

    response: object
    written: dict
    deleted: dict

    def rows(self, model):
        return self.written.get(model, [])

    @property
    def changed_anything(self):
        return bool(self.written or self.deleted)


def outcome_of(response, before, after):
    written, deleted = {}, {}
    for model, rows in after.items():
        old = before[model]
        pks = [pk for pk, row in rows.items() if old.get(pk) != row]
        if pks:
            written[model] = list(model._base_manager.filter(pk__in=pks))
        gone = [row for pk, row in old.items() if pk not in rows]
        if gone:
            deleted[model] = gone
    return Outcome(response, written, deleted)


def server_error(response):
    if response.exc_info:
        return "".join(traceback.format_exception(*response.exc_info))
    return f"{response.status_code} {response.get('Location', '')}"


# Our apps' rows and allauth's must validate; django-axes keeps its own records its own way.
VALIDATED_APPS = {
    "accounts",
    "organisations",
    "notifications",
    "audit",
    "intents",
    "account",
    "mfa",
}


def unchecked(instance):
    """Fields validation must skip: a NULL the database allows is the code's own choice (who
    released a decision not yet released)."""
    return {
        field.name
        for field in instance._meta.concrete_fields
        if field.null and getattr(instance, field.attname) is None
    }


def assert_whole(outcome):
    """Every row written passes its model's own validation: nothing half-made."""
    for model, instances in outcome.written.items():
        if model._meta.app_label not in VALIDATED_APPS:
            continue
        for instance in instances:
            try:
                instance.full_clean(exclude=unchecked(instance))
            except ValidationError as error:
                raise AssertionError(
                    f"{model._meta.label} {instance.pk} was saved invalid: {error}"
                ) from None


def send(client, method, url, data=None, *, check=None):
    """Send `data` to `url`, check the outcome, and undo it.

    Never a server error; every row written is whole and valid; every file stored belongs to a
    document row; and `check(outcome)` holds (the form's own rules). Caches are emptied first:
    each example is a fresh visitor, whom no rate limit has seen yet.
    """
    for cache in caches.all():
        cache.clear()
    files_before = files_under(settings.PRIVATE_STORAGE_ROOT)
    new_files = set()
    try:
        with transaction.atomic():
            before = database_rows()
            response = getattr(client, method)(url, data or {})
            if response.streaming:
                b"".join(response.streaming_content)
            assert response.status_code < 500, server_error(response)
            outcome = outcome_of(response, before, database_rows())
            assert_whole(outcome)
            new_files = files_under(settings.PRIVATE_STORAGE_ROOT) - files_before
            storage = Document._meta.get_field("file").storage
            documents = {
                Path(storage.path(name)) for name in Document.objects.values_list("file", flat=True)
            }
            assert new_files <= documents, f"files stored without a document: {new_files}"
            # pytest --hypothesis-show-statistics shows how often each form got this far.
            event(f"{response.status_code}, {'saved' if outcome.changed_anything else 'unchanged'}")
            if check:
                check(outcome)
            transaction.set_rollback(True)
    finally:
        # The rolled-back documents' files go too.
        for path in new_files:
            path.unlink(missing_ok=True)
