"""Reads shared by meeting pages, the admin and the API, each with a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from common import freshness
from governance.models import Group, Person, Role
from meetings import fairness, privacy, recurrence, zones
from meetings.models import AgendaItem, Meeting, Occurrence, Schedule
from meetings.recurrence import Slot

UTC = datetime.UTC
# Past occurrences older than this are listed only when something was recorded about them.
RECENT_PAST = datetime.timedelta(weeks=6)
PAST_WINDOW = datetime.timedelta(days=366)


def listing_zone() -> ZoneInfo:
    """The zone whose calendar days list pages group occurrences by unless the reader chooses
    another: the site's default display zone, the first of settings.AGORA_DISPLAY_ZONES."""
    return ZoneInfo(settings.AGORA_DISPLAY_ZONES[0])


def slot_lines(slot: Slot, lead: str = "") -> list[zones.ZoneLine]:
    """The occurrence in its home zone, the site's display zones and the meeting's own; led by
    the `lead` zone when given (the zone of a list's days)."""
    return zones.zone_lines(
        slot.start, slot.end, slot.schedule.time_zone, slot.meeting.display_zones, lead=lead
    )


def planned_lines(slot: Slot) -> list[zones.ZoneLine]:
    """For a moved occurrence: when the schedule had it, in the same zones."""
    schedule = slot.schedule
    start = recurrence.to_instant(
        datetime.datetime.combine(slot.original_date, schedule.start_time),
        ZoneInfo(schedule.time_zone),
    )
    return zones.zone_lines(
        start, start + schedule.duration, schedule.time_zone, slot.meeting.display_zones
    )


def _schedules(meetings: QuerySet[Meeting] | None = None) -> QuerySet[Schedule]:
    """Confirmed schedules with their meeting, group and occurrence records in two queries."""
    schedules = Schedule.objects.confirmed().select_related("meeting__group")
    if meetings is not None:
        schedules = schedules.filter(meeting__in=meetings)
    return schedules.prefetch_related("occurrences")


def filtered_meetings(group: Group | None, kind: str) -> QuerySet[Meeting]:
    """The meetings of the list page's filters."""
    meetings = Meeting.objects.all()
    if group is not None:
        meetings = meetings.filter(group=group)
    if kind:
        meetings = meetings.filter(kind=kind)
    return meetings


def filter_groups() -> QuerySet[Group]:
    """The groups that have meetings: the choices of the list page's group filter."""
    return Group.objects.filter(meetings__isnull=False).distinct().order_by("name")


def upcoming_slots(
    *,
    zone: ZoneInfo,
    group: Group | None = None,
    kind: str = "",
    start: datetime.date | None = None,
    weeks: int = 2,
    now: datetime.datetime | None = None,
) -> list[Slot]:
    """Occurrences of the `weeks` from day `start` (today) in `zone`, by start: from its first
    midnight or from now (including one in progress), whichever is later."""
    now = now or timezone.now()
    first = start or now.astimezone(zone).date()
    begin = max(now, datetime.datetime.combine(first, datetime.time(), zone))
    end = datetime.datetime.combine(first + datetime.timedelta(weeks=weeks), datetime.time(), zone)
    schedules = _schedules(filtered_meetings(group, kind))
    return recurrence.slots_between(schedules, begin, end)


def slots_in_range(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    group: Iterable[Group] = (),
    meeting: Iterable[Meeting] = (),
) -> list[Slot]:
    """Occurrences in [start, end), of the given groups' and meetings' schedules if any."""
    meetings = Meeting.objects.all()
    if group:
        meetings = meetings.filter(group__in=group)
    if meeting:
        meetings = meetings.filter(pk__in=[row.pk for row in meeting])
    return recurrence.slots_between(_schedules(meetings), start, end)


def by_day(slots: Iterable[Slot], zone: ZoneInfo) -> list[tuple[datetime.date, list[Slot]]]:
    """Slots (sorted by start) grouped by their calendar day in `zone`."""
    return [
        (day, list(day_slots))
        for day, day_slots in groupby(slots, key=lambda slot: slot.start.astimezone(zone).date())
    ]


@dataclass(frozen=True)
class GridDay:
    """One day cell of the month view."""

    date: datetime.date
    in_month: bool
    is_today: bool
    slots: list[Slot]


@dataclass(frozen=True)
class MonthGrid:
    """A month as weeks of days (Monday first), with its occurrences on their days in a zone."""

    month: datetime.date
    weeks: list[list[GridDay]]
    previous: datetime.date
    next: datetime.date
    count: int
    today: datetime.date


