"""The structure of the iCalendar we publish: what RFC 5545 and calendar clients rely on."""

import bisect
import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from ical.calendar_stream import IcsCalendarStream

from meetings.ical import build_feed, zone_transitions
from meetings.models import Schedule
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    OccurrenceFactory,
    ScheduleFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 2, 1, 12, tzinfo=UTC)
LA = ZoneInfo("America/Los_Angeles")


def feed_bytes(**options) -> bytes:
    schedules = Schedule.objects.select_related("meeting").prefetch_related(
        "occurrences__agenda_items__presenter"
    )
    options = {"name": "Test", "base_url": "https://agora.example.org", **options}
    return build_feed(schedules, **options)


def parse(feed: bytes = b"") -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(feed or feed_bytes())


def events_of(schedule, calendar=None) -> list[icalendar.Event]:
    calendar = calendar or parse()
    uid = f"{schedule.uid}@agora.local"
    return [event for event in calendar.walk("VEVENT") if str(event["UID"]) == uid]


def master_of(schedule, calendar=None) -> icalendar.Event:
    (master,) = [e for e in events_of(schedule, calendar) if "RECURRENCE-ID" not in e]
    return master


def overrides_of(schedule, calendar=None) -> dict[datetime.datetime, icalendar.Event]:
    events = events_of(schedule, calendar)
    return {e["RECURRENCE-ID"].dt: e for e in events if "RECURRENCE-ID" in e}


@pytest.fixture
def forum():
    """The Community Meeting Forum: first Monday 17:00-18:00 US Pacific."""
    return ScheduleFactory(
        meeting=MeetingFactory(slug="forum", title="Community Meeting Forum"),
        first_date=datetime.date(2026, 1, 5),
        frequency="monthly",
        week_of_month=1,
    )


def test_calendar_properties():
    ScheduleFactory()
    calendar = parse(feed_bytes(name="Agora: SIG Network"))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Agora//Meetings//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Agora: SIG Network"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in feed_bytes()
    assert b"X-PUBLISHED-TTL:PT1H" in feed_bytes()
    assert "X-WR-TIMEZONE" not in calendar


def test_one_vevent_per_schedule_in_home_wall_time(forum):
    master = master_of(forum)

    assert master["DTSTART"].to_ical() == b"20260105T170000"
    assert master["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert master["DURATION"].dt == datetime.timedelta(hours=1)
    assert master["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1MO"
    assert str(master["SUMMARY"]) == "Community Meeting Forum"
    assert str(master["STATUS"]) == "CONFIRMED"
    assert str(master["URL"]) == "https://agora.example.org/meetings/forum/"


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"interval": 2}, b"FREQ=WEEKLY;INTERVAL=2"),
        ({}, b"FREQ=WEEKLY"),
        ({"frequency": "monthly", "week_of_month": -1}, b"FREQ=MONTHLY;BYDAY=-1MO"),
        (
            {"frequency": "rrule", "rrule": "FREQ=MONTHLY;BYDAY=1MO,3MO"},
            b"FREQ=MONTHLY;BYDAY=1MO,3MO",
        ),
    ],
)
def test_rrules(fields, rule):
    schedule = ScheduleFactory(first_date=datetime.date(2026, 1, 5), **fields)
    assert master_of(schedule)["RRULE"].to_ical() == rule


def test_until_is_utc_and_keeps_the_last_date():
    """RFC 5545: with DTSTART in a TZID, UNTIL is UTC; the end of the last local date."""
    schedule = ScheduleFactory(
        time_zone="Europe/Berlin",
        first_date=datetime.date(2026, 1, 13),
        frequency="rrule",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        last_date=datetime.date(2027, 6, 8),
    )
    rule = master_of(schedule)["RRULE"]

    assert rule["UNTIL"] == [datetime.datetime(2027, 6, 8, 21, 59, 59, tzinfo=UTC)]
    assert b"UNTIL=20270608T215959Z" in rule.to_ical()


def test_a_custom_rules_own_until_becomes_utc():
    schedule = ScheduleFactory(
        first_date=datetime.date(2026, 1, 5), frequency="rrule", rrule="FREQ=WEEKLY;UNTIL=20260202"
    )
    # dateutil (the site) reads a date UNTIL as local midnight: 2026-02-02 17:00 is not included.
    assert master_of(schedule)["RRULE"]["UNTIL"] == [datetime.datetime(2026, 2, 2, 8, tzinfo=UTC)]


