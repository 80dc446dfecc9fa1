"""Back up the database and every stored file into a new folder (docs/BACKUPS.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.operations.backups.base import BackupError
from portal.operations.backups.folder import backup


class Command(BaseCommand):
    help = (
        "Back up the database and the private storage's files into a new folder: the database "
        "first (PostgreSQL: pg_dump --format=custom, one consistent snapshot; SQLite: its "
        "backup API), then every stored file, streamed and hashed, then manifest.json with "
        "each file's name, size and SHA-256 (written last: a folder without it is an "
        "unfinished backup). Stored files are never overwritten or deleted once a row names "
        "them, so files copied after the dump hold everything the dump refers to. The web and "
        "workers may keep running. Restore with `manage.py restore <folder>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a new or empty folder for this backup")
        parser.add_argument("--no-database", action="store_true", help="copy the files only")
        parser.add_argument("--no-files", action="store_true", help="dump the database only")
        parser.add_argument(
            "--workers", type=int, default=8, help="files copied at once (default 8)"
        )

    def handle(self, *args, **options):
        if options["no_database"] and options["no_files"]:
            raise CommandError("--no-database and --no-files together leave nothing to do.")
        log = self.stdout.write if options["verbosity"] > 0 else lambda message: None
        try:
            manifest = backup(
                options["folder"],
                database=not options["no_database"],
                files=not options["no_files"],
                workers=max(1, options["workers"]),
                log=log,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        parts = []
        if manifest["database"]:
            database = manifest["database"]
            parts.append(f"the {database['vendor']} database ({database['size']} bytes)")
        if manifest["files"]:
            files = manifest["files"]
            parts.append(f"{files['count']} file(s) ({files['bytes']} bytes)")
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {' and '.join(parts)} into {options['folder']}.")
        )