def month_grid(
    *, month: datetime.date, zone: ZoneInfo, group: Group | None = None, kind: str = ""
) -> MonthGrid:
    """The month containing `month`, every occurrence placed on its day in `zone`, and today
    marked as it is in `zone`."""
    first = month.replace(day=1)
    days = [
        day
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
        for day in week
    ]
    start = datetime.datetime.combine(days[0], datetime.time.min, zone)
    end = datetime.datetime.combine(days[-1] + datetime.timedelta(days=1), datetime.time.min, zone)
    slots = recurrence.slots_between(_schedules(filtered_meetings(group, kind)), start, end)
    on_day = dict(by_day(slots, zone))
    today = timezone.now().astimezone(zone).date()
    cells = [
        GridDay(day, day.month == first.month, day == today, on_day.get(day, [])) for day in days
    ]
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return MonthGrid(
        month=first,
        weeks=[cells[index : index + 7] for index in range(0, len(cells), 7)],
        previous=(first - datetime.timedelta(days=1)).replace(day=1),
        next=last + datetime.timedelta(days=1),
        count=sum(1 for slot in slots if slot.start.astimezone(zone).month == first.month),
        today=today,
    )


def _meeting_queryset() -> QuerySet[Meeting]:
    records = Occurrence.objects.annotate(agenda_count=Count("agenda_items"))
    return Meeting.objects.select_related("group", "subproject").prefetch_related(
        Prefetch(
            "schedules",
            queryset=Schedule.objects.order_by(F("first_date").asc(nulls_last=True), "start_time"),
        ),
        Prefetch("schedules__occurrences", queryset=records),
    )


@dataclass(frozen=True)
class MeetingDetail:
    """A meeting page: its schedules, the next occurrences and the past ones worth a look."""

    meeting: Meeting
    schedules: list[Schedule]
    upcoming: list[Slot]
    past: list[Slot]

    @property
    def unconfirmed(self) -> list[Schedule]:
        return [schedule for schedule in self.schedules if not schedule.is_confirmed]


def _has_record_content(slot: Slot) -> bool:
    record = slot.record
    return bool(
        record
        and (
            record.minutes
            or record.recording_url
            or getattr(record, "agenda_count", 0)
            or record.is_cancelled_or_moved
        )
    )


def meeting_detail(
    *, slug: str, upcoming_count: int = 6, now: datetime.datetime | None = None
) -> MeetingDetail | None:
    """The meeting, its next `upcoming_count` occurrences, the past weeks' occurrences and
    older ones with minutes, recordings, agendas or a cancellation (newest first); None when
    there is no meeting `slug`."""
    now = now or timezone.now()
    meeting = _meeting_queryset().filter(slug=slug).first()
    if meeting is None:
        return None
    schedules = list(meeting.schedules.all())
    confirmed = [schedule for schedule in schedules if schedule.is_confirmed]
    upcoming = _next_slots(confirmed, now, upcoming_count)
    past = [
        slot
        for slot in recurrence.slots_between(confirmed, now - PAST_WINDOW, now)
        if slot.end <= now and (slot.start >= now - RECENT_PAST or _has_record_content(slot))
    ]
    return MeetingDetail(meeting, schedules, upcoming, past[::-1])


def _next_slots(schedules: list[Schedule], now: datetime.datetime, count: int) -> list[Slot]:
    """The next `count` occurrences, looking further ahead only for rare schedules."""
    slots: list[Slot] = []
    for weeks in (9, 27, 106):
        slots = recurrence.slots_between(schedules, now, now + datetime.timedelta(weeks=weeks))
        if len(slots) >= count:
            break
    return slots[:count]


@dataclass(frozen=True)
class OccurrenceDetail:
    """One date of a meeting: the occurrences that take place on it, those moved from it to
    another date, or the dates near it if neither."""

    meeting: Meeting
    date: datetime.date
    slots: list[Slot]
    nearby: list[datetime.date] = field(default_factory=list)
    previous_date: datetime.date | None = None
    next_date: datetime.date | None = None
    moved_away: list[Slot] = field(default_factory=list)

    @property
    def addressed(self) -> list[Slot]:
        """The occurrences whose address is this date (their original one), moved or not."""
        return [slot for slot in [*self.slots, *self.moved_away] if slot.original_date == self.date]


