"""Limits that hold: the client is who the declared proxies saw, not what X-Forwarded-For claims."""

import pytest
from rest_framework.settings import api_settings

from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

CLIENT = "203.0.113.9"


@pytest.fixture
def proxy_hops(settings, base_settings):
    """Runs the app as if AGORA_PROXY_HOPS were set to `hops` in the environment."""

    def declare(hops: int):
        configured = base_settings(AGORA_PROXY_HOPS=str(hops))
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "NUM_PROXIES": configured.REST_FRAMEWORK["NUM_PROXIES"],
        }
        settings.AXES_CLIENT_IP_CALLABLE = configured.AXES_CLIENT_IP_CALLABLE

    return declare


def test_no_proxy_is_believed_unless_declared(base_settings):
    assert base_settings().REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert api_settings.NUM_PROXIES == 0


def test_a_forged_x_forwarded_for_does_not_reset_the_api_limit(client, throttled):
    GroupFactory()
    statuses = [
        client.get(
            "/api/v1/groups/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # Another client still gets its own allowance.
    assert client.get("/api/v1/groups/", REMOTE_ADDR="203.0.113.10").status_code == 200


def test_behind_one_proxy_the_address_it_saw_is_limited(client, throttled, proxy_hops):
    """nginx sets X-Forwarded-For to $remote_addr; a client's own value is replaced or first."""
    proxy_hops(1)
    GroupFactory()

    def get(forwarded: str) -> int:
        return client.get(
            "/api/v1/groups/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    # Its own address: the cache (Redis, in CI) may be shared with tests running alongside.
    behind_proxy = "203.0.113.20"
    statuses = [get(f"10.0.0.{n}, {behind_proxy}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert get("192.0.2.44") == 200


def sign_in(client, password: str, address: str = CLIENT, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        "/accounts/login/", {"username": "chair", "password": password, "next": "/"}, **extra
    )


@pytest.fixture
def chair(django_user_model):
    return django_user_model.objects.create_user("chair", password="right-password")


def test_failed_sign_ins_lock_the_account_out_from_that_address(client, chair, settings):
    statuses = [
        sign_in(client, "wrong", forwarded=f"198.51.100.{n}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT - 1)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many sign-in attempts" in page
    assert "After 5 failed sign-ins as “chair” from your address" in page
    assert "for 15 minutes" in page
    # Locked out even with the right password, and whatever X-Forwarded-For claims.
    assert sign_in(client, "right-password", forwarded="192.0.2.1").status_code == 429
    # The same account from another address is counted apart.
    assert sign_in(client, "right-password", address="192.0.2.50").status_code == 302


def test_the_admin_sign_in_is_limited_too(client, chair, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/admin/login/", {"username": "chair", "password": "wrong"}, REMOTE_ADDR=CLIENT
        )
    assert response.status_code == 429


def test_a_successful_sign_in_resets_the_count(client, chair, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "right-password").status_code == 302
    client.logout()
    assert sign_in(client, "wrong").status_code == 200


def test_behind_one_proxy_sign_ins_are_counted_per_client(client, chair, settings, proxy_hops):
    proxy_hops(1)
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong", address="127.0.0.1", forwarded=f"10.0.0.{n}, {CLIENT}")
    assert response.status_code == 429
    # Every client reaches the app from the proxy's address; another one is not locked out.
    other = sign_in(client, "right-password", address="127.0.0.1", forwarded="192.0.2.50")
    assert other.status_code == 302
