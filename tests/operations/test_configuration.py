"""Production configuration: what is required is refused at start when unset, with a message
that names it; object storage comes from the S3_* variables alone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECURE": "on",
    "DEBUG": "off",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://127.0.0.1:25",
}


def start(tmp_path, script="import django; django.setup(); print('started')", **variables):
    """A new process with the production settings and exactly these variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in PRODUCTION and not name.startswith("S3_")
    }
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", PORTAL_VAR_DIR=str(tmp_path))
    env.update({name: value for name, value in variables.items() if value is not None})
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_production_settings_start_when_everything_required_is_set(tmp_path):
    done = start(tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "started" in done.stdout


def test_each_unset_requirement_is_named_at_start(tmp_path):
    done = start(tmp_path, **{**PRODUCTION, "DATABASE_URL": None, "EMAIL_URL": None})
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "SECURE=on needs DATABASE_URL, EMAIL_URL" in done.stderr


def test_a_plain_http_site_url_is_refused_in_production(tmp_path):
    done = start(tmp_path, **{**PRODUCTION, "SITE_URL": "http://portal.example.org"})
    assert done.returncode != 0
    assert "https:// SITE_URL" in done.stderr


def test_s3_settings_without_a_bucket_are_refused(tmp_path):
    done = start(tmp_path, S3_ENDPOINT_URL="http://127.0.0.1:9000", S3_REGION="eu-west-1")
    assert done.returncode != 0
    assert "S3_ENDPOINT_URL, S3_REGION set without S3_BUCKET" in done.stderr


def test_an_access_key_without_its_secret_is_refused(tmp_path):
    done = start(tmp_path, S3_BUCKET="portal", S3_ACCESS_KEY_ID="key")
    assert done.returncode != 0
    assert "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together" in done.stderr


def test_the_bucket_and_a_slashed_prefix_configure_private_s3_storage(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from portal.storage import private_storage\n"
        "s = private_storage()\n"
        "print(s.__class__.__name__, s.bucket_name, s.location, s.endpoint_url, s.region_name,"
        " s.addressing_style, s.default_acl, s.file_overwrite)\n"
    )
    done = start(
        tmp_path, script, S3_BUCKET="letters", S3_PREFIX="/portal/prod/",
        S3_ENDPOINT_URL="http://127.0.0.1:9000", S3_REGION="eu-west-1",
        S3_ACCESS_KEY_ID="key", S3_SECRET_ACCESS_KEY="secret", S3_ADDRESSING_STYLE="path",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "S3Storage", "letters", "portal/prod", "http://127.0.0.1:9000", "eu-west-1", "path",
        "private", "False",
    ]  # fmt: skip


def test_make_run_points_e_mail_links_at_the_host_it_serves():
    done = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "HOST=portal.test:9000"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert 'SITE_URL="${SITE_URL:-http://portal.test:9000}"' in done.stdout
    assert "127.0.0.1,localhost,portal.test" in done.stdout
