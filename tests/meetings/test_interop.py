"""Real calendar readers expand our feeds to exactly the instants the site shows.

Mozilla's ical.js (Thunderbird's parser), recurring-ical-events, khal, libical (Evolution and
GNOME, through ICalGLib in the system Python) and Home Assistant's strict `ical` parser each read
the feeds and must give, from 2026-01-01 to 2027-12-31, the same (UID, start, end) triples as
the site's own occurrence list (meetings.recurrence.slots_between, cancelled occurrences left
out): for a rebuilt forum, schedules across zones and DST's hard days, and the demo community
that `load_demo` loads. libical's restriction check and the strict parser report nothing.
"""

import datetime
import json
import logging
import re
import shutil
import subprocess
from collections import Counter
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import time_machine
from django.core.management import call_command
from ical.calendar_stream import IcsCalendarStream

from meetings.models import Occurrence, OccurrenceStatus, Schedule
from meetings.recurrence import slots_between
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    OccurrenceFactory,
    ScheduleFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.interop]

UTC = datetime.UTC
FROM = datetime.datetime(2026, 1, 1, tzinfo=UTC)
TO = datetime.datetime(2028, 1, 1, tzinfo=UTC)
# Readers are asked for a wider range; both sides then keep the starts in [FROM, TO).
MARGIN = datetime.timedelta(days=2)
INTEROP = Path(__file__).resolve().parent.parent / "interop"
KHAL = shutil.which("khal")
NODE = shutil.which("node")
# libical's GObject bindings come from Debian (python3-gi, gir1.2-ical-3.0), for its Python.
SYSTEM_PYTHON = Path("/usr/bin/python3")
SYSTEM_ZONES = Path("/usr/share/zoneinfo")

# Occurrences counted, so that one a reader shows twice is a disagreement too.
Instants = Counter[tuple[str, datetime.datetime, datetime.datetime]]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 1, 1, 9, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def community_forum():
    """The seed Community Meeting Forum: first Monday 17:00 and third Monday 08:00 US Pacific,
    with one occurrence moved, one cancelled and one with an agenda."""
    forum = MeetingFactory(slug="community-meeting-forum", title="Community Meeting Forum")
    evening = ScheduleFactory(
        meeting=forum,
        first_date=datetime.date(2025, 6, 2),
        start_time=datetime.time(17, 0),
        frequency="monthly",
        week_of_month=1,
    )
    morning = ScheduleFactory(
        meeting=forum,
        first_date=datetime.date(2026, 1, 19),
        start_time=datetime.time(8, 0),
        frequency="monthly",
        week_of_month=3,
    )
    OccurrenceFactory(
        schedule=evening,
        original_date=datetime.date(2026, 3, 2),
        status="moved",
        reason="KubeCon week",
        moved_start=datetime.datetime(2026, 3, 4, 1, 0, tzinfo=UTC),
    )
    OccurrenceFactory(
        schedule=evening,
        original_date=datetime.date(2026, 11, 2),
        status="cancelled",
        reason="Election day",
    )
    AgendaItemFactory(
        occurrence=OccurrenceFactory(schedule=morning, original_date=datetime.date(2026, 3, 16))
    )
    return forum


def zone_schedule(time_zone: str, first_date: str, start_time: str, **fields) -> Schedule:
    number = Schedule.objects.count()
    return ScheduleFactory(
        meeting=MeetingFactory(slug=f"zones-{number}", title=f"{time_zone} {number}"),
        time_zone=time_zone,
        first_date=datetime.date.fromisoformat(first_date),
        start_time=datetime.time.fromisoformat(start_time),
        **fields,
    )


# Weekly schedules stop at the end of the compared range: khal expands open rules to 2037.
LAST = datetime.date(2027, 12, 31)


