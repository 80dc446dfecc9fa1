"""Re-hash every stored document against its recorded SHA-256 and size, and check every receipt."""

import json

from django.core.management.base import BaseCommand, CommandError

from intents.integrity import verify
from intents.models import Call


class Command(BaseCommand):
    help = (
        "Re-hash every stored document (streamed, in bounded memory) against the SHA-256 and "
        "size recorded when it was uploaded, and check every filed version's receipt: each "
        "SHA-256 a version froze must be a document of that letter whose stored bytes hash to "
        "it. Prints each problem (missing file, wrong size, wrong hash, unreadable storage, "
        "receipt that does not verify) with the letter's reference and the document's id, then "
        "a summary line; exits with status 1 when anything drifted. Run it regularly (weekly) "
        "and after every restore (docs/BACKUPS.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--call",
            help="only the letters of this call (its slug, reference prefix or id)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object (counts and problems) instead of lines",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=8,
            help="documents read and hashed at once (default 8; the storage is the bottleneck)",
        )

    def handle(self, *args, **options):
        call = _call(options["call"]) if options["call"] else None
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        report = verify(call=call, workers=options["workers"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            for problem in report.problems:
                self.stdout.write(self.style.ERROR(problem.line()))
            style = self.style.SUCCESS if report.ok else self.style.ERROR
            self.stdout.write(style(report.summary()))
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problem(s) found; see above.", returncode=1)


def _call(value):
    calls = Call.objects.all()
    found = (
        calls.filter(slug=value).first()
        or calls.filter(reference_prefix=value).first()
        or (calls.filter(pk=int(value)).first() if value.isdigit() else None)
    )
    if found is None:
        raise CommandError(f"No call with the slug, reference prefix or id {value!r}.")
    return found
