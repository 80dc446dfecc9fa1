import time

from django.core.management.base import BaseCommand

from portal.notifications.in_process import run_due_periodic_tasks


class Command(BaseCommand):
    help = (
        "Runs the periodic tasks of the database schedule (reminders, the outbox sweeper) in "
        "this process, for a laptop without a broker. Production runs `celery beat` instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due, then stop.")
        parser.add_argument(
            "--tick", type=float, default=30.0, help="Seconds between looks at the schedule."
        )

    def handle(self, *args, once, tick, **options):
        while True:
            for name in run_due_periodic_tasks():
                self.stdout.write(f"ran: {name}")
            if once:
                return
            time.sleep(tick)