def test_a_one_off_has_no_rrule_and_a_cancelled_one_is_cancelled():
    once = ScheduleFactory(frequency="once", first_date=datetime.date(2026, 7, 15))
    cancelled = ScheduleFactory(frequency="once", first_date=datetime.date(2026, 7, 16))
    OccurrenceFactory(schedule=cancelled, status="cancelled", reason="No quorum")
    calendar = parse()

    assert "RRULE" not in master_of(once, calendar)
    assert master_of(once, calendar)["DTSTART"].dt == datetime.datetime(2026, 7, 15, 17, tzinfo=LA)
    assert str(master_of(cancelled, calendar)["STATUS"]) == "CANCELLED"
    assert "No quorum" in str(master_of(cancelled, calendar)["DESCRIPTION"])


def test_unconfirmed_schedules_are_left_out():
    ScheduleFactory(first_date=None, meeting__title="Dates to be confirmed")
    ScheduleFactory(start_time=None, meeting__title="Time to be confirmed")
    assert parse().walk("VEVENT") == []


def test_uids_and_bytes_are_stable_across_regenerations(forum):
    first = feed_bytes()
    assert feed_bytes() == first
    assert [str(e["UID"]) for e in parse(first).walk("VEVENT")] == [f"{forum.uid}@agora.local"]
    assert b"UID:%s@agora.example.org" % str(forum.uid).encode() in feed_bytes(
        domain="agora.example.org"
    )


def test_sequence_and_timestamps_follow_the_schedule(forum):
    Schedule.objects.filter(pk=forum.pk).update(sequence=4)
    master = master_of(forum)

    assert master["SEQUENCE"] == 4
    forum.refresh_from_db()
    assert master["DTSTAMP"].dt == forum.updated_at.replace(microsecond=0)
    assert master["LAST-MODIFIED"].dt == forum.updated_at.replace(microsecond=0)
    assert master["CREATED"].dt == forum.created_at.replace(microsecond=0)


def test_a_cancellation_stays_as_a_cancelled_override_with_its_reason(forum):
    OccurrenceFactory(
        schedule=forum,
        original_date=datetime.date(2026, 11, 2),
        status="cancelled",
        reason="Election day",
    )
    master = master_of(forum)
    (override,) = overrides_of(forum).values()

    assert "EXDATE" not in master
    assert override["RECURRENCE-ID"].to_ical() == b"20261102T170000"
    assert override["RECURRENCE-ID"].params["TZID"] == "America/Los_Angeles"
    assert override["DTSTART"].dt == datetime.datetime(2026, 11, 2, 17, tzinfo=LA)
    assert str(override["STATUS"]) == "CANCELLED"
    assert str(override["SUMMARY"]) == "Cancelled: Community Meeting Forum"
    description = str(override["DESCRIPTION"])
    assert description.startswith("Cancelled: Election day\n")
    assert forum.meeting.join_url not in description  # nothing to join


def test_a_move_is_a_recurrence_id_override(forum):
    Schedule.objects.filter(pk=forum.pk).update(sequence=2)
    OccurrenceFactory(
        schedule=forum,
        original_date=datetime.date(2026, 3, 2),
        status="moved",
        reason="KubeCon week",
        moved_start=datetime.datetime(2026, 3, 4, 1, 0, tzinfo=UTC),
        moved_duration_minutes=90,
    )
    (override,) = overrides_of(forum).values()

    assert override["RECURRENCE-ID"].dt == datetime.datetime(2026, 3, 2, 17, tzinfo=LA)
    assert override["DTSTART"].dt == datetime.datetime(2026, 3, 3, 17, tzinfo=LA)
    assert override["DTEND"].dt == datetime.datetime(2026, 3, 3, 18, 30, tzinfo=LA)
    assert override["SEQUENCE"] == 2
    assert "Moved from Monday 2026-03-02 17:00 America/Los_Angeles: KubeCon week" in str(
        override["DESCRIPTION"]
    )
    # The page of the day it now takes place on.
    assert str(override["URL"]) == "https://agora.example.org/meetings/forum/2026-03-03/"


def test_an_occurrence_with_an_agenda_is_an_override_at_the_same_time(forum):
    AgendaItemFactory(
        occurrence__schedule=forum,
        occurrence__original_date=datetime.date(2026, 2, 2),
        title="Release update",
        presenter_name="Ada",
        minutes_allotted=15,
        link="https://docs.example/release",
    )
    (override,) = overrides_of(forum).values()

    assert override["DTSTART"].dt == override["RECURRENCE-ID"].dt
    assert override["DTSTART"].dt == datetime.datetime(2026, 2, 2, 17, tzinfo=LA)
    description = str(override["DESCRIPTION"])
    assert "Agenda:\n1. Release update (Ada, 15 min) https://docs.example/release" in description
    assert "Occurrence page: https://agora.example.org/meetings/forum/2026-02-02/" in description


