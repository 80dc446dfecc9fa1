"""Where letters' documents and built archives are kept: a folder on this node, or an
S3-compatible bucket that every web node and worker shares (portal/storage.py, docs/DEPLOY.md)."""

from pathlib import Path

import environ
from boto3.s3.transfer import TransferConfig
from botocore.config import Config as BotoConfig

S3_NAMES = (
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_ADDRESSING_STYLE",
    "S3_PREFIX",
)


def s3_settings(env: environ.Env) -> dict[str, str]:
    """The S3_* variables besides the bucket, each "" when unset."""
    return {name: env.str(name, default="") for name in S3_NAMES}


def private_storage(env: environ.Env, *, bucket: str, s3: dict[str, str], root: Path) -> dict:
    """The STORAGES entry of the private storage: the bucket when there is one, else root."""
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": s3["S3_ENDPOINT_URL"] or None,
            "region_name": s3["S3_REGION"] or None,
            "access_key": s3["S3_ACCESS_KEY_ID"] or None,
            "secret_key": s3["S3_SECRET_ACCESS_KEY"] or None,
            "addressing_style": s3["S3_ADDRESSING_STYLE"] or None,
            # django-storages refuses a location with a leading slash; a prefix is a folder.
            "location": s3["S3_PREFIX"].strip("/"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",
            # A file object read whole spills to disk past this instead of growing in memory.
            "max_memory_size": 8 * 1024 * 1024,
            # Storing a large archive sends two 8 MB parts at a time (boto's default of ten
            # held about 90 MB in the worker).
            "transfer_config": TransferConfig(max_concurrency=2),
            # Short, so a storage outage answers a page quickly instead of holding a worker.
            "client_config": BotoConfig(
                connect_timeout=env.float("S3_CONNECT_TIMEOUT", default=5.0),
                read_timeout=env.float("S3_READ_TIMEOUT", default=30.0),
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
