"""python manage.py import_sigs PATH: bring governance in line with a sigs.yaml file."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import DEFAULT_CHARTER_BASE, SigsFileError, parse


class Command(BaseCommand):
    help = (
        "Import groups, people, roles, channels and subprojects from a Kubernetes-style "
        "sigs.yaml, in one transaction. Bad records are reported with their place and skipped. "
        "An import that would end or archive more than AGORA_IMPORT_REMOVAL_SHARE of what "
        "there is is refused unless --allow-removals."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The sigs.yaml file.")
        parser.add_argument(
            "--charter-base",
            default=DEFAULT_CHARTER_BASE,
            help="Where relative charter links point: BASE/<dir>/<link>. "
            f"Default: {DEFAULT_CHARTER_BASE}",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print every change the import would make, and write nothing.",
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="Apply the import even when it ends or archives more than the limit.",
        )

    def handle(
        self, *args, path: Path, charter_base: str, dry_run: bool, allow_removals: bool, **_
    ):
        started = time.monotonic()
        try:
            document = parse(path.read_text(encoding="utf-8"), charter_base=charter_base)
        except (OSError, UnicodeDecodeError, SigsFileError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = sigs_import(document=document, dry_run=dry_run, allow_removals=allow_removals)
        done = "Read" if dry_run or report.refused else "Imported"
        self.stdout.write(f"{done} {path} in {time.monotonic() - started:.1f} s")
        if dry_run:
            self.stdout.write("Dry run: nothing was written. The import would make these changes:")
            for line in report.changed:
                self.stdout.write(f"  {line}")
        for line in report.summary():
            self.stdout.write(f"  {line}")
        if not report.changes:
            self.stdout.write("  No changes.")
        if report.problems:
            self.stdout.write(self.style.WARNING(f"{len(report.problems)} problem(s):"))
            for problem in report.problems:
                self.stdout.write(f"  {problem}")
        if report.refused and not dry_run:
            self.stdout.write(self.style.ERROR("It would end, archive or remove:"))
            for entity, labels in report.removals.items():
                self.stdout.write(f"  {entity}:")
                for label in labels:
                    self.stdout.write(f"    {label}")
            raise CommandError(
                f"Refused {path}: {report.refused}. Nothing was written; check the file, "
                "and run again with --allow-removals if these removals are meant."
            )
