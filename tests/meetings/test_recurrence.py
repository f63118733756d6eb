"""The recurrence engine: which local dates a schedule gives, and the instant of each."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from meetings.models import Occurrence, Schedule
from meetings.recurrence import dst_notes, schedule_slots, slot_on, slots_between
from tests.meetings.factories import MeetingFactory, OccurrenceFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def utc(*fields) -> datetime.datetime:
    return datetime.datetime(*fields, tzinfo=UTC)


def starts(schedule, start, end) -> list[datetime.datetime]:
    return [slot.start for slot in schedule_slots(schedule, start, end)]


def local_dates(schedule, start, end) -> list[datetime.date]:
    return [slot.original_date for slot in schedule_slots(schedule, start, end)]


@pytest.fixture
def forum():
    """The seed Community Meeting Forum: first Monday 17:00-18:00 and third Monday 08:00-09:00
    US Pacific, one meeting with two schedules."""
    meeting = MeetingFactory(slug="community-meeting-forum", title="Community Meeting Forum")
    evening = ScheduleFactory(
        meeting=meeting, first_date=datetime.date(2026, 1, 5), frequency="monthly", week_of_month=1
    )
    morning = ScheduleFactory(
        meeting=meeting,
        first_date=datetime.date(2026, 1, 19),
        start_time=datetime.time(8, 0),
        frequency="monthly",
        week_of_month=3,
    )
    return evening, morning


def test_the_community_meeting_forum_meets_twice_a_month(forum):
    schedules = Schedule.objects.prefetch_related("occurrences").select_related("meeting")
    slots = slots_between(schedules, utc(2026, 1, 1), utc(2026, 5, 1))

    assert [slot.start for slot in slots] == [
        utc(2026, 1, 6, 1),  # Monday 5 January, 17:00 PST
        utc(2026, 1, 19, 16),  # Monday 19 January, 08:00 PST
        utc(2026, 2, 3, 1),
        utc(2026, 2, 16, 16),
        utc(2026, 3, 3, 1),  # Monday 2 March, still PST
        utc(2026, 3, 16, 15),  # Monday 16 March, 08:00 PDT
        utc(2026, 4, 7, 0),  # Monday 6 April, 17:00 PDT
        utc(2026, 4, 20, 15),
    ]
    assert {slot.end - slot.start for slot in slots} == {datetime.timedelta(hours=1)}
    assert slots[0].local_start == datetime.datetime(
        2026, 1, 5, 17, tzinfo=ZoneInfo(forum[0].time_zone)
    )


def test_queries_for_slots_do_not_grow_with_schedules(forum, django_assert_num_queries):
    for _ in range(5):
        ScheduleFactory()
    with django_assert_num_queries(2):
        schedules = Schedule.objects.prefetch_related("occurrences").select_related("meeting")
        slots_between(schedules, utc(2026, 1, 1), utc(2026, 12, 31))


@pytest.mark.parametrize(
    ("zone", "start_time", "dates_and_instants"),
    [
        # US: clocks go forward on 2026-03-08 and back on 2026-11-01.
        (
            "America/Los_Angeles",
            "17:00",
            [
                ("2026-03-07", utc(2026, 3, 8, 1)),
                ("2026-03-08", utc(2026, 3, 9, 0)),
                ("2026-10-31", utc(2026, 11, 1, 0)),
                ("2026-11-01", utc(2026, 11, 2, 1)),
            ],
        ),
        # Europe: forward on 2026-03-29, back on 2026-10-25.
        (
            "Europe/Berlin",
            "16:00",
            [
                ("2026-03-28", utc(2026, 3, 28, 15)),
                ("2026-03-29", utc(2026, 3, 29, 14)),
                ("2026-10-24", utc(2026, 10, 24, 14)),
                ("2026-10-25", utc(2026, 10, 25, 15)),
            ],
        ),
        # Southern hemisphere: back on 2026-04-05, forward on 2026-10-04.
        (
            "Australia/Sydney",
            "09:00",
            [
                ("2026-04-04", utc(2026, 4, 3, 22)),
                ("2026-04-05", utc(2026, 4, 4, 23)),
                ("2026-10-03", utc(2026, 10, 2, 23)),
                ("2026-10-04", utc(2026, 10, 3, 22)),
            ],
        ),
        ("Asia/Kolkata", "05:15", [("2026-06-01", utc(2026, 5, 31, 23, 45))]),
        ("Asia/Kathmandu", "18:45", [("2026-06-01", utc(2026, 6, 1, 13))]),
    ],
    ids=["US", "Europe", "Sydney", "Kolkata", "Kathmandu"],
)
def test_wall_time_stays_put_on_both_sides_of_each_change(zone, start_time, dates_and_instants):
    schedule = ScheduleFactory(
        time_zone=zone,
        first_date=datetime.date(2026, 1, 1),
        start_time=datetime.time.fromisoformat(start_time),
        frequency="rrule",
        rrule="FREQ=DAILY",
    )
    for day, instant in dates_and_instants:
        slot = slot_on(schedule, datetime.date.fromisoformat(day))
        assert slot.start == instant, day
        assert slot.local_start.time() == datetime.time.fromisoformat(start_time)


def test_0230_on_the_spring_forward_day_is_0330_daylight_time():
    schedule = ScheduleFactory(
        first_date=datetime.date(2026, 3, 8), start_time=datetime.time(2, 30), frequency="once"
    )
    slot = slot_on(schedule, datetime.date(2026, 3, 8))

    assert slot.start == utc(2026, 3, 8, 10, 30)
    assert f"{slot.local_start:%H:%M %Z}" == "03:30 PDT"
    assert dst_notes(schedule) == [
        "2026-03-08 02:30 does not exist in America/Los_Angeles (clocks go forward); "
        "it starts at 03:30 PDT, as RFC 5545 reads it."
    ]


def test_an_ambiguous_fall_back_time_takes_the_first_instant():
    schedule = ScheduleFactory(
        first_date=datetime.date(2026, 11, 1), start_time=datetime.time(1, 30), frequency="once"
    )
    slot = slot_on(schedule, datetime.date(2026, 11, 1))

    assert slot.start == utc(2026, 11, 1, 8, 30)
    assert f"{slot.local_start:%H:%M %Z}" == "01:30 PDT"
    assert "happens twice in America/Los_Angeles" in dst_notes(schedule)[0]


def test_biweekly_stays_on_its_anchored_weeks_through_a_53_week_year():
    schedule = ScheduleFactory(
        first_date=datetime.date(2026, 12, 22), interval=2, start_time=datetime.time(9, 0)
    )
    dates = local_dates(schedule, utc(2026, 12, 1), utc(2027, 2, 1))

    assert dates == [
        datetime.date(2026, 12, 22),
        datetime.date(2027, 1, 5),
        datetime.date(2027, 1, 19),
    ]
    # 2026 has 53 ISO weeks: ISO-week parity would have skipped 2027-01-05.
    assert datetime.date(2026, 12, 28).isocalendar().week == 53
    assert dates[0].isocalendar().week % 2 != dates[1].isocalendar().week % 2


def test_biweekly_from_the_start_of_2026_keeps_its_rhythm_into_2027():
    schedule = ScheduleFactory(first_date=datetime.date(2026, 1, 6), interval=2)
    dates = local_dates(schedule, utc(2026, 12, 1), utc(2027, 1, 21))

    assert dates == [
        datetime.date(2026, 12, 8),
        datetime.date(2026, 12, 22),
        datetime.date(2027, 1, 5),
        datetime.date(2027, 1, 19),
    ]


def test_last_weekday_of_the_month_and_an_inclusive_last_date():
    schedule = ScheduleFactory(
        first_date=datetime.date(2026, 1, 30),
        frequency="monthly",
        week_of_month=-1,
        last_date=datetime.date(2026, 4, 24),
    )
    assert local_dates(schedule, utc(2026, 1, 1), utc(2026, 12, 1)) == [
        datetime.date(2026, 1, 30),
        datetime.date(2026, 2, 27),
        datetime.date(2026, 3, 27),
        datetime.date(2026, 4, 24),
    ]


def test_cancelled_and_moved_occurrences_keep_their_place_in_the_list(forum):
    evening, _ = forum
    OccurrenceFactory(
        schedule=evening,
        original_date=datetime.date(2026, 2, 2),
        status="cancelled",
        reason="Holiday",
    )
    # Moved from March into the window that starts in April.
    OccurrenceFactory(
        schedule=evening,
        original_date=datetime.date(2026, 3, 2),
        status="moved",
        moved_start=utc(2026, 4, 10, 17),
        moved_duration_minutes=30,
    )
    slots = schedule_slots(evening, utc(2026, 1, 20), utc(2026, 3, 1))
    assert [(slot.original_date, slot.status, slot.reason) for slot in slots] == [
        (datetime.date(2026, 2, 2), "cancelled", "Holiday")
    ]
    assert slots[0].is_cancelled

    (april, moved) = schedule_slots(evening, utc(2026, 4, 1), utc(2026, 4, 30))
    assert (april.original_date, april.start) == (datetime.date(2026, 4, 6), utc(2026, 4, 7, 0))
    assert (moved.original_date, moved.is_moved, moved.start, moved.end) == (
        datetime.date(2026, 3, 2),
        True,
        utc(2026, 4, 10, 17),
        utc(2026, 4, 10, 17, 30),
    )


def test_an_unconfirmed_schedule_has_no_occurrences():
    schedule = ScheduleFactory(first_date=None)
    assert schedule_slots(schedule, utc(2026, 1, 1), utc(2027, 1, 1)) == []
    assert schedule.describe().startswith("Dates to be confirmed (weekly)")


def errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_an_unknown_zone_suggests_the_closest_names():
    schedule = ScheduleFactory.build(meeting=MeetingFactory(), time_zone="America/Los_Angles")
    assert "Did you mean America/Los_Angeles" in errors(schedule)["time_zone"][0]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"frequency": "rrule", "rrule": "FREQ=SOMETIMES"},
            "rrule",
            "This RRULE cannot be read",
        ),
        (
            {"frequency": "rrule", "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"},
            "rrule",
            "This rule gives no occurrence on or after the first date.",
        ),
        (
            {"frequency": "monthly", "week_of_month": 1, "first_date": datetime.date(2026, 1, 12)},
            "first_date",
            "Monday 2026-01-12 is not a date this rule gives; its first occurrence from then is "
            "Monday 2026-02-02.",
        ),
        (
            {
                "frequency": "rrule",
                "rrule": "FREQ=WEEKLY;COUNT=3",
                "last_date": datetime.date(2026, 3, 1),
            },
            "last_date",
            "The RRULE has a COUNT: leave the last date empty.",
        ),
        (
            {"frequency": "rrule", "rrule": "FREQ=WEEKLY;UNTIL=20261231T000000Z"},
            "rrule",
            "write UNTIL in local time (no Z), or leave it out and set the last date",
        ),
        ({"frequency": "monthly"}, "week_of_month", "Choose which week of the month"),
        ({"duration_minutes": 0}, "duration_minutes", "greater than or equal to 1"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes", "less than or equal to 1440"),
    ],
    ids=[
        "unreadable",
        "no occurrence",
        "first date off the rule",
        "count",
        "until",
        "week",
        "zero",
        "over a day",
    ],
)
def test_schedule_validation_messages(fields, field, message):
    schedule = ScheduleFactory.build(
        meeting=MeetingFactory(), **{"first_date": datetime.date(2026, 1, 5), **fields}
    )
    assert any(message in text for text in errors(schedule)[field]), errors(schedule)


def test_a_record_on_a_date_the_schedule_does_not_give_names_nearby_dates(forum):
    evening, _ = forum
    record = Occurrence(schedule=evening, original_date=datetime.date(2026, 2, 3))

    assert errors(record)["original_date"] == [
        "Community Meeting Forum has no occurrence on Tue 2026-02-03; nearby: "
        "Mon 2026-02-02, Mon 2026-03-02."
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": "cancelled"}, "reason", "Say why the meeting is cancelled"),
        ({"status": "moved"}, "moved_start", "A moved occurrence needs a new start"),
        ({"moved_start": utc(2026, 2, 3)}, "status", "Mark the occurrence as moved"),
    ],
)
def test_occurrence_validation_messages(forum, fields, field, message):
    record = Occurrence(schedule=forum[0], original_date=datetime.date(2026, 2, 2), **fields)
    assert message in errors(record)[field][0]
