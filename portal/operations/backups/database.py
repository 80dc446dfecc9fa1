"""The database in a backup: PostgreSQL through pg_dump/pg_restore, SQLite through its backup
API; and whether a database is empty enough to restore into."""

import os
import shutil
import sqlite3
import subprocess  # nosec B404
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder

from .base import BackupError, Log, hash_file, quiet

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


def dump_database(folder: Path, *, log: Log = quiet) -> dict:
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
        "sha256": hash_file(target)[1],
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


def restore_database(folder: Path, meta: dict, *, log: Log = quiet) -> None:
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
