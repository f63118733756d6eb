"""python manage.py import_project_list PATH: the project list README's table."""

import datetime

from django.utils import timezone

from projects.importers.landscape_apply import project_list_import
from projects.importers.project_list import read_project_list
from projects.management.document_command import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Import the project list table of a README (azure-container-compute-upstream format): "
        "areas, projects with artifacts, goal, state and API versions, channels and tie-ins, and "
        "the license, groups and slug where the table has those columns."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the list states each project's level (YYYY-MM-DD). Default: today.",
        )

    def apply(self, lines, *, dry_run, options):
        as_of = options.get("as_of") or timezone.localdate()
        return project_list_import(listing=read_project_list(lines), as_of=as_of, dry_run=dry_run)
