"""Who is a programme officer: the rule every office page checks, the letters' pages included."""

import rules


@rules.predicate
def is_programme_officer(user):
    return user.is_authenticated and user.is_programme_officer


# Officers also need two-factor authentication, checked before every view rather than here:
# see mfa.py.
rules.add_perm("accounts.run_office", is_programme_officer)
