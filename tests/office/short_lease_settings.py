"""The test settings with a short archive-build lease, for the worker processes the recovery
tests start (their DJANGO_SETTINGS_MODULE): a build lost with its worker is found in seconds."""

from tests.settings import *  # noqa: F403

EXPORT_LEASE_SECONDS = 4
