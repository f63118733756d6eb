"""iCalendar (RFC 5545) feeds of meetings, built from model data alone.

Each confirmed schedule is one VEVENT in its home zone's wall-clock time with an RRULE; a
cancelled occurrence is a RECURRENCE-ID override with STATUS:CANCELLED and its reason, a moved
one or one with an agenda is a RECURRENCE-ID override that says where it moved from, and every
zone used has a VTIMEZONE generated from tzdata. A schedule that starts in a DST gap lists its
instants in UTC instead (see ClockChanges.has_gap), and its moved, annotated or cancelled
occurrences are VEVENTs of their own. Calendar readers then expand the feed to the same instants
as meetings.recurrence does, a cancelled one marked so. `alarms` adds a VALARM to every event.

A feed is written as its header, its VTIMEZONEs and each schedule's events (schedule_ical), the
same bytes as one calendar written at once: meetings.feeds keeps each schedule's part.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import icalendar
from django.urls import reverse

from meetings import privacy, recurrence, zones
from meetings.models import Meeting, Occurrence, OccurrenceStatus, Schedule
from meetings.recurrence import Frequency, Slot

UTC = datetime.UTC
PRODID = "-//Agora//Meetings//EN"
DEFAULT_DOMAIN = "agora.local"
# How often subscribers should fetch the feed again (RFC 7986, and the older X- spelling).
REFRESH_INTERVAL = datetime.timedelta(hours=1)
# VTIMEZONEs cover from the earliest first date to at least this date (the 32-bit time limit).
ZONE_HORIZON = datetime.date(2038, 1, 1)
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
END = b"END:VCALENDAR\r\n"
# VTIMEZONEs kept written per process: each zone and range in use is written once.
VTIMEZONES_KEPT = 1024


# -- VTIMEZONE from tzdata -------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """A change of a zone's UTC offset or name: its instant and the observance it starts."""

    at: datetime.datetime
    offset_from: datetime.timedelta
    offset_to: datetime.timedelta
    name: str
    is_dst: bool

    @property
    def local_onset(self) -> datetime.datetime:
        # RFC 5545 3.6.5: an onset is local time in the offset used before it (TZOFFSETFROM).
        return (self.at + self.offset_from).replace(tzinfo=None)


def _state(zone: ZoneInfo, instant: datetime.datetime) -> tuple[datetime.timedelta, str, bool]:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.tzname() or "", bool(local.dst())


