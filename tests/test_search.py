"""One search over everything (config.search): each kind found, ranked, its kind shown, on
PostgreSQL's full-text search and on SQLite's fallback; private records only for those who may
read them; the API's `search` parameter refused wherever it is not a filter."""

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse

from config.search import search
from projects import demo
from tests.meetings.factories import private_meeting_with_records
from tests.privacy import routes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def community(django_db_setup, django_db_blocker):
    """The demo project list and landscape, and a private meeting with records, built once."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        private_meeting_with_records()
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("query", "kind", "title"),
    [
        ("metallb", "Evaluation", "metallb"),
        ("3299", "Proposal", "KEP-3299: KMS v2 Improvements"),
        ("Open Service Mesh", "Project", "Open Service Mesh (OSM)"),
        ("containerd", "Project", "containerd"),
        ("kubernetes", "Project", "Kubernetes"),
        ("Azure Ingress Controller", "Future work", "Azure Ingress Controller"),
        ("sig-auth", "Group", "Auth"),
        ("ritazh", "Person", "Rita Zhang"),
    ],
)
def test_the_search_box_finds_every_kind(client, community, query, kind, title):
    html = client.get(reverse("home"), {"q": query}).content.decode()
    assert f'>{title}</a> <span class="badge">{kind}</span>' in html, html[-3000:]


def test_results_are_ranked_a_title_before_a_mention(community):
    results = search("metallb")
    assert results[0].title == "metallb"
    kubernetes = search("kubernetes")
    assert kubernetes[0].title == "Kubernetes"
    assert {"Project", "Evaluation"} <= {result.kind for result in kubernetes}


def test_private_minutes_and_agendas_are_found_only_by_those_who_may_read_them(
    client, admin_client, community
):
    for query in ["Secret minutes", "Confidential vote"]:
        assert "0 results found." in client.get(reverse("home"), {"q": query}).content.decode()
        assert query in admin_client.get(reverse("home"), {"q": query}).content.decode()


def test_a_search_with_control_characters_is_a_400(client):
    assert client.get(reverse("home"), {"q": "kube\x00"}).status_code == 400


def _list_endpoints() -> list[str]:
    return sorted(
        reverse(route.name)
        for route in routes(get_resolver().url_patterns)
        if route.name.startswith("api:") and route.name.endswith("-list") and not route.parameters
    )


def test_the_api_refuses_a_search_parameter_on_every_list_endpoint(client):
    endpoints = _list_endpoints()
    assert "/api/v1/evaluations/" in endpoints and "/api/v1/people/" in endpoints
    for url in endpoints:
        response = client.get(url, {"search": "zzz"})
        assert response.status_code == 400, url
        assert "search" in response.json(), url