def occurrence_detail(*, slug: str, day: datetime.date) -> OccurrenceDetail | None:
    """The occurrences of the meeting on local date `day` (with agenda items): those its
    schedules give on `day` and those moved onto it from another date; those moved from `day`
    to another date; the meeting's previous and next dates. Empty `slots` and `moved_away`:
    no occurrence on `day`. None when there is no meeting `slug`."""
    records = Occurrence.objects.prefetch_related("agenda_items__presenter")
    meeting = (
        Meeting.objects.select_related("group")
        .prefetch_related(
            Prefetch("schedules", queryset=Schedule.objects.confirmed()),
            Prefetch("schedules__occurrences", queryset=records),
        )
        .filter(slug=slug)
        .first()
    )
    if meeting is None:
        return None
    schedules = list(meeting.schedules.all())
    given = [slot for schedule in schedules if (slot := recurrence.slot_on(schedule, day))]
    moved_away = [slot for slot in given if slot.is_moved and slot.local_date != day]
    slots = [slot for slot in given if slot not in moved_away] + [
        slot for schedule in schedules for slot in recurrence.slots_moved_to(schedule, day)
    ]
    midnight = datetime.datetime.combine(day, datetime.time.min)
    tomorrow = midnight + datetime.timedelta(days=1)
    before = [
        moment
        for schedule in schedules
        if (moment := recurrence.previous_start(schedule, midnight))
    ]
    after = [
        moment
        for schedule in schedules
        if (moment := recurrence.rule_near(schedule, tomorrow).after(tomorrow, inc=True))
    ]
    nearby = (
        []
        if given or slots
        else sorted({d for schedule in schedules for d in recurrence.nearby_dates(schedule, day)})
    )
    return OccurrenceDetail(
        meeting=meeting,
        date=day,
        slots=sorted(slots, key=lambda slot: slot.start),
        nearby=nearby,
        previous_date=max(before).date() if before else None,
        next_date=min(after).date() if after else None,
        moved_away=moved_away,
    )


@dataclass(frozen=True)
class SchedulePreview:
    """A schedule as edited, before it is saved: its next occurrences, and the coming ones
    with an agenda or minutes that the change would move (when they were, when they would be:
    None where the schedule would no longer give the date)."""

    slots: list[Slot]
    moved: list[tuple[Slot, Slot | None]]


def schedule_preview(
    *, schedule: Schedule, count: int = 6, now: datetime.datetime | None = None
) -> SchedulePreview:
    """The preview of `schedule` carrying unsaved changes (or not yet stored)."""
    now = now or timezone.now()
    slots = _next_slots([schedule], now, count) if schedule.is_confirmed else []
    moved: list[tuple[Slot, Slot | None]] = []
    if schedule.pk:
        stored = Schedule.objects.select_related("meeting").get(pk=schedule.pk)
        records = (
            stored.occurrences.filter(original_date__gte=(now - datetime.timedelta(days=1)).date())
            .filter(Q(agenda_items__isnull=False) | ~Q(minutes=""))
            .distinct()
            .order_by("original_date")
        )
        for record in records:
            before = recurrence.slot_on(stored, record.original_date)
            after = recurrence.slot_on(schedule, record.original_date)
            if before and (after is None or (after.start, after.end) != (before.start, before.end)):
                moved.append((before, after))
    return SchedulePreview(slots, moved)


# Windows, in days, in which the home page looks for its next occurrences, narrowest first.
NEXT_MEETINGS_WINDOWS = (1, 3, 7)
NEXT_MEETINGS_KEY = "meetings:next:{version}:{limit}:{days}"


def next_meetings(
    *, limit: int = 8, days: int = 14, now: datetime.datetime | None = None
) -> list[Slot]:
    """The next `limit` occurrences of all meetings within `days`, for the home page; cancelled
    ones included so readers learn of the cancellation.

    Cached under the data version (common.freshness) until the first of them ends (when the
    list changes), so the page costs the same however many schedules there are.
    """
    if now is not None:
        return _next_meetings(limit, days, now)
    now = timezone.now()
    key = NEXT_MEETINGS_KEY.format(version=freshness.current(), limit=limit, days=days)
    cached = cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    slots = _next_meetings(limit, days, now)
    # Full, the list changes when its first occurrence ends; short, also when a new one enters
    # the window.
    until = min([slot.end for slot in slots] or [now + datetime.timedelta(days=days)])
    if len(slots) < limit:
        until = min(until, now + datetime.timedelta(seconds=freshness.CACHE_SECONDS))
    seconds = int((until - now).total_seconds())
    cache.set(key, (until, slots), timeout=max(1, min(freshness.CACHE_SECONDS, seconds)))
    return slots


