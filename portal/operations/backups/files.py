"""The private storage's files in a backup: listed, copied out and back in, checked against the
manifest's sizes and SHA-256, several at once."""

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage

from portal.storage import hash_stored, read_chunks, shared_private_storage

from .base import BackupError, Log, hash_file, quiet

FILES = "files"


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str

    def as_dict(self):
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


# --- the private storage ---------------------------------------------------------------------


def describe_storage(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3://{bucket}/{getattr(storage, 'location', '')}".rstrip("/")
    location = getattr(storage, "location", None)
    return str(location) if location else type(storage).__name__


def stored_names(storage: Storage) -> Iterator[str]:
    """Every file in the storage, by the name the portal uses for it."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None and hasattr(storage, "location"):
        # One flat listing instead of a request per "folder".
        prefix = storage.location.strip("/")
        prefix = f"{prefix}/" if prefix else ""
        for item in bucket.objects.filter(Prefix=prefix):
            if not item.key.endswith("/"):
                yield item.key[len(prefix) :]
        return
    yield from _walk(storage, "")


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}{name}/")


def _local_path(root: Path, name: str) -> Path:
    """Where a stored name lives in the backup; a name that would leave the folder is refused."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(p in ("..", ".") for p in parts):
        raise BackupError(f"Refusing the stored name {name!r}: it would leave the backup folder.")
    return root.joinpath(*parts)


def _parallel(function, items, workers):
    if workers <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backup") as pool:
        return list(pool.map(function, items))


def copy_files_out(folder: Path, *, workers: int = 8, log: Log = quiet) -> list[StoredFile]:
    """Every object of the private storage into folder/files/, streamed and hashed on the way."""
    storage = shared_private_storage()
    root = folder / FILES
    names = sorted(stored_names(storage))
    log(f"Copying {len(names)} file(s) from {describe_storage(storage)}…")

    def copy(name: str) -> StoredFile:
        target = _local_path(root, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        digest, size = hashlib.sha256(), 0
        with part.open("wb") as handle:
            for chunk in read_chunks(storage, name):
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        part.replace(target)
        return StoredFile(name, size, digest.hexdigest())

    return _parallel(copy, names, workers)


def check_file_copies(folder: Path, entries: list[StoredFile], *, workers: int = 8) -> None:
    """Every file the manifest lists is in the backup with its size and SHA-256."""
    root = folder / FILES

    def problem(entry: StoredFile) -> str | None:
        path = _local_path(root, entry.name)
        if not path.is_file():
            return f"{entry.name}: missing from the backup"
        size, sha256 = hash_file(path)
        if (size, sha256) != (entry.size, entry.sha256):
            return (
                f"{entry.name}: the manifest says {entry.size} bytes, sha256 {entry.sha256}; "
                f"the copy has {size} bytes, sha256 {sha256}"
            )
        return None

    problems = [found for found in _parallel(problem, entries, workers) if found]
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BackupError(
            f"{len(problems)} file(s) of the backup do not match its manifest; nothing was "
            f"restored:\n  {shown}{more}"
        )


def copy_files_in(
    folder: Path, entries: list[StoredFile], *, workers: int = 8, log: Log = quiet
) -> dict[str, int]:
    """Each file back into the private storage under its own name. A file already there with
    the manifest's bytes is kept (a second run does nothing); one with other bytes is replaced."""
    storage = shared_private_storage()
    root = folder / FILES
    log(f"Restoring {len(entries)} file(s) into {describe_storage(storage)}…")
    present = set(stored_names(storage))

    def restore(entry: StoredFile) -> str:
        outcome = "restored"
        if entry.name in present:
            if hash_stored(storage, entry.name) == (entry.size, entry.sha256):
                return "kept"
            storage.delete(entry.name)
            outcome = "replaced"
        with _local_path(root, entry.name).open("rb") as handle:
            saved = storage.save(entry.name, File(handle, name=entry.name))
        if saved != entry.name:
            storage.delete(saved)
            raise BackupError(f"{entry.name}: the storage stored it as {saved}; restore stopped.")
        if storage.size(entry.name) != entry.size:
            raise BackupError(f"{entry.name}: the storage holds a different size after upload.")
        return outcome

    outcomes = _parallel(restore, entries, workers)
    return {word: outcomes.count(word) for word in ("restored", "kept", "replaced")}
