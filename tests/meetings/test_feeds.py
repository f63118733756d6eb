"""The feeds over HTTP: what a calendar client subscribing to them gets."""

import datetime
import os
import subprocess
import sys

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError
from django.template.loader import render_to_string
from django.utils.http import http_date

from common import freshness
from common.bulk import BulkWrite
from governance.models import RoleKind
from meetings import feeds
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    OccurrenceFactory,
    ScheduleFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 2, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def network():
    group = GroupFactory(slug="sig-network", name="SIG Network")
    ScheduleFactory(meeting=MeetingFactory(group=group, slug="network", title="SIG Network"))
    return group


@pytest.fixture
def storage():
    group = GroupFactory(slug="sig-storage", name="SIG Storage")
    ScheduleFactory(
        meeting=MeetingFactory(group=group, slug="storage", title="SIG Storage"),
        time_zone="Europe/Berlin",
        start_time=datetime.time(9, 0),
    )
    return group


def summaries(response) -> set[str]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def test_feed_is_an_inline_calendar_clients_may_cache(client, network):
    response = client.get("/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="meetings.ics"'
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    assert response["ETag"].startswith('"')
    assert summaries(response) == {"SIG Network"}


def test_head_and_get_only(client, network):
    assert client.head("/calendar.ics").status_code == 200
    assert client.post("/calendar.ics").status_code == 405


def test_matching_etag_gives_304_without_a_body(client, network):
    etag = client.get("/calendar.ics")["ETag"]

    response = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_if_modified_since_gives_304_until_the_data_changes(
    client, network, clock, django_capture_on_commit_callbacks
):
    first = client.get("/calendar.ics")
    last_modified = first["Last-Modified"]
    assert last_modified == http_date(NOW.timestamp())

    assert client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date((NOW - datetime.timedelta(hours=1)).timestamp())
    assert client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200

    clock.shift(datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        network.meetings.get().schedules.get().occurrences.create(
            original_date=datetime.date(2026, 2, 2), status="cancelled", reason="Holiday"
        )
    response = client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert response["Last-Modified"] == http_date((NOW + datetime.timedelta(hours=2)).timestamp())


def test_a_deleted_record_moves_last_modified_forward(
    client, network, clock, django_capture_on_commit_callbacks
):
    """Removing a cancellation leaves no updated_at behind: the feed still reads as changed."""
    schedule = network.meetings.get().schedules.get()
    with django_capture_on_commit_callbacks(execute=True):
        record = OccurrenceFactory(
            schedule=schedule,
            original_date=datetime.date(2026, 2, 2),
            status="cancelled",
            reason="Holiday",
        )
    last_modified = client.get("/calendar.ics")["Last-Modified"]

    clock.shift(datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    response = client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 200
    assert b"EXDATE" not in response.content


def test_a_change_is_served_at_once(client, network, django_capture_on_commit_callbacks):
    etag = client.get("/calendar.ics")["ETag"]
    meeting = network.meetings.get()

    with django_capture_on_commit_callbacks(execute=True):
        meeting.title = "SIG Network weekly"
        meeting.save()
    response = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert summaries(response) == {"SIG Network weekly"}


def bulk_rename(group) -> None:
    """Change a group as an import does (common.bulk: no post_save)."""
    written = BulkWrite(type(group))
    written.update(group, {"name": "SIG Networking"})
    written.write()


@pytest.mark.parametrize(
    "change",
    [
        lambda group: AgendaItemFactory(
            occurrence__schedule=group.meetings.get().schedules.get(),
            occurrence__original_date=datetime.date(2026, 2, 2),
        ),
        lambda group: group.meetings.get().schedules.get().save(),
        lambda group: group.meetings.get().delete(),
        lambda group: RoleFactory(group=group),
        lambda group: group.save(),
        bulk_rename,
    ],
    ids=["agenda item", "schedule", "meeting deleted", "role", "group", "group in bulk"],
)
def test_every_change_replaces_the_data_version(
    change, network, django_capture_on_commit_callbacks
):
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True):
        change(network)
    assert freshness.current() != before


def test_a_version_is_replaced_only_once_the_change_is_committed(
    network, django_capture_on_commit_callbacks
):
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        network.save()
        assert freshness.current() == before
    assert callbacks


@pytest.fixture
def shared_redis(settings, base_settings):
    """The Django cache on a real Redis (REDIS_URL, or the local one), as app servers share it."""
    url = settings.REDIS_URL or "redis://127.0.0.1:6379/15"
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis answers at {url}")
    settings.CACHES = base_settings(REDIS_URL=url).CACHES
    cache.clear()
    return url


@pytest.mark.service
def test_app_servers_sharing_redis_see_each_others_changes(client, network, shared_redis):
    """A change made through another process (another app server) invalidates this one's feed."""
    etag = client.get("/calendar.ics")["ETag"]
    code = "import django; django.setup(); from common.freshness import bump; bump()"
    # Not an xdist worker: it uses the database of this worker's REDIS_URL as given.
    environ = {name: value for name, value in os.environ.items() if name != "PYTEST_XDIST_WORKER"}
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={
            **environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "REDIS_URL": shared_redis,
        },
        timeout=60,
    )
    # The data did not change, so neither does the body: it was rendered again, not served stale.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("meetings.ical.PRODID", "-//Agora//Rendered again//EN")
        response = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"Rendered again" in response.content


def test_chosen_groups(client, network, storage):
    GroupFactory(slug="sig-apps")
    response = client.get("/calendar.ics?groups=sig-network,sig-storage")

    assert response.status_code == 200
    assert summaries(response) == {"SIG Network", "SIG Storage"}
    assert summaries(client.get("/calendar.ics?groups=sig-storage")) == {"SIG Storage"}


def test_meetings_of_one_kind_of_the_chosen_groups_or_of_all(client, network, storage):
    for group, title in ((network, "Network office hours"), (storage, "Storage office hours")):
        ScheduleFactory(meeting=MeetingFactory(group=group, title=title, kind="office_hours"))

    of_kind = client.get("/calendar.ics?kind=office_hours")
    both = client.get("/calendar.ics?groups=sig-network&kind=office_hours")

    assert summaries(of_kind) == {"Network office hours", "Storage office hours"}
    assert summaries(both) == {"Network office hours"}
    assert str(icalendar.Calendar.from_ical(both.content)["X-WR-CALNAME"]) == (
        "Agora: SIG Network (office hours)"
    )
    assert summaries(client.get("/calendar.ics?groups=sig-network")) == {
        "SIG Network",
        "Network office hours",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=meetup", "Unknown kind: meetup"),
        ("groups=sig-network,sig-nope", "Unknown group: sig-nope"),
        ("groups=sig-x,sig-network,sig-y", "Unknown groups: sig-x, sig-y"),
        ("groups=", "Name at least one group"),
    ],
)
def test_unknown_groups_are_named_in_a_400(client, network, query, message):
    response = client.get(f"/calendar.ics?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()


def test_group_and_meeting_feeds(client, network, storage):
    group = client.get("/groups/sig-storage/calendar.ics")
    meeting = client.get("/meetings/network/calendar.ics")

    assert summaries(group) == {"SIG Storage"}
    assert group["Content-Disposition"] == 'inline; filename="sig-storage.ics"'
    assert summaries(meeting) == {"SIG Network"}
    assert b"X-WR-CALNAME:Agora: SIG Network" in meeting.content


@pytest.mark.parametrize(
    "path",
    ["/groups/nope/calendar.ics", "/meetings/nope/calendar.ics", "/people/nope/calendar.ics"],
)
def test_unknown_subjects_are_404(client, path):
    assert client.get(path).status_code == 404


def test_person_feed_has_the_groups_of_current_roles_only(client, network, storage):
    person = PersonFactory(handle="Jane")
    RoleFactory(person=person, group=network, kind=RoleKind.CHAIR)
    RoleFactory(
        person=person,
        group=storage,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2025, 1, 1),
    )
    apps = GroupFactory(slug="sig-apps")
    ScheduleFactory(meeting=MeetingFactory(group=apps, title="SIG Apps"))
    RoleFactory(person=person, group=apps, start=datetime.date(2026, 3, 1))

    response = client.get("/people/jane/calendar.ics")

    assert response.status_code == 200
    assert summaries(response) == {"SIG Network"}


