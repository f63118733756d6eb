"""Reading the free-text meetings of sigs.yaml: every spelling the real file uses, and its traps."""

import datetime
from collections import Counter

import pytest
import yaml
from dateutil import rrule

from meetings import recurrence
from meetings.importers.sigs_yaml import (
    Reading,
    read_meeting,
    read_schedule,
    read_source_text,
    read_time,
    read_zone,
)
from meetings.models import Schedule
from meetings.recurrence import Frequency, week_of_month

# A Monday: first dates of read rules start here.
ON = datetime.date(2025, 6, 2)
READ, NEEDS_DATE, UNREADABLE = Reading.READ, Reading.NEEDS_DATE, Reading.UNREADABLE
WEEKLY, MONTHLY, RRULE = Frequency.WEEKLY, Frequency.MONTHLY, Frequency.RRULE


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def weeks_from(first: str, count: int) -> tuple[datetime.date, ...]:
    return tuple(d(first) + datetime.timedelta(weeks=n) for n in range(count))


# Every spelling of day + frequency in the real sigs.yaml ->
# (status, frequency, interval, week of month, first date, candidate first dates).
# fmt: off
SCHEDULES = [
    ("Wednesday", "Biweekly", NEEDS_DATE, WEEKLY, 2, None, None, weeks_from("2025-06-04", 2)),
    ("Wednesday", "Biweekly, interleaved with the Regular SIG Meeting",
     NEEDS_DATE, WEEKLY, 2, None, None, weeks_from("2025-06-04", 2)),
    ("Tuesday", "First Tuesday of each month", READ, MONTHLY, 1, 1, d("2025-06-03"), ()),
    ("Wednesday", "First Wednesday of the month", READ, MONTHLY, 1, 1, d("2025-06-04"), ()),
    ("Thursday", "Monthly on 4th Thursday", READ, MONTHLY, 1, 4, d("2025-06-26"), ()),
    ("Wednesday", "bi-weekly", NEEDS_DATE, WEEKLY, 2, None, None, weeks_from("2025-06-04", 2)),
    ("Thursday", "bi-weekly ([upcoming meeting dates](#upcoming-meeting-dates))",
     NEEDS_DATE, WEEKLY, 2, None, None, weeks_from("2025-06-05", 2)),
    ("Tuesday", "bi-weekly starting Tuesday April 16, 2024",
     READ, WEEKLY, 2, None, d("2024-04-16"), ()),
    ("Tuesday", "bi-weekly starting Tuesday August 13, 2019",
     READ, WEEKLY, 2, None, d("2019-08-13"), ()),
    ("Tuesday", "biweekly", NEEDS_DATE, WEEKLY, 2, None, None, weeks_from("2025-06-03", 2)),
    ("Friday", "biweekly - alternating with regular meeting",
     NEEDS_DATE, WEEKLY, 2, None, None, weeks_from("2025-06-06", 2)),
    ("Friday", "biweekly 2019 start date: Jan. 11th", READ, WEEKLY, 2, None, d("2019-01-11"), ()),
    ("Thursday", "biweekly starting Thursday June 25th, 2020",
     READ, WEEKLY, 2, None, d("2020-06-25"), ()),
    ("Thursday", "biweekly starting Thursday June 7, 2018",
     READ, WEEKLY, 2, None, d("2018-06-07"), ()),
    ("Tuesday", "biweekly starting Tuesday Feb 11, 2025",
     READ, WEEKLY, 2, None, d("2025-02-11"), ()),
    ("Tuesday", "biweekly starting Tuesday Feb 27, 2024",
     READ, WEEKLY, 2, None, d("2024-02-27"), ()),
    ("Tuesday", "biweekly starting Tuesday March 12, 2024",
     READ, WEEKLY, 2, None, d("2024-03-12"), ()),
    ("Tuesday", "biweekly starting Tuesday Oct 28, 2025",
     READ, WEEKLY, 2, None, d("2025-10-28"), ()),
    ("Wednesday", "biweekly starting Wednesday March 20, 2019",
     READ, WEEKLY, 2, None, d("2019-03-20"), ()),
    ("Wednesday", "biweekly, you must be signed into a free zoom account to join",
     NEEDS_DATE, WEEKLY, 2, None, None, weeks_from("2025-06-04", 2)),
    ("Thursday", "every first Thursday of the month", READ, MONTHLY, 1, 1, d("2025-06-05"), ()),
    ("Wednesday", "every four weeks",
     NEEDS_DATE, WEEKLY, 4, None, None, weeks_from("2025-06-04", 4)),
    ("Wednesday", "every third Wednesday of the month", READ, MONTHLY, 1, 3, d("2025-06-18"), ()),
    ("Monday", "first Monday of the month", READ, MONTHLY, 1, 1, d("2025-06-02"), ()),
    ("Tuesday", "first Tuesday of the month", READ, MONTHLY, 1, 1, d("2025-06-03"), ()),
    # Which Thursday is the phase an admin confirms: one candidate per week of the month.
    ("Thursday", "monthly", NEEDS_DATE, MONTHLY, 1, None, None, weeks_from("2025-06-05", 5)),
    ("third Wednesday", "monthly", READ, MONTHLY, 1, 3, d("2025-06-18"), ()),
    ("first Wednesday", "monthly", READ, MONTHLY, 1, 1, d("2025-06-04"), ()),
    ("Wednesday", "monthly - Wednesday, after the fourth Tuesday, every month",
     READ, RRULE, 1, None, d("2025-06-25"), ()),
    ("Wednesday", "monthly - first Wednesday every month",
     READ, MONTHLY, 1, 1, d("2025-06-04"), ()),
    ("Wednesday", "monthly - last Wednesday every month",
     READ, MONTHLY, 1, -1, d("2025-06-25"), ()),
    ("Tuesday", "monthly - third Tuesday", READ, MONTHLY, 1, 3, d("2025-06-17"), ()),
    ("Tuesday", "monthly 2020 start date: Jan. 7th", READ, MONTHLY, 1, 1, d("2020-01-07"), ()),
    ("Thursday", "monthly, second Thursday of the month",
     READ, MONTHLY, 1, 2, d("2025-06-12"), ()),
    ("Thursday", "weekly", READ, WEEKLY, 1, None, d("2025-06-05"), ()),
    ("Tuesday", "weekly starting Tuesday December 7th, 2021",
     READ, WEEKLY, 1, None, d("2021-12-07"), ()),
    ("Monday", "weekly, you must be signed into a free zoom account to join",
     READ, WEEKLY, 1, None, d("2025-06-02"), ()),
    ("Thursdays (starting February 15th 2024)", "weekly",
     READ, WEEKLY, 1, None, d("2024-02-15"), ()),
    ("Tuesday (starting September 10th 2024)", "bi-weekly",
     READ, WEEKLY, 2, None, d("2024-09-10"), ()),
]
# fmt: on

