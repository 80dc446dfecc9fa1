"""A real S3-compatible server for the storage tests: moto's server mode, in a process of its
own on a free port, stopped (and everything in it lost) at the end of the test.

`S3Server.settings()` gives the environment variables the portal reads (S3_BUCKET, …), for a
process the test starts; `S3Server.storage()` a storage object on it for this process.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from contextlib import suppress
from pathlib import Path

from tests.notifications.processes import wait_until
from tests.notifications.smtp_sink import free_port

MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))
ACCESS_KEY = "portal-test-key"
SECRET_KEY = "portal-test-secret"  # noqa: S105 (moto accepts any)
REGION = "eu-west-1"


class S3Server:
    def __init__(self, port=None, bucket=None):
        self.port = port or free_port()
        self.bucket = bucket or f"portal-{uuid.uuid4().hex[:8]}"
        self.log = Path(tempfile.mkdtemp(prefix="portal-s3-")) / "moto.log"
        self.process = None

    @property
    def endpoint_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, seconds=30, create_bucket=True):
        if not os.path.exists(MOTO_SERVER):
            raise AssertionError(f"{MOTO_SERVER} is missing: install the dev extras (moto[server])")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self.answers, seconds, f"moto_server on port {self.port} (log: {self.log})")
        if create_bucket:
            self.client().create_bucket(
                Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        return self

    def answers(self):
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"moto_server exited:\n{self.log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1):  # noqa: S310
                return True
        except OSError:
            return False

    def stop(self):
        """SIGKILL: the storage goes away at once, as a crashed or unreachable server would."""
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.log.parent, ignore_errors=True)

    def settings(self, prefix="portal"):
        """The environment variables that point the portal at this server."""
        return {
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_ADDRESSING_STYLE": "path",
            "S3_PREFIX": prefix,
        }

    def storage_options(self, prefix="portal"):
        """The options settings.py gives django-storages for `settings(prefix)`."""
        from botocore.config import Config

        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint_url,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": "path",
            "location": prefix,
            "default_acl": "private",
            "file_overwrite": False,
            "signature_version": "s3v4",
            "max_memory_size": 8 * 1024 * 1024,
            "client_config": Config(
                connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}
            ),
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def put_big_object(self, key, size, part_size=16 * 1024 * 1024):
        """`size` bytes written to the bucket directly (multipart), never whole in memory: the
        same part each time with one byte changed, so the parts differ. Returns the SHA-256."""
        client = self.client()
        upload = client.create_multipart_upload(Bucket=self.bucket, Key=key)
        part = bytearray(os.urandom(part_size))
        parts, digest = [], hashlib.sha256()
        for number in range(1, size // part_size + 1):
            part[0] = number % 256
            digest.update(part)
            etag = client.upload_part(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload["UploadId"],
                PartNumber=number,
                Body=bytes(part),
            )["ETag"]
            parts.append({"PartNumber": number, "ETag": etag})
        client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=key,
            UploadId=upload["UploadId"],
            MultipartUpload={"Parts": parts},
        )
        return digest.hexdigest()

    def keys(self):
        """Every key in the bucket (what is stored, whatever the portal thinks)."""
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))
