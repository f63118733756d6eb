"""factory-boy factories for meetings, schedules, occurrence records and agenda items."""

import datetime

import factory

from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingKind, Occurrence, Schedule
from meetings.recurrence import Frequency
from tests.factories import GroupFactory

# The tracking issue of KEP-3299 in projects' demo: its page lists the agenda items linking it.
KEP_3299_ISSUE = "https://github.com/kubernetes/enhancements/issues/3299"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    kind = MeetingKind.GROUP_MEETING
    join_url = factory.Sequence(lambda n: f"https://zoom.example.org/j/{1000 + n}")
    agenda_url = factory.Sequence(lambda n: f"https://docs.example.org/agenda-{n}")


class ScheduleFactory(factory.django.DjangoModelFactory):
    """Weekly on Mondays at 17:00 US Pacific from Monday 2026-01-05, an hour long."""

    class Meta:
        model = Schedule

    meeting = factory.SubFactory(MeetingFactory)
    time_zone = "America/Los_Angeles"
    first_date = datetime.date(2026, 1, 5)
    start_time = datetime.time(17, 0)
    duration_minutes = 60
    frequency = Frequency.WEEKLY


class OccurrenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occurrence

    schedule = factory.SubFactory(ScheduleFactory)
    original_date = factory.LazyAttribute(lambda record: record.schedule.first_date)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    occurrence = factory.SubFactory(OccurrenceFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    presenter_name = "Jane Doe"


def private_meeting_with_records() -> Meeting:
    """A steering committee's closed session (weekly, Mondays 17:00 Pacific from 5 October
    2026) whose 26 October occurrence has an agenda (its item links KEP-3299's tracking issue),
    minutes and a recording."""
    meeting = MeetingFactory(
        group=GroupFactory(kind="committee"),
        title="Steering closed session",
        is_private=True,
        join_url="https://zoom.example.org/j/secret",
        agenda_url="https://docs.example.org/secret-agenda",
        recordings_url="https://video.example.org/secret-playlist",
    )
    schedule = ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 10, 5))
    services.agenda_save(
        schedule=schedule,
        original_date=datetime.date(2026, 10, 26),
        items=[{"title": "Confidential vote", "link": KEP_3299_ISSUE}],
        minutes="Secret minutes",
        recording_url="https://video.example.org/secret",
        expected_version=services.UNSAVED_VERSION,
    )
    return meeting


def private_meeting_secrets() -> list[str]:
    """A public meeting beside a private one with records; what must not be shown publicly."""
    ScheduleFactory(meeting=MeetingFactory(slug="public-weekly"))
    meeting = private_meeting_with_records()
    record = Occurrence.objects.get(schedule__meeting=meeting)
    item = record.agenda_items.get()
    return [
        meeting.join_url,
        meeting.agenda_url,
        meeting.recordings_url,
        record.minutes,
        record.recording_url,
        item.title,
    ]
