"""python manage.py import_keps DIR: bring a project's proposals in line with a keps/ directory."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.importers.kep_apply import keps_import
from projects.importers.kep_yaml import ENHANCEMENTS_REPOSITORY, read_keps
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Import enhancement proposals from a kubernetes/enhancements keps/ directory "
        "(kep.yaml files and prod-readiness/ approvals), one file per transaction. "
        "Files that cannot be read are skipped with the reason; problems are kept as flags."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="The keps/ directory (or its repository).")
        parser.add_argument(
            "--project",
            default="kubernetes",
            help="Slug of the project the proposals belong to. Default: kubernetes",
        )
        parser.add_argument(
            "--repository",
            default=ENHANCEMENTS_REPOSITORY,
            help=f"Where tracking issues and documents link to. Default: {ENHANCEMENTS_REPOSITORY}",
        )
        parser.add_argument(
            "--strict", action="store_true", help="Exit non-zero when any file was skipped."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print every proposal the import would create or change, and write nothing.",
        )

    def handle(
        self,
        *args,
        directory: Path,
        project: str,
        repository: str,
        strict: bool,
        dry_run: bool,
        **_,
    ):
        started = time.monotonic()
        owner = Project.objects.filter(slug=project).first()
        if owner is None:
            raise CommandError(
                f"No project {project!r}: add it in the admin (load_demo adds kubernetes), "
                "or name another with --project."
            )
        try:
            keps = read_keps(directory, repository=repository)
        except OSError as error:
            raise CommandError(f"Cannot read {directory}: {error}") from error
        report = keps_import(project=owner, directory=keps, dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: nothing was written. The import would make these changes:")
            for line in report.changed:
                self.stdout.write(f"  {line}")
        for line in report.lines():
            self.stdout.write(line)
        done = f"Read {directory} for" if dry_run else f"Imported {directory} into"
        self.stdout.write(f"{done} {owner} in {time.monotonic() - started:.1f} s")
        if strict and report.skipped:
            raise CommandError(f"--strict: {len(report.skipped)} file(s) skipped")