ZONES = {
    "PT (Pacific Time)": "America/Los_Angeles",
    "ET (Eastern Time)": "America/New_York",
    "Eastern Time (ET)": "America/New_York",
    "EST (Eastern Time)": "America/New_York",
    "CET (Central European Time)": "Europe/Berlin",
    "Poland": "Europe/Warsaw",
    "IST": "Asia/Kolkata",
    "UTC": "UTC",
}

# Every time spelling of the real file -> local start.
# fmt: off
CLOCK_TIMES = (
    "05:00", "05:30", "06:00", "08:00", "08:30", "09:00", "10:00", "10:30", "11:00", "12:00",
    "12:15", "12:30", "13:00", "14:00", "14:30", "15:00", "15:30", "16:00", "17:00", "17:30",
    "18:00", "18:30", "19:30", "6:30", "7:30", "8:00", "8:30", "9:00", "9:30",
)
# fmt: on
TIMES = {
    **{text: datetime.time.fromisoformat(text.zfill(5)) for text in CLOCK_TIMES},
    "2PM": datetime.time(14),
    "4PM": datetime.time(16),
}


@pytest.mark.parametrize(
    ("day", "frequency", "status", "kind", "interval", "week", "first_date", "candidates"),
    SCHEDULES,
    ids=[f"{day} / {frequency}" for day, frequency, *_ in SCHEDULES],
)
def test_every_spelling_of_the_real_file_is_read(
    day, frequency, status, kind, interval, week, first_date, candidates
):
    reading = read_schedule(day=day, time="9:00", tz="UTC", frequency=frequency, on=ON)

    assert (reading.status, reading.frequency, reading.interval, reading.week_of_month) == (
        status,
        kind,
        interval,
        week,
    )
    assert reading.first_date == first_date
    assert reading.candidates == candidates
    assert bool(reading.problem) == (status != READ)


