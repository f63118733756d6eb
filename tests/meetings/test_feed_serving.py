"""How the feeds are served fast: one cache round trip, 304 without the body, one render per
change that writes again only the schedules it touched, gzip, and the files a static server
(nginx) serves."""

import datetime
import gzip

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from common import freshness
from meetings import feeds, services
from meetings.models import AgendaItem, Occurrence
from tests.factories import PersonFactory
from tests.meetings import test_feeds
from tests.meetings.factories import AgendaItemFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db

# The feeds' tests' frozen clock, and their groups with a weekly meeting.
clock = test_feeds.clock
network = test_feeds.network
storage = test_feeds.storage


@pytest.fixture
def cache_calls(monkeypatch):
    """The cache reads a request makes: each get or get_many is one round trip to Redis (the
    memory cache's get_many calls its own get: those are not counted)."""
    calls = []
    inside = []
    for name in ("get", "get_many"):
        original = getattr(cache, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            inside.append(_name)
            try:
                result = _original(*args, **kwargs)
            finally:
                inside.pop()
            if not inside:
                calls.append((_name, args[0], result))
            return result

        monkeypatch.setattr(cache, name, spy)
    return calls


def test_a_cached_feed_is_one_cache_round_trip(client, network, cache_calls):
    body = client.get("/calendar.ics").content
    cache_calls.clear()
    assert client.get("/calendar.ics").content == body
    assert [name for name, *_ in cache_calls] == ["get_many"]


def test_a_304_reads_the_validators_but_never_the_body(client, network, cache_calls):
    etag = client.get("/calendar.ics")["ETag"]
    cache_calls.clear()
    assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    ((_, _, found),) = cache_calls
    assert all(not isinstance(value, tuple) or value[1].body == b"" for value in found.values()), (
        "the 304 read a body"
    )


def test_while_another_worker_renders_a_changed_feed_its_last_copy_is_served(
    client, network, monkeypatch
):
    before = client.get("/calendar.ics")
    freshness.bump()
    body_key, _ = feeds._cache_keys(before.wsgi_request, feeds.site_spec())
    cache.add(f"{body_key}:rendering", "another worker")
    renders = []
    monkeypatch.setattr(feeds, "_render", lambda *a, **k: renders.append(1))

    response = client.get("/calendar.ics")

    assert (response.status_code, response.content) == (200, before.content)
    assert renders == []


def test_gzip_when_the_client_accepts_it(client, network):
    plain = client.get("/calendar.ics")
    zipped = client.get("/calendar.ics", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    assert "Accept-Encoding" in zipped["Vary"]
    again = client.get(
        "/calendar.ics", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]
    )
    assert again.status_code == 304


def test_a_rendered_feed_is_published_and_a_change_unpublishes_it(
    client, network, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.AGORA_FEEDS_ROOT = str(tmp_path)
    body = client.get("/groups/sig-network/calendar.ics").content
    published = tmp_path / "groups" / "sig-network" / "calendar.ics"
    assert published.read_bytes() == body
    assert gzip.decompress(published.with_name("calendar.ics.gz").read_bytes()) == body
    client.get("/calendar.ics?groups=sig-network")  # a query string is the app's alone
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "calendar.ics",
        "calendar.ics.gz",
        "groups",
        "sig-network",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        network.save()
    assert not published.exists()
    assert client.get("/groups/sig-network/calendar.ics").content == body
    assert published.exists()


def test_publish_feeds_writes_the_site_group_and_meeting_feeds(client, network, settings, tmp_path):
    settings.AGORA_FEEDS_ROOT = str(tmp_path)
    settings.ALLOWED_HOSTS = ["agora.example.org"]
    call_command("publish_feeds", base_url="https://agora.example.org")
    served = client.get("/meetings/network/calendar.ics", HTTP_HOST="agora.example.org")
    published = tmp_path / "meetings" / "network" / "calendar.ics"
    assert published.read_bytes() == served.content
    assert (tmp_path / "calendar.ics").exists()
    assert (tmp_path / "groups" / "sig-network" / "calendar.ics").exists()


def test_publish_feeds_needs_a_directory_and_an_address(settings, tmp_path):
    settings.AGORA_FEEDS_ROOT = ""
    with pytest.raises(CommandError, match="AGORA_FEEDS_ROOT"):
        call_command("publish_feeds", base_url="https://agora.example.org")
    settings.AGORA_FEEDS_ROOT = str(tmp_path)
    with pytest.raises(CommandError, match="--base-url"):
        call_command("publish_feeds", base_url="agora.example.org")


def test_a_feed_rendered_from_data_a_change_replaced_meanwhile_is_not_published(
    client, network, settings, tmp_path, monkeypatch
):
    settings.AGORA_FEEDS_ROOT = str(tmp_path)
    render = feeds._render

    def render_then_change(*args, **kwargs):
        rendered = render(*args, **kwargs)
        freshness.bump()  # committed by another request while this one rendered
        return rendered

    monkeypatch.setattr(feeds, "_render", render_then_change)
    assert client.get("/calendar.ics").status_code == 200
    assert not (tmp_path / "calendar.ics").exists()


def test_each_app_server_keeps_the_feeds_it_served_until_it_rechecks_the_version(
    client, network, settings, cache_calls, django_capture_on_commit_callbacks
):
    settings.AGORA_FEED_RECHECK_SECONDS = 60
    body = client.get("/calendar.ics").content
    cache_calls.clear()
    assert client.get("/calendar.ics").content == body
    assert cache_calls == []

    with django_capture_on_commit_callbacks(execute=True):
        network.meetings.update(title="SIG Network weekly")
        network.meetings.get().save()
    assert b"SIG Network weekly" in client.get("/calendar.ics").content


@pytest.fixture
def written(monkeypatch):
    """The meetings whose schedules' fragments are written, one entry per schedule."""
    meetings = []
    write = feeds.ical.schedule_ical

    def spy(schedule, **options):
        meetings.append(schedule.meeting.slug)
        return write(schedule, **options)

    monkeypatch.setattr(feeds.ical, "schedule_ical", spy)
    return meetings


def from_nothing(client, path: str = "/calendar.ics") -> bytes:
    """The feed as a process that has written no fragment yet renders it."""
    cache.clear()
    feeds._fragments_here.clear()
    return client.get(path).content


def test_after_an_invalidation_a_feed_is_assembled_from_its_fragments(
    client, network, storage, written, django_assert_num_queries
):
    body = client.get("/calendar.ics?alarm=15").content
    assert sorted(written) == ["network", "storage"]
    written.clear()
    freshness.bump()
    with django_assert_num_queries(1):
        assert client.get("/calendar.ics?alarm=15").content == body
    assert written == []
    assert client.get("/calendar.ics").content != body  # the alarms are part of a fragment
    assert sorted(written) == ["network", "storage"]


def _rename_meeting(schedule, clock):
    services.meeting_update(meeting=schedule.meeting, title="SIG Storage weekly")


def _rename_group_in_bulk(schedule, clock):
    # No signal and no new updated_at: the fields a fragment shows are part of its stamp.
    type(schedule.meeting.group).objects.filter(pk=schedule.meeting.group_id).update(
        name="SIG Storage and Backup"
    )
    freshness.bump()


def _cancel_occurrence(schedule, clock):
    services.occurrence_cancel(
        schedule=schedule, original_date=datetime.date(2026, 2, 9), reason="Summit"
    )


def _delete_record(schedule, clock):
    Occurrence.objects.get(schedule=schedule, status="cancelled").delete()


def _delete_agenda_item(schedule, clock):
    AgendaItem.objects.filter(occurrence__schedule=schedule).delete()


def _rename_presenter(schedule, clock):
    clock.shift(datetime.timedelta(minutes=1))
    presenter = AgendaItem.objects.get(occurrence__schedule=schedule).presenter
    presenter.name = "Jane Q. Presenter"
    presenter.save()


def _delete_schedule(schedule, clock):
    services.schedule_delete(schedule=schedule)


@pytest.mark.parametrize(
    ("change", "rewritten"),
    [
        (_rename_meeting, ["storage"]),
        (_rename_group_in_bulk, ["storage"]),
        (_cancel_occurrence, ["storage"]),
        (_delete_record, ["storage"]),
        (_delete_agenda_item, ["storage"]),
        (_rename_presenter, ["storage"]),
        (_delete_schedule, []),
    ],
)
def test_a_change_to_one_meeting_writes_only_its_fragment_again(
    client, network, storage, written, clock, change, rewritten, django_capture_on_commit_callbacks
):
    schedule = storage.meetings.get().schedules.get()
    OccurrenceFactory(
        schedule=schedule, original_date=datetime.date(2026, 2, 2), status="cancelled", reason="x"
    )
    AgendaItemFactory(
        occurrence__schedule=schedule,
        occurrence__original_date=datetime.date(2026, 2, 16),
        presenter=PersonFactory(name="Jane Presenter"),
    )
    before = client.get("/calendar.ics").content
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change(schedule, clock)
    after = client.get("/calendar.ics").content

    assert written == rewritten
    assert after != before
    assert after == from_nothing(client)


def test_a_process_keeps_no_more_fragments_than_its_bound(client, network, storage, monkeypatch):
    body = client.get("/calendar.ics").content
    largest = max(len(fragment) for _, fragment in feeds._fragments_here.kept.values())
    monkeypatch.setattr(feeds, "FRAGMENT_BYTES_KEPT", largest + 1)

    assert from_nothing(client) == body
    assert 0 < feeds._fragments_here.size <= largest + 1