def test_person_feed_follows_a_role_starting_without_any_edit(client, network, clock):
    person = PersonFactory(handle="jane")
    RoleFactory(person=person, group=network, start=datetime.date(2026, 2, 2))
    assert summaries(client.get("/people/jane/calendar.ics")) == set()

    clock.move_to(datetime.datetime(2026, 2, 2, 0, 1, tzinfo=UTC))

    assert summaries(client.get("/people/jane/calendar.ics")) == {"SIG Network"}


def test_uid_domain_comes_from_the_setting_or_the_host(client, network, settings):
    uid = str(network.meetings.get().schedules.get().uid)
    assert f"UID:{uid}@testserver".encode() in client.get("/calendar.ics").content

    settings.AGORA_ICAL_DOMAIN = "agora.example.org"
    assert f"UID:{uid}@agora.example.org".encode() in client.get("/calendar.ics").content


def add_meetings(count: int, group) -> None:
    for _ in range(count):
        schedule = ScheduleFactory(meeting__group=group)
        OccurrenceFactory(
            schedule=schedule,
            original_date=datetime.date(2026, 2, 9),
            status="cancelled",
            reason="Holiday",
        )
        AgendaItemFactory(
            occurrence__schedule=schedule,
            occurrence__original_date=datetime.date(2026, 2, 16),
            presenter=PersonFactory(),
        )


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/calendar.ics", 4),
        ("/calendar.ics?groups=sig-network", 5),
        ("/groups/sig-network/calendar.ics", 5),
        ("/meetings/network/calendar.ics", 5),
        ("/people/jane/calendar.ics", 6),
    ],
)
def test_queries_do_not_grow_with_meetings(
    client, network, path, queries, django_assert_num_queries
):
    RoleFactory(person=PersonFactory(handle="jane"), group=network)
    AgendaItemFactory(
        occurrence__schedule=network.meetings.get().schedules.get(),
        occurrence__original_date=datetime.date(2026, 2, 2),
    )
    add_meetings(1, network)
    with django_assert_num_queries(queries):
        client.get(path)

    add_meetings(4, network)
    ScheduleFactory(meeting=network.meetings.get(slug="network"), start_time=datetime.time(8, 0))
    cache.clear()
    feeds._fragments_here.clear()
    with django_assert_num_queries(queries):
        client.get(path)


