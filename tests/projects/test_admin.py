"""The admin, where staff edit everything: pages open, rules show, flags clear after review."""

import datetime

import pytest

from projects import services
from projects.models import Project, Proposal, ProposalStatus, Stage, TieIn
from projects.services import proposal_import
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "projectarea",
        "project",
        "release",
        "feature",
        "proposal",
        "landscapecategory",
        "evaluation",
        "evaluationrequest",
        "futurework",
    ],
)
def test_admin_lists_and_forms_open(admin_client, demo_data, model):
    assert admin_client.get(f"/admin/projects/{model}/").status_code == 200
    assert admin_client.get(f"/admin/projects/{model}/add/").status_code == 200
    assert admin_client.get(f"/admin/projects/{model}/?q=kube").status_code == 200


def test_admin_edits_a_proposal_with_its_history(admin_client, demo_data):
    proposal = Proposal.objects.get(number=3299)
    assert admin_client.get(f"/admin/projects/proposal/{proposal.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/projects/proposal/{proposal.pk}/history/").status_code == 200
    assert admin_client.get("/admin/projects/project/?maturity=graduated").status_code == 200


def test_clear_flags_action_only_clears_what_follows_the_rules(admin_client, demo_data):
    project = Proposal.objects.get(number=3299).project
    fixable, _ = proposal_import(
        project=project,
        source_path="a.yaml",
        title="A",
        number=9001,
        slug="a",
        owning_group=Proposal.objects.get(number=3299).owning_group,
        problems=["odd status"],
    )
    broken, _ = proposal_import(
        project=project,
        source_path="b.yaml",
        title="B",
        number=9002,
        slug="b",
        status=ProposalStatus.IMPLEMENTED,
        stage=Stage.BETA,
    )
    assert (
        admin_client.get("/admin/projects/proposal/?flagged=yes").content.decode().count("KEP-900")
        >= 2
    )
    response = admin_client.post(
        "/admin/projects/proposal/",
        {"action": "clear_flags", "_selected_action": [fixable.pk, broken.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Cleared the flags of 1 proposal." in page
    assert "KEP-9002 still breaks a rule" in page
    fixable.refresh_from_db()
    broken.refresh_from_db()
    assert fixable.flags == [] and broken.flags


def test_inline_rows_are_saved_through_the_services(admin_client, demo_data, monkeypatch):
    saved = []
    part_save = services.part_save

    def recording(*, part, fields):
        saved.append((type(part).__name__, dict(fields)))
        return part_save(part=part, fields=fields)

    monkeypatch.setattr(services, "part_save", recording)
    project = Project.objects.get(slug="open-service-mesh")
    url = f"/admin/projects/project/{project.pk}/change/"
    data = form_data(admin_client.get(url))
    prefix = next(name for name in data if name.endswith("-0-label")).removesuffix("-0-label")
    data[f"{prefix}-0-status"] = "retired"
    data[f"{prefix}-0-status_date"] = "2023-05-01"
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert saved == [("TieIn", {"status": "retired", "status_date": datetime.date(2023, 5, 1)})]
    assert TieIn.objects.get(project=project).status == "retired"


def test_an_edit_of_a_record_is_saved_through_its_service(admin_client, demo_data, monkeypatch):
    updated = []
    project_update = services.project_update

    def recording(*, project, **fields):
        updated.append(fields)
        return project_update(project=project, **fields)

    monkeypatch.setattr(services, "project_update", recording)
    project = Project.objects.get(slug="open-service-mesh")
    url = f"/admin/projects/project/{project.pk}/change/"
    data = form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "goal": "Edited by an admin.", "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert updated == [{"goal": "Edited by an admin."}]
    project.refresh_from_db()
    assert project.goal == "Edited by an admin."
    assert project.history.first().goal == "Edited by an admin."