@pytest.fixture
def zone_meetings():
    """Schedules across DST rules, odd offsets, a gap, an overlap and a 53-ISO-week year."""
    # Every second Tuesday through 2026's 53 ISO weeks: 2026-12-22, then 2027-01-05.
    zone_schedule("Europe/Berlin", "2026-01-06", "16:00", interval=2, last_date=LAST)
    # First Sundays, 02:30: twice on April's fall-back day, missing on October's spring-forward.
    zone_schedule("Australia/Sydney", "2026-01-04", "02:30", frequency="monthly", week_of_month=1)
    zone_schedule("Australia/Sydney", "2026-01-07", "09:00", last_date=LAST)
    # 02:30 on the US spring-forward days (2026-03-08, 2027-03-14) is 03:30 PDT.
    zone_schedule(
        "America/Los_Angeles", "2026-01-11", "02:30", frequency="monthly", week_of_month=2
    )
    # 01:30 on the US fall-back days (first Sundays of November) happens twice: the first counts.
    zone_schedule("America/New_York", "2026-01-04", "01:30", frequency="monthly", week_of_month=1)
    # 05:15 IST is the day before in UTC.
    zone_schedule("Asia/Kolkata", "2026-01-01", "05:15", last_date=LAST)
    zone_schedule("Asia/Kathmandu", "2026-01-30", "18:45", frequency="monthly", week_of_month=-1)
    # A custom rule ending on one of its own dates: UNTIL in UTC keeps that last occurrence.
    zone_schedule(
        "Europe/Berlin",
        "2026-01-13",
        "10:00",
        frequency="rrule",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        last_date=datetime.date(2027, 6, 8),
    )
    zone_schedule("America/New_York", "2026-07-15", "10:00", frequency="once")
    cancelled = zone_schedule("Asia/Kathmandu", "2026-09-09", "07:00", frequency="once")
    OccurrenceFactory(schedule=cancelled, status="cancelled", reason="No quorum")


def moved(schedule: Schedule, day: str, start: str, minutes: int | None = None) -> None:
    OccurrenceFactory(
        schedule=schedule,
        original_date=datetime.date.fromisoformat(day),
        status="moved",
        moved_start=datetime.datetime.fromisoformat(start),
        moved_duration_minutes=minutes,
    )


def cancelled(schedule: Schedule, day: str) -> None:
    OccurrenceFactory(
        schedule=schedule,
        original_date=datetime.date.fromisoformat(day),
        status="cancelled",
        reason="Clocks change",
    )


