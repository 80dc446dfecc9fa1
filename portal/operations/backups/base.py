"""What the parts of a backup share: the refusal, the progress log, a file's hash."""

import hashlib
from collections.abc import Callable
from pathlib import Path

from portal.storage import CHUNK


class BackupError(Exception):
    """Refused or failed; the message says what to do, for the operator."""


Log = Callable[[str], None]


def quiet(message: str) -> None:
    pass


def hash_file(path: Path) -> tuple[int, str]:
    """The size and SHA-256 of a local file."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
