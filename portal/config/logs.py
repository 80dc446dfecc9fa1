"""The LOGGING setting: one console handler, JSON lines or text, each line with its request id
(portal/operations/logging.py), and errors e-mailed to ADMINS when DEBUG is off."""

from django.core.exceptions import ImproperlyConfigured


def logging_config(*, log_format: str, log_level: str) -> dict:
    if log_format not in ("json", "text"):
        raise ImproperlyConfigured("LOG_FORMAT must be json or text")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request": {"()": "portal.operations.logging.RequestContextFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "json": {"()": "portal.operations.logging.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request"],
                "formatter": log_format,
            },
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["console"], "level": log_level},
        # Django's own, once, through our handler (its default adds a second, plain console).
        "loggers": {
            "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Not a line per request about finding or making the request id.
            "django_guid": {"level": "WARNING"},
        },
    }