@cache
def zone_transitions(
    name: str, first: datetime.date, last: datetime.date
) -> tuple[Transition, ...]:
    """The zone's transitions from `first` to `last`, found in tzdata day by day, to the second."""
    zone = ZoneInfo(name)
    moment = datetime.datetime.combine(first, datetime.time.min, UTC) - DAY
    end = datetime.datetime.combine(last, datetime.time.min, UTC)
    state = _state(zone, moment)
    transitions = []
    while moment < end:
        following = moment + DAY
        if _state(zone, following) != state:
            low, high = moment, following
            while high - low > SECOND:
                middle = low + datetime.timedelta(seconds=(high - low).total_seconds() // 2)
                low, high = (middle, high) if _state(zone, middle) == state else (low, middle)
            offset, tzname, is_dst = _state(zone, high)
            transitions.append(Transition(high, state[0], offset, tzname or name, is_dst))
            state = _state(zone, high)
        moment = following
    return tuple(t for t in transitions if t.local_onset.date() >= first)


def vtimezone(name: str, first: datetime.date, last: datetime.date) -> icalendar.Timezone:
    """A VTIMEZONE for `name`, exact from `first` to `last`: one observance per offset change."""
    zone = ZoneInfo(name)
    begin = datetime.datetime.combine(first, datetime.time.min)
    offset, tzname, is_dst = _state(zone, begin.replace(tzinfo=zone))
    observances = {(offset, offset, tzname or name, is_dst): [begin]}
    for transition in zone_transitions(name, first, last):
        key = (transition.offset_from, transition.offset_to, transition.name, transition.is_dst)
        observances.setdefault(key, []).append(transition.local_onset)
    component = icalendar.Timezone()
    component.add("tzid", name)
    for (offset_from, offset_to, tzname, is_dst), onsets in observances.items():
        observance = icalendar.TimezoneDaylight() if is_dst else icalendar.TimezoneStandard()
        observance.add("dtstart", onsets[0])
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        observance.add("tzname", tzname)
        if len(onsets) > 1:
            # ical.js reads one value per RDATE and skips DTSTART once RDATEs exist
            # (Timezone._expandComponent): one RDATE per onset, DTSTART's included.
            for onset in onsets:
                observance.add("rdate", onset)
        component.add_component(observance)
    return component


@lru_cache(maxsize=VTIMEZONES_KEPT)
def vtimezone_ical(name: str, first: datetime.date, last: datetime.date) -> bytes:
    """vtimezone(name, first, last) written: the same bytes in every feed of the process."""
    return vtimezone(name, first, last).to_ical()


def zone_range_of(dates: Iterable[datetime.date]) -> tuple[datetime.date, datetime.date]:
    """The dates the VTIMEZONEs of a feed cover, given its schedules' first and last dates and
    the dates its occurrences moved to."""
    dates = list(dates)
    # From a year before: an instant early on the first date can be the day before in UTC.
    first = datetime.date(min(dates).year - 1, 1, 1) if dates else ZONE_HORIZON
    last = max(ZONE_HORIZON, datetime.date(max(dates).year + 2, 1, 1)) if dates else ZONE_HORIZON
    return first, last


def _zone_range(schedules: list[Schedule]) -> tuple[datetime.date, datetime.date]:
    return zone_range_of(
        [
            *(schedule.first_date for schedule in schedules),
            *(schedule.last_date for schedule in schedules if schedule.last_date),
            *(
                record.moved_start.date()
                for schedule in schedules
                for record in schedule.occurrences.all()
                if record.moved_start
            ),
        ]
    )


def calendar_ical(header: icalendar.Calendar, components: Iterable[bytes]) -> bytes:
    """The calendar of `header`'s properties around the components' written bytes: what
    adding each component to `header` and writing it gives."""
    return b"".join([header.to_ical().removesuffix(END), *components, END])


# -- VEVENTs ----------------------------------------------------------------------------------


class ElapsedDuration(icalendar.vDuration):
    """A length in hours and minutes: RFC 5545 reads "P1D" as a calendar day, which a change of
    clocks makes 23 or 25 hours long."""

    def to_ical(self) -> bytes:
        hours, minutes = divmod(int(self.td.total_seconds()) // 60, 60)
        return ("PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")).encode()


def meeting_url(base_url: str, meeting: Meeting, day: datetime.date | None = None) -> str:
    if day is None:
        path = reverse("meetings:meeting-detail", kwargs={"slug": meeting.slug})
    else:
        path = reverse("meetings:occurrence-detail", kwargs={"slug": meeting.slug, "day": day})
    return base_url.rstrip("/") + path


def _wall_time(schedule: Schedule, day: datetime.date) -> datetime.datetime:
    """An occurrence's local start as the feed writes it: TZID and wall-clock time."""
    return datetime.datetime.combine(day, schedule.start_time, ZoneInfo(schedule.time_zone))


def is_unclear(wall: datetime.datetime) -> bool:
    """Whether an aware wall-clock time falls in its zone's DST gap or overlap."""
    return wall.replace(fold=0).utcoffset() != wall.replace(fold=1).utcoffset()


def _instant_in_zone(instant: datetime.datetime, zone_name: str) -> datetime.datetime:
    """`instant` in wall-clock time of the zone, or in UTC where that wall time is ambiguous."""
    local = instant.astimezone(ZoneInfo(zone_name))
    return instant.astimezone(UTC) if is_unclear(local) else local.replace(fold=0)


@dataclass(frozen=True)
class ClockChanges:
    """A schedule's occurrence dates on which its clocks change, from the rule alone."""

    # The local start is in a DST gap or overlap: RFC 5545 reads it as the engine does (gap:
    # shifted forward, overlap: the first instant), but ical.js maps both to the offset after
    # the change, khal and libical take an overlap's second instant.
    unclear_starts: frozenset[datetime.date]
    # The clocks change during the meeting, or it ends in a gap or overlap. A meeting lasts its
    # minutes whatever the clocks do (an hour's call is an hour on a DST night), as the site
    # counts it; readers add DURATION on the wall clock, so these get an explicit DTEND.
    spanning: frozenset[datetime.date]
    # A start in a gap: libical then keeps the shifted time for the next occurrence too and
    # misses the day's RECURRENCE-ID and EXDATE, so such a schedule lists its dates as RDATEs.
    # Home Assistant's `ical` (14.3) never matches a RECURRENCE-ID written in UTC, and khal none
    # written TZID=UTC, so a listed schedule's moved or annotated occurrence is an event of its
    # own (occurrence_uid), left out of the list.
    has_gap: bool


# What clock_changes found per rule and zone range: the same in every render of a process, so a
# change re-reads only the schedules it touched.
_CLOCK_CHANGES: dict[tuple, ClockChanges] = {}
CLOCK_CHANGES_KEPT = 10_000


def clock_changes(
    schedule: Schedule, zone_range: tuple[datetime.date, datetime.date]
) -> ClockChanges:
    """The dates up to the feed's zone horizon on which the schedule's occurrences meet a clock
    change."""
    key = (
        schedule.time_zone,
        schedule.frequency,
        schedule.interval,
        schedule.week_of_month,
        schedule.rrule,
        schedule.first_date,
        schedule.start_time,
        schedule.duration_minutes,
        schedule.last_date,
        zone_range,
    )
    if key not in _CLOCK_CHANGES:
        if len(_CLOCK_CHANGES) >= CLOCK_CHANGES_KEPT:
            _CLOCK_CHANGES.clear()
        _CLOCK_CHANGES[key] = _clock_changes(schedule, zone_range)
    return _CLOCK_CHANGES[key]


def _clock_changes(
    schedule: Schedule, zone_range: tuple[datetime.date, datetime.date]
) -> ClockChanges:
    zone = ZoneInfo(schedule.time_zone)
    unclear, spanning, has_gap = set(), set(), False
    # An occurrence (a day long at most) meets a change only from two days before its date.
    near = {
        transition.local_onset.date() + datetime.timedelta(days=days)
        for transition in zone_transitions(schedule.time_zone, *zone_range)
        for days in range(-2, 2)
    }
    if near:
        for local in _rule_starts(schedule, schedule.first_date, zone_range[1]):
            if local.date() not in near:
                continue
            wall = local.replace(tzinfo=zone)
            start = recurrence.to_instant(local, zone)
            end = (start + schedule.duration).astimezone(zone)
            if is_unclear(wall):
                unclear.add(local.date())
                has_gap = has_gap or start.astimezone(zone).replace(tzinfo=None) != local
            if start.astimezone(zone).utcoffset() != end.utcoffset() or is_unclear(end):
                spanning.add(local.date())
    return ClockChanges(frozenset(unclear), frozenset(spanning), has_gap)


def _rule_starts(
    schedule: Schedule, first: datetime.date, last: datetime.date
) -> list[datetime.datetime]:
    """The naive local starts the schedule's rule gives from `first` to `last`."""
    return recurrence.build_rrule(schedule).between(
        datetime.datetime.combine(first, datetime.time.min),
        datetime.datetime.combine(last, datetime.time.max),
        inc=True,
    )


def recurrence_rule(schedule: Schedule) -> icalendar.vRecur | None:
    """The schedule's RRULE anchored on DTSTART (its first date); None for a one-off."""
    if schedule.frequency == Frequency.ONCE:
        return None
    if schedule.frequency == Frequency.RRULE:
        rule = icalendar.vRecur.from_ical(schedule.rrule.strip().removeprefix("RRULE:"))
    else:
        rule = icalendar.vRecur(
            FREQ="WEEKLY" if schedule.frequency == Frequency.WEEKLY else "MONTHLY"
        )
        if schedule.frequency == Frequency.MONTHLY:
            weekday = RRULE_DAYS[schedule.first_date.weekday()]
            rule["BYDAY"] = f"{schedule.week_of_month}{weekday}"
        if schedule.interval > 1:
            rule["INTERVAL"] = schedule.interval
    # The engine's own end (last date, or the rule's UNTIL), so both agree on the last occurrence.
    until = recurrence.build_rrule(schedule)._until
    if until is not None:
        # RFC 5545 3.3.10: with a TZID on DTSTART, UNTIL is a UTC date-time.
        instant = recurrence.to_instant(until, ZoneInfo(schedule.time_zone))
        rule["UNTIL"] = instant.replace(microsecond=0)
    return rule


def _occurrence_line(slot: Slot) -> str:
    meeting = slot.meeting
    lines = zones.summary(slot.start, slot.end, slot.schedule.time_zone, meeting.display_zones)
    return f"{slot.local_start:%A %Y-%m-%d}: {lines}"


def _clock_change_line(schedule: Schedule, slot: Slot) -> str:
    start = f"{schedule.start_time:%H:%M}"
    if slot.local_start.time() != schedule.start_time:
        return (
            f"{start} does not exist on this day in {schedule.time_zone} (clocks go forward): "
            f"the meeting starts at {slot.local_start:%H:%M %Z}."
        )
    return (
        f"{start} happens twice on this day in {schedule.time_zone} (clocks go back): "
        f"the meeting starts at the first, {slot.local_start:%H:%M %Z}."
    )


def _agenda_lines(record: Occurrence) -> list[str]:
    lines = []
    for number, item in enumerate(record.agenda_items.all(), start=1):
        details = [item.presenter_display]
        if item.minutes_allotted:
            details.append(f"{item.minutes_allotted} min")
        details = ", ".join(detail for detail in details if detail)
        lines.append(
            f"{number}. {item.title}"
            + (f" ({details})" if details else "")
            + (f" {item.link}" if item.link else "")
        )
    return ["Agenda:", *lines] if lines else []


def _links(meeting: Meeting) -> list[str]:
    """The join link and the agenda document: never for a private meeting."""
    if not privacy.shows_details(None, meeting):
        return []
    return [
        line
        for line in (
            meeting.join_url and f"Join: {meeting.join_url}",
            meeting.agenda_url and f"Agenda document: {meeting.agenda_url}",
        )
        if line
    ]


def organizer(meeting: Meeting, domain: str) -> icalendar.vCalAddress:
    """RFC 5546 wants an ORGANIZER with METHOD:PUBLISH: the group, at the site's address (no
    person's address is published)."""
    address = icalendar.vCalAddress(f"mailto:noreply@{domain}")
    address.params["CN"] = meeting.group.name
    return address


def _alarm(minutes: int, title: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", datetime.timedelta(minutes=-minutes))
    return alarm


def _event(
    schedule: Schedule,
    *,
    uid: str,
    domain: str,
    changed: datetime.datetime,
    alarms: tuple[int, ...] = (),
) -> icalendar.Event:
    meeting = schedule.meeting
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("organizer", organizer(meeting, domain))
    # DTSTAMP from the data, not the clock: the same data gives the same bytes and ETag.
    event.add("dtstamp", changed.astimezone(UTC))
    event.add("created", schedule.created_at.astimezone(UTC))
    event.add("last-modified", changed.astimezone(UTC))
    event.add("sequence", schedule.sequence)
    event.add("summary", meeting.title)
    if privacy.shows_details(None, meeting) and meeting.join_url:
        event.add("location", meeting.join_url)
    for minutes in alarms:
        event.add_component(_alarm(minutes, meeting.title))
    return event


def _changed(schedule: Schedule, records: Iterable[Occurrence]) -> datetime.datetime:
    return max([schedule.updated_at, schedule.meeting.updated_at, *(r.updated_at for r in records)])


def _overridden_days(
    schedule: Schedule, records: dict[datetime.date, Occurrence], changes: ClockChanges
) -> list[datetime.date]:
    """Dates that get an override (RECURRENCE-ID, or in a listed schedule an event of its own):
    cancelled, moved or annotated, or met by a clock change."""
    days = {
        day
        for day, record in records.items()
        if record.status in (OccurrenceStatus.MOVED, OccurrenceStatus.CANCELLED)
        or (
            record.status == OccurrenceStatus.SCHEDULED
            and privacy.shows_details(None, schedule.meeting)
            and record.agenda_items.all()
        )
    }
    if changes.has_gap:
        # Listed in UTC, every occurrence starts and ends right without an override.
        return sorted(days)
    return sorted(days | changes.unclear_starts | changes.spanning)


def _override(
    schedule: Schedule,
    day: datetime.date,
    record: Occurrence | None,
    *,
    uid: str,
    domain: str,
    base_url: str,
    unclear: bool,
    listed: bool,
    alarms: tuple[int, ...] = (),
) -> icalendar.Event:
    """The RECURRENCE-ID VEVENT of one cancelled, moved, annotated or clock-change occurrence;
    in a listed schedule, an event of its own instead."""
    meeting = schedule.meeting
    slot = recurrence.slot_on(schedule, day)
    changed = _changed(schedule, [record] if record else [])
    # A cancelled occurrence rings no alarm.
    alarms = () if slot.is_cancelled else alarms
    if listed:
        override = _event(
            schedule,
            uid=occurrence_uid(schedule, day, domain),
            domain=domain,
            changed=changed,
            alarms=alarms,
        )
    else:
        override = _event(schedule, uid=uid, domain=domain, changed=changed, alarms=alarms)
        override.add("recurrence-id", _occurrence_id(schedule, day, listed=False))
    override.add("dtstart", _instant_in_zone(slot.start, schedule.time_zone))
    override.add("dtend", _instant_in_zone(slot.end, schedule.time_zone))
    # The page of the day it takes place, which a move may have changed.
    page = meeting_url(base_url, meeting, slot.local_date)
    override.add("url", page)
    lines = []
    if slot.is_cancelled:
        override["SUMMARY"] = f"Cancelled: {meeting.title}"
        lines.append(f"Cancelled: {slot.reason}")
    elif slot.is_moved:
        original = _wall_time(schedule, day)
        lines.append(
            f"Moved from {original:%A %Y-%m-%d %H:%M} {schedule.time_zone}"
            + (f": {slot.reason}" if slot.reason else ".")
        )
    elif unclear:
        lines.append(_clock_change_line(schedule, slot))
    lines.append(_occurrence_line(slot))
    if record is not None and privacy.shows_details(None, meeting) and not slot.is_cancelled:
        lines += _agenda_lines(record)
    lines += [*([] if slot.is_cancelled else _links(meeting)), f"Occurrence page: {page}"]
    override.add("description", "\n".join(lines))
    override.add("status", "CANCELLED" if slot.is_cancelled else "CONFIRMED")
    return override


def _occurrence_id(schedule: Schedule, day: datetime.date, *, listed: bool) -> datetime.datetime:
    """How the feed names the rule's occurrence on `day`: its wall-clock start under an RRULE,
    where each reader maps an unclear one as it maps the rule's; listed in RDATE, its instant in
    UTC, DTSTART's too (libical reads an RDATE's TZID as UTC, and khal re-reads RDATEs in
    DTSTART's zone, taking an overlap's second instant)."""
    wall = _wall_time(schedule, day)
    if not listed:
        return wall
    return recurrence.to_instant(wall.replace(tzinfo=None), wall.tzinfo)


def occurrence_uid(schedule: Schedule, day: datetime.date, domain: str) -> str:
    """The UID of a listed schedule's occurrence written as an event of its own: the schedule's
    and its original date, so it stays the same however often the occurrence is moved."""
    return f"{schedule.uid}-{day:%Y%m%d}@{domain}"


def _one_off(
    schedule: Schedule, *, uid: str, domain: str, base_url: str, alarms: tuple[int, ...]
) -> icalendar.Event:
    """A schedule of frequency "once": one VEVENT at its (possibly moved) time."""
    meeting = schedule.meeting
    slot = recurrence.slot_on(schedule, schedule.first_date)
    changed = _changed(schedule, schedule.occurrences.all())
    alarms = () if slot.is_cancelled else alarms
    event = _event(schedule, uid=uid, domain=domain, changed=changed, alarms=alarms)
    event.add("dtstart", _instant_in_zone(slot.start, schedule.time_zone))
    event.add("duration", ElapsedDuration(slot.end - slot.start))
    event.add("url", meeting_url(base_url, meeting))
    lines = [schedule.describe()]
    if slot.is_cancelled:
        lines.append(f"Cancelled: {slot.reason}")
    elif slot.is_moved and slot.reason:
        lines.append(f"Moved: {slot.reason}")
    lines.append(_occurrence_line(slot))
    if slot.record is not None and privacy.shows_details(None, meeting):
        lines += _agenda_lines(slot.record)
    lines += [*_links(meeting), f"Meeting page: {meeting_url(base_url, meeting)}"]
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if slot.is_cancelled else "CONFIRMED")
    return event


def schedule_events(
    schedule: Schedule,
    *,
    base_url: str,
    domain: str,
    zone_range: tuple[datetime.date, datetime.date],
    alarms: tuple[int, ...] = (),
) -> list[icalendar.Event]:
    """The schedule's VEVENT and its overrides."""
    meeting = schedule.meeting
    uid = f"{schedule.uid}@{domain}"
    rule = recurrence_rule(schedule)
    if rule is None:
        return [_one_off(schedule, uid=uid, domain=domain, base_url=base_url, alarms=alarms)]

    # Only records on dates the schedule gives: one left outside by a later change (refused
    # now, yet stored before) must not break the feed.
    records = {
        record.original_date: record
        for record in schedule.occurrences.all()
        if recurrence.schedule_dates_on(schedule, record.original_date)
    }
    changes = clock_changes(schedule, zone_range)
    listed = changes.has_gap
    overridden = _overridden_days(schedule, records, changes)
    # Dates the listed master leaves out: those written as events of their own (cancelled ones
    # among them).
    left_out = set(overridden) if listed else set()
    master = _event(
        schedule,
        uid=uid,
        domain=domain,
        changed=_changed(schedule, records.values()),
        alarms=alarms,
    )
    master.add("dtstart", _occurrence_id(schedule, schedule.first_date, listed=listed))
    master.add("duration", ElapsedDuration(schedule.duration))
    if listed:
        # DTSTART through a rule of one (ical.js counts it only so, libical twice as an RDATE),
        # then every later date but cancelled ones, to the zones' horizon.
        master.add("rrule", icalendar.vRecur(FREQ="DAILY", COUNT=1))
        for local in _rule_starts(schedule, schedule.first_date, zone_range[1])[1:]:
            if local.date() not in left_out:
                master.add("rdate", _occurrence_id(schedule, local.date(), listed=True))
        if schedule.first_date in left_out:
            master.add("exdate", master["DTSTART"].dt)
    else:
        master.add("rrule", rule)
    master.add("url", meeting_url(base_url, meeting))
    lines = [
        schedule.describe(),
        *_links(meeting),
        f"Meeting page: {meeting_url(base_url, meeting)}",
    ]
    master.add("description", "\n".join(lines))
    master.add("status", "CONFIRMED")

    overrides = [
        _override(
            schedule,
            day,
            records.get(day),
            uid=uid,
            domain=domain,
            base_url=base_url,
            unclear=day in changes.unclear_starts,
            listed=listed,
            alarms=alarms,
        )
        for day in overridden
    ]
    return [master, *overrides]


def occurrence_calendar(
    slots: Iterable[Slot], *, base_url: str, domain: str = DEFAULT_DOMAIN
) -> bytes:
    """A calendar of single occurrences (the one-event download of an occurrence page): each an
    event of its own, UID'd by its schedule and original date as a listed schedule's are."""
    slots = list(slots)
    schedules = [slot.schedule for slot in slots]
    header = icalendar.Calendar()
    header.add("prodid", PRODID)
    header.add("version", "2.0")
    header.add("method", "PUBLISH")
    zone_range = _zone_range(schedules)
    zones = feed_zones(schedule.time_zone for schedule in schedules)
    events = (
        _override(
            slot.schedule,
            slot.original_date,
            slot.record,
            uid="",
            domain=domain,
            base_url=base_url,
            unclear=False,
            listed=True,
        ).to_ical()
        for slot in slots
    )
    return calendar_ical(header, [*(vtimezone_ical(zone, *zone_range) for zone in zones), *events])


def add_event_links(slot: Slot, *, page_url: str, join_url: str) -> dict[str, str]:
    """Links that open Google Calendar's and Outlook's new-event form filled with the
    occurrence: its title, UTC start and end, the page and the join link (when the reader may
    see it, else "")."""
    title = slot.meeting.title
    details = "\n".join(line for line in (join_url and f"Join: {join_url}", page_url) if line)
    start, end = slot.start.astimezone(UTC), slot.end.astimezone(UTC)
    google = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details,
        "location": join_url,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": details,
        "location": join_url,
    }
    return {
        "google": "https://calendar.google.com/calendar/render?" + urlencode(google),
        "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(outlook),
    }


