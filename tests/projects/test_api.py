"""The API: anonymous reads with the page's filters, staff writes through the editing rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from projects.models import Proposal, Release
from tests.factories import GroupFactory, PersonFactory, staff_with_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff():
    client = APIClient()
    client.force_authenticate(staff_with_permissions("editor"))
    return client


def _numbers(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


def test_projects_list_with_filters(api, demo_data):
    rows = api.get("/api/v1/projects/", {"area": "service-mesh"}).json()["results"]
    assert [row["slug"] for row in rows] == ["istio", "open-service-mesh", "smi"]
    smi = next(row for row in rows if row["slug"] == "smi")
    assert smi["current_level"] == "sandbox" and smi["current_steward"] == "CNCF"
    assert {"api": "split.smi-spec.io", "version": "v1alpha4"} in smi["api_versions"]
    assert smi["channels"] == [
        {"kind": "slack", "name": "#smi", "url": "https://cloud-native.slack.com/messages/smi"}
    ]
    graduated = api.get("/api/v1/projects/", {"maturity": "graduated"}).json()
    assert graduated["count"] == 4  # Kubernetes, OPA Gatekeeper, containerd, Istio


def test_unknown_filters_and_values_are_errors(api, demo_data):
    response = api.get("/api/v1/projects/", {"areas": "x"})
    assert response.status_code == 400 and "Unknown filter" in response.json()["areas"][0]
    assert api.get("/api/v1/projects/", {"maturity": "mature"}).status_code == 400
    assert api.get("/api/v1/proposals/", {"status": "done"}).status_code == 400
    response = api.get("/api/v1/proposals/", {"ordering": "newest"})
    assert response.status_code == 400 and "Order by one of" in response.json()["ordering"][0]
    assert api.get("/api/v1/projects/nope/").status_code == 404


def test_private_channels_are_for_staff_only(api, staff, private_channel):
    anonymous = api.get("/api/v1/projects/containerd/").json()
    assert "containerd-security" not in str(anonymous)
    assert "containerd-security" in str(staff.get("/api/v1/projects/containerd/").json())


def test_feature_matrix(api, demo_data):
    matrix = api.get("/api/v1/projects/cloud-provider-azure/feature-matrix/").json()
    assert [release["version"] for release in matrix["releases"]] == ["v1.3", "v1.4", "v1.5"]
    disk = matrix["features"][0]
    assert disk["name"] == "Azure Disk"
    assert [cell["supported"] for cell in disk["statuses"]] == [False, True, True]
    assert disk["statuses"][1]["pull_requests"] == [
        "https://github.com/kubernetes/kubernetes/pull/29836"
    ]
    assert api.get("/api/v1/projects/nope/feature-matrix/").status_code == 404


def test_proposals_filter_as_on_the_page(api, demo_data):
    assert _numbers(
        api.get("/api/v1/proposals/", {"group": "sig-auth", "status": "implemented"})
    ) == {2579, 3325}
    assert _numbers(api.get("/api/v1/proposals/", {"milestone": "1.29", "stage": "beta"})) == {
        753,
        2681,
        2395,
    }
    assert _numbers(api.get("/api/v1/proposals/", {"affiliation": "Microsoft"})) == {
        3299,
        3221,
        3331,
        1981,
    }
    assert _numbers(api.get("/api/v1/proposals/", {"q": "sidecar"})) == {753}
    assert _numbers(api.get("/api/v1/proposals/", {"flagged": "true"})) == set()


def test_a_proposal_in_full(api, demo_data):
    kep = api.get(f"/api/v1/proposals/{Proposal.objects.get(number=3299).pk}/").json()
    assert kep["authors"] == ["ritazh", "aramase"]
    assert kep["prr_approvers"] == {"alpha": "deads2k", "beta": "deads2k", "stable": "deads2k"}
    assert (kep["beta_milestone"], kep["stable_milestone"], kep["latest_milestone"]) == (
        "v1.27",
        "v1.29",
        "v1.29",
    )
    assert kep["feature_gates"] == {"KMSv2": ["kube-apiserver"], "KMSv2KDF": ["kube-apiserver"]}
    assert kep["page"] == "/enhancements/3299/"
    assert kep["flags"] == []


def test_proposal_list_queries_do_not_grow(api, build_proposals):
    build_proposals(3)
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/proposals/").status_code == 200
    build_proposals(6)
    with CaptureQueriesContext(connection) as more:
        assert api.get("/api/v1/proposals/").json()["count"] == 9
    assert len(more) == len(few)


def test_project_list_queries_do_not_grow(api, build_projects, django_assert_num_queries):
    build_projects(3)
    # Count, projects, then maturity, API versions, channels, tie-ins, groups, and the
    # previous and next projects.
    with django_assert_num_queries(9):
        api.get("/api/v1/projects/")
    build_projects(6)
    with django_assert_num_queries(9):
        api.get("/api/v1/projects/")


def test_anonymous_cannot_write(api, demo_data):
    assert api.post("/api/v1/project-areas/", {"slug": "x", "name": "X"}).status_code == 403
    pk = Proposal.objects.get(number=3299).pk
    assert api.patch(f"/api/v1/proposals/{pk}/", {"title": "Hacked"}).status_code == 403
    assert Proposal.objects.get(pk=pk).title == "KMS v2 Improvements"


def test_staff_creates_a_proposal(staff, demo_data):
    response = staff.post(
        "/api/v1/proposals/",
        {
            "project": "kubernetes",
            "number": 4193,
            "title": "Bound service account token improvements",
            "owning_group": "sig-auth",
            "status": "implementable",
            "stage": "alpha",
            "latest_milestone": "v1.29",
            "alpha_milestone": "1.29",
            "authors": ["@ENJ"],
            "prr_approvers": {"alpha": "deads2k"},
            "feature_gates": {"ServiceAccountTokenJTI": ["kube-apiserver"]},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = Proposal.objects.get(number=4193)
    assert created.slug == "4193-bound-service-account-token-improvements"
    assert [link.person.handle for link in created.participants.filter(role="author")] == ["enj"]
    assert created.alpha_milestone.version == "v1.29"


def test_staff_writes_follow_the_editing_rules(staff, demo_data):
    pk = Proposal.objects.get(number=3221).pk
    response = staff.patch(f"/api/v1/proposals/{pk}/", {"status": "implemented"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "stage": ["An implemented proposal must be at stage stable (it has stage alpha)."]
    }
    response = staff.patch(f"/api/v1/proposals/{pk}/", {"beta_milestone": "v1.28"}, format="json")
    assert response.json() == {
        "beta_milestone": [
            "The beta milestone (v1.28) cannot be earlier than the alpha milestone (v1.29)."
        ]
    }
    response = staff.patch(f"/api/v1/proposals/{pk}/", {"beta_milestone": "v2.0"}, format="json")
    assert response.json() == {"beta_milestone": ["v2.0 is not a release of Kubernetes."]}
    response = staff.patch(f"/api/v1/proposals/{pk}/", {"authors": ["nobody-here"]}, format="json")
    assert response.json() == {"authors": ["No person has the handle @nobody-here."]}
    response = staff.patch(
        f"/api/v1/proposals/{pk}/", {"prr_approvers": {"gamma": "deads2k"}}, format="json"
    )
    assert response.json() == {"prr_approvers": ["Not a stage: gamma."]}
    response = staff.patch(f"/api/v1/proposals/{pk}/", {"number": 3299}, format="json")
    assert response.json() == {
        "non_field_errors": ["This project already has a proposal with this number."]
    }


def test_staff_updates_a_proposal(staff, demo_data):
    proposal = Proposal.objects.get(number=3221)
    reviewer = PersonFactory(handle="new-reviewer")
    response = staff.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"reviewers": ["new-reviewer"], "participating_groups": [GroupFactory(slug="sig-x").slug]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["reviewers"] == ["new-reviewer"]
    assert response.json()["authors"] == ["100mik", "palnabarun", "ritazh"]  # untouched
    assert list(proposal.participating_groups.all()) == [
        GroupFactory._meta.model.objects.get(slug="sig-x")
    ]
    assert reviewer.proposals.get() == proposal


def test_staff_manages_releases_and_projects(staff, demo_data):
    response = staff.post(
        "/api/v1/releases/",
        {
            "project": "kubernetes",
            "version": "1.31",
            "code_freeze": "2024-07-01",
            "release_date": "2024-06-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "release_date": [
            "The release date (2024-06-01) cannot come before the code freeze (2024-07-01)."
        ]
    }
    response = staff.post(
        "/api/v1/releases/", {"project": "kubernetes", "version": "1.31"}, format="json"
    )
    assert response.status_code == 201 and response.json()["version"] == "v1.31"
    assert staff.post(
        "/api/v1/releases/", {"project": "kubernetes", "version": "v1.31"}, format="json"
    ).json() == {"non_field_errors": ["This project already has this release."]}
    assert Release.objects.filter(version="v1.31").count() == 1

    response = staff.post(
        "/api/v1/projects/",
        {"slug": "flux", "name": "Flux", "area": "cluster-management", "homepage_url": "not a url"},
        format="json",
    )
    assert response.status_code == 400 and "homepage_url" in response.json()
    response = staff.patch("/api/v1/projects/smi/", {"goal": "Archived."}, format="json")
    assert response.status_code == 200 and response.json()["goal"] == "Archived."


def test_staff_deletes_through_the_services_unless_something_refers_to_the_row(
    staff, api, demo_data
):
    release = Release.objects.get(version="v1.29")
    pk = Proposal.objects.get(number=3299).pk
    assert api.delete(f"/api/v1/proposals/{pk}/").status_code == 403
    response = staff.delete(f"/api/v1/releases/{release.pk}/")
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert message.startswith("Kubernetes v1.29 is still referred to by proposal KEP-")
    assert Release.objects.filter(pk=release.pk).exists()
    response = staff.delete(f"/api/v1/proposals/{pk}/")
    assert response.status_code == 204 and response.content == b""
    assert not Proposal.objects.filter(pk=pk).exists()
    assert staff.get(f"/api/v1/proposals/{pk}/").status_code == 404


def test_the_schema_describes_the_projects_api(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/v1/projects/",
        "/api/v1/projects/{slug}/feature-matrix/",
        "/api/v1/project-areas/",
        "/api/v1/releases/",
        "/api/v1/proposals/",
    ]:
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/proposals/"]["get"]["parameters"]}
    assert {"q", "group", "status", "stage", "milestone", "author", "affiliation"} <= parameters
