"""The mail queue: what is sent, dropped, retried and disabled, through a real SMTP server."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services as meeting_services
from notifications import services
from notifications.models import Notice, NoticeKind, NoticeStatus, Subscription
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory
from tests.notifications.conftest import html_of, text_of
from tests.notifications.factories import SubscriptionFactory
from tests.notifications.helpers import send_notifications

# Weekly on Mondays at 17:00 in Los Angeles (01:00 UTC on Tuesday) from 5 October 2026.
MONDAY = datetime.date(2026, 10, 12)
WEEK_BEFORE = datetime.datetime(2026, 10, 5, 12, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    meeting = MeetingFactory(
        group=GroupFactory(slug="sig-apps", name="SIG Apps"),
        slug="sig-apps",
        title="SIG Apps",
        join_url="https://zoom.example.org/j/apps",
    )
    return ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 10, 5))


@pytest.fixture
def subscriber(schedule):
    return SubscriptionFactory(email="sam@example.net", meeting=schedule.meeting, reminders=[])


def _cancel(schedule, reason="Holiday"):
    meeting_services.occurrence_cancel(schedule=schedule, original_date=MONDAY, reason=reason)


@time_machine.travel(WEEK_BEFORE)
def test_a_cancellation_undone_before_sending_tells_nobody(mailbox, schedule, subscriber):
    _cancel(schedule)
    meeting_services.occurrence_restore(schedule=schedule, original_date=MONDAY)

    send_notifications()

    assert mailbox.messages == []
    assert Notice.objects.get().status == NoticeStatus.DROPPED


@time_machine.travel(WEEK_BEFORE)
def test_a_cancellation_undone_after_sending_says_it_is_back_on(mailbox, schedule, subscriber):
    _cancel(schedule)
    send_notifications()
    meeting_services.occurrence_restore(schedule=schedule, original_date=MONDAY)
    send_notifications()

    subjects = [message["Subject"] for message in mailbox.messages]
    assert subjects == ["Cancelled: SIG Apps, Mon 12 Oct", "Back on: SIG Apps, Mon 12 Oct"]
    assert "https://zoom.example.org/j/apps" in text_of(mailbox.messages[1])


@time_machine.travel(WEEK_BEFORE)
def test_meetings_ended_together_tell_of_every_cancellation_in_statements_that_do_not_grow(
    schedule,
):
    """schedules_end (an import retiring meetings) cancels the occurrences it ends; the notices
    of all of them are queued in as many statements for four meetings as for one."""
    group = schedule.meeting.group
    everyone = SubscriptionFactory(email="all@example.net", group=group, reminders=[])

    def end(count: int) -> int:
        schedules = [
            ScheduleFactory(meeting=MeetingFactory(group=group), first_date=MONDAY)
            for _ in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            meeting_services.schedules_end(
                schedules=schedules, on=MONDAY, reason="No longer in sigs.yaml."
            )
        told = Notice.objects.filter(schedule__in=schedules, kind=NoticeKind.CANCELLED)
        assert (
            sorted(told.values_list("subscription__email", flat=True)) == [everyone.email] * count
        )
        return len(queries)

    assert end(4) == end(1)


@time_machine.travel(WEEK_BEFORE)
def test_a_move_says_when_it_was_and_when_it_is(mailbox, schedule, subscriber):
    meeting_services.occurrence_move(
        schedule=schedule,
        original_date=MONDAY,
        start=datetime.datetime(2026, 10, 14, 1, 0, tzinfo=datetime.UTC),
        reason="Clash with the release",
    )
    send_notifications()

    (message,) = mailbox.messages
    assert message["Subject"] == "Moved: SIG Apps, Mon 12 Oct to Tue 13 Oct"
    text = text_of(message)
    assert "Clash with the release" in text
    now, was = text.split("Was:")
    assert "Tue 13 Oct 2026, 6-7 PM PDT (America/Los_Angeles)" in now
    assert "Mon 12 Oct 2026, 5-6 PM PDT (America/Los_Angeles)" in was
    assert "<del>Mon 12 Oct 2026, 5-6 PM PDT</del>" in html_of(message)


@time_machine.travel(WEEK_BEFORE)
def test_the_agenda_is_sent_once_the_editing_settles(mailbox, schedule, subscriber):
    for title in ("Triage", "Triage and planning"):
        record = meeting_services.agenda_save(
            schedule=schedule,
            original_date=MONDAY,
            items=[{"title": title, "presenter_name": "Kim"}],
            minutes="",
            recording_url="",
            expected_version=getattr(
                schedule.occurrences.first(), "version", meeting_services.UNSAVED_VERSION
            ),
        )
    assert record.agenda_items.get().title == "Triage and planning"
    send_notifications()
    assert mailbox.messages == []  # still being edited

    with time_machine.travel(WEEK_BEFORE + services.SETTLE + datetime.timedelta(minutes=1)):
        send_notifications()

    (message,) = mailbox.messages
    assert message["Subject"] == "Agenda: SIG Apps, Mon 12 Oct"
    assert "1. Triage and planning (Kim)" in text_of(message)


def test_a_private_meetings_details_reach_only_who_may_see_them(mailbox, schedule):
    meeting = schedule.meeting
    meeting.is_private = True
    meeting.save()
    lead = get_user_model().objects.create_user("lee", "lee@example.net", "pw")
    RoleFactory(person=PersonFactory(user=lead), group=meeting.group)
    SubscriptionFactory(email="stranger@example.net", meeting=meeting, reminders=[])
    SubscriptionFactory(email="lee@example.net", meeting=meeting, reminders=[], user=lead)
    with time_machine.travel(WEEK_BEFORE):
        meeting_services.agenda_save(
            schedule=schedule,
            original_date=MONDAY,
            items=[{"title": "Confidential vote"}],
            minutes="",
            recording_url="",
            expected_version=meeting_services.UNSAVED_VERSION,
        )
        meeting_services.occurrence_move(
            schedule=schedule,
            original_date=MONDAY,
            start=datetime.datetime(2026, 10, 14, 1, 0, tzinfo=datetime.UTC),
        )
    with time_machine.travel(WEEK_BEFORE + services.SETTLE + datetime.timedelta(minutes=1)):
        send_notifications()

    (stranger,) = mailbox.to("stranger@example.net")  # the move; the agenda is not theirs
    assert stranger["Subject"].startswith("Moved:")
    for part in (text_of(stranger), html_of(stranger)):
        assert "zoom.example.org" not in part and "Confidential vote" not in part
    lees = {message["Subject"].split(":")[0]: message for message in mailbox.to("lee@example.net")}
    assert set(lees) == {"Moved", "Agenda"}
    assert "https://zoom.example.org/j/apps" in text_of(lees["Moved"])
    assert "Confidential vote" in text_of(lees["Agenda"])
    # No mail names another subscriber.
    for message in mailbox.messages:
        assert message["X-Envelope-To"] == message["To"]
        assert "Cc" not in message and "Bcc" not in message


@time_machine.travel(WEEK_BEFORE)
def test_a_failed_send_is_retried_with_backoff(mailbox, settings, schedule, subscriber):
    _cancel(schedule)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens: the connection is refused

    send_notifications()

    notice = Notice.objects.get()
    assert (notice.status, notice.attempts) == (NoticeStatus.QUEUED, 1)
    waited = notice.due_at - WEEK_BEFORE
    assert services.BACKOFF <= waited < services.BACKOFF + datetime.timedelta(seconds=5)
    assert "Connection refused" in notice.last_error
    assert Subscription.objects.get().failures == 0  # the server's fault, not the address's
    send_notifications()  # not due yet
    assert Notice.objects.get().attempts == 1

    settings.EMAIL_PORT = working_port
    with time_machine.travel(WEEK_BEFORE + services.BACKOFF + datetime.timedelta(minutes=1)):
        send_notifications()
    assert Notice.objects.get().status == NoticeStatus.SENT
    assert len(mailbox.messages) == 1


def test_an_address_refused_again_and_again_is_disabled(mailbox, schedule, subscriber):
    mailbox.refuse.add("sam@example.net")
    moment = WEEK_BEFORE
    for _ in range(services.DISABLE_AFTER):
        with time_machine.travel(moment):
            meeting_services.occurrence_move(
                schedule=schedule,
                original_date=MONDAY,
                start=datetime.datetime(2026, 10, 13, 2, 0, tzinfo=datetime.UTC),
                duration_minutes=30 + Notice.objects.count() + int(moment.timestamp()) % 7,
            )
            send_notifications()
        moment += datetime.timedelta(days=1)

    subscriber.refresh_from_db()
    assert subscriber.failures == services.DISABLE_AFTER
    assert subscriber.disabled_at is not None
    assert not Subscription.objects.active().exists()
    assert mailbox.messages == []


def test_a_crashed_senders_claim_is_taken_over_after_the_lease(schedule, subscriber):
    with time_machine.travel(WEEK_BEFORE, tick=False):
        _cancel(schedule)
        (claimed,) = services.notices_claim(now=WEEK_BEFORE)
        assert services.notices_claim(now=WEEK_BEFORE) == []  # the other sender finds none
    later = WEEK_BEFORE + services.CLAIM_LEASE + datetime.timedelta(seconds=1)
    (again,) = services.notices_claim(now=later)
    assert again.pk == claimed.pk and again.attempts == 2
    # The crashed sender's late report changes nothing: the claim is no longer its own.
    services.notice_sent(notice=claimed, now=later)
    assert Notice.objects.get().status == NoticeStatus.SENDING
