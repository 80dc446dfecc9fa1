"""Backups of the database and of the private storage's files, and their restore.

A backup is a folder:

    manifest.json      written last: what the backup holds (its absence means an unfinished one)
    database.dump      PostgreSQL, `pg_dump --format=custom`   (or database.sqlite3 for SQLite)
    files/<name>       every object of the private storage, under its stored name

The manifest records the dump's size and SHA-256 and each file's name, size and SHA-256; a
restore checks every one of them before it touches the database or the storage.

Consistency: the database is dumped first (one snapshot: pg_dump reads in a single
repeatable-read transaction), the files are copied after. Stored files are never overwritten or
deleted once a row names them (documents are only marked removed), so a copy of the files taken
after the dump holds every file the dump refers to; files uploaded during the copy may be in the
backup without a row naming them, which is harmless.

Generic on purpose: nothing here knows the portal's models (portal/ never imports intents/).
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import Storage
from django.db import DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder

from portal.storage import CHUNK, hash_stored, private_storage, read_chunks, shared_private_storage

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"

# libpq reads these from the environment; Django's OPTIONS name them without the PG prefix.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
}


class BackupError(Exception):
    """Refused or failed; the message says what to do, for the operator."""


Log = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


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


def _hash_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _parallel(function, items, workers):
    if workers <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backup") as pool:
        return list(pool.map(function, items))


def copy_files_out(folder: Path, *, workers: int = 8, log: Log = _quiet) -> list[StoredFile]:
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
        size, sha256 = _hash_file(path)
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
    folder: Path, entries: list[StoredFile], *, workers: int = 8, log: Log = _quiet
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


# --- the database ----------------------------------------------------------------------------


def _database(alias="default"):
    connection = connections[alias]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection


def _libpq_environment(db: dict) -> dict[str, str]:
    """The connection for pg_dump/pg_restore, the password included, in their environment:
    never on a command line that `ps` shows to every user of the machine."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if db.get("OPTIONS", {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    return env


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not on PATH: install PostgreSQL's client programs (Debian: "
            "postgresql-client), of the server's major version or newer."
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    # A list of arguments, no shell: the program found by shutil.which, paths we chose.
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")


def _sha256(path: Path) -> str:
    return _hash_file(path)[1]


def _migrations(connection) -> dict[str, str]:
    """The newest migration applied per app, for the manifest (what code the dump goes with)."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, str] = {}
    for app, name in (
        MigrationRecorder(connection)
        .migration_qs.order_by("app", "name")
        .values_list("app", "name")
    ):
        applied[app] = name
    return applied


def dump_database(folder: Path, *, log: Log = _quiet) -> dict:
    connection = _database()
    db = connection.settings_dict
    migrations = _migrations(connection)
    if connection.vendor == "postgresql":
        target = folder / POSTGRES_DUMP
        log(f"Dumping PostgreSQL database {db['NAME']!r} with pg_dump…")
        env = _libpq_environment(db)
        _run(
            [_program("pg_dump"), "--format=custom", "--no-password", f"--file={target}"],
            env,
            "pg_dump",
        )
        # A dump pg_restore cannot read is no backup: list its contents now.
        _run([_program("pg_restore"), "--list", str(target)], env, "Reading the dump back")
    else:
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file::memory:"):
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        target = folder / SQLITE_COPY
        log(f"Copying SQLite database {name} with SQLite's backup API…")
        source = sqlite3.connect(name)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The SQLite copy fails its integrity check.")
        finally:
            copy.close()
            source.close()
    return {
        "vendor": connection.vendor,
        "file": target.name,
        "size": target.stat().st_size,
        "sha256": _sha256(target),
        "migrations": migrations,
    }


def database_holds_data() -> str | None:
    """Why the database is not empty (it has accounts), or None: a new database, or one that
    `migrate` alone filled, is empty."""
    connection = _database()
    try:
        tables = connection.introspection.table_names()
        users = get_user_model()
        if users._meta.db_table not in tables:
            return None
        count = users._default_manager.count()
    except DatabaseError as error:
        raise BackupError(
            f"Cannot reach the database {connection.settings_dict['NAME']!r}: {error}\n"
            "Create it first (e.g. createdb), empty, with the owner DATABASE_URL names."
        ) from error
    return f"it has {count} user account(s)" if count else None


def restore_database(folder: Path, meta: dict, *, log: Log = _quiet) -> None:
    connection = _database()
    if meta["vendor"] != connection.vendor:
        raise BackupError(
            f"This backup holds a {meta['vendor']} database; DATABASE_URL names a "
            f"{connection.vendor} one."
        )
    source = folder / meta["file"]
    db = connection.settings_dict
    # Our own connection would hold locks the restore has to take.
    connection.close()
    if connection.vendor == "postgresql":
        log(f"Restoring PostgreSQL database {db['NAME']!r} with pg_restore…")
        _run(
            [
                _program("pg_restore"),
                # Drop what the dump holds before creating it, so a second run is the same as
                # the first; all in one transaction, so a failure leaves the database as it was.
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                # The new server's roles need not be the old one's.
                "--no-owner",
                "--no-privileges",
                "--no-password",
                f"--dbname={db['NAME']}",
                str(source),
            ],
            _libpq_environment(db),
            "pg_restore",
        )
    else:
        target = str(db["NAME"])
        log(f"Restoring SQLite database {target} with SQLite's backup API…")
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        destination = sqlite3.connect(target)
        try:
            with destination:
                backup.backup(destination)
        finally:
            destination.close()
            backup.close()


# --- the whole backup ------------------------------------------------------------------------


def backup(
    folder: Path, *, database: bool = True, files: bool = True, workers: int = 8, log: Log = _quiet
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
    log: Log = _quiet,
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
        if not source.is_file() or (source.stat().st_size, _sha256(source)) != (
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
