"""Redis is a cache, not a dependency: stopped or frozen, the site answers from the database."""

import contextlib
import datetime
import shutil
import signal
import subprocess
import time

import pytest

from meetings import services
from meetings.models import Occurrence
from tests.conftest import free_port
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

AGENDA = "/meetings/sig-node-weekly/2026-11-02/agenda/"


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test can stop or freeze."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        self.thaw()
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(settings, base_settings, monkeypatch):
    """The site's cache on a throwaway Redis, configured as config.settings.base does."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    monkeypatch.setattr("config.cache._failed_at", {})
    settings.CACHES = base_settings(REDIS_URL=server.url).CACHES
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def community(time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 20, 12, 0, tzinfo=datetime.UTC), tick=True)
    group = GroupFactory(slug="sig-node", name="SIG Node")
    meeting = MeetingFactory(group=group, slug="sig-node-weekly", title="SIG Node weekly")
    ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 10, 5))
    return group


@pytest.fixture
def lead(django_user_model, community):
    user = django_user_model.objects.create_user("chair", password="pw")
    RoleFactory(person=PersonFactory(handle="chair", user=user), group=community)
    return user


@contextlib.contextmanager
def deadline(seconds: int):
    """Fails the test, instead of hanging it, when the block takes longer than `seconds`."""

    def expired(*_):
        raise TimeoutError(f"took more than {seconds} s: a request waited on Redis")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def save_agenda(client):
    return client.post(
        AGENDA,
        {
            "version": services.UNSAVED_VERSION,
            "minutes": "Agreed",
            "recording_url": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-title": "Swap KEP",
            "items-0-presenter": "@chair",
            "items-0-minutes_allotted": "10",
            "items-0-ORDER": "1",
        },
    )


def assert_site_answers(client):
    assert client.get("/groups/sig-node/").status_code == 200
    assert client.get("/api/v1/groups/").json()["results"][0]["slug"] == "sig-node"
    feed = client.get("/calendar.ics")
    assert feed.status_code == 200
    assert b"SUMMARY:SIG Node weekly" in feed.content


def test_with_redis_stopped_pages_feeds_api_and_saves_answer_from_the_database(
    client, redis_server, throttled, lead
):
    for _ in range(3):
        assert client.get("/api/v1/groups/").status_code == 200
    assert client.get("/api/v1/groups/").status_code == 429, "the throttle counts in Redis"

    redis_server.stop()

    # The throttle degrades open: its history reads as empty.
    for _ in range(4):
        assert client.get("/api/v1/groups/").status_code == 200
    assert_site_answers(client)
    client.force_login(lead)
    response = save_agenda(client)
    # Committed, and the feed invalidation after the commit did not turn it into a 500.
    assert response.status_code == 302
    assert Occurrence.objects.get().agenda_items.get().title == "Swap KEP"
    assert "The agenda and minutes are saved." in client.get(response["Location"]).content.decode()


def test_a_frozen_redis_costs_one_short_timeout_not_a_stalled_worker(
    client, redis_server, throttled, lead
):
    assert_site_answers(client)
    redis_server.freeze()
    try:
        started = time.monotonic()
        with deadline(10):
            for _ in range(3):
                assert_site_answers(client)
            client.force_login(lead)
            assert save_agenda(client).status_code == 302
        elapsed = time.monotonic() - started
    finally:
        redis_server.thaw()
    print(f"\n10 requests with Redis frozen: {elapsed:.2f} s")
    # One socket timeout (0.25 s), then the cache is left alone for a few seconds.
    assert elapsed < 3, f"{elapsed:.1f} s for 10 requests with Redis frozen"
    assert Occurrence.objects.get().agenda_items.count() == 1


def test_the_cache_is_used_again_once_redis_is_back(client, redis_server, throttled, monkeypatch):
    GroupFactory(slug="sig-node")
    monkeypatch.setattr("config.cache.DegradingRedisCache.RETRY_SECONDS", 0.1)
    redis_server.stop()
    for _ in range(4):
        assert client.get("/api/v1/groups/").status_code == 200
    redis_server.start()
    time.sleep(0.2)
    for _ in range(3):
        assert client.get("/api/v1/groups/").status_code == 200
    assert client.get("/api/v1/groups/").status_code == 429
