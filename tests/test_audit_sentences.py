"""Every kind of audit event the code writes has its sentence, and the sentences read as words in
English and Chinese: field names by their verbose names, choices by their labels, no value
missing shown as Python's None, no dict. The kinds written are read from the source with ast:
each `record(actor, verb, …)` call and each `AuditEvent(verb=…)`, following a verb held in a
name (`VERB = …`, `verb = … if … else …`) or passed as a function's argument."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.utils import timezone, translation

from portal.audit.models import AuditEvent
from portal.audit.sentences import kinds, label, sentence

ROOT = Path(__file__).resolve().parent.parent


class UnreadableVerb(Exception):
    """A verb this test cannot follow to its string: teach `verbs_of` the new form."""


def module_trees():
    for package in ("portal", "intents"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def verb_argument(call):
    """The expression a call passes as the verb, or None if it is no audit write."""
    name = getattr(call.func, "id", getattr(call.func, "attr", None))
    if name == "record" and len(call.args) >= 2:
        return call.args[1]
    if name == "AuditEvent":
        return next((k.value for k in call.keywords if k.arg == "verb"), None)
    return None


def verbs_of(expression, tree, where):
    """The strings `expression` may hold, read in its module `tree`."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return verbs_of(expression.body, tree, where) | verbs_of(expression.orelse, tree, where)
    if isinstance(expression, ast.Name):
        assigned = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and any(getattr(target, "id", None) == expression.id for target in node.targets)
        ]
        passed = list(arguments_for(expression.id, tree))
        if assigned or passed:
            return set().union(*(verbs_of(value, tree, where) for value in assigned + passed))
    raise UnreadableVerb(f"{where}: {ast.unparse(expression)}")


def arguments_for(parameter, tree):
    """What the module's calls pass for `parameter` to the module's functions that take it."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        names = [argument.arg for argument in function.args.args]
        if parameter not in names:
            continue
        position = names.index(parameter)
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == function.name:
                if position < len(call.args):
                    yield call.args[position]
                yield from (k.value for k in call.keywords if k.arg == parameter)


def written_kinds():
    """{verb: [where it is written]} for the whole code base."""
    written = defaultdict(list)
    for path, tree in module_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (expression := verb_argument(node)) is not None:
                where = f"{path}:{node.lineno}"
                for verb in verbs_of(expression, tree, where):
                    written[verb].append(where)
    return written


def test_the_source_reader_finds_the_kinds_written_in_every_form():
    written = written_kinds()
    assert "decision.set" in written  # a literal
    assert {"review.saved", "review.submitted", "review.amended"} <= set(written)  # a name
    assert {"extension.granted", "extension.replaced"} <= set(written)  # a conditional
    assert "call.rubric_changed" in written  # a function's argument
    assert "security.unlock" in written  # a module's constant
    assert len(written) > 40


def test_every_kind_written_has_its_sentence():
    unknown = {verb: where for verb, where in written_kinds().items() if verb not in kinds()}
    assert unknown == {}, "Give these audit events a Kind in their app's audit_kinds module."


def test_every_kind_with_a_sentence_is_written_somewhere():
    assert set(kinds()) - set(written_kinds()) == set()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_kind_reads_as_a_sentence_even_without_its_details(language):
    with translation.override(language):
        for verb in kinds():
            text = sentence(AuditEvent(verb=verb, data={}))
            assert text and "None" not in text and "{" not in text, verb
            assert label(verb) and "." not in label(verb), verb


# --- Representative events, in English and in Chinese ---------------------------------------

DEADLINE_MOVED = AuditEvent(
    verb="call.updated",
    data={
        "fields": ["deadline", "grace_minutes"],
        "deadline": {"old": "2027-02-05T15:59:59+00:00", "new": "2027-02-12T15:59:59+00:00"},
        "grace_minutes": {"old": 0, "new": 15},
    },
)


def in_words(event, language, zone="UTC"):
    with translation.override(language), timezone.override(zone):
        return sentence(event)


def test_a_deadline_change_names_the_fields_and_the_old_and_new_times_in_the_readers_zone():
    assert in_words(DEADLINE_MOVED, "en", "Asia/Shanghai") == (
        "Call settings changed: Deadline for letters of intent, Grace minutes. "
        "Deadline for letters of intent changed from 5 Feb 2027, 23:59 Asia/Shanghai "
        "to 12 Feb 2027, 23:59 Asia/Shanghai. Grace minutes changed from 0 to 15."
    )


def test_a_deadline_change_reads_in_chinese():
    text = in_words(DEADLINE_MOVED, "zh-hans")
    assert text.startswith("已更改合作征集设置：意向书提交截止时间、宽限分钟数。")
    assert "意向书提交截止时间由“2027年2月5日 15:59 UTC”改为“2027年2月12日 15:59 UTC”。" in text
    assert "宽限分钟数由“0”改为“15”。" in text
    for code in ("grace_minutes", "deadline", "old", "new", "T15:59", "。 "):
        assert code not in text


def test_a_decision_names_its_outcome_by_its_label():
    first = AuditEvent(verb="decision.set", data={"outcome": "selected"})
    changed = AuditEvent(
        verb="decision.set", data={"outcome": "selected", "previous": "waitlisted"}
    )
    assert in_words(first, "en") == "Decision recorded: Selected."
    assert in_words(changed, "en") == "Decision changed from Waitlisted to Selected."
    assert in_words(first, "zh-hans") == "已记录决定：已入选。"
    assert in_words(changed, "zh-hans") == "决定由“候补”改为“已入选”。"


def test_a_draft_review_without_a_total_says_none():
    draft = AuditEvent(verb="review.saved", data={"total": None})
    assert in_words(draft, "en") == "Review draft saved; total so far: none."
    assert in_words(draft, "zh-hans") == "已保存评审草稿；目前总分：无。"
    scored = AuditEvent(verb="review.submitted", data={"total": "12.50"})
    assert in_words(scored, "en") == "Review submitted with a total of 12.50."


def test_an_unknown_kind_reads_as_words_not_as_a_dict():
    event = AuditEvent(
        verb="weather.changed",
        data={"grace_minutes": 5, "sky": {"old": None, "new": "2027-02-05T15:59:59+00:00"}},
    )
    assert in_words(event, "en") == (
        "Weather changed (grace minutes: 5; sky: from none to 5 Feb 2027, 15:59 UTC)."
    )
    assert in_words(AuditEvent(verb="weather.changed"), "en") == "Weather changed."
