"""Audit events in words, in the reader's language and time zone: each kind (verb) a sentence
with its details named by their model's fields and choices, never a dict or a field's code.

The apps that write events name their kinds as `audit_kinds` on their AppConfig: dotted paths of
mappings {verb: Kind} (portal/registry.py), so portal reads intents' kinds without importing
intents. A verb no app names gets a generic sentence built from its details.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.presentation import moment_text
from portal.registry import app_configs_with

from .models import AuditEvent

# An ISO 8601 moment as the actions store them (`_plain` in intents/office/config.py).
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class Details:
    """An event's details, each read as words: a missing or empty one is "none"."""

    def __init__(self, data: Mapping[str, Any]):
        self.data = data

    def __contains__(self, key: str) -> bool:
        return self.data.get(key) not in (None, "", [], {})

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str) -> str:
        return value_in_words(self.data.get(key))

    def choice(self, key: str, choices: type[models.Choices]) -> str:
        return choice_label(choices, self.data.get(key))

    def field(self, model: type[models.Model], name: str, value: Any) -> str:
        """`value` of the model's field `name`: a choice by its label, a time in the reader's
        zone."""
        field = model_field(model, name)
        if field is None:
            return value_in_words(value)
        if field.choices and value is not None:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField) and isinstance(value, bool):
            return _("yes") if value else _("no")
        return value_in_words(value)

    def field_names(self, model: type[models.Model], key: str) -> str:
        """A list of the model's field names, each by its verbose name: "Deadline, Slug"."""
        return names_in_words(model, self.data.get(key) or [])


@dataclass(frozen=True)
class Kind:
    """An action's short name (the log's filter, the admin's) and its sentence, worked out from
    the event's details; without one, the sentence is the name ("Letter saved.")."""

    label: str | Promise
    sentence: Callable[[Details], str] | None = None


def sentence(event: AuditEvent) -> str:
    kind = kinds().get(event.verb)
    if kind is None:
        return generic_sentence(label(event.verb), event.data)
    if kind.sentence is None:
        return _("%(action)s.") % {"action": kind.label}
    return kind.sentence(Details(event.data))


def label(verb: str) -> str:
    """The action's short name; an unknown verb's code made readable (`weather.changed` →
    "Weather changed")."""
    kind = kinds().get(verb)
    return str(kind.label) if kind else capfirst(re.sub(r"[._]+", " ", verb))


def object_in_words(event: AuditEvent) -> str:
    """The event's object as its type and name, "Letter of intent: ESA-LOI-0001"; empty for an
    event about no object (a sign-in)."""
    if not event.target_type:
        return ""
    return _("%(type)s: %(object)s") % {
        "type": type_label(event.target_type),
        "object": event.target_label or f"#{event.target_id}",
    }


def type_label(target_type: str) -> str:
    """`intents.letterofintent` → "Letter of intent", from the model's own name."""
    try:
        return str(capfirst(apps.get_model(target_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return target_type


@cache
def kinds() -> dict[str, Kind]:
    """Every app's kinds, read once."""
    found: dict[str, Kind] = {}
    for config in app_configs_with("audit_kinds"):
        for path in config.audit_kinds:
            found.update(import_string(path))
    return found


def generic_sentence(action: str, data: Mapping[str, Any]) -> str:
    """The sentence of a kind no app names: Action (detail: value; other detail: value)."""
    if not data:
        return _("%(action)s.") % {"action": action}
    details = "; ".join(
        _("%(name)s: %(value)s") % {"name": key.replace("_", " "), "value": value_in_words(value)}
        for key, value in data.items()
    )
    return _("%(action)s (%(details)s).") % {"action": action, "details": details}


def value_in_words(value: Any) -> str:
    """A detail as a reader says it; a value whose field is known reads better through
    Details.field."""
    if value is None or value == "" or value == []:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return moment_text(value)
    if isinstance(value, str) and ISO_MOMENT.match(value):
        try:
            return moment_text(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return listed(value_in_words(item) for item in value)
    if isinstance(value, dict):
        if set(value) == {"old", "new"}:
            return from_to(value_in_words(value["old"]), value_in_words(value["new"]))
        return "; ".join(
            _("%(name)s: %(value)s")
            % {"name": str(key).replace("_", " "), "value": value_in_words(item)}
            for key, item in value.items()
        )
    return str(value)


def from_to(old: str, new: str) -> str:
    return _("from %(old)s to %(new)s") % {"old": old, "new": new}


def choice_label(choices: type[models.Choices], value: Any) -> str:
    """A stored choice by its label ("selected" → "Selected"); an unknown one as it is."""
    if value in (None, ""):
        return _("none")
    return str(dict(choices.choices).get(value, value))


def names_in_words(model: type[models.Model], names: Iterable[str]) -> str:
    return listed(field_label(model, name) for name in names) or _("none")


def one_after_another(sentences: Iterable[str]) -> str:
    """Sentences as one text: a space after an English full stop, none after a Chinese one."""
    text = ""
    for part in sentences:
        text += part if not text or text.endswith("。") else " " + part
    return text


def listed(items: Iterable[str]) -> str:
    # Translators: between the items of a list ("Deadline, Grace minutes"); Chinese uses "、".
    return _(", ").join(items)


def field_label(model: type[models.Model], name: str) -> str:
    field = model_field(model, name)
    return str(capfirst(field.verbose_name)) if field else name.replace("_", " ")


def model_field(model: type[models.Model], name: str) -> models.Field | None:
    """The model's own field `name`; None for a name it no longer has (an old event's)."""
    try:
        field = model._meta.get_field(name)
    except LookupError:
        return None
    return field if isinstance(field, models.Field) else None
