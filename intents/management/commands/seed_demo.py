from django.core.management.base import BaseCommand

from intents.demo import DEMO_ACCOUNTS, seed


class Command(BaseCommand):
    help = "Create (or refresh) the Chang'e-8 demo call, the demo accounts and a draft letter."

    def add_arguments(self, parser):
        parser.add_argument(
            "--historical",
            action="store_true",
            help="Use the real dates (deadline 31 December 2023) instead of a future deadline.",
        )

    def handle(self, *args, historical=False, **options):
        call = seed(historical=historical)
        self.stdout.write(f"Call: {call.title} — deadline {call.deadline.isoformat()}")
        for email, password, _name, _officer in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email} / {password}")
