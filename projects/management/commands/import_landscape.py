"""python manage.py import_landscape PATH: the landscape notes' evaluations and to-evaluate list."""

from projects.importers.landscape_apply import landscape_import
from projects.importers.landscape_notes import read_landscape_notes
from projects.management.document_command import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Import the landscape notes (kubernetes-landscape-notes.md format): categories, dated "
        "evaluations with their updates and references, comparisons, renames and deprecations, "
        "and the TODO list. Every line it cannot read is reported with its number."
    )

    def apply(self, lines, *, dry_run, options):
        return landscape_import(notes=read_landscape_notes(lines), dry_run=dry_run)
