"""The public page cache (config.pagecache): anonymous readers get a stored copy until the data
changes or the clock makes it wrong; signed-in readers never get one, nor leave one behind."""

import datetime
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common import freshness
from config import pagecache
from meetings.models import Meeting
from tests.factories import GroupFactory, PersonFactory, staff_with_permissions
from tests.meetings.factories import MeetingFactory
from tests.notifications.factories import SubscriptionFactory, private_subscription_secrets
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.AGORA_PAGE_CACHE = True


@pytest.fixture
def private_meeting():
    return MeetingFactory(
        slug="security-sync", is_private=True, join_url="https://zoom.example.org/j/secret"
    )


def test_an_anonymous_page_is_served_again_without_a_query_until_a_change(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    group = GroupFactory(name="SIG Node")
    first = client.get("/groups/")
    with django_assert_num_queries(0):
        again = client.get("/groups/")
    assert again.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        group.name = "SIG Nodes"
        group.save()
    assert b"SIG Nodes" in client.get("/groups/").content


@pytest.mark.parametrize(
    ("change", "replaced"),
    [(ProposalFactory, True), (SubscriptionFactory, False)],
    ids=["a proposal: shown", "a subscription: shown to nobody"],
)
def test_a_change_replaces_the_version_when_the_site_shows_it(
    change, replaced, django_capture_on_commit_callbacks
):
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True):
        change()
    assert (freshness.current() != before) is replaced


def test_links_and_deletions_replace_the_version_and_unshown_rows_go_unread(
    django_capture_on_commit_callbacks,
):
    """Only the shown models are heard: a change of a meeting's organisers, or its deletion,
    replaces the version, and Django deletes its organiser links and its subscribers' notices
    (which nothing hears of) without reading them first."""
    private_subscription_secrets()
    meeting = Meeting.objects.get(slug="hidden-sync")
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True):
        meeting.organisers.add(PersonFactory())
    assert freshness.current() != before

    before = freshness.current()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        meeting.delete()
    assert freshness.current() != before
    read = " ".join(query["sql"] for query in queries if query["sql"].startswith("SELECT"))
    assert "meetings_meeting_organisers" not in read
    assert "notifications_notice" not in read


def test_a_change_made_elsewhere_is_seen_within_the_recheck_interval(client, settings):
    settings.AGORA_FEED_RECHECK_SECONDS = 0.3
    group = GroupFactory(name="SIG Node")
    client.get("/groups/")
    group.name = "SIG Nodes"
    group.save()
    # Another app server committed it and replaced the version in the shared cache.
    cache.set(freshness.KEY, "another server's version", timeout=None)
    assert b"SIG Nodes" not in client.get("/groups/").content
    time.sleep(0.3)
    assert b"SIG Nodes" in client.get("/groups/").content


def test_a_stored_etag_is_answered_with_304(client, django_assert_num_queries):
    GroupFactory()
    etag = client.get("/api/v1/groups/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/api/v1/groups/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_the_api_answer_follows_the_accept_header(client):
    GroupFactory()
    assert client.get("/api/v1/groups/")["Content-Type"] == "application/json"
    html = client.get("/api/v1/groups/", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")


def test_signed_in_readers_neither_get_nor_leave_a_stored_copy(client, private_meeting):
    anonymous = client.get("/meetings/security-sync/").content
    assert b"zoom.example.org/j/secret" not in anonymous

    client.force_login(staff_with_permissions("staff"))
    signed_in = client.get("/meetings/security-sync/").content
    assert b"zoom.example.org/j/secret" in signed_in

    client.logout()
    assert client.get("/meetings/security-sync/").content == anonymous
    assert b"zoom.example.org/j/secret" not in client.get("/meetings/security-sync/").content


def test_a_token_bearer_is_never_served_a_stored_copy(client, private_meeting):
    from rest_framework.authtoken.models import Token

    client.get("/api/v1/meetings/security-sync/")
    token = Token.objects.create(user=staff_with_permissions("staff"))
    answer = client.get("/api/v1/meetings/security-sync/", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.json()["join_url"] == "https://zoom.example.org/j/secret"


def test_a_page_with_a_csrf_token_is_not_stored(client):
    first, again = client.get("/accounts/login/"), client.get("/accounts/login/")
    # Each answer masks the token anew: a stored copy would repeat the first.
    assert first.content != again.content


def respond_with(response):
    return pagecache.public_page_cache(lambda request: response)


def test_a_copy_never_outlives_the_moment_its_view_gave_nor_the_cache_lifetime(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 60
    get = RequestFactory().get
    with time_machine.travel(timezone.now(), tick=False) as clock:
        turns = timezone.now() + datetime.timedelta(seconds=10)
        respond_with(freshness.stays_right_until(HttpResponse(b"until ten"), turns))(get("/a/"))
        respond_with(HttpResponse(b"plain"))(get("/b/"))
        later = respond_with(HttpResponse(b"rendered again"))
        clock.shift(datetime.timedelta(seconds=9))
        assert later(get("/a/")).content == b"until ten"
        clock.shift(datetime.timedelta(seconds=2))
        assert later(get("/a/")).content == b"rendered again"
        assert later(get("/b/")).content == b"plain"
        clock.shift(datetime.timedelta(seconds=50))
        assert later(get("/b/")).content == b"rendered again"


@pytest.mark.parametrize(
    "mark",
    [
        lambda response: response.set_cookie("chosen", "1"),
        lambda response: response.__setitem__("Cache-Control", "private"),
        lambda response: response.__setitem__("Cache-Control", "max-age=0"),
        lambda response: response.__setitem__("Vary", "Accept-Language"),
    ],
    ids=["sets a cookie", "private", "max-age=0", "varies on another header"],
)
def test_a_response_its_view_keeps_from_caches_is_not_stored(mark):
    get = RequestFactory().get
    response = HttpResponse(b"first")
    mark(response)
    respond_with(response)(get("/a/"))
    assert respond_with(HttpResponse(b"second"))(get("/a/")).content == b"second"


def test_the_changes_of_a_batch_replace_the_version_once_and_one_after_it_its_own(
    client, django_capture_on_commit_callbacks
):
    group = GroupFactory(name="SIG Node")
    client.get("/groups/")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
        freshness.bumped_once(),
    ):
        GroupFactory(name="SIG Apps")
        group.name = "SIG Nodes"
        group.save()
    assert callbacks.count(freshness.bump) == 1
    assert b"SIG Nodes" in client.get("/groups/").content

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        group.name = "SIG Node"
        group.save()
    assert freshness.bump in callbacks
    assert b"SIG Nodes" not in client.get("/groups/").content
