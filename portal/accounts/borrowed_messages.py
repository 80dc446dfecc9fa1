"""Messages of allauth and Django that our pages show, listed so our catalogue translates them.

Django looks a message up in LOCALE_PATHS (our locale/) before the apps' own catalogues, so an
entry of ours for one of their msgids wins. makemessages keeps only the msgids it finds in our
code, so the ones we re-translate are listed here; nothing imports this module but the test
that holds the catalogue to it (tests/test_languages.py).

Why: their Chinese mixes words ("Email地址", "首选Email", "认证APP", 帐号/账号, 登出, 双因素, 你)
and Django 5.2's password-length message has none. Ours keeps one term set, used throughout:

- e-mail address: 电子邮箱地址 (a field: 电子邮箱); an e-mail message: 邮件
- account: 账户; sign out: 退出登录; you: 您
- two-factor authentication: 双重身份验证; authenticator app: 身份验证器应用
- a one-time code: 验证码; recovery codes: 恢复码
- verified / unverified (an organisation, an address): 已核验 / 未核验; verifying an address: 验证
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# allauth: the sign-in, sign-up, password and e-mail address pages and their messages.
ACCOUNT = [
    gettext_noop("This account is currently inactive."),
    gettext_noop("Account Inactive"),
    gettext_noop("This account is inactive."),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Code"),
    gettext_noop("Alternative options"),
    gettext_noop("Enter your password:"),
    gettext_noop("Request Code"),
    gettext_noop("Request new code"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop(
        "We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon."
    ),
    gettext_noop("Email Addresses"),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Unverified"),
    gettext_noop("Primary"),
    gettext_noop("Make Primary"),
    gettext_noop("Re-send Verification"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Email"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Confirm Email Address"),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for '
        "user %(user_display)s."
    ),
    gettext_noop(
        "Unable to confirm %(email)s because it is already confirmed by a different account."
    ),
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">'
        "issue a new email confirmation request</a>."
    ),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("You have signed out."),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Primary email address set."),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email "
        "allowing you to reset it."
    ),
    gettext_noop("Bad Token"),
    gettext_noop("Verify Your Email Address"),
]

# allauth.mfa: the two-factor pages and their messages.
TWO_FACTOR = [
    gettext_noop("Use authenticator app or code"),
    gettext_noop(
        "You cannot add an email address to an account protected by two-factor authentication."
    ),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop(
        "You cannot generate recovery codes without having two-factor authentication enabled."
    ),
    gettext_noop(
        "You cannot activate two-factor authentication until you have verified your email address."
    ),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop(
        "Your account is protected by two-factor authentication. Please enter an authenticator "
        "code:"
    ),
    gettext_noop("Authenticator code"),
    gettext_noop("Enter an authenticator code:"),
    gettext_noop("Authentication using an authenticator app is active."),
    gettext_noop(
        "To protect your account with two-factor authentication, scan the QR code below with "
        "your authenticator app. Then, input the verification code generated by the app below."
    ),
    gettext_noop(
        "You can store this secret and use it to reinstall your authenticator app at a later time."
    ),
    gettext_noop("Recovery codes"),
    gettext_noop("Recovery Codes"),
    ngettext_lazy(
        "There is %(unused_count)s out of %(total_count)s recovery codes available.",
        "There are %(unused_count)s out of %(total_count)s recovery codes available.",
    ),
    gettext_noop("No recovery codes set up."),
    gettext_noop("A new set of recovery codes has been generated."),
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    gettext_noop("This action will invalidate your existing codes."),
    # Django's admin, listed before allauth in INSTALLED_APPS, answers this one with 你.
    gettext_noop("Are you sure?"),
    gettext_noop("Unused codes"),
    gettext_noop("Download codes"),
    gettext_noop("Generate new codes"),
    gettext_noop("I have saved my recovery codes"),
]

# Django: the password validators (5.2's length message has no Chinese; the others say 你)
# and the e-mail address field.
DJANGO = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Enter a valid email address."),
]
