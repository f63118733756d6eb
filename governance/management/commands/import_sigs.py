"""python manage.py import_sigs PATH: bring governance in line with a sigs.yaml file."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.importers.sigs_yaml import DEFAULT_CHARTER_BASE, SigsFileError, parse
from governance.services import sigs_import


class Command(BaseCommand):
    help = (
        "Import groups, people, roles, channels and subprojects from a Kubernetes-style "
        "sigs.yaml, in one transaction. Bad records are reported with their place and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The sigs.yaml file.")
        parser.add_argument(
            "--charter-base",
            default=DEFAULT_CHARTER_BASE,
            help="Where relative charter links point: BASE/<dir>/<link>. "
            f"Default: {DEFAULT_CHARTER_BASE}",
        )

    def handle(self, *args, path: Path, charter_base: str, **options):
        started = time.monotonic()
        try:
            document = parse(path.read_text(encoding="utf-8"), charter_base=charter_base)
        except (OSError, UnicodeDecodeError, SigsFileError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = sigs_import(document=document)
        self.stdout.write(f"Imported {path} in {time.monotonic() - started:.1f} s")
        for line in report.summary():
            self.stdout.write(f"  {line}")
        if not report.changes:
            self.stdout.write("  No changes.")
        if report.problems:
            self.stdout.write(self.style.WARNING(f"{len(report.problems)} problem(s):"))
            for problem in report.problems:
                self.stdout.write(f"  {problem}")