def test_description_has_the_schedule_and_links(forum):
    forum.meeting.display_zones = ["Asia/Kolkata"]
    forum.meeting.save()
    description = str(master_of(forum)["DESCRIPTION"])

    assert description.splitlines() == [
        "First Monday of the month, 17:00-18:00 America/Los_Angeles",
        f"Join: {forum.meeting.join_url}",
        f"Agenda document: {forum.meeting.agenda_url}",
        "Meeting page: https://agora.example.org/meetings/forum/",
    ]
    assert str(master_of(forum)["LOCATION"]) == forum.meeting.join_url


def test_the_feed_stays_the_same_when_a_meeting_ends(forum):
    """No "Next: <date>" on every instance: the feed changes only when its data does."""
    with time_machine.travel(NOW):
        before = feed_bytes()
    with time_machine.travel(NOW + datetime.timedelta(days=40)):  # two meetings later
        after = feed_bytes()

    assert before == after
    assert b"Next:" not in after


def test_alarms_ring_before_every_event_but_cancelled_ones(forum):
    OccurrenceFactory(
        schedule=forum, original_date=datetime.date(2026, 3, 2), status="cancelled", reason="x"
    )
    AgendaItemFactory(
        occurrence__schedule=forum, occurrence__original_date=datetime.date(2026, 4, 6)
    )
    assert b"VALARM" not in feed_bytes()
    calendar = parse(feed_bytes(alarms=(15, 60)))

    master = master_of(forum, calendar)
    overrides = overrides_of(forum, calendar)
    assert [alarm["TRIGGER"].dt for alarm in master.walk("VALARM")] == [
        datetime.timedelta(minutes=-15),
        datetime.timedelta(minutes=-60),
    ]
    assert str(master.walk("VALARM")[0]["ACTION"]) == "DISPLAY"
    april, march = (
        overrides[datetime.datetime(2026, m, d, 17, tzinfo=LA)] for m, d in ((4, 6), (3, 2))
    )
    assert len(april.walk("VALARM")) == 2
    assert march.walk("VALARM") == []


def test_a_private_meeting_keeps_its_time_and_title_only(forum):
    forum.meeting.is_private = True
    forum.meeting.save()
    AgendaItemFactory(
        occurrence__schedule=forum,
        occurrence__original_date=datetime.date(2026, 2, 2),
        title="Confidential item",
    )
    feed = feed_bytes()
    master = master_of(forum, parse(feed))

    assert str(master["SUMMARY"]) == "Community Meeting Forum"
    assert master["DTSTART"].dt == datetime.datetime(2026, 1, 5, 17, tzinfo=LA)
    assert forum.meeting.join_url.encode() not in feed
    assert forum.meeting.agenda_url.encode() not in feed
    assert b"Confidential" not in feed
    assert "LOCATION" not in master
    assert overrides_of(forum, parse(feed)) == {}


def test_a_vtimezone_for_every_tzid_used():
    for zone in ["Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu"]:
        ScheduleFactory(time_zone=zone)
    feed = feed_bytes()
    calendar = parse(feed)

    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {
        "Europe/Berlin",
        "Asia/Kolkata",
        "Asia/Kathmandu",
    }
    assert calendar.get_missing_tzids() == set()


def onsets(vtimezone: icalendar.Timezone) -> list[tuple[datetime.datetime, datetime.timedelta]]:
    """(UTC instant, offset from then on) of each onset, as RFC 5545 reads our VTIMEZONE."""
    found = []
    for observance in vtimezone.walk():
        if observance.name not in ("STANDARD", "DAYLIGHT"):
            continue
        offset_from = observance["TZOFFSETFROM"].td
        starts = [observance["DTSTART"].dt]
        rdates = observance.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts += [period.dt for period in rdate.dts]
        # RFC 5545 3.6.5: an onset is local time in TZOFFSETFROM.
        found += [
            ((start - offset_from).replace(tzinfo=UTC), observance["TZOFFSETTO"].td)
            for start in starts
        ]
    return sorted(found)