def _next_meetings(limit: int, days: int, now: datetime.datetime) -> list[Slot]:
    schedules = list(_schedules())
    slots: list[Slot] = []
    # The first `limit` of a narrow window are the first of any wider one: look no further.
    for window in [*(w for w in NEXT_MEETINGS_WINDOWS if w < days), days]:
        slots = recurrence.slots_between(schedules, now, now + datetime.timedelta(days=window))
        if len(slots) >= limit:
            break
    return slots[:limit]


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting as a group or person page lists it: its schedules and next occurrences."""

    meeting: Meeting
    schedules: list[Schedule]
    next_slots: list[Slot]


def _summaries(meetings: QuerySet[Meeting], now: datetime.datetime | None, count: int):
    now = now or timezone.now()
    # Each occurrence record knows how many agenda items it has: what still needs an agenda.
    records = Occurrence.objects.annotate(agenda_count=Count("agenda_items"))
    meetings = meetings.select_related("group").prefetch_related(
        "schedules", Prefetch("schedules__occurrences", queryset=records)
    )
    summaries = []
    for meeting in meetings:
        schedules = list(meeting.schedules.all())
        confirmed = [schedule for schedule in schedules if schedule.is_confirmed]
        summaries.append(MeetingSummary(meeting, schedules, _next_slots(confirmed, now, count)))
    return summaries


def group_meetings(
    group: Group, *, count: int = 3, now: datetime.datetime | None = None
) -> list[MeetingSummary]:
    """The meetings of a group with their next `count` occurrences."""
    return _summaries(Meeting.objects.filter(group=group), now, count)


def person_meetings(
    person: Person, *, count: int = 2, now: datetime.datetime | None = None
) -> list[MeetingSummary]:
    """The meetings of the groups in which `person` holds a current role."""
    groups = Role.objects.current().filter(person=person).values("group_id")
    return _summaries(
        Meeting.objects.filter(group__in=groups).order_by("group__name", "title"), now, count
    )


def my_meetings(
    *,
    groups: Iterable[Group],
    meetings: Iterable[int],
    count: int = 3,
    now: datetime.datetime | None = None,
) -> list[MeetingSummary]:
    """The meetings of `groups` and those whose ids are in `meetings` (the ones someone
    organises), by group and title, with their next `count` occurrences."""
    chosen = Meeting.objects.filter(Q(group__in=list(groups)) | Q(pk__in=list(meetings)))
    return _summaries(chosen.order_by("group__name", "title"), now, count)


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    """The agenda items `user` may read: a private meeting's only for staff and the current
    leads of its group (meetings.privacy)."""
    return privacy.visible_agenda_items(AgendaItem.objects.all(), user)


def _link_target(link: str) -> str:
    """What a link points at, without its trailing slash; a page of this site (a host
    ALLOWED_HOSTS accepts, any scheme and port) as its path alone."""
    parts = urlsplit(link)
    host, _port = split_domain_port(parts.netloc)
    if parts.scheme in ("http", "https") and validate_host(host, settings.ALLOWED_HOSTS):
        link = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return link.rstrip("/")


def agenda_items_linking(*, targets: Iterable[str], user) -> list[AgendaItem]:
    """The agenda items `user` may read whose link points at one of `targets`, newest
    occurrence first, each with its occurrence, meeting, group and presenter. A target that is
    a path ("/enhancements/3299/") is a page of this site, linked with or without the site's
    scheme and host; any target is linked with or without its trailing slash."""
    wanted = {target.rstrip("/") for target in targets if target.strip("/")}
    if not wanted:
        return []
    candidates = Q()
    for target in wanted:
        candidates |= Q(link__endswith=target) | Q(link__endswith=f"{target}/")
    items = (
        agenda_items_visible_to(user)
        .filter(candidates)
        .select_related("presenter", "occurrence__schedule__meeting__group")
        .order_by(
            "-occurrence__original_date", "occurrence__schedule__meeting__title", "order", "pk"
        )
    )
    return [item for item in items if _link_target(item.link) in wanted]


# -- Who meets at night (meetings.fairness) ---------------------------------------------------


def night_rule() -> fairness.NightRule:
    return fairness.NightRule.parse(settings.AGORA_NIGHT, settings.AGORA_WEEKEND)


def member_zones(group: Group) -> tuple[dict[str, int], int]:
    """The group's members (everyone holding a current role in it) counted per zone, and how
    many of them have no zone: one query."""
    people = (
        Person.objects.filter(roles__in=Role.objects.current().filter(group=group))
        .values_list("pk", "time_zone")
        .distinct()
    )
    counted = Counter(zone for _, zone in people)
    unknown = counted.pop("", 0)
    return dict(sorted(counted.items())), unknown


@dataclass(frozen=True)
class MeetingTimes:
    """The burden of some meetings' next `weeks` weeks on their group's member zones."""

    group: Group
    weeks: int
    burden: fairness.Burden


def meeting_times(
    group: Group,
    schedules: Iterable[Schedule],
    *,
    weeks: int,
    now: datetime.datetime | None = None,
    name_meetings: bool = False,
) -> MeetingTimes:
    """The occurrences of `schedules` (with their occurrences prefetched) that are not
    cancelled over the next `weeks` weeks, on the clocks of `group`'s members; each schedule
    a part of the rotation, named by its meeting too when `name_meetings`."""
    now = now or timezone.now()
    confirmed = [schedule for schedule in schedules if schedule.is_confirmed]
    slots = recurrence.slots_between(confirmed, now, now + datetime.timedelta(weeks=weeks))

    def part(schedule: Schedule) -> str:
        described = schedule.describe()
        return f"{schedule.meeting.title}: {described}" if name_meetings else described

    sittings = [
        fairness.Sitting(slot.start, slot.end, part(slot.schedule))
        for slot in slots
        if not slot.is_cancelled
    ]
    zones_counted, unknown = member_zones(group)
    burden = fairness.burden(sittings, zones_counted, rule=night_rule(), unknown=unknown)
    return MeetingTimes(group, weeks, burden)


def group_meeting_times(
    group: Group, *, weeks: int, now: datetime.datetime | None = None
) -> MeetingTimes:
    """All of the group's meetings: three queries."""
    schedules = (
        Schedule.objects.confirmed()
        .filter(meeting__group=group)
        .select_related("meeting")
        .prefetch_related("occurrences")
        .order_by("meeting__title", "first_date", "start_time")
    )
    return meeting_times(group, schedules, weeks=weeks, now=now, name_meetings=True)


