"""Fixtures of the governance tests: a fixed today, the demo-like community, API clients.

Governance's tests see governance alone: other apps' sigs.yaml receivers are disconnected.
"""

import datetime

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from governance import signals
from tests.factories import staff_with_permissions
from tests.governance.community import build_community

TODAY = datetime.date(2025, 6, 15)


@pytest.fixture
def today():
    """Freezes the clock at noon UTC on TODAY, so terms are current or past for certain."""
    with time_machine.travel(datetime.datetime(2025, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def community(db, today):
    return build_community(today)


@pytest.fixture
def staff_user(db):
    return staff_with_permissions("staffer")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_api(staff_user):
    """An API client authenticated as staff with a token, as a tool would be."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")
    return client


@pytest.fixture(autouse=True)
def only_governance_receivers(monkeypatch):
    """Apps that import or export their own part of sigs.yaml test it in their own tests."""
    disconnect_other_apps(monkeypatch)


def disconnect_other_apps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave only governance's own receivers of the sigs.yaml signals."""
    for signal in (
        signals.sigs_imported,
        signals.sigs_group_exporting,
        signals.sigs_subproject_exporting,
    ):
        monkeypatch.setattr(signal, "receivers", [])
        signal.sender_receivers_cache.clear()
