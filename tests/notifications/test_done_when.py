"""Issue 8's "done when": a subscriber confirms, receives the 24 h reminder from a real SMTP
server, an admin cancels the next occurrence, and the subscriber receives the cancellation with
its reason once, with two senders running at the same time; the feed shows the cancellation in
ical.js, recurring-ical-events and khal."""

import datetime
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection

from meetings.models import Occurrence
from notifications.models import Notice, NoticeStatus
from tests.factories import GroupFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory
from tests.meetings.test_interop import STATUS_READERS, statuses_by_recurring_ical_events
from tests.notifications.conftest import html_of, text_of
from tests.notifications.helpers import send_notifications, subscribe

ADDRESS = "ada@example.net"
# Tuesday 8 December 2026, 10:00 in Los Angeles, is 18:00 UTC; a day before, plus a minute.
DAY_BEFORE = datetime.datetime(2026, 12, 7, 18, 1, tzinfo=datetime.UTC)


@pytest.fixture
def sig_node(db):
    meeting = MeetingFactory(
        group=GroupFactory(slug="sig-node", name="SIG Node"),
        slug="sig-node-weekly",
        title="SIG Node weekly",
        join_url="https://zoom.example.org/j/node",
    )
    return ScheduleFactory(
        meeting=meeting,
        time_zone="America/Los_Angeles",
        first_date=datetime.date(2026, 12, 1),
        start_time=datetime.time(10, 0),
    )


def _senders_at_once(count: int) -> list[str]:
    """`count` send_notifications started together, each in its own thread and connection."""
    start = threading.Barrier(count)
    outputs: list[str] = []

    def run():
        start.wait()
        try:
            outputs.append(send_notifications())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outputs


@pytest.mark.interop
@pytest.mark.django_db(transaction=True)
def test_reminder_then_cancellation_once_with_two_senders(client, mailbox, sig_node, tmp_path):
    with time_machine.travel(DAY_BEFORE - datetime.timedelta(days=3)):
        subscribe(client, mailbox, ADDRESS, meeting="sig-node-weekly")
        assert "sent: 0" in send_notifications()
    assert mailbox.messages == []

    with time_machine.travel(DAY_BEFORE):
        send_notifications()
        (reminder,) = mailbox.to(ADDRESS)
        assert reminder["Subject"] == "Reminder: SIG Node weekly, Tue 8 Dec"
        text = text_of(reminder)
        assert "Reminder, in 24 hours" in text
        # Home zone, the subscriber's and UTC.
        assert "Tue 8 Dec 2026, 10-11 AM PST (America/Los_Angeles)" in text
        assert "Tue 8 Dec 2026, 7-8 PM CET (Europe/Berlin)" in text
        assert "Tue 8 Dec 2026, 6-7 PM UTC (UTC)" in text
        assert "https://zoom.example.org/j/node" in text
        assert "https://community.example.org/meetings/sig-node-weekly/2026-12-08/" in text
        assert 'href="https://zoom.example.org/j/node"' in html_of(reminder)
        unsubscribe = str(reminder["List-Unsubscribe"]).strip()  # folded onto its own line
        assert unsubscribe.startswith("<https://community.example.org/subscriptions/")
        assert unsubscribe.endswith("/unsubscribe/>")
        assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert reminder["X-Envelope-To"] == ADDRESS
        mailbox.clear()

        admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
        client.force_login(admin)
        response = client.post(
            "/admin/meetings/meeting/",
            {
                "action": "cancel_occurrence",
                "index": "0",
                "_selected_action": [sig_node.meeting.pk],
                "apply": "1",
                "schedule": sig_node.pk,
                "original_date": "2026-12-08",
                "reason": "KubeCon week: most of us travel",
            },
        )
        assert response.status_code == 302
        assert Occurrence.objects.get(original_date="2026-12-08").status == "cancelled"

        mailbox.delay = 0.5  # the first sender is still talking when the second claims
        if connection.vendor == "postgresql":
            outputs = _senders_at_once(2)
        else:
            # SQLite's shared in-memory test database refuses a second writer instead of
            # waiting (as a database file would): there the two run one after the other.
            outputs = [send_notifications(), send_notifications()]
        feed = client.get("/meetings/sig-node-weekly/calendar.ics").content

    assert len(outputs) == 2
    (cancellation,) = mailbox.to(ADDRESS)
    assert cancellation["Subject"] == "Cancelled: SIG Node weekly, Tue 8 Dec"
    assert "KubeCon week: most of us travel" in text_of(cancellation)
    assert "KubeCon week: most of us travel" in html_of(cancellation)
    assert "zoom.example.org" not in text_of(cancellation)  # nothing to join
    assert Notice.objects.get(kind="cancelled").status == NoticeStatus.SENT
    assert len(mailbox.messages) == 1

    # The feed keeps the occurrence, cancelled, in each reader.
    start = datetime.datetime(2026, 12, 8, 18, 0, tzinfo=datetime.UTC)
    for number, reader in enumerate(STATUS_READERS):
        folder = tmp_path / str(number)
        folder.mkdir()
        statuses = reader(feed, folder)
        assert statuses[start].startswith("CANCELLED"), reader.__name__
        assert statuses[start + datetime.timedelta(weeks=1)].startswith("CONFIRMED")
    assert (
        "KubeCon week: most of us travel"
        in statuses_by_recurring_ical_events(feed, tmp_path)[start]
    )
