"""python manage.py generate_docs DIR: write the generated documents into DIR, as a
community's generator lays them out (DIR/sig-list.md, DIR/<group dir>/README.md, ...)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from governance.exporters import documents
from governance.exporters.sigs_yaml import sigs_document
from governance.models import Group


class Command(BaseCommand):
    help = (
        "Write sig-list.md, OWNERS_ALIASES, liaisons.md, a README.md per group and, with "
        "--annual-report, a draft annual report per group, from the public records."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--annual-report",
            type=int,
            metavar="YEAR",
            help="Also write <group dir>/annual-report-YEAR.md for every group.",
        )

    def handle(self, *args, directory: Path, annual_report: int | None, **options):
        document = sigs_document()
        files = {
            "sig-list.md": documents.sig_list(document),
            "OWNERS_ALIASES": documents.owners_aliases(document),
            "liaisons.md": documents.liaisons(document),
        }
        exported = {data["dir"]: data for _, data in documents.groups(document)}
        for group in Group.objects.filter(slug__in=exported):
            files[f"{group.slug}/README.md"] = documents.group_readme(
                exported[group.slug], documents.meeting_lines(group)
            )
            if annual_report is not None:
                files[f"{group.slug}/annual-report-{annual_report}.md"] = documents.annual_report(
                    document=document, group=group, year=annual_report
                )
        for name, text in files.items():
            path = directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {len(files)} files under {directory}.")
