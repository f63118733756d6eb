"""No public page, API response, schema or export shows a private email or a private channel.

Each app appends to PRIVATE_DATA a function that fills the database with its records,
private ones included, and returns the strings that must never be shown publicly.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.governance.community import build_community
from tests.governance.factories import private_election_secrets
from tests.meetings.factories import private_meeting_secrets
from tests.notifications.factories import private_subscription_secrets
from tests.privacy import public_urls
from tests.projects.factories import private_project_secrets

PRIVATE_DATA = [
    lambda: build_community().secrets,
    private_meeting_secrets,
    private_project_secrets,
    private_election_secrets,
    private_subscription_secrets,
]


# Endpoints that answer only a query, with one covering the private records' dates.
REQUIRED_QUERIES = {
    "/api/v1/occurrence-times/": "?start=2026-10-01T00:00:00Z&end=2026-12-01T00:00:00Z",
}


@pytest.fixture
def secrets(db) -> list[str]:
    found = [secret for build in PRIVATE_DATA for secret in build()]
    assert found, "the private data builders made nothing private to look for"
    return found


def test_every_route_is_walked(secrets):
    assert public_urls().unfilled == [], (
        "these routes have no URL to walk: give their objects a get_absolute_url() under "
        "the same prefix, or add data for them to PRIVATE_DATA"
    )


# GitHub sign-in's failure page, and its callback called without GitHub's answer.
SIGN_IN_FAILURES = {"/accounts/github/error/", "/accounts/github/login/callback/"}


def test_no_public_url_shows_private_data(client, secrets):
    urls = public_urls().urls
    assert {"/", "/groups/", "/people/", "/governance/", "/api/schema/"} <= set(urls)
    assert any(url.startswith("/api/v1/channels/") for url in urls)
    for url in urls:
        response = client.get(url + REQUIRED_QUERIES.get(url, ""))
        # A private row's API detail is not found, an editing page asks to sign in, the GitHub
        # sign-in's failure page says it failed (401); everything else is public and there.
        assert (
            response.status_code == 200
            or (url.startswith("/api/") and response.status_code == 404)
            or (url in SIGN_IN_FAILURES and response.status_code == 401)
            or (response.status_code == 302 and response["Location"].startswith("/accounts/login/"))
        ), f"{url}: {response.status_code}"
        body = response.content.decode().lower()
        leaked = [secret for secret in secrets if secret.lower() in body]
        assert not leaked, f"{url} shows {leaked}"


def test_the_public_export_shows_no_private_data(secrets):
    out = StringIO()
    call_command("export_sigs", stdout=out)

    exported = out.getvalue().lower()
    assert "steering closed session" in exported  # the private meeting is there, its time only
    leaked = [secret for secret in secrets if secret.lower() in exported]
    assert not leaked, f"export_sigs shows {leaked}"


# Searches echo the query; one for a secret must show it no more often than one for a nonsense.
SEARCHES = ["/?q={}", "/people/?q={}"]


@pytest.mark.parametrize("search", SEARCHES)
def test_searching_for_private_data_finds_nothing(client, secrets, search):
    nonsense = "zq-no-such-thing@nowhere.example"
    echoes = client.get(search.format(nonsense)).content.decode().count(nonsense)
    for secret in secrets:
        body = client.get(search.format(secret)).content.decode().lower()
        assert body.count(secret.lower()) == echoes, f"searching for {secret} shows it"
