"""Configurations refused at start, with a message that names what to set."""

import ipaddress

import environ
from django.core.exceptions import ImproperlyConfigured

# Production (SECURE=on) runs on several nodes: each of these must be said, not defaulted to a
# laptop's value that would half-work (a SQLite file per node, e-mails written to a folder).
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
)


def refuse_incomplete_configuration(
    env: environ.Env, *, secure: bool, site_url: str, s3_bucket: str, s3_settings: dict[str, str]
) -> None:
    problems = []
    if secure:
        unset = [name for name in REQUIRED_IN_PRODUCTION if not env.str(name, default="")]
        if unset:
            problems.append("SECURE=on needs " + ", ".join(unset))
        if not site_url.startswith("https://"):
            problems.append("SECURE=on needs an https:// SITE_URL")
    said = [name for name, value in s3_settings.items() if value]
    if said and not s3_bucket:
        problems.append(", ".join(said) + " set without S3_BUCKET")
    if bool(s3_settings["S3_ACCESS_KEY_ID"]) != bool(s3_settings["S3_SECRET_ACCESS_KEY"]):
        problems.append("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together")
    if s3_settings["S3_ADDRESSING_STYLE"] not in ("", "auto", "path", "virtual"):
        problems.append("S3_ADDRESSING_STYLE must be auto, path or virtual")
    if problems:
        raise ImproperlyConfigured(
            "The portal's configuration is incomplete: "
            + "; ".join(problems)
            + ". See the configuration table in README.md."
        )


def refuse_bad_networks(name: str, networks: list[str]) -> None:
    """Each entry an address or a network, or the setting is refused by its name."""
    try:
        for network in networks:
            ipaddress.ip_network(network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error
