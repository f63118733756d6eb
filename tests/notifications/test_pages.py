"""Subscribing, confirming, changing and unsubscribing through the pages and mailed links."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from notifications.models import Subscription
from tests.factories import GroupFactory, PersonFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory
from tests.notifications.conftest import html_of
from tests.notifications.factories import SubscriptionFactory
from tests.notifications.helpers import path_in, post_subscribe, send_notifications, subscribe

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 10, 5, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting():
    meeting = MeetingFactory(slug="sig-apps", title="SIG Apps", group=GroupFactory(slug="apps"))
    ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 10, 5))
    return meeting


def test_the_meeting_and_group_pages_offer_mail(client, meeting):
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'href="/subscriptions/new/?meeting=sig-apps"' in page
    group_page = client.get(meeting.group.get_absolute_url()).content.decode()
    assert 'href="/subscriptions/new/?group=apps"' in group_page


def test_the_form_starts_from_the_meeting_and_the_persons_zone(client, meeting):
    user = get_user_model().objects.create_user("kim", "kim@example.net", "pw")
    PersonFactory(user=user, time_zone="Asia/Kolkata")
    client.force_login(user)

    form = client.get("/subscriptions/new/?meeting=sig-apps").context["form"]

    assert form.initial["meeting"] == "sig-apps"
    assert form.initial["time_zone"] == "Asia/Kolkata"
    assert form.initial["email"] == "kim@example.net"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not an address", "time_zone": "UTC"}, "email"),
        ({"email": "a@example.net", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"email": "a@example.net", "time_zone": "UTC", "reminders": ["7"]}, "reminders"),
        (
            {"email": "a@example.net", "time_zone": "UTC", "meeting": "sig-apps", "group": "apps"},
            "group",
        ),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client, meeting, data, field):
    response = client.post("/subscriptions/new/", data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Subscription.objects.exists()


@time_machine.travel(NOW)
def test_nothing_is_sent_before_the_address_confirms(client, mailbox, meeting):
    post_subscribe(client, {"email": "a@example.net", "time_zone": "UTC"})
    post_subscribe(client, {"email": "a@example.net", "time_zone": "UTC"})
    (confirmation,) = mailbox.messages  # asked twice: one confirmation mail
    assert "List-Unsubscribe" not in confirmation
    assert "/confirm/" in html_of(confirmation)
    mailbox.clear()
    with time_machine.travel(datetime.datetime(2026, 10, 5, 23, 30, tzinfo=datetime.UTC)):
        send_notifications()  # an hour before the meeting
    assert mailbox.messages == []
    assert Subscription.objects.get().confirmed_at is None


@time_machine.travel(NOW)
def test_a_stranger_cannot_change_a_confirmed_subscription(client, mailbox, meeting):
    page = subscribe(client, mailbox, "a@example.net", meeting="sig-apps")
    assert client.get(page).status_code == 200

    response = post_subscribe(
        Client(), {"email": "A@example.net", "meeting": "sig-apps", "time_zone": "UTC"}
    )

    assert response.status_code == 302  # the same answer as for a new address
    assert mailbox.messages == []
    subscription = Subscription.objects.get()
    assert (subscription.time_zone, subscription.reminders) == ("Europe/Berlin", [1440, 60])


@time_machine.travel(NOW)
def test_the_subscribers_page_changes_what_they_receive(client, mailbox, meeting):
    page = subscribe(client, mailbox, "a@example.net")
    response = client.post(page, {"time_zone": "Asia/Tokyo", "reminders": ["15"]})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.meeting is None and subscription.group is None  # every meeting
    assert (subscription.time_zone, subscription.reminders) == ("Asia/Tokyo", [15])
    assert not (subscription.changes or subscription.agendas or subscription.minutes)


@time_machine.travel(NOW)
def test_one_click_unsubscribe_needs_no_cookie(client, mailbox, meeting):
    subscribe(client, mailbox, "a@example.net", meeting="sig-apps")
    with time_machine.travel(datetime.datetime(2026, 10, 5, 23, 30, tzinfo=datetime.UTC)):
        send_notifications()
    (reminder,) = mailbox.messages
    link = str(reminder["List-Unsubscribe"]).strip().strip("<>")
    assert path_in(reminder, "/unsubscribe/") in link

    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert mail_program.get(link).status_code == 404  # the link no longer names one


def test_a_forged_link_names_no_subscription(client, meeting):
    SubscriptionFactory(meeting=meeting)
    for path in ("/subscriptions/WzEsImEiXQ:forged/", "/subscriptions/x/confirm/"):
        assert client.get(path).status_code == 404
    assert client.post("/subscriptions/WzEsImEiXQ:forged/unsubscribe/").status_code == 200
    assert Subscription.objects.count() == 1


def test_signed_in_people_see_their_own_subscriptions(client, meeting, django_assert_num_queries):
    user = get_user_model().objects.create_user("kim", "kim@example.net", "pw")
    for _ in range(3):
        SubscriptionFactory(user=user, meeting=MeetingFactory())
    SubscriptionFactory(user=user, group=meeting.group, confirmed_at=None)
    SubscriptionFactory(email="someone-else@example.net", meeting=meeting)
    assert client.get("/subscriptions/")["Location"].startswith("/accounts/login/")
    client.force_login(user)

    with django_assert_num_queries(3):  # session, user, subscriptions
        page = client.get("/subscriptions/").content.decode()

    assert page.count("Unsubscribe</button>") == 3
    assert "Waiting for confirmation" in page
    assert "someone-else@example.net" not in page
