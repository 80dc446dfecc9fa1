"""Seed a large call cycle for the benchmarks (bench/run.py); what it makes: intents.bench_seed."""

import json
import random
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from intents.bench_seed.seeder import Seeder
from intents.models import Call


class Command(BaseCommand):
    help = "Seed a large call cycle with bulk inserts for the benchmarks, and write a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--letters", type=int, default=5000, help="filed letters")
        parser.add_argument("--organisations", type=int, default=2000)
        parser.add_argument("--reviewers", type=int, default=100)
        parser.add_argument("--reviews-per-letter", type=int, default=3)
        parser.add_argument(
            "--submitted-share",
            type=float,
            default=0.9,
            help="share of the reviews that are submitted; the others are drafts",
        )
        parser.add_argument(
            "--applicants",
            type=int,
            default=220,
            help="owners of their own organisation, each with one complete draft",
        )
        parser.add_argument("--desk-reviewers", type=int, default=20)
        parser.add_argument("--desk-size", type=int, default=200, help="assignments each")
        parser.add_argument("--officer-sessions", type=int, default=20)
        parser.add_argument("--document-bytes", type=int, default=32 * 1024)
        parser.add_argument(
            "--document-files",
            type=int,
            default=0,
            help="store only this many files and share them between documents (0: one each); "
            "creating 100,000 files takes longer than the rest of a large seed",
        )
        parser.add_argument("--slug", default="bench-cycle")
        parser.add_argument("--prefix", default="BEN")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--manifest", help="write the JSON manifest here (default: stdout)")

    def handle(self, *args, **options):
        if Call.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"A call {options['slug']!r} exists already: use a fresh database.")
        if options["applicants"] > options["organisations"]:
            raise CommandError("Each applicant needs an organisation of its own.")
        started = time.perf_counter()
        seeder = Seeder(options, random.Random(options["seed"]))  # noqa: S311  # nosec B311: sample data
        with transaction.atomic():
            manifest = seeder.run()
        manifest["seconds"] = round(time.perf_counter() - started, 1)
        text = json.dumps(manifest, indent=1)
        if options["manifest"]:
            Path(options["manifest"]).write_text(text)
            self.stderr.write(f"Seeded in {manifest['seconds']} s: {manifest['counts']}")
        else:
            self.stdout.write(text)