@pytest.mark.parametrize(("text", "zone"), ZONES.items())
def test_every_zone_spelling_names_an_iana_zone(text, zone):
    assert read_zone(text) == (zone, "")


@pytest.mark.parametrize(("text", "start"), TIMES.items())
def test_every_time_spelling_is_a_local_start_of_an_hour(text, start):
    assert read_time(text) == (start, 60, "")


@pytest.mark.parametrize(
    ("text", "start", "duration"),
    [
        ("9:00-10:30", datetime.time(9), 90),
        ("9-10am", datetime.time(9), 60),
        ("11:30 AM - 12:30 PM", datetime.time(11, 30), 60),
        ("11-12pm", datetime.time(11), 60),
        ("23:30\N{EN DASH}00:15", datetime.time(23, 30), 45),
        ("2 p.m.", datetime.time(14), 60),
        ("12am", datetime.time(0), 60),
        ("22:00-24:00", datetime.time(22), 120),
    ],
)
def test_a_time_range_gives_the_duration(text, start, duration):
    assert read_time(text) == (start, duration, "")


@pytest.mark.parametrize("text", ["", "noon", "25:00", "9:75", "13PM", "0am", "9:00-9:00"])
def test_a_time_that_is_not_a_clock_time_is_unreadable(text):
    start, _, problem = read_time(text)
    assert start is None
    assert problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "no time zone given"),
        ("CST", "“CST” is not a time zone the importer knows"),
        ("PT (Central European Time)", "names different time zones"),
        ("Mars Time", "is not a time zone the importer knows"),
    ],
)
def test_a_zone_it_cannot_tell_is_unreadable(text, problem):
    zone, message = read_zone(text)
    assert zone == ""
    assert problem in message


def test_an_iana_zone_name_is_taken_as_it_is():
    assert read_zone("Australia/Sydney") == ("Australia/Sydney", "")


def test_the_wednesday_after_the_fourth_tuesday_is_a_custom_rule_that_gives_those_wednesdays():
    reading = read_schedule(
        day="Wednesday",
        time="05:30",
        tz="UTC",
        frequency="monthly - Wednesday, after the fourth Tuesday, every month",
        on=ON,
    )

    assert reading.status == READ
    assert reading.rrule == "FREQ=MONTHLY;BYDAY=WE;BYMONTHDAY=23,24,25,26,27,28,29"
    rule = rrule.rrulestr(reading.rrule, dtstart=datetime.datetime(2025, 1, 1))
    given = [
        moment.date()
        for moment in rule.between(datetime.datetime(2025, 1, 1), datetime.datetime(2033, 12, 31))
    ]
    fourth_tuesdays = rrule.rrule(
        rrule.MONTHLY, byweekday=rrule.TU(4), dtstart=datetime.datetime(2025, 1, 1)
    ).between(datetime.datetime(2025, 1, 1), datetime.datetime(2033, 12, 30))
    assert given == [tuesday.date() + datetime.timedelta(days=1) for tuesday in fourth_tuesdays]
    # February 2034 begins on a Wednesday: its fourth Tuesday is the 28th.
    assert "next on 2034-03-01" in reading.caveat