@pytest.mark.parametrize(
    "zone",
    ["America/Los_Angeles", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "Asia/Kathmandu"],
)
def test_vtimezones_give_tzdatas_offsets_at_every_quarter_hour(zone):
    ScheduleFactory(time_zone=zone, first_date=datetime.date(2026, 1, 5))
    (vtimezone,) = parse().walk("VTIMEZONE")
    changes = onsets(vtimezone)
    instant = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    while instant < datetime.datetime(2028, 1, 1, tzinfo=UTC):
        offset = changes[bisect.bisect_right(changes, (instant, datetime.timedelta.max)) - 1][1]
        assert offset == instant.astimezone(ZoneInfo(zone)).utcoffset(), instant
        instant += datetime.timedelta(minutes=15)


def test_dst_onsets_are_local_time_before_the_change():
    """US clocks go forward at 02:00 PST and back at 02:00 PDT (RFC 5545's own example)."""
    ScheduleFactory()
    (vtimezone,) = parse().walk("VTIMEZONE")
    (daylight,) = vtimezone.walk("DAYLIGHT")
    (standard,) = [o for o in vtimezone.walk("STANDARD") if b"RDATE" in o.to_ical()]

    assert b"RDATE:20260308T020000" in daylight.to_ical()
    assert daylight["TZOFFSETFROM"].to_ical() == "-0800"
    assert b"RDATE:20261101T020000" in standard.to_ical()
    assert standard["TZOFFSETFROM"].to_ical() == "-0700"


def test_zone_transitions_are_exact_to_the_second():
    (spring, autumn) = zone_transitions(
        "Europe/Berlin", datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)
    )
    assert spring.at == datetime.datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert autumn.at == datetime.datetime(2026, 10, 25, 1, tzinfo=UTC)
    assert (spring.name, spring.is_dst, autumn.name, autumn.is_dst) == ("CEST", True, "CET", False)


@pytest.fixture
def gap_start():
    """Sundays at 02:30 in Los Angeles in March and April 2026: 8 March's 02:30 does not exist."""
    return ScheduleFactory(
        first_date=datetime.date(2026, 3, 1),
        start_time=datetime.time(2, 30),
        last_date=datetime.date(2026, 4, 30),
    )


def test_a_schedule_that_starts_in_a_gap_lists_its_instants_in_utc(gap_start):
    """libical shifts 02:30 to 03:30 on the gap day and keeps 03:30 a week later, and misses
    that day's RECURRENCE-ID and EXDATE: such a schedule is a list of UTC instants."""
    OccurrenceFactory(
        schedule=gap_start,
        original_date=datetime.date(2026, 3, 29),
        status="cancelled",
        reason="Spring break",
    )
    master = master_of(gap_start)
    rdates = [value.dt for prop in master["RDATE"] for value in prop.dts]

    assert master["DTSTART"].dt == datetime.datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert master["RRULE"]["COUNT"] == [1]
    # 02:30 on 8 March does not exist: 03:30 PDT (10:30 UTC); 02:30 PDT (09:30 UTC) after it.
    assert rdates[:3] == [
        datetime.datetime(2026, 3, 8, 10, 30, tzinfo=UTC),
        datetime.datetime(2026, 3, 15, 9, 30, tzinfo=UTC),
        datetime.datetime(2026, 3, 22, 9, 30, tzinfo=UTC),
    ]
    assert datetime.datetime(2026, 3, 29, 9, 30, tzinfo=UTC) not in rdates


