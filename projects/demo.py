"""The demo community's project list, Kubernetes releases, feature status table, proposals and
landscape notebook: the project list, feature table, future work, landscape and the proposals'
keps/ tree are `demo_data/` documents, read by the importers. The groups the list and the KEPs
name are governance's demo's (its sigs.yaml, loaded first); loaded alone, the list's Groups
links create them.

Written here is what no format carries: the Kubernetes releases with their cycle's dates (a
status page dates a few releases, nothing dates a cycle), the names and affiliations of the
KEPs' authors (a kep.yaml names them by handle; sigs.yaml holds people only as a group's
leads), and KEP-3331 as first planned (a file holds only what a proposal says now).

`load()` is called by `manage.py load_demo`; it only adds what is missing, so it can run again.
"""

from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models.functions import Lower

from common.bulk import BulkWrite
from governance.models import Group, Person
from projects import services
from projects.importers.documents import DocumentReport, read_document
from projects.importers.kep_apply import keps_import
from projects.importers.kep_yaml import read_keps
from projects.importers.landscape_apply import (
    landscape_import,
    project_list_import,
    status_import,
)
from projects.importers.landscape_notes import read_landscape_notes
from projects.importers.project_list import read_project_list
from projects.importers.status_page import read_status_page
from projects.models import (
    RELEASE_DATE_FIELDS,
    Project,
    Proposal,
    ProposalStatus,
    Release,
    Stage,
    parse_release_version,
)

# handle: (name, affiliation); an empty affiliation is one the demo does not claim.
PEOPLE = {
    "ritazh": ("Rita Zhang", "Microsoft"),
    "aramase": ("Anish Ramasekar", "Microsoft"),
    "enj": ("Mo Khan", "Microsoft"),
    "marosset": ("Mark Rossetti", "Microsoft"),
    "ambguo": ("Ambrose Guo", "Microsoft"),
    "jsturtevant": ("James Sturtevant", "Microsoft"),
    "palnabarun": ("Nabarun Pal", "VMware"),
    "100mik": ("", ""),
    "nabokihms": ("Maksim Nabokikh", "Flant"),
    "deads2k": ("David Eads", "Red Hat"),
    "liggitt": ("Jordan Liggitt", "Google"),
    "smarterclayton": ("Clayton Coleman", ""),
    "tallclair": ("Tim Allclair", "Google"),
    "Random-Liu": ("Lantao Liu", "Google"),
    "yujuhong": ("Yu-Ju Hong", "Google"),
    "SergeyKanzhelev": ("Sergey Kanzhelev", "Google"),
    "matthyx": ("Matthias Bertschy", ""),
    "mrunalp": ("Mrunal Patel", "Red Hat"),
    "thockin": ("Tim Hockin", "Google"),
    "wojtek-t": ("Wojciech Tyczyński", "Google"),
    "wzshiming": ("Shiming Zhang", "DaoCloud"),
    "danwinship": ("Dan Winship", "Red Hat"),
    "andrewsykim": ("Andrew Sy Kim", "Google"),
    "cheftako": ("Walter Fender", "Google"),
    "elmiko": ("Michael McCune", "Red Hat"),
}

# Kubernetes releases: version: (cycle start, enhancements freeze, code freeze, release).
RELEASES = {
    "v1.3": (None, None, None, "2016-07-01"),
    "v1.4": (None, None, None, "2016-09-26"),
    "v1.5": (None, None, None, "2016-12-12"),
    "v1.21": (None, None, None, "2021-04-08"),
    "v1.22": (None, None, None, "2021-08-04"),
    "v1.23": (None, None, None, "2021-12-07"),
    "v1.24": (None, None, None, "2022-05-03"),
    "v1.25": (None, None, None, "2022-08-23"),
    "v1.26": (None, None, None, "2022-12-08"),
    "v1.27": (None, None, None, "2023-04-11"),
    "v1.28": ("2023-05-15", "2023-06-16", "2023-07-19", "2023-08-15"),
    "v1.29": ("2023-09-05", "2023-10-06", "2023-11-01", "2023-12-13"),
    "v1.30": ("2024-01-08", "2024-02-09", "2024-03-06", "2024-04-17"),
}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _people() -> None:
    """The PEOPLE, found by handle in any case; the demo fills their name and affiliation if
    missing."""
    stored: dict[str, Person] = {}
    handles = [handle.lower() for handle in PEOPLE]
    for person in Person.objects.alias(key=Lower("handle")).filter(key__in=handles).order_by("pk"):
        stored.setdefault(person.handle.lower(), person)
    write = BulkWrite(Person)
    for handle, (name, affiliation) in PEOPLE.items():
        person = stored.get(handle.lower())
        if person is None:
            write.create(Person(handle=handle, name=name, affiliation=affiliation))
            continue
        missing = {"name": name, "affiliation": affiliation}
        write.update(
            person,
            {
                field: value
                for field, value in missing.items()
                if value and not getattr(person, field)
            },
        )
    write.write_all()


