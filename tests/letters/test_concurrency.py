"""Concurrent submissions through separate database connections, as two web workers would."""

import threading

from django.db import connection

from intents.letters import actions
from intents.models import LetterOfIntent

from ..conftest import attach_pdf
from ..factories import LetterFactory, complete_letter_fields


def run_in_parallel(*jobs):
    """Start every job at the same moment, each on its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def runner(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def complete_letter(mode, organisation, owner, document_type):
    letter = LetterFactory(mode=mode, organisation=organisation, **complete_letter_fields())
    attach_pdf(letter, owner, document_type)
    letter.refresh_from_db()
    return letter


def test_parallel_submissions_get_different_references(
    transactional_db, mode, organisation, owner, signed_letter_type
):
    letters = [complete_letter(mode, organisation, owner, signed_letter_type) for _ in range(4)]
    jobs = [
        (
            lambda letter=letter: actions.submit(
                letter_id=letter.pk, user=owner, expected_version=letter.version
            )
        )
        for letter in letters
    ]
    results, errors = run_in_parallel(*jobs)
    assert errors == []
    references = sorted(letter.reference for letter in results)
    prefix = mode.call.reference_prefix
    assert references == [f"{prefix}-LOI-000{n}" for n in range(1, 5)]


def test_a_double_click_files_the_letter_once(
    transactional_db, mode, organisation, owner, signed_letter_type
):
    letter = complete_letter(mode, organisation, owner, signed_letter_type)

    def submit():
        return actions.submit(letter_id=letter.pk, user=owner, expected_version=letter.version)

    results, errors = run_in_parallel(submit, submit)
    assert errors == []
    assert results[0].reference == results[1].reference
    stored = LetterOfIntent.objects.get(pk=letter.pk)
    assert stored.versions.count() == 1
    assert stored.call.reference_sequence.last_number == 1


def test_two_parallel_saves_of_the_same_version_keep_one_and_refuse_the_other(
    transactional_db, draft, owner, editor
):
    def save(user, text):
        return lambda: actions.save_letter(
            letter_id=draft.pk, user=user, changes={"summary": text}, expected_version=draft.version
        )

    results, errors = run_in_parallel(save(owner, "owner"), save(editor, "editor"))
    assert len(errors) == 1 and isinstance(errors[0], actions.StaleVersion)
    saved = [letter for letter in results if letter is not None]
    draft.refresh_from_db()
    assert draft.summary == saved[0].summary
