import zoneinfo

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# The zones people live in, as browsers name them (Area/Location, legacy spellings such as
# Asia/Calcutta included), and UTC; not the database's other entries ("Factory", "localtime",
# "CST6CDT", "US/Eastern", "Etc/GMT+3"), which no one picks as their own.
AREAS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
AREAS |= {"Indian", "Pacific"}
TIME_ZONE_CHOICES = [("UTC", "UTC")] + [
    (name, name)
    for name in sorted(zoneinfo.available_timezones())
    if name.partition("/")[0] in AREAS
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address (there is no username)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # Whether the user picked `language` (at sign-up, with the switcher, on the profile) rather
    # than holding the default: a language chosen before signing in replaces only the default
    # (PortalAccountAdapter.login).
    language_chosen = models.BooleanField(
        _("language chosen by the person"), default=False, editable=False
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    # Receipts, decisions and account e-mails always go; reminders and digests only if wanted.
    receive_reminders = models.BooleanField(
        _("send me deadline reminders"),
        default=True,
        help_text=_(
            "Reminders before deadlines and the office's daily digest. Receipts, decisions and "
            "account e-mails are always sent."
        ),
    )
    is_programme_officer = models.BooleanField(
        _("programme officer"),
        default=False,
        help_text=_("Runs calls: configures them, assigns reviewers, decides and notifies."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email

    @cached_property
    def membership_list(self):
        """The user's memberships with their organisations, by organisation name: read once
        per request, for the navigation and every permission check alike."""
        return list(
            self.memberships.select_related("organisation").order_by("organisation__legal_name")
        )

    def has_perm(self, perm, obj=None):
        # The portal's own permissions (rules.py in each app) hold for everyone alike: being a
        # Django superuser makes nobody an applicant, a reviewer or a programme officer. Django's
        # model permissions, which the admin uses, keep their superuser shortcut.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)
