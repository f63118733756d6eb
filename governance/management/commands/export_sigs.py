"""python manage.py export_sigs: write sigs.yaml-compatible YAML to standard output."""

from django.core.management.base import BaseCommand

from governance.exporters.sigs_yaml import dump, sigs_document
from governance.importers.sigs_yaml import DEFAULT_CHARTER_BASE


class Command(BaseCommand):
    help = (
        "Write the groups, leads, channels and subprojects as sigs.yaml-compatible YAML. "
        "Public data only, unless --include-private."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="Add people's private emails and private channels (staff and operators only).",
        )
        parser.add_argument(
            "--charter-base",
            default=DEFAULT_CHARTER_BASE,
            help="Charter links under BASE/<dir>/ are written relative, as sigs.yaml has them.",
        )

    def handle(self, *args, include_private: bool, charter_base: str, **options):
        document = sigs_document(include_private=include_private, charter_base=charter_base)
        self.stdout.write(dump(document), ending="")