@pytest.mark.parametrize(
    ("day", "frequency", "problem"),
    [
        ("Tuesday", "quarterly", "no frequency it can read"),
        ("", "weekly", "no weekday given"),
        ("Tuesday and Thursday", "weekly", "more than one weekday (Tuesday, Thursday)"),
        ("Tuesday", "weekly or monthly", "more than one frequency"),
        (
            "Tuesday",
            "biweekly starting Wednesday Feb 11, 2025",
            "2025-02-11 is a Tuesday, not a Wednesday",
        ),
        (
            "Monday",
            "biweekly starting Feb 11, 2025",
            "the start date 2025-02-11 is a Tuesday, not a Monday",
        ),
        ("Tuesday", "biweekly starting Feb 30, 2025", "“feb 30, 2025” is not a date"),
        ("Tuesday", "weekly starting Feb 11, 2025, then Feb 18, 2025", "more than one start date"),
        ("Tuesday", "weekly on the first Tuesday", "weekly, yet on an nth weekday"),
        ("Tuesday", "monthly, third Tuesday from Feb 4, 2025", "not a date of the rule"),
        ("Wednesday", "monthly - Wednesday after the last Tuesday", "falls in the next month"),
        ("Sunday", "monthly - Sunday after the fourth Monday", "can fall in the next month"),
        ("Tuesday", "RRULE:FREQ=SOMETIMES", "is not an RRULE it can read"),
        ("Tuesday", "RRULE:FREQ=MONTHLY;BYDAY=TU on the first Tuesday", "both an RRULE and an nth"),
    ],
)
def test_a_text_that_contradicts_itself_or_says_too_little_is_unreadable(day, frequency, problem):
    reading = read_schedule(day=day, time="9:00", tz="UTC", frequency=frequency, on=ON)

    assert reading.status == UNREADABLE
    assert problem in reading.problem
    assert reading.first_date is None
    assert reading.candidates == ()


@pytest.mark.parametrize(
    ("day", "frequency", "kind", "interval", "rule"),
    [
        ("", "every other Friday", WEEKLY, 2, ""),
        ("", "every Friday", WEEKLY, 1, ""),
        ("Friday", "fortnightly", WEEKLY, 2, ""),
        ("Friday", "every 3 weeks", WEEKLY, 3, ""),
        ("", "first and third Tuesday", RRULE, 1, "FREQ=MONTHLY;BYDAY=1TU,3TU"),
        ("Tuesday", "RRULE:FREQ=MONTHLY;BYDAY=1TU,3TU", RRULE, 1, "FREQ=MONTHLY;BYDAY=1TU,3TU"),
    ],
)
def test_other_common_spellings(day, frequency, kind, interval, rule):
    reading = read_schedule(day=day, time="9:00", tz="UTC", frequency=frequency, on=ON)

    assert (reading.frequency, reading.interval, reading.rrule) == (kind, interval, rule)


def test_a_start_date_alone_gives_the_weekday():
    reading = read_schedule(time="9:00", tz="UTC", frequency="biweekly starting 2025-02-11", on=ON)

    assert (reading.status, reading.weekday_name, reading.first_date) == (
        READ,
        "Tuesday",
        d("2025-02-11"),
    )


def test_an_unreadable_zone_or_time_makes_the_schedule_unreadable_but_keeps_the_rest():
    reading = read_schedule(day="Tuesday", time="9:00", tz="CST", frequency="weekly", on=ON)

    assert reading.status == UNREADABLE
    assert reading.problem == "“CST” is not a time zone the importer knows"
    assert (reading.start_time, reading.frequency, reading.first_date) == (
        datetime.time(9),
        WEEKLY,
        None,
    )


