"""Where the portal keeps the files it writes (letters' documents, built archives), and how they
are read back in bounded memory whichever backend holds them.

Two backends: a folder on local disk (the laptop default, one node) or an S3-compatible bucket
(any number of web nodes and workers; see docs/DEPLOY.md). Both are reached through
`storages["private"]`; nothing is ever served from MEDIA_URL.
"""

import hashlib
from collections.abc import Iterator

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

CHUNK = 1024 * 1024


class StorageUnavailable(Exception):
    """The storage could not be reached or did not answer; the message is for the user."""


class _PrivateStorage(LazyObject):
    """storages["private"], looked up when first used and again after STORAGES changes (a
    model field keeps the object it was given at import, so it is given this one)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_files = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_files._wrapped = empty


def private_storage() -> Storage:
    """The storage of every file the portal writes (the FileFields' `storage` callable)."""
    return private_files  # type: ignore[return-value]


def shared_private_storage() -> Storage:
    """The private storage, ready to be shared by threads (S3's client is thread-safe, and each
    read or write makes an object of its own). Its bucket is looked up here, once: eight
    threads each creating boto3's resource at once cost seconds."""
    storage = private_storage()
    getattr(storage, "bucket", None)
    return storage


def unavailable_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the storage is down" rather than "the file is not there"."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # the file-system backend alone needs no boto
        return tuple(errors)
    return (*errors, BotoCoreError, ClientError)


def is_missing(error: BaseException) -> bool:
    """True when the storage answered that there is no such file (not that it is down)."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
        return code in {"404", "NoSuchKey", "NotFound"}
    return False


def _s3_object_body(storage: Storage, name: str):
    """The object's body as a stream, for django-storages' S3 backend; None for any other."""
    bucket = getattr(storage, "bucket", None)
    normalize = getattr(storage, "_normalize_name", None)
    if bucket is None or normalize is None:
        return None
    from storages.utils import clean_name

    return bucket.Object(normalize(clean_name(name))).get()["Body"]


def read_chunks(storage: Storage, name: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
    """The stored file, a chunk at a time: a 1 GB object never sits in memory whole.

    django-storages' S3 file object downloads the whole object before the first read; the
    object's body stream does not. Raises before the first chunk when the storage is down or
    the file is missing, so a caller can still answer with a page instead of half a download.
    """
    body = _s3_object_body(storage, name)
    if body is not None:
        return _drain(body.iter_chunks(chunk_size), body.close)
    handle = storage.open(name, "rb")
    return _drain(iter(lambda: handle.read(chunk_size), b""), handle.close)


def _drain(chunks: Iterator[bytes], close) -> Iterator[bytes]:
    try:
        yield from chunks
    finally:
        close()


def hash_stored(storage: Storage, name: str, chunk_size: int = CHUNK) -> tuple[int, str]:
    """(size, SHA-256) of a stored file, read a chunk at a time."""
    digest, size = hashlib.sha256(), 0
    for chunk in read_chunks(storage, name, chunk_size):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()
