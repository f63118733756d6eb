"""Real calendar readers expand our feeds to exactly the instants the site shows.

Mozilla's ical.js (Thunderbird's parser), recurring-ical-events and khal each read the feeds and
must give, from 2026-01-01 to 2027-12-31, the same (UID, start instant) pairs as the site's own
occurrence list (meetings.recurrence.slots_between, cancelled occurrences left out).
"""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import time_machine

from meetings.models import Schedule
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

Instants = set[tuple[str, datetime.datetime]]


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


@pytest.fixture
def zone_meetings():
    """Schedules across DST rules, odd offsets, a gap, an overlap and a 53-ISO-week year."""
    cases = [
        # Biweekly through 2026's 53 ISO weeks: 2026-12-22, then 2027-01-05.
        dict(time_zone="Europe/Berlin", first_date=datetime.date(2026, 1, 6), interval=2,
             start_time=datetime.time(16, 0)),
        # 02:30 Sunday: does not exist in April's... in October's spring-forward, twice in April.
        dict(time_zone="Australia/Sydney", first_date=datetime.date(2026, 1, 4),
             start_time=datetime.time(2, 30)),
        dict(time_zone="Australia/Sydney", first_date=datetime.date(2026, 1, 7),
             start_time=datetime.time(9, 0)),
        # 02:30 on the US spring-forward days (2026-03-08, 2027-03-14) is 03:30 PDT.
        dict(time_zone="America/Los_Angeles", first_date=datetime.date(2026, 1, 4),
             start_time=datetime.time(2, 30)),
        dict(time_zone="Asia/Kolkata", first_date=datetime.date(2026, 1, 1),
             start_time=datetime.time(5, 15)),
        dict(time_zone="Asia/Kathmandu", first_date=datetime.date(2026, 1, 30),
             start_time=datetime.time(18, 45), frequency="monthly", week_of_month=-1),
        dict(time_zone="Europe/Berlin", first_date=datetime.date(2026, 1, 13),
             start_time=datetime.time(10, 0), frequency="rrule", rrule="FREQ=MONTHLY;BYDAY=2TU",
             last_date=datetime.date(2027, 6, 8)),
        dict(time_zone="America/New_York", first_date=datetime.date(2026, 7, 15),
             start_time=datetime.time(10, 0), frequency="once"),
    ]
    for number, case in enumerate(cases):
        meeting = MeetingFactory(slug=f"zones-{number}", title=f"{case['time_zone']} {number}")
        ScheduleFactory(meeting=meeting, **case)
    cancelled = ScheduleFactory(
        meeting=MeetingFactory(slug="one-off", is_private=True),
        time_zone="Asia/Kathmandu",
        first_date=datetime.date(2026, 9, 9),
        start_time=datetime.time(7, 0),
        frequency="once",
    )
    OccurrenceFactory(schedule=cancelled, status="cancelled", reason="No quorum")


def site_instants(domain: str = "agora.local") -> Instants:
    schedules = Schedule.objects.select_related("meeting__group").prefetch_related("occurrences")
    return {
        (f"{slot.schedule.uid}@{domain}", slot.start)
        for slot in slots_between(schedules, FROM, TO)
        if not slot.is_cancelled and FROM <= slot.start < TO
    }


def in_window(pairs) -> Instants:
    return {(uid, start) for uid, start in pairs if FROM <= start < TO}


def read_with_recurring_ical_events(feed: bytes, path: Path) -> Instants:
    calendar = icalendar.Calendar.from_ical(feed)
    events = recurring_ical_events.of(calendar).between(FROM - MARGIN, TO + MARGIN)
    return in_window(
        (str(event["UID"]), event["DTSTART"].dt.astimezone(UTC))
        for event in events
        if event.get("STATUS") != "CANCELLED"
    )


def read_with_ical_js(feed: bytes, path: Path) -> Instants:
    if not NODE or not (INTEROP / "node_modules" / "ical.js").is_dir():
        pytest.skip("ical.js needs node and `npm ci --prefix tests/interop`")
    ics = path / "feed.ics"
    ics.write_bytes(feed)
    output = subprocess.run(
        [NODE, INTEROP / "expand.mjs", ics, (FROM - MARGIN).isoformat(), (TO + MARGIN).isoformat()],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    rows = [json.loads(line) for line in output.splitlines()]
    return in_window(
        (row["uid"], datetime.datetime.fromisoformat(row["start"]))
        for row in rows
        if row["status"] != "CANCELLED"
    )


def read_with_khal(feed: bytes, path: Path) -> Instants:
    if not KHAL:
        pytest.skip("khal is not installed (Debian package khal)")
    vdir = path / "vdir"
    vdir.mkdir(parents=True)
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
            KHAL, "-c", config, "list", "--day-format", "",
            "--format", "{uid}|{start-long}|{status}",
            f"{FROM - MARGIN:%Y-%m-%d}", f"{TO + MARGIN:%Y-%m-%d}",
        ],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    rows = [line.split("|") for line in output.splitlines() if line.strip()]
    return in_window(
        (uid, datetime.datetime.strptime(start, "%Y-%m-%dT%H:%M:%S%z"))
        for uid, start, status in rows
        if status.strip() != "CANCELLED"
    )


READERS = [read_with_ical_js, read_with_recurring_ical_events, read_with_khal]


@pytest.mark.parametrize("reader", READERS, ids=["ical.js", "recurring-ical-events", "khal"])
def test_readers_agree_with_the_site(reader, community_forum, zone_meetings, tmp_path):
    from meetings.ical import build_feed

    schedules = Schedule.objects.select_related("meeting__group").prefetch_related(
        "occurrences__agenda_items__presenter"
    )
    feed = build_feed(schedules, name="t", base_url="https://x", now=FROM).to_ical()
    (tmp_path / "feed.ics").write_bytes(feed)
    expected = site_instants()
    got = reader(feed, tmp_path)
    missing = sorted(expected - got, key=lambda p: p[1])
    extra = sorted(got - expected, key=lambda p: p[1])
    assert not missing and not extra, f"missing {missing[:10]}\nextra {extra[:10]}"