def test_the_meeting_keeps_its_text_its_links_and_what_was_dropped():
    raw = yaml.safe_load(
        """
        description: Private Steering Committee Office Hours
        day: third Wednesday
        time: 8:00
        tz: PT (Pacific Time)
        frequency: monthly
        url: "\\u200bhttps://zoom.us/j/770495087"
        archive_url: https://bit.ly/k8s-steering-wd
        recordings_url: TBD
        calendar_url: https://calendar.google.com/x
        mood: festive
        """
    )

    reading = read_meeting(raw, on=ON)

    # YAML reads an unquoted 8:00 as 480 minutes; the text says 8:00.
    assert reading.schedule.source_text == (
        "day: third Wednesday\ntime: 8:00\ntz: PT (Pacific Time)\nfrequency: monthly"
    )
    assert reading.schedule.start_time == datetime.time(8)
    assert reading.title == "Private Steering Committee Office Hours"
    assert reading.is_private
    assert reading.kind == "office_hours"
    assert reading.links == {
        "join_url": "https://zoom.us/j/770495087",
        "agenda_url": "https://bit.ly/k8s-steering-wd",
    }
    assert reading.notes == (
        "url: invisible characters removed.",
        "recordings_url “TBD” is not a link; left empty.",
        "unknown key “mood” ignored.",
    )


def test_a_meeting_with_no_description_is_still_a_meeting():
    reading = read_meeting(
        {"day": "Monday", "time": "9:00", "tz": "UTC", "frequency": "weekly"}, on=ON
    )

    assert reading.title == "Meeting"
    assert not reading.is_private


def test_the_source_text_reads_back_to_the_same_schedule():
    reading = read_schedule(
        day="Tuesday", time="2PM", tz="CET (Central European Time)", frequency="biweekly", on=ON
    )

    assert read_source_text(reading.source_text, on=ON) == reading


@pytest.mark.parametrize(
    ("frequency", "day", "problem"),
    [
        ("biweekly", d("2025-06-10"), ""),
        ("biweekly", d("2019-01-01"), ""),
        ("biweekly", d("2025-06-11"), "Wednesday 2025-06-11 is not a Tuesday"),
        ("monthly", d("2025-06-24"), ""),
        ("monthly - third Tuesday", d("2025-06-17"), ""),
        ("monthly - third Tuesday", d("2025-06-24"), "not a date of this rule"),
        ("every day", d("2025-06-10"), "The text could not be read"),
    ],
)
def test_which_first_dates_an_admin_may_confirm(frequency, day, problem):
    reading = read_schedule(day="Tuesday", time="9:00", tz="UTC", frequency=frequency, on=ON)

    message = reading.first_date_problem(day)
    assert problem in message
    assert bool(message) == bool(problem)


def _real_meetings(sigs_yaml):
    data = yaml.safe_load(sigs_yaml.read_text())
    for value in data.values():
        for group in value if isinstance(value, list) else ():
            yield from group.get("meetings") or ()
            for subproject in group.get("subprojects") or ():
                yield from subproject.get("meetings") or ()


@pytest.mark.shared_data
def test_the_tables_hold_every_spelling_of_the_real_file(shared_data):
    meetings = list(_real_meetings(shared_data / "kubernetes-community" / "sigs.yaml"))

    assert {m["frequency"] for m in meetings} == {frequency for _, frequency, *_ in SCHEDULES}
    assert {m["day"] for m in meetings} == {day for day, *_ in SCHEDULES}
    assert len({m["frequency"] for m in meetings}) == 35
    assert {m["tz"] for m in meetings} == set(ZONES)
    assert {m["time"] for m in meetings} == set(TIMES)


