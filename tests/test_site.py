import gzip
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.django_db
def test_home_page_renders_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    for section in ["Groups", "People", "Meetings", "Projects", "Enhancements", "Governance"]:
        assert f">{section}</a>" in response.content.decode()


def test_management_commands_start_in_a_fresh_process():
    """`make run` starts with `migrate`: settings must import without a circular import."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--settings=config.settings.test"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_sign_in_page_is_titled_with_the_site_name_not_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["agora.example.org"]
    page = client.get("/accounts/login/", HTTP_HOST="agora.example.org")
    assert page.status_code == 200
    assert "<title>Sign in · Agora</title>" in page.content.decode()


@pytest.mark.django_db
def test_header_offers_sign_in_then_sign_out(client, django_user_model):
    page = client.get("/groups/").content.decode()
    assert '<a class="account" href="/accounts/login/?next=/groups/">Sign in</a>' in page
    assert "Sign out" not in page

    client.force_login(django_user_model.objects.create_user("chair", password="pw"))
    page = client.get("/groups/").content.decode()
    assert '<form class="account" method="post" action="/accounts/logout/">' in page
    assert "Signed in as <strong>chair</strong>" in page
    assert '<a href="/my-groups/">My groups</a>' in page
    assert '<button type="submit">Sign out</button>' in page
    assert ">Sign in</a>" not in page

    response = client.post("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "Sign out" not in client.get("/groups/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/groups/", "/api/v1/groups/"])
def test_pages_and_api_answers_revalidate_with_their_etag(client, url):
    first = client.get(url)
    assert first["ETag"]
    assert set(first["Cache-Control"].split(", ")) == {"private", "no-cache"}
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")


@pytest.mark.django_db
def test_pages_are_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/groups/")
    zipped = client.get("/groups/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content


@pytest.mark.django_db
def test_the_api_schema_is_built_once_per_process(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    first = client.get("/api/schema/")
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda *a, **k: pytest.fail("rebuilt"))
    assert client.get("/api/schema/").content == first.content
