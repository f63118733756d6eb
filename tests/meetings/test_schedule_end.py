"""A schedule's end never strands what is stored about its occurrences, and never breaks a feed:
an admin's change that would is refused, naming the occurrences; an import that drops a meeting
ends it, whatever its first date, cancelling its later occurrences and keeping their records."""

import datetime

import icalendar
import pytest
import recurring_ical_events
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import parse
from governance.models import RoleKind
from meetings import services
from meetings.models import Occurrence, OccurrenceStatus, Schedule
from meetings.recurrence import slots_between
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SEPT_16 = datetime.date(2026, 9, 16)
NOW = datetime.datetime(2026, 9, 2, 12, tzinfo=UTC)


@pytest.fixture
def wednesday_meeting():
    """Weekly on Wednesdays in Los Angeles from 2026-01-07; the 16 September one moved, led by
    @jane."""
    group = GroupFactory(slug="sig-apps", name="SIG Apps")
    RoleFactory(person=PersonFactory(handle="jane"), group=group, kind=RoleKind.CHAIR)
    schedule = ScheduleFactory(
        meeting=MeetingFactory(group=group, slug="apps", title="SIG Apps"),
        first_date=datetime.date(2026, 1, 7),
        start_time=datetime.time(10, 0),
    )
    services.occurrence_move(
        schedule=schedule,
        original_date=SEPT_16,
        start=datetime.datetime(2026, 9, 17, 17, tzinfo=UTC),
        reason="KubeCon",
    )
    return schedule


FEEDS = [
    reverse("meetings:calendar-feed"),
    reverse("meetings:group-feed", args=["sig-apps"]),
    reverse("meetings:meeting-feed", args=["apps"]),
    reverse("meetings:person-feed", args=["jane"]),
]


def test_an_end_date_that_strands_a_move_is_refused_naming_it(wednesday_meeting):
    with pytest.raises(ValidationError) as refused:
        services.schedule_update(schedule=wednesday_meeting, last_date=datetime.date(2026, 8, 31))

    assert "Wed 2026-09-16 (moved)" in " ".join(refused.value.messages)
    wednesday_meeting.refresh_from_db()
    assert wednesday_meeting.last_date is None


def test_an_agenda_left_outside_a_new_weekday_is_refused(wednesday_meeting):
    AgendaItemFactory(
        occurrence=Occurrence.objects.create(
            schedule=wednesday_meeting, original_date=datetime.date(2026, 2, 4)
        )
    )

    with pytest.raises(ValidationError) as refused:
        services.schedule_update(schedule=wednesday_meeting, first_date=datetime.date(2026, 1, 8))

    assert "Wed 2026-02-04 (scheduled)" in " ".join(refused.value.messages)


def test_a_record_stranded_before_the_rule_still_leaves_every_feed_and_page_working(
    client, wednesday_meeting
):
    # Stored before the refusal existed: the row is changed past validation.
    Schedule.objects.filter(pk=wednesday_meeting.pk).update(last_date=datetime.date(2026, 8, 31))

    for path in FEEDS:
        response = client.get(path)
        assert response.status_code == 200, path
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert [str(event["UID"]) for event in events] == [f"{wednesday_meeting.uid}@testserver"], (
            path
        )
    assert client.get(reverse("meetings:meeting-detail", args=["apps"])).status_code == 200
    api = client.get(
        reverse("api:occurrence-time-list"),
        {"start": "2026-09-01T00:00:00Z", "end": "2026-10-01T00:00:00Z"},
    )
    assert (api.status_code, api.json()["results"]) == (200, [])


SIGS = """\
sigs:
  - dir: sig-apps
    name: Apps
    mission_statement: Apps.
    meetings:
{meetings}
"""


def meeting(title: str = "Apps weekly", frequency: str = "weekly") -> str:
    return (
        f'      - description: {title}\n        day: Wednesday\n        time: "10:00"\n'
        f"        tz: PT (Pacific Time)\n        frequency: {frequency}\n"
    )


def run_import(meetings: str, on: datetime.date):
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(12), UTC), tick=False):
        return sigs_import(document=parse(SIGS.format(meetings=meetings)), on=on)


def test_a_meeting_with_a_later_agenda_and_move_is_ended_by_the_import_dropping_it(client):
    run_import(meeting(), on=datetime.date(2026, 1, 5))
    schedule = Schedule.objects.get(meeting__title="Apps weekly")
    services.occurrence_move(
        schedule=schedule,
        original_date=SEPT_16,
        start=datetime.datetime(2026, 9, 17, 17, tzinfo=UTC),
    )
    agenda = Occurrence.objects.create(schedule=schedule, original_date=datetime.date(2026, 9, 9))
    AgendaItemFactory(occurrence=agenda, title="Release retro")
    schedule.refresh_from_db()
    before = schedule.sequence

    report = run_import(meeting("Another"), on=datetime.date(2026, 9, 1))

    schedule.refresh_from_db()
    assert schedule.last_date == datetime.date(2026, 8, 31)
    # The end and its two cancellations are one change of the event for calendar clients.
    assert schedule.sequence == before + 1
    assert report.counts["meetings no longer in the file", "ended"] == 1
    kept = Occurrence.objects.filter(schedule=schedule).order_by("original_date")
    assert [(r.original_date, r.status) for r in kept] == [
        (datetime.date(2026, 9, 9), OccurrenceStatus.CANCELLED),
        (SEPT_16, OccurrenceStatus.CANCELLED),
    ]
    assert kept[0].agenda_items.get().title == "Release retro"
    feed = client.get(reverse("meetings:meeting-feed", args=[schedule.meeting.slug]))
    assert feed.status_code == 200
    assert b"RECURRENCE-ID" not in feed.content


def test_a_meeting_not_yet_begun_is_ended_by_the_import_dropping_it(client):
    run_import(meeting(frequency="weekly starting 2026-09-09"), on=datetime.date(2026, 9, 1))
    schedule = Schedule.objects.get(meeting__title="Apps weekly")
    assert schedule.first_date == datetime.date(2026, 9, 9)
    services.occurrence_cancel(
        schedule=schedule, original_date=datetime.date(2026, 9, 16), reason="Holiday"
    )

    report = run_import(meeting("Another"), on=datetime.date(2026, 9, 2))

    assert report.counts["meetings no longer in the file", "ended"] == 1
    schedule.refresh_from_db()
    year = slots_between([schedule], NOW, NOW + datetime.timedelta(days=366))
    assert [(slot.original_date, slot.status) for slot in year] == [
        (datetime.date(2026, 9, 9), OccurrenceStatus.CANCELLED)
    ]
    feed = client.get(reverse("meetings:meeting-feed", args=[schedule.meeting.slug]))
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(feed.content)).all()
    assert [str(event["STATUS"]) for event in events] == ["CANCELLED"]
    again = run_import(meeting("Another"), on=datetime.date(2026, 9, 2))
    assert again.counts["meetings no longer in the file", "unchanged"] == 1
