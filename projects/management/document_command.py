"""What the document importers' commands share: read PATH, import it (or --dry-run), report."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.importers.documents import DocumentReport, read_document


def write_report(stdout, report, *, dry_run: bool) -> None:
    """How every projects import command reports: a dry run says nothing was written, then
    each change, then the counts (`report.changed` and `report.lines()`)."""
    if dry_run:
        stdout.write("Dry run: nothing was written. The import would make these changes:")
    for line in report.changed:
        stdout.write(f"  {line}")
    for line in report.lines():
        stdout.write(line)


class DocumentCommand(BaseCommand):
    """A command importing one Markdown document; subclasses say how to read and apply it."""

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The Markdown document.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print every change the import would make, and write nothing.",
        )

    def apply(self, lines: list[str], *, dry_run: bool, options: dict) -> DocumentReport:
        raise NotImplementedError

    def handle(self, *args, path: Path, dry_run: bool, **options):
        started = time.monotonic()
        try:
            lines = read_document(path)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = self.apply(lines, dry_run=dry_run, options=options)
        write_report(self.stdout, report, dry_run=dry_run)
        self.stdout.write(f"Read {path} in {time.monotonic() - started:.1f} s")
