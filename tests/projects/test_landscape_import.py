"""The landscape notes, the project list README and the status page, read from the real seed
documents: every entry, dated line, TODO item and table row accounted for; a second import
changes nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from projects.importers.documents import read_document
from projects.importers.landscape_apply import landscape_import
from projects.importers.landscape_notes import read_landscape_notes
from projects.importers.project_list import read_project_list
from projects.importers.status_page import read_status_page
from projects.models import (
    Evaluation,
    EvaluationRequest,
    FeatureStatus,
    FutureWork,
    Project,
    ProjectRelation,
    TieIn,
)

pytestmark = pytest.mark.shared_data


@pytest.fixture
def seeds(shared_data):
    return shared_data / "seed-documents"


def _lines(seeds, name):
    return read_document(seeds / name)


def test_every_entry_of_the_landscape_notes_is_accounted_for(seeds):
    lines = _lines(seeds, "kubernetes-landscape-notes.md")
    notes = read_landscape_notes(lines)
    # Every "##" heading outside the generated table of contents is an entry or a problem.
    headings = [n for n, text in enumerate(lines, 1) if text.startswith("## ") and n > 53]
    assert sorted(entry.line for entry in notes.entries) == headings
    kinds = {
        kind: [e.title for e in notes.entries if e.kind == kind]
        for kind in {"evaluated", "link", "comparison", "undated"}
    }
    assert len(notes.entries) == 33
    assert len(kinds["evaluated"]) == 21
    assert len(kinds["link"]) == 9 and "ingress" in kinds["link"]
    assert kinds["comparison"] == ["kargo vs. kops"]
    assert kinds["undated"] == ["helm", "Templates"]
    assert [p.line for p in notes.problems] == [448, 476]  # the undated ones, reported
    # Every dated line and update parsed, with its date and version.
    dated = [n for n, text in enumerate(lines, 1) if text.startswith(("*Date:", "*Update on"))]
    parsed = [e.line for e in notes.entries if e.date] + [
        u.line for e in notes.entries for u in e.updates
    ]
    assert len(dated) == len(parsed) == 23
    multus = next(e for e in notes.entries if e.title == "multus-cni")
    assert (multus.date, multus.version) == (datetime.date(2018, 6, 2), "v0.2")
    assert [(u.date, u.version) for u in multus.updates] == [(datetime.date(2018, 12, 13), "v3.1")]
    # Every TODO item with its priority.
    assert [(t.name, t.depth, t.priority) for t in notes.todos] == [
        ("k8s-AppController", "basic", 2),
        ("kube-lego", "basic", 1),
        ("smith", "basic", 1),
        ("kuberesolver", "basic", 1),
        ("rktlet", "basic", 2),
        ("kubegen", "basic", 2),
        ("brigade", "basic", 2),
    ]
    assert len(notes.categories) == 13


def test_every_row_of_the_project_list_is_read(seeds):
    listing = read_project_list(_lines(seeds, "azure-container-compute-upstream-README.md"))
    assert listing.rows == 18  # 5 area rows, 13 project rows (the empty last row is not one)
    assert len(listing.areas) == 5 and len(listing.projects) == 13
    gatekeeper = next(p for p in listing.projects if p.name == "OPA Gatekeeper")
    assert [(step.steward, step.level, step.date) for step in gatekeeper.steps] == [
        ("CNCF", "graduated", None)
    ]
    assert ("ConstraintTemplate", "v1beta1") in gatekeeper.apis
    assert [str(p) for p in listing.problems] == [
        "line 30: IPv4/v6 Dual-Stack: state 'Dual-stack: beta' not understood: left out",
        "line 40: Moby: state 'Moby: ??' not understood: left out",
        "line 40: Moby: tie-in 'many more' has no link: left out",
    ]


def test_the_status_page_is_read(seeds):
    page = read_status_page(_lines(seeds, "status-of-kubernetes-on-azure.md"))
    assert page.releases == ["v1.3", "v1.4", "v1.5"]
    assert page.release_dates == {
        "v1.4": datetime.date(2016, 9, 26),
        "v1.5": datetime.date(2016, 12, 12),
    }
    assert len(page.features) == 6
    assert [r.name for r in page.recommendations] == ["Azure Container Service", "ACS-Engine"]
    assert [(w.title, w.status) for w in page.future_work][:2] == [
        ("Azure Ingress Controller", "in_progress"),
        ("Azure Cluster-Autoscale Backend", "not_started"),
    ]
    assert len(page.future_work) == 5
    assert page.future_work[0].status_url.startswith("https://github.com/JargoonPard/")
    assert [p.line for p in page.problems] == [58]  # "Miscellaneous", which has no status


def _import_all(seeds) -> list[str]:
    outputs = []
    for command, name in [
        ("import_project_list", "azure-container-compute-upstream-README.md"),
        ("import_landscape", "kubernetes-landscape-notes.md"),
        ("import_status_page", "status-of-kubernetes-on-azure.md"),
    ]:
        out = StringIO()
        call_command(command, str(seeds / name), stdout=out)
        outputs.append(out.getvalue())
    return outputs


def test_the_three_documents_import_on_an_empty_database_and_again_with_no_changes(db, seeds):
    first = _import_all(seeds)
    assert all("No changes." not in output for output in first)
    assert Project.objects.filter(area__isnull=False).count() == 13
    assert Evaluation.objects.count() == 33
    assert Evaluation.objects.filter(evaluated_on__isnull=False).count() == 21
    assert EvaluationRequest.objects.count() == 7
    assert FutureWork.objects.count() == 5
    assert FeatureStatus.objects.filter(supported=True).count() == 9
    kargo = ProjectRelation.objects.get(earlier__slug="kargo")
    assert (kargo.kind, kargo.later.slug, kargo.date) == (
        "renamed_to",
        "kubespray",
        datetime.date(2018, 11, 7),
    )
    assert ProjectRelation.objects.filter(
        earlier__slug="service-loadbalancer", later__slug="ingress", kind="deprecated_for"
    ).exists()
    second = _import_all(seeds)
    assert all("No changes." in output for output in second), second


def test_a_dry_run_writes_nothing(db, seeds):
    out = StringIO()
    call_command(
        "import_landscape", str(seeds / "kubernetes-landscape-notes.md"), "--dry-run", stdout=out
    )
    assert "Dry run" in out.getvalue() and "created: evaluations metallb" in out.getvalue()
    assert not Evaluation.objects.exists() and not Project.objects.exists()


def test_a_record_the_database_refuses_is_reported_with_its_line_and_the_rest_imported(db):
    lines = [
        "# Networking",
        "## good",
        "*Date: 01/10/2018*",
        "Fine.",
        "## bad",
        "*Date: 13/45/2018*",
        "## " + "long" * 60,
        "*Date: 01/10/2018*",
    ]
    report = landscape_import(notes=read_landscape_notes(lines))
    messages = [str(problem) for problem in report.problems]
    assert "line 6: bad: '13/45/2018' is not a date: kept" in messages
    assert any(m.startswith("line 7: entry longlong") and "not stored" in m for m in messages)
    assert sorted(Evaluation.objects.values_list("slug", flat=True)) == ["bad", "good"]


def test_tie_in_status_is_read_from_the_cell(db):
    lines = [
        "## Project list",
        "| Project Area | Project & (artifacts) | Goal | Project State & <br> API Version "
        "| Communication | Use on Azure | Previous project |",
        "|---|---|---|---|---|---|---|",
        "| Service Mesh | | | | | | |",
        "| | [Open Service Mesh](https://openservicemesh.io/) | A mesh | CNCF: sandbox "
        "<br> API: N/A | | | |",
        "| | [Istio](https://istio.io) | A mesh | CNCF: graduated <br> API: N/A | "
        "| [AKS Istio Add-on](https://learn.microsoft.com/azure/aks/istio-about) (public preview)"
        " | Open Service Mesh |",
    ]
    from projects.importers.landscape_apply import project_list_import

    report = project_list_import(listing=read_project_list(lines), as_of=datetime.date(2024, 1, 1))
    assert report.problems == []
    assert TieIn.objects.get(label="AKS Istio Add-on").status == "preview"
    relation = ProjectRelation.objects.get()
    assert (relation.earlier.name, relation.later.name) == ("Open Service Mesh", "Istio")
