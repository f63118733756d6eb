"""factory-boy factories for meetings, their schedules, occurrence records and agendas."""

import datetime

import factory

from meetings.models import AgendaItem, Meeting, Occurrence, Schedule
from tests.factories import GroupFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    join_url = factory.Sequence(lambda n: f"https://zoom.example/j/{n}")
    agenda_url = factory.Sequence(lambda n: f"https://docs.example/agenda-{n}")


class ScheduleFactory(factory.django.DjangoModelFactory):
    """Weekly on Mondays at 17:00 US Pacific from 2026-01-05, an hour long."""

    class Meta:
        model = Schedule

    meeting = factory.SubFactory(MeetingFactory)
    time_zone = "America/Los_Angeles"
    first_date = datetime.date(2026, 1, 5)
    start_time = datetime.time(17, 0)
    duration_minutes = 60
    frequency = "weekly"


class OccurrenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occurrence

    schedule = factory.SubFactory(ScheduleFactory)
    original_date = factory.LazyAttribute(lambda record: record.schedule.first_date)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    occurrence = factory.SubFactory(OccurrenceFactory)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    presenter_name = "Ada Lovelace"
    minutes_allotted = 10