@pytest.mark.shared_data
def test_the_real_file_reads_into_schedules_the_model_accepts(shared_data):
    meetings = list(_real_meetings(shared_data / "kubernetes-community" / "sigs.yaml"))

    readings = [read_meeting(raw, on=ON) for raw in meetings]

    assert len(readings) == 102
    assert Counter(r.schedule.status for r in readings) == {READ: 44, NEEDS_DATE: 58}
    for reading in readings:
        schedule = reading.schedule
        assert schedule.start_time and schedule.time_zone
        assert (schedule.first_date is not None) == (schedule.status == READ)
        assert bool(schedule.candidates) == (schedule.status == NEEDS_DATE)
        for first_date in [schedule.first_date] if schedule.first_date else schedule.candidates:
            stored = Schedule(
                time_zone=schedule.time_zone,
                first_date=first_date,
                start_time=schedule.start_time,
                frequency=schedule.frequency,
                interval=schedule.interval,
                week_of_month=schedule.week_of_month
                if schedule.frequency != MONTHLY or schedule.week_of_month
                else week_of_month(first_date),
                rrule=schedule.rrule,
            )
            recurrence.validate_schedule(stored)
            assert first_date.weekday() == schedule.weekday
    assert sorted(note for r in readings for note in r.notes) == [
        "The rule FREQ=MONTHLY;BYDAY=WE;BYMONTHDAY=23,24,25,26,27,28,29 misses a Wednesday that "
        "falls in the next month, next on 2034-03-01: add it as a one-off occurrence.",
        "recordings_url “TBD” is not a link; left empty.",
        "url: invisible characters removed.",
    ]


def test_a_city_names_its_zone():
    assert read_zone("Warsaw") == ("Europe/Warsaw", "")
    assert read_zone("sao paulo") == ("America/Sao_Paulo", "")


def test_a_zone_written_with_the_time_is_read():
    alone = read_schedule(day="Tuesday", time="09:00 (Pacific Time)", frequency="weekly", on=ON)
    agreeing = read_schedule(
        day="Tuesday", time="09:00 (Pacific Time)", tz="PT", frequency="weekly", on=ON
    )
    contradicting = read_schedule(
        day="Tuesday", time="09:00 (CET)", tz="PT", frequency="weekly", on=ON
    )

    for reading in (alone, agreeing):
        assert (reading.status, reading.time_zone) == (Reading.READ, "America/Los_Angeles")
        assert reading.start_time == datetime.time(9)
    assert contradicting.status == Reading.UNREADABLE
    assert "names different time zones" in contradicting.problem


def test_midnight_at_the_end_of_a_day_is_the_next_days_start():
    reading = read_schedule(day="Tuesday", time="24:00", tz="UTC", frequency="weekly", on=ON)

    assert reading.status == Reading.READ
    assert (reading.weekday, reading.start_time) == (2, datetime.time(0))
    assert reading.first_date == datetime.date(2025, 6, 4)
    assert reading.caveat == "24:00 on Tuesday read as Wednesday 00:00."


def test_every_third_week_is_every_three_weeks_from_its_start():
    reading = read_schedule(
        day="Tuesday", time="9:00", tz="UTC", frequency="every third week from 2025-06-10", on=ON
    )

    assert (reading.status, reading.frequency, reading.interval) == (
        Reading.READ,
        Frequency.WEEKLY,
        3,
    )
    assert reading.first_date == datetime.date(2025, 6, 10)


@pytest.mark.parametrize(
    ("frequency", "said"),
    [("biweekly/triweekly", "biweekly/triweekly"), ("biweekly (On demand)", "on demand")],
)
def test_a_frequency_narrowed_to_biweekly_is_said_in_the_report(frequency, said):
    reading = read_meeting(
        {
            "description": "Office hours",
            "day": "Monday",
            "time": "9:00",
            "tz": "UTC",
            "frequency": frequency,
        },
        on=ON,
    )

    assert reading.schedule.interval == 2
    assert f"“{said}” read as every 2 weeks." in reading.notes