@dataclass(frozen=True)
class SlotSearch:
    """Slot candidates for a group's members: weekly ones and alternating pairs, best first."""

    group: Group
    zone: str
    weekday: int
    first: datetime.date
    minutes: int
    weeks: int
    members: int
    unknown: int
    rule: fairness.NightRule
    weekly: list[fairness.Candidate]
    alternating: list[fairness.Candidate]


def default_search_zone(group: Group) -> str:
    """The home zone of the group's first meeting, else UTC."""
    schedule = (
        Schedule.objects.filter(meeting__group=group)
        .order_by("meeting__title", "first_date")
        .only("time_zone")
        .first()
    )
    return schedule.time_zone if schedule else "UTC"


def slot_search(
    group: Group,
    *,
    zone: str,
    weekday: int,
    minutes: int,
    weeks: int,
    now: datetime.datetime | None = None,
) -> SlotSearch:
    """Candidates on `weekday` in `zone` from the next such day on, for `weeks` weeks."""
    today = (now or timezone.now()).astimezone(ZoneInfo(zone)).date()
    first = today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    zones_counted, unknown = member_zones(group)
    rule = night_rule()
    weekly, alternating = fairness.suggestions(
        zones_counted,
        first=first,
        zone=zone,
        minutes=minutes,
        weeks=weeks,
        rule=rule,
        unknown=unknown,
    )
    members = sum(zones_counted.values())
    return SlotSearch(
        group, zone, weekday, first, minutes, weeks, members, unknown, rule, weekly, alternating
    )


def candidate_lines(
    search: SlotSearch, candidate: fairness.Candidate
) -> list[list[zones.ZoneLine]]:
    """Each start of `candidate` on its first day, in the display zones (the search zone's
    first, then the site's and the members')."""
    length = datetime.timedelta(minutes=search.minutes)
    member_zones_seen = [time.zone for time in candidate.burden.occurrences[0].times]
    lines = []
    for week in range(len(candidate.starts)):
        moment = candidate.burden.occurrences[week].sitting.start
        lines.append(zones.zone_lines(moment, moment + length, search.zone, member_zones_seen))
    return lines