def test_a_cached_feed_costs_only_its_subject_lookup(client, network, django_assert_num_queries):
    client.get("/groups/sig-network/calendar.ics")
    with django_assert_num_queries(1):
        assert client.get("/groups/sig-network/calendar.ics").status_code == 200


def test_subscribe_links(rf, settings):
    settings.ALLOWED_HOSTS = ["agora.example.org"]
    request = rf.get("/groups/sig-network/", HTTP_HOST="agora.example.org")
    html = render_to_string(
        "meetings/_subscribe.html",
        {"feed_path": "/groups/sig-network/calendar.ics"},
        request=request,
    )
    assert 'href="webcal://agora.example.org/groups/sig-network/calendar.ics"' in html
    assert 'href="http://agora.example.org/groups/sig-network/calendar.ics"' in html

    secure = rf.get("/", HTTP_HOST="agora.example.org", secure=True)
    html = render_to_string(
        "meetings/_subscribe.html", {"feed_path": "/calendar.ics"}, request=secure
    )
    assert 'href="https://agora.example.org/calendar.ics"' in html


def test_while_the_database_is_unreachable_a_feed_serves_its_last_copy(
    client, network, storage, monkeypatch
):
    published = client.get("/groups/sig-network/calendar.ics")
    freshness.bump()  # the last copy outlives the data version it was rendered under

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("meetings.feeds.get_object_or_404", unreachable)
    feed = client.get("/groups/sig-network/calendar.ics")
    assert feed.status_code == 200
    assert (feed.content, feed["ETag"]) == (published.content, published["ETag"])
    assert (
        client.get("/groups/sig-network/calendar.ics", HTTP_IF_NONE_MATCH=feed["ETag"]).status_code
        == 304
    )
    never_published = client.get("/groups/sig-storage/calendar.ics")
    assert never_published.status_code == 503
    assert never_published["Retry-After"] == "10"