def feed_header(name: str) -> icalendar.Calendar:
    """A feed's calendar properties: its name, and how often readers should fetch it again."""
    header = icalendar.Calendar()
    header.add("prodid", PRODID)
    header.add("version", "2.0")
    header.add("calscale", "GREGORIAN")
    header.add("method", "PUBLISH")
    header.add("name", name)
    header.add("x-wr-calname", name)
    header.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    header.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    return header


def feed_order(
    title: str,
    meeting_id: int,
    first_date: datetime.date,
    start_time: datetime.time,
    pk: int,
) -> tuple:
    """Where a schedule's events stand in a feed: by meeting title, then first date and time."""
    return title.casefold(), meeting_id, first_date, start_time, pk


def feed_zones(zones: Iterable[str]) -> list[str]:
    """The zones whose VTIMEZONEs a calendar of events in `zones` holds, in order."""
    # RFC 5545 3.6: a calendar holds at least one component; one with no meeting gets UTC's
    # VTIMEZONE, which every reader takes as an empty calendar.
    return sorted(set(zones)) or ["UTC"]


def feed_ical(name: str, vtimezones: Iterable[bytes], events: Iterable[bytes]) -> bytes:
    """A feed, from its VTIMEZONEs (vtimezone_ical of its feed_zones) and its schedules' events
    (schedule_ical, in feed_order), written."""
    return calendar_ical(feed_header(name), [*vtimezones, *events])


def schedule_ical(schedule: Schedule, **options: Any) -> bytes:
    """The schedule's events (schedule_events with `options`), written: its part of a feed."""
    return b"".join(event.to_ical() for event in schedule_events(schedule, **options))


def build_feed(
    schedules: Iterable[Schedule],
    *,
    name: str,
    base_url: str,
    domain: str = DEFAULT_DOMAIN,
    alarms: tuple[int, ...] = (),
) -> bytes:
    """The calendar of the confirmed schedules among `schedules` (prefetch their occurrences,
    agenda items and meetings), each event with an alarm `alarms` minutes before it."""
    confirmed = sorted(
        (schedule for schedule in schedules if schedule.is_confirmed),
        key=lambda s: feed_order(s.meeting.title, s.meeting_id, s.first_date, s.start_time, s.pk),
    )
    zone_range = _zone_range(confirmed)
    events = (
        schedule_ical(
            schedule, base_url=base_url, domain=domain, zone_range=zone_range, alarms=alarms
        )
        for schedule in confirmed
    )
    zones = feed_zones(schedule.time_zone for schedule in confirmed)
    return feed_ical(name, (vtimezone_ical(zone, *zone_range) for zone in zones), events)