def _releases(kubernetes: Project) -> dict[str, Release]:
    """The RELEASES of Kubernetes, those missing created with their dates."""
    stored = {release.sort_key: release for release in kubernetes.releases.all()}
    write = BulkWrite(Release)
    releases = {}
    for version, dates in RELEASES.items():
        release = stored.get(parse_release_version(version))
        releases[version] = release or write.create(
            Release(
                project=kubernetes,
                version=version,
                **dict(zip(RELEASE_DATE_FIELDS, map(_day, dates), strict=True)),
            )
        )
    write.write_all()
    return releases


DEMO_DATA = Path(__file__).parent / "demo_data"


def _first_plan(kubernetes: Project, auth: Group, v128: Release) -> None:
    """KEP-3331 as first planned, for v1.28: its file (now for v1.29) takes it over, so the
    release page shows it slipped. A file holds only what a proposal says now."""
    services.proposal_create(
        project=kubernetes,
        number=3331,
        title="Structured Authentication Config",
        owning_group=auth,
        status=ProposalStatus.IMPLEMENTABLE,
        stage=Stage.ALPHA,
        latest_milestone=v128,
        alpha_milestone=v128,
    )


def _import_list() -> None:
    """The project list (a level it states undated is the list's of 2023-11-01): first, for
    the releases are its Kubernetes', and the status page finds them dated."""
    listing = read_project_list(read_document(DEMO_DATA / "project-list.md"))
    _imported(project_list_import(listing=listing, as_of=date(2023, 11, 1)))


def _import_documents() -> None:
    """The feature table, deployment recommendations, future work and landscape, from the
    demo's copies of the community's documents, through their importers."""
    for report in [
        status_import(
            page=read_status_page(read_document(DEMO_DATA / "status-page.md")),
            project_slug="cloud-provider-azure",
            releases_of="kubernetes",
            area_name="Kubernetes cluster management",
        ),
        landscape_import(
            notes=read_landscape_notes(read_document(DEMO_DATA / "landscape-notes.md"))
        ),
    ]:
        _imported(report)


def _imported(report: DocumentReport) -> None:
    """The demo's documents are all stored."""
    refused = [str(problem) for problem in report.problems if "not stored" in problem.message]
    if refused:
        raise ValueError(f"the demo's documents do not import: {refused}")


@transaction.atomic
def load():
    """Add the demo's project list, releases, feature table and proposals that are missing."""
    _import_list()
    kubernetes = Project.objects.get(slug="kubernetes")
    releases = _releases(kubernetes)
    _import_documents()
    _people()
    keps = read_keps(DEMO_DATA / "keps")
    paths = {record.path for record in keps.records}
    imported = kubernetes.proposals.filter(source_path__in=paths).values_list("source_path")
    if len(imported) == len(paths):
        return  # imported before: a second import would undo what a person changed since
    if not Proposal.objects.filter(project=kubernetes, number=3331).exists():
        _first_plan(kubernetes, Group.objects.get(slug="sig-auth"), releases["v1.28"])
    report = keps_import(project=kubernetes, directory=keps)
    if report.skipped or report.flagged:
        raise ValueError(f"the demo's keps/ does not import: {report.lines()}")
