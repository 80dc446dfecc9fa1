"""Restore a backup made by `manage.py backup` (docs/BACKUPS.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.operations.backups.base import BackupError
from portal.operations.backups.folder import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: checks the database dump and every file "
        "against the backup's manifest (SHA-256 and size) before changing anything, then "
        "restores the database (PostgreSQL: pg_restore --clean --if-exists --no-owner in one "
        "transaction; SQLite: its backup API) and puts every file back under its own name. "
        "Refuses a database that has user accounts or a storage that holds files unless "
        "--force. Safe to run again: with --force the database is replaced whole and files "
        "already there with the right bytes are kept. Stop the web, workers and beat first; "
        "afterwards run `manage.py release` (migrations newer than the backup) and "
        "`manage.py verify_documents`."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even into a database with data or a storage with files",
        )
        parser.add_argument("--no-database", action="store_true", help="restore the files only")
        parser.add_argument("--no-files", action="store_true", help="restore the database only")
        parser.add_argument(
            "--workers", type=int, default=8, help="files checked and uploaded at once (default 8)"
        )

    def handle(self, *args, **options):
        if options["no_database"] and options["no_files"]:
            raise CommandError("--no-database and --no-files together leave nothing to do.")
        log = self.stdout.write if options["verbosity"] > 0 else lambda message: None
        try:
            outcome = restore(
                options["folder"],
                database=not options["no_database"],
                files=not options["no_files"],
                force=options["force"],
                workers=max(1, options["workers"]),
                log=log,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        parts = []
        if outcome["database"]:
            parts.append(f"the {outcome['database']} database")
        if outcome["files"] is not None:
            counts = outcome["files"]
            parts.append(
                f"{counts['restored']} file(s) ({counts['kept']} already in place, "
                f"{counts['replaced']} replaced)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Restored {' and '.join(parts) or 'nothing'}.")
            + "\nNext: `manage.py release` (applies migrations newer than the backup), then "
            "`manage.py verify_documents`."
        )
