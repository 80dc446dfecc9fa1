"""A backup folder as a whole: the database dumped first, the files copied after, then the
manifest that says both are done; and the restore, which checks the whole folder against that
manifest before it changes anything."""

import datetime as dt
import json
from pathlib import Path

from portal.storage import private_storage

from .base import BackupError, Log, hash_file, quiet
from .database import database_holds_data, dump_database, restore_database
from .files import (
    StoredFile,
    check_file_copies,
    copy_files_in,
    copy_files_out,
    describe_storage,
    stored_names,
)

FORMAT = 1
MANIFEST = "manifest.json"


def backup(
    folder: Path, *, database: bool = True, files: bool = True, workers: int = 8, log: Log = quiet
) -> dict:
    """Dump the database, then copy the files, then write the manifest that says both are done."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give each backup a new folder.")
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "format": FORMAT,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": dump_database(folder, log=log) if database else None,
        "files": None,
    }
    if files:
        entries = copy_files_out(folder, workers=workers, log=log)
        manifest["files"] = {
            "storage": describe_storage(private_storage()),
            "count": len(entries),
            "bytes": sum(entry.size for entry in entries),
            "entries": [entry.as_dict() for entry in entries],
        }
    manifest["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    part = folder / (MANIFEST + ".part")
    part.write_text(json.dumps(manifest, indent=1))
    part.replace(folder / MANIFEST)
    return manifest


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{path} does not exist: {folder} is not a backup, or one that did not finish."
        )
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')}, not {FORMAT}.")
    return manifest


def restore(
    folder: Path,
    *,
    database: bool = True,
    files: bool = True,
    force: bool = False,
    workers: int = 8,
    log: Log = quiet,
) -> dict:
    """Put a backup back. Refuses a database with accounts or a storage with files unless
    `force`; checks the whole backup against its manifest before changing anything."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    meta = manifest["database"] if database else None
    listed = manifest["files"] if files else None
    if database and meta is None:
        log("This backup holds no database dump: the database is left as it is.")
    if files and listed is None:
        log("This backup holds no files: the storage is left as it is.")

    refusals = []
    if meta is not None and (why := database_holds_data()):
        refusals.append(f"the database is not empty ({why})")
    if listed is not None:
        storage = private_storage()
        if next(iter(stored_names(storage)), None) is not None:
            refusals.append(f"the storage {describe_storage(storage)} already holds files")
    if refusals and not force:
        raise BackupError(
            "Refusing to restore: "
            + "; ".join(refusals)
            + ". Restore into an empty database and storage, or pass --force to replace the "
            "database with the backup's and put back every file of the backup (files already "
            "there with the same bytes are kept, none is deleted)."
        )

    if meta is not None:
        source = folder / meta["file"]
        if not source.is_file() or (source.stat().st_size, hash_file(source)[1]) != (
            meta["size"],
            meta["sha256"],
        ):
            raise BackupError(f"{source} is missing or does not match the manifest; not restored.")
    entries = [StoredFile(**entry) for entry in listed["entries"]] if listed else []
    if listed is not None:
        log(f"Checking {len(entries)} file(s) of the backup against the manifest…")
        check_file_copies(folder, entries, workers=workers)

    outcome: dict = {"database": None, "files": None}
    if meta is not None:
        restore_database(folder, meta, log=log)
        outcome["database"] = meta["vendor"]
    if listed is not None:
        outcome["files"] = copy_files_in(folder, entries, workers=workers, log=log)
    return outcome
