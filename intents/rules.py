"""Who may see and change letters of intent and their documents. Checked in every view."""

import rules

from portal.organisations.rules import is_editor, is_member, is_programme_officer


@rules.predicate
def is_letter_member(user, letter):
    return is_member(user, letter.organisation)


@rules.predicate
def is_letter_editor(user, letter):
    return is_editor(user, letter.organisation)


@rules.predicate
def is_filed(user, letter):
    # A draft is the organisation's working paper; the office reads letters once submitted.
    return letter.submitted_at is not None


rules.add_perm("intents.view_letter", is_letter_member | (is_programme_officer & is_filed))
rules.add_perm("intents.change_letter", is_letter_editor)
rules.add_perm("intents.start_letter", is_editor)
rules.add_perm("intents.preview_call", is_programme_officer)
