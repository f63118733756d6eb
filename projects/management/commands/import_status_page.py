"""python manage.py import_status_page PATH: a status page's features, deployments, future work."""

from projects.importers.landscape_apply import status_import
from projects.importers.status_page import read_status_page
from projects.management.document_command import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Import a status page (status-of-kubernetes-on-azure.md format): the feature x release "
        "table, release dates, recommended deployment mechanisms and the future-work list."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--project",
            default="cloud-provider-azure",
            help="Slug of the project whose features the table lists (created when missing).",
        )
        parser.add_argument(
            "--releases-of",
            default="kubernetes",
            help="Slug of the project whose releases the columns are (created when missing).",
        )
        parser.add_argument(
            "--area",
            default="Kubernetes Cluster Management",
            help="Name of the project-list area the deployment recommendations are for.",
        )

    def apply(self, lines, *, dry_run, options):
        return status_import(
            page=read_status_page(lines),
            project_slug=options["project"],
            releases_of=options["releases_of"],
            area_name=options["area"],
            dry_run=dry_run,
        )
