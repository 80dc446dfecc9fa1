"""The release step of every deployment: migrate, safe to start on several nodes at once."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

# Any fixed number, the same on every node: PostgreSQL advisory locks are named by integers.
MIGRATION_LOCK = 0x4C4F4931  # "LOI1"


class Command(BaseCommand):
    help = (
        "Apply the database migrations, one node at a time: a node that starts while another "
        "migrates waits for it, then finds nothing left to do."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            # SQLite serves a single node, and its migrations take the file's write lock.
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
            return
        with connection.cursor() as cursor:
            self.stdout.write("Waiting for the migration lock…")
            # A session lock, held across migrate's own transactions and freed if we die.
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
            try:
                call_command("migrate", interactive=False, verbosity=options["verbosity"])
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
