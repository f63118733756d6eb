"""/landscape/, an evaluation's page, /help-wanted/ and the project page's landscape parts:
ages and review marks, filters through common.query, relations both ways, query counts pinned."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from governance.models import Group
from projects import services
from projects.models import RelationKind
from tests.factories import GroupFactory
from tests.projects.factories import ProjectAreaFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2020, 12, 1)


def _landscape(n: int, group: Group | None = None) -> None:
    networking, _ = services.category_set(slug="networking", name="Networking", position=0)
    cluster, _ = services.category_set(slug="cluster", name="Cluster", position=1)
    for index in range(n):
        old = ProjectFactory(slug=f"old-{index}", name=f"old {index}", area=None)
        new = ProjectFactory(slug=f"new-{index}", name=f"new {index}", area=None)
        services.evaluation_set(
            slug=f"old-{index}",
            title=f"old {index}",
            category=networking,
            project=old,
            evaluated_on=datetime.date(2017, 4, 26),
            version="v2.1.1",
            body="A *pure* playbook.<script>alert(1)</script>",
            updates=[services.DatedNote(datetime.date(2018, 11, 7), "v2.7.0", "Renamed.")],
        )
        services.evaluation_set(
            slug=f"fresh-{index}",
            title=f"fresh {index}",
            category=cluster,
            project=new,
            evaluated_on=datetime.date(2019, 6, 1),
            compared=[],
        )
        services.project_relation_set(
            earlier=old, later=new, kind=RelationKind.RENAMED_TO, date=datetime.date(2018, 11, 7)
        )
        services.evaluation_request_set(
            project=ProjectFactory(slug=f"todo-{index}", area=None), depth="basic", priority=1
        )
        services.future_work_set(
            slug=f"work-{index}",
            title=f"Work {index}",
            status="in_progress",
            status_url="https://example.org/wip",
            owning_group=group,
        )


@time_machine.travel(TODAY)
def test_the_landscape_shows_each_evaluation_with_its_date_age_and_review_mark(client):
    _landscape(1)
    page = client.get(reverse("projects:landscape")).content.decode()
    assert "old 0" in page and "7 Nov 2018" in page and "year" in page
    # Last seen 7 Nov 2018, over 18 months before 1 Dec 2020: due; 1 Jun 2019 is not yet.
    assert page.count("Due for review</span>") == 1
    stale = client.get(reverse("projects:landscape"), {"stale": "true"}).content.decode()
    assert "old 0" in stale and "fresh 0" not in stale
    by_category = client.get(reverse("projects:landscape"), {"category": "cluster"})
    assert "fresh 0" in by_category.content.decode()
    assert "old 0" not in by_category.content.decode()


@pytest.mark.parametrize(
    "query", [{"category": "nowhere"}, {"stale": "maybe"}, {"priority": "P9"}, {"priority": "7"}]
)
def test_a_bad_filter_is_a_400_naming_it(client, query):
    _landscape(1)
    response = client.get(reverse("projects:landscape"), query)
    assert response.status_code == 400
    assert next(iter(query)) in response.content.decode()


def test_the_evaluation_page_sanitises_its_body_and_shows_the_rename(client):
    _landscape(1)
    page = client.get(reverse("projects:evaluation-detail", args=["old-0"])).content.decode()
    assert "<em>pure</em>" in page and "<script>alert" not in page
    assert "Renamed to" in page and "new 0" in page
    assert "Update on" in page and "v2.7.0" in page


def test_project_pages_show_the_relation_both_ways_and_the_tie_in_status(client):
    _landscape(1)
    area = ProjectAreaFactory(slug="mesh", name="Mesh")
    istio = ProjectFactory(slug="istio", name="Istio", area=area)
    osm = ProjectFactory(slug="osm", name="Open Service Mesh", area=area)
    services.project_relation_set(earlier=osm, later=istio, kind=RelationKind.SUCCEEDED_BY)
    services.tie_in_set(project=istio, label="AKS Istio Add-on", status="preview")
    page = client.get(istio.get_absolute_url()).content.decode()
    assert "Previous project: <a" in page and "Open Service Mesh" in page
    assert 'AKS Istio Add-on <span class="badge">Preview</span>' in page
    assert "Succeeded by" in client.get(osm.get_absolute_url()).content.decode()
    listing = client.get(reverse("projects:project-list")).content.decode()
    assert "Preview" in listing and "old 0" not in listing  # landscape-only projects are not listed


def test_help_wanted_lists_the_work_with_status_and_the_group_page_links_to_it(client):
    group = GroupFactory(slug="sig-cloud", name="SIG Cloud")
    _landscape(2, group=group)
    page = client.get(reverse("projects:help-wanted")).content.decode()
    assert page.count("In progress</span>") == 2 and "where it is" in page
    assert client.get(reverse("projects:help-wanted"), {"status": "done"}).status_code == 200
    assert client.get(reverse("projects:help-wanted"), {"status": "later"}).status_code == 400
    assert "Work 1" in client.get(group.get_absolute_url()).content.decode()


# Queries each page takes, whatever the number of rows (session and user lookups excluded).
PAGE_QUERIES = {
    "projects:landscape": ("", 6),
    "projects:help-wanted": ("", 3),
    "projects:evaluation-detail": ("old-0", 4),
}


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("name", PAGE_QUERIES)
def test_landscape_pages_take_the_same_queries_for_one_row_or_three(
    client, django_assert_num_queries, name, rows
):
    group = GroupFactory(slug="sig-cloud", name="SIG Cloud")
    _landscape(rows, group=group)
    argument, queries = PAGE_QUERIES[name]
    url = reverse(name, args=[argument] if argument else [])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# API list endpoints: the count, the rows, then each prefetched relation.
API_QUERIES = {
    "/api/v1/evaluations/": 4,
    "/api/v1/evaluation-requests/": 2,
    "/api/v1/future-work/": 2,
}


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("url", API_QUERIES)
def test_landscape_api_lists_take_the_same_queries_for_one_row_or_three(
    client, django_assert_num_queries, url, rows
):
    _landscape(rows, group=GroupFactory(slug="sig-cloud", name="SIG Cloud"))
    with django_assert_num_queries(API_QUERIES[url]):
        response = client.get(url)
    assert response.status_code == 200 and response.json()["count"] == rows * (
        2 if "evaluations" in url else 1
    )


def test_the_api_filters_as_the_pages_do(client):
    with time_machine.travel(TODAY):
        _landscape(1)
        stale = client.get("/api/v1/evaluations/", {"stale": "true"}).json()["results"]
    assert [row["slug"] for row in stale] == ["old-0"]
    assert stale[0]["last_seen"] == "2018-11-07"
    assert client.get("/api/v1/evaluations/", {"stale": "maybe"}).status_code == 400
    assert client.get("/api/v1/future-work/", {"status": "later"}).status_code == 400
    assert client.get("/api/v1/evaluation-requests/", {"priority": 1}).json()["count"] == 1