def test_a_listed_schedules_moved_and_annotated_occurrences_are_events_of_their_own(gap_start):
    """Home Assistant's `ical` never matches a RECURRENCE-ID in UTC, and khal none at TZID=UTC:
    in a schedule listed in UTC, a moved or annotated occurrence is an event of its own, left
    out of the list (an EXDATE when it is DTSTART's)."""
    OccurrenceFactory(
        schedule=gap_start,
        original_date=datetime.date(2026, 3, 1),
        status="moved",
        moved_start=datetime.datetime(2026, 3, 2, 18, tzinfo=UTC),
    )
    AgendaItemFactory(
        occurrence=OccurrenceFactory(schedule=gap_start, original_date=datetime.date(2026, 3, 8))
    )
    calendar = parse()
    master = master_of(gap_start, calendar)
    rdates = [value.dt for prop in master["RDATE"] for value in prop.dts]
    own = {
        str(event["UID"]): event
        for event in calendar.walk("VEVENT")
        if str(event["UID"]).startswith(f"{gap_start.uid}-")
    }

    assert [value.dt for value in master["EXDATE"].dts] == [master["DTSTART"].dt]
    assert datetime.datetime(2026, 3, 8, 10, 30, tzinfo=UTC) not in rdates
    assert datetime.datetime(2026, 3, 15, 9, 30, tzinfo=UTC) in rdates
    assert sorted(own) == [
        f"{gap_start.uid}-20260301@agora.local",
        f"{gap_start.uid}-20260308@agora.local",
    ]
    moved = own[f"{gap_start.uid}-20260301@agora.local"]
    assert "RECURRENCE-ID" not in moved
    assert moved["DTSTART"].dt == datetime.datetime(2026, 3, 2, 10, tzinfo=LA)
    assert "Agenda:" in own[f"{gap_start.uid}-20260308@agora.local"]["DESCRIPTION"]
    # The strict parser reads each once.
    timeline = IcsCalendarStream.calendar_from_ics(feed_bytes().decode()).timeline_tz(UTC)
    starts = [
        event.start
        for event in timeline.overlapping(
            datetime.datetime(2026, 3, 1, tzinfo=UTC), datetime.datetime(2026, 3, 10, tzinfo=UTC)
        )
    ]
    assert starts == [
        datetime.datetime(2026, 3, 2, 18, tzinfo=UTC),
        datetime.datetime(2026, 3, 8, 10, 30, tzinfo=UTC),
    ]


def test_a_day_long_meeting_lasts_24_hours_not_a_calendar_day():
    ScheduleFactory(start_time=datetime.time(12), duration_minutes=1440)

    assert b"DURATION:PT24H\r\n" in feed_bytes()
    assert b"P1D" not in feed_bytes()


@pytest.mark.parametrize(
    ("start", "minutes", "day", "end"),
    [
        # 01:30 PST + 60 minutes is 03:30 PDT: the wall clock's 02:30 does not exist.
        ("01:30", 60, datetime.date(2026, 3, 8), datetime.datetime(2026, 3, 8, 3, 30)),
        # A day from Saturday noon is Sunday 13:00 after the clocks go forward.
        ("12:00", 1440, datetime.date(2026, 3, 7), datetime.datetime(2026, 3, 8, 13, 0)),
        # 01:00 PDT + 60 minutes is 01:00 PST: written in UTC, the wall time happens twice.
        ("01:00", 60, datetime.date(2026, 11, 1), datetime.datetime(2026, 11, 1, 9, tzinfo=UTC)),
    ],
)
def test_an_occurrence_the_clocks_change_during_ends_after_its_minutes(start, minutes, day, end):
    schedule = ScheduleFactory(
        first_date=datetime.date(2026, 1, 3) + datetime.timedelta(days=day.weekday() - 5),
        start_time=datetime.time.fromisoformat(start),
        duration_minutes=minutes,
    )
    override = overrides_of(schedule)[datetime.datetime.combine(day, schedule.start_time, LA)]

    expected = end if end.tzinfo else end.replace(tzinfo=LA)
    assert override["DTEND"].dt == expected
    elapsed = override["DTEND"].dt.astimezone(UTC) - override["DTSTART"].dt.astimezone(UTC)
    assert elapsed == datetime.timedelta(minutes=minutes)


def test_every_event_names_its_group_as_organizer(forum):
    forum.meeting.group.name = "SIG Contributor Experience"
    forum.meeting.group.save()

    for event in parse(feed_bytes(domain="agora.example.org")).walk("VEVENT"):
        organizer = event["ORGANIZER"]
        assert str(organizer) == "mailto:noreply@agora.example.org"
        assert organizer.params["CN"] == "SIG Contributor Experience"


def test_a_feed_without_meetings_still_holds_a_component():
    """RFC 5545 3.6: at least one component; the strict `ical` parser accepts it as empty."""
    feed = feed_bytes()

    assert [c.name for c in parse(feed).subcomponents] == ["VTIMEZONE"]
    assert IcsCalendarStream.calendar_from_ics(feed.decode()).events == []


def test_an_occurrence_in_the_fall_back_overlap_starts_in_utc_at_the_first_instant():
    schedule = ScheduleFactory(
        first_date=datetime.date(2026, 1, 4),
        start_time=datetime.time(1, 30),
        frequency="monthly",
        week_of_month=1,
    )
    override = overrides_of(schedule)[datetime.datetime(2026, 11, 1, 1, 30, tzinfo=LA)]

    assert override.to_ical().count(b"DTSTART:20261101T083000Z") == 1
    assert "happens twice on this day" in str(override["DESCRIPTION"])