@pytest.fixture
def hard_days():
    """DST's hard days: 30-minute and 45-minute offsets, Ramadan's double change, midnight
    changes; meetings of 90, 150 and 1440 minutes across a change; starts and ends in gaps and
    overlaps; moves and cancellations on those days; records a later end date strands."""
    weekly = {"last_date": LAST}
    # Lord Howe: 02:00 -> 02:30 on 2026-10-04 (the end falls in the gap), 02:00 -> 01:30 on
    # 2026-04-05 (01:45 happens twice).
    lord_howe = zone_schedule(
        "Australia/Lord_Howe", "2026-01-04", "01:45", duration_minutes=30, **weekly
    )
    cancelled(lord_howe, "2026-04-05")
    zone_schedule(
        "Australia/Lord_Howe", "2026-01-04", "02:15", frequency="monthly", week_of_month=1
    )
    # Chatham: 02:45 -> 03:45 on the last Sunday of September, back on the first of April.
    chatham = zone_schedule("Pacific/Chatham", "2026-01-04", "03:00", duration_minutes=90, **weekly)
    moved(chatham, "2026-09-27", "2026-09-26T15:00:00+00:00")
    # Chatham's 03:00 is in the gap, so its schedule is listed in UTC: its first date moved.
    moved(chatham, "2026-01-04", "2026-01-03T20:00:00+00:00")
    # Casablanca goes back an hour for Ramadan and forward after it, at 03:00 and 02:00.
    zone_schedule("Africa/Casablanca", "2026-01-04", "01:30", duration_minutes=150, **weekly)
    zone_schedule("Africa/Casablanca", "2026-01-03", "02:30", duration_minutes=1440, **weekly)
    # Santiago changes at midnight: 23:30 + 60 minutes ends in the gap on 2026-09-05, and
    # 23:30 happens twice on 2026-04-04.
    santiago = zone_schedule("America/Santiago", "2026-01-03", "23:30", **weekly)
    moved(santiago, "2026-04-04", "2026-04-05T03:30:00+00:00", minutes=90)
    zone_schedule("America/Santiago", "2026-01-03", "00:00", duration_minutes=1440, **weekly)
    # A day-long meeting over each US change, and an hour that ends in the gap.
    zone_schedule("America/Los_Angeles", "2026-01-03", "12:00", duration_minutes=1440, **weekly)
    los_angeles = zone_schedule("America/Los_Angeles", "2026-01-04", "01:30", **weekly)
    cancelled(los_angeles, "2026-11-01")
    gap_start = zone_schedule("America/Los_Angeles", "2026-01-04", "02:30", **weekly)
    moved(gap_start, "2026-03-08", "2026-03-08T18:00:00+00:00")
    cancelled(gap_start, "2027-03-14")
    AgendaItemFactory(
        occurrence=OccurrenceFactory(schedule=gap_start, original_date=datetime.date(2026, 3, 15))
    )
    berlin = zone_schedule("Europe/Berlin", "2026-01-04", "01:00", duration_minutes=150, **weekly)
    cancelled(berlin, "2026-03-29")
    moved(berlin, "2026-10-25", "2026-10-25T00:30:00+00:00", minutes=90)
    zone_schedule("Asia/Kathmandu", "2026-01-04", "23:00", duration_minutes=90, **weekly)
    # Records a later end date leaves outside the schedule (stored before that was refused).
    ended = zone_schedule("Europe/Berlin", "2026-01-07", "10:00", **weekly)
    moved(ended, "2026-09-16", "2026-09-17T08:00:00+00:00")
    AgendaItemFactory(
        occurrence=OccurrenceFactory(schedule=ended, original_date=datetime.date(2026, 9, 23))
    )
    Schedule.objects.filter(pk=ended.pk).update(last_date=datetime.date(2026, 8, 31))


# Feeds cover occurrences to the 32-bit time limit.
HORIZON = datetime.datetime(2038, 1, 1, tzinfo=UTC)


def starts_in_a_gap(schedule: Schedule) -> bool:
    """Whether one of the schedule's starts to the horizon does not exist on its wall clock."""
    zone = ZoneInfo(schedule.time_zone)
    for slot in slots_between([schedule], FROM - datetime.timedelta(days=366), HORIZON):
        wall = datetime.datetime.combine(slot.original_date, schedule.start_time, zone)
        if wall.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall.replace(tzinfo=None):
            return True
    return False


def site_instants(schedules) -> Instants:
    """What the site shows: its own occurrences, cancelled ones left out. A schedule that starts
    in a DST gap is listed in UTC in the feed, and its moved occurrences and those with an agenda
    are events of their own, UID'd by the schedule and the original date."""
    schedules = schedules.select_related("meeting").prefetch_related("occurrences__agenda_items")
    listed = {schedule.pk for schedule in schedules if starts_in_a_gap(schedule)}

    def uid(slot) -> str:
        record = slot.record
        annotated = record is not None and not slot.meeting.is_private and record.agenda_items.all()
        own = slot.is_moved or bool(annotated)
        if slot.schedule.pk in listed and own and slot.schedule.frequency != "once":
            return f"{slot.schedule.uid}-{slot.original_date:%Y%m%d}@testserver"
        return f"{slot.schedule.uid}@testserver"

    return Counter(
        (uid(slot), slot.start, slot.end)
        for slot in slots_between(schedules, FROM, TO)
        if not slot.is_cancelled and FROM <= slot.start < TO
    )


def in_window(triples) -> Instants:
    return Counter((uid, start, end) for uid, start, end in triples if FROM <= start < TO)


def json_rows(rows: list[dict]) -> Instants:
    """The occurrences a reader script printed as JSON, cancelled ones left out."""
    return in_window(
        (
            row["uid"],
            datetime.datetime.fromisoformat(row["start"]),
            datetime.datetime.fromisoformat(row["end"]),
        )
        for row in rows
        if row["status"] != "CANCELLED"
    )


def read_with_recurring_ical_events(feed: bytes, path: Path) -> Instants:
    calendar = icalendar.Calendar.from_ical(feed)
    events = recurring_ical_events.of(calendar).between(FROM - MARGIN, TO + MARGIN)
    return in_window(
        (
            str(event["UID"]),
            event["DTSTART"].dt.astimezone(UTC),
            event["DTEND"].dt.astimezone(UTC),
        )
        for event in events
        if event.get("STATUS") != "CANCELLED"
    )


def ical_js_output(feed: bytes, path: Path) -> list[dict]:
    """ical.js's occurrences of the feed, each with its status."""
    if not NODE or not (INTEROP / "node_modules" / "ical.js").is_dir():
        pytest.skip("ical.js needs node and `npm ci --prefix tests/interop`")
    ics = path / "feed.ics"
    ics.write_bytes(feed)
    output = subprocess.run(
        [NODE, INTEROP / "expand.mjs", ics, (FROM - MARGIN).isoformat(), (TO + MARGIN).isoformat()],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [json.loads(line) for line in output.splitlines()]


def read_with_ical_js(feed: bytes, path: Path) -> Instants:
    return json_rows(ical_js_output(feed, path))


def libical_output(feed: bytes, path: Path) -> list[dict]:
    """libical's occurrences of the feed, and last its restriction check's problems."""
    probe = [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"]
    if not SYSTEM_PYTHON.exists() or subprocess.run(probe, capture_output=True).returncode:
        pytest.skip("libical needs Debian's python3-gi and gir1.2-ical-3.0")
    ics = path / "feed.ics"
    ics.write_bytes(feed)
    output = subprocess.run(
        [
            SYSTEM_PYTHON,
            INTEROP / "libical_expand.py",
            ics,
            f"{FROM - MARGIN:%Y%m%dT%H%M%SZ}",
            f"{TO + MARGIN:%Y%m%dT%H%M%SZ}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return [json.loads(line) for line in output.splitlines()]


def read_with_libical(feed: bytes, path: Path) -> Instants:
    *rows, checked = libical_output(feed, path)
    # RFC 5546's rules for METHOD:PUBLISH, as libical checks them.
    assert checked["problems"] == []
    return json_rows(rows)


class _Collected(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())


def read_with_ical(feed: bytes, path: Path) -> Instants:
    """Home Assistant's `ical`: it refuses what RFC 5545 does not allow, and warns of the rest."""
    collected = _Collected()
    logger = logging.getLogger("ical")
    logger.addHandler(collected)
    try:
        calendar = IcsCalendarStream.calendar_from_ics(feed.decode())
        events = list(calendar.timeline_tz(UTC).overlapping(FROM - MARGIN, TO + MARGIN))
    finally:
        logger.removeHandler(collected)
    assert collected.messages == []
    return in_window(
        (event.uid, event.start.astimezone(UTC), event.end.astimezone(UTC))
        for event in events
        if getattr(event.status, "value", None) != "CANCELLED"
    )


def _outdated_zones(feed: bytes) -> list[str]:
    """The feed's zones on which the machine's tz database disagrees with the project's tzdata
    in the compared range (Africa/Casablanca from 2026-09-20 in tz 2025b)."""
    days = [FROM + datetime.timedelta(days=number) for number in range((TO - FROM).days)]
    outdated = []
    for name in sorted({match.decode() for match in re.findall(rb"TZID:([^\r\n]+)", feed)}):
        try:
            with (SYSTEM_ZONES / name).open("rb") as data:
                system = ZoneInfo.from_file(data)
        except OSError:
            continue
        current = ZoneInfo(name)
        if any(
            day.astimezone(system).utcoffset() != day.astimezone(current).utcoffset()
            for day in days
        ):
            outdated.append(name)
    return outdated


def khal_rows(feed: bytes, path: Path) -> list[tuple[str, str, str, str]]:
    """khal's occurrences of the feed: (uid, start, end, status), each once."""
    if not KHAL:
        pytest.skip("khal is not installed (Debian package khal)")
    vdir = path / "vdir"
    vdir.mkdir(parents=True)
    # khal reads a TZID it knows in the machine's tz database, not in the feed's VTIMEZONE:
    # where that database is out of date, the zone is renamed so that khal reads the feed's
    # VTIMEZONE, as a client with current zone data reads the name.
    for name in _outdated_zones(feed):
        for separator in (b"=", b":"):
            feed = feed.replace(
                b"TZID" + separator + name.encode(), b"TZID" + separator + b"Agora/" + name.encode()
            )
    calendar = icalendar.Calendar.from_ical(feed)
    timezones = calendar.walk("VTIMEZONE")
    by_uid: dict[str, list] = {}
    for event in calendar.walk("VEVENT"):
        by_uid.setdefault(str(event["UID"]), []).append(event)
    # A vdir holds one calendar object (a UID with its overrides) per file.
    for number, events in enumerate(by_uid.values()):
        item = icalendar.Calendar()
        item.add("prodid", "-//Agora tests//EN")
        item.add("version", "2.0")
        for component in [*timezones, *events]:
            item.add_component(component)
        (vdir / f"{number}.ics").write_bytes(item.to_ical())
    config = path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[feed]]\npath = {vdir}\ntype = calendar\n"
        f"[sqlite]\npath = {path / 'khal.db'}\n"
        "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%dT%H:%M\nlongdatetimeformat = %Y-%m-%dT%H:%M:%S%z\n"
    )
    output = subprocess.run(
        [
            KHAL,
            "-c",
            config,
            "list",
            "--day-format",
            "",
            "--format",
            "{uid}|{start-long}|{end-long}|{status}",
            f"{FROM - MARGIN:%Y-%m-%d}",
            f"{TO + MARGIN:%Y-%m-%d}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    # khal lists an event under each day it touches: each occurrence counts once.
    return sorted({tuple(line.split("|")) for line in output.splitlines() if line.strip()})


def read_with_khal(feed: bytes, path: Path) -> Instants:
    return in_window(
        (
            uid,
            datetime.datetime.strptime(start, "%Y-%m-%dT%H:%M:%S%z"),
            datetime.datetime.strptime(end, "%Y-%m-%dT%H:%M:%S%z"),
        )
        for uid, start, end, status in khal_rows(feed, path)
        if status.strip() != "CANCELLED"
    )


READERS = [
    read_with_ical_js,
    read_with_recurring_ical_events,
    read_with_khal,
    read_with_libical,
    read_with_ical,
]
FEEDS = {
    "/calendar.ics": lambda: Schedule.objects.all(),
    # Alarms change no instant, and every reader still takes the feed.
    "/calendar.ics?alarm=15&alarm=60": lambda: Schedule.objects.all(),
    "/meetings/community-meeting-forum/calendar.ics": lambda: Schedule.objects.filter(
        meeting__slug="community-meeting-forum"
    ),
}


READER_IDS = ["ical.js", "recurring-ical-events", "khal", "libical", "ical"]


def disagreement(reader, client, path: str, schedules, tmp_path: Path) -> tuple[list, list]:
    """What the reader misses and adds, expanding the feed at `path`, against the site's
    occurrences of `schedules`."""
    response = client.get(path)
    assert response.status_code == 200
    expected = site_instants(schedules)
    assert expected.total() > 20

    got = reader(response.content, tmp_path)

    missing = sorted((expected - got).elements(), key=lambda triple: triple[1])
    extra = sorted((got - expected).elements(), key=lambda triple: triple[1])
    return missing, extra


@pytest.mark.parametrize("path", FEEDS)
@pytest.mark.parametrize("reader", READERS, ids=READER_IDS)
def test_readers_expand_feeds_to_the_sites_instants(
    reader, path, client, community_forum, zone_meetings, hard_days, tmp_path
):
    assert disagreement(reader, client, path, FEEDS[path](), tmp_path) == ([], [])


@pytest.fixture
def demo_community():
    """The whole demo community, loaded under the frozen clock: its records follow "today"
    (2026-01-01), so the forum's 16 February morning is moved and the architecture forum's
    23 February is cancelled."""
    call_command("load_demo", stdout=StringIO())
    records = Occurrence.objects.values_list("schedule__meeting__slug", "original_date", "status")
    assert set(records) >= {
        ("community-meeting-forum", datetime.date(2026, 2, 16), OccurrenceStatus.MOVED),
        ("community-architecture-forum", datetime.date(2026, 2, 23), OccurrenceStatus.CANCELLED),
    }


DEMO_FEEDS = {
    "/calendar.ics": lambda: Schedule.objects.all(),
    "/meetings/community-meeting-forum/calendar.ics": lambda: Schedule.objects.filter(
        meeting__slug="community-meeting-forum"
    ),
    # The architecture forum (with the cancellation) and API review office hours in India.
    "/groups/sig-architecture/calendar.ics": lambda: Schedule.objects.filter(
        meeting__group__slug="sig-architecture"
    ),
}


# One test per reader reads every demo feed: the demo is loaded three times, not nine.
@pytest.mark.parametrize("reader", READERS, ids=READER_IDS)
def test_readers_expand_the_demo_feeds_to_the_sites_instants(
    reader, client, demo_community, tmp_path
):
    disagreements = {}
    for number, (path, schedules) in enumerate(DEMO_FEEDS.items()):
        folder = tmp_path / str(number)
        folder.mkdir()
        disagreements[path] = disagreement(reader, client, path, schedules(), folder)

    assert disagreements == dict.fromkeys(DEMO_FEEDS, ([], []))


# -- Cancellations: kept in the feed, marked so, with their reason -----------------------------


def statuses_by_ical_js(feed: bytes, path: Path) -> dict[datetime.datetime, str]:
    return {
        datetime.datetime.fromisoformat(row["start"]): row["status"]
        for row in ical_js_output(feed, path)
    }


def statuses_by_recurring_ical_events(feed: bytes, path: Path) -> dict[datetime.datetime, str]:
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(feed)).between(FROM, TO)
    return {
        event["DTSTART"].dt.astimezone(UTC): f"{event.get('STATUS')} {event.get('DESCRIPTION')}"
        for event in events
    }


def statuses_by_khal(feed: bytes, path: Path) -> dict[datetime.datetime, str]:
    return {
        datetime.datetime.strptime(start, "%Y-%m-%dT%H:%M:%S%z"): status.strip()
        for _, start, _, status in khal_rows(feed, path)
    }


STATUS_READERS = [statuses_by_ical_js, statuses_by_recurring_ical_events, statuses_by_khal]
# The forum's evening of Monday 2 November 2026, 17:00 in Los Angeles.
ELECTION_DAY = datetime.datetime(2026, 11, 3, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("reader", STATUS_READERS, ids=READER_IDS[:3])
def test_readers_show_a_cancelled_occurrence_as_cancelled(
    reader, client, community_forum, tmp_path
):
    feed = client.get("/meetings/community-meeting-forum/calendar.ics").content

    statuses = reader(feed, tmp_path)

    assert statuses[ELECTION_DAY].startswith("CANCELLED")
    assert statuses[ELECTION_DAY + datetime.timedelta(weeks=5)].startswith("CONFIRMED")  # 7 Dec
    if reader is statuses_by_recurring_ical_events:
        assert "Cancelled: Election day" in statuses[ELECTION_DAY]
