"""The time model: schedules repeat over local dates of a home zone; instants follow per occurrence.

A local time that does not exist (spring-forward gap) moves forward by the gap's length, and one
that exists twice (fall-back) takes the first instant, as RFC 5545 says: zoneinfo's fold=0
reading of a wall-clock time gives exactly that, so the page, the API and the feed agree.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import models

from common.query import in_window

if TYPE_CHECKING:
    from meetings.models import Meeting, Occurrence, Schedule

UTC = datetime.UTC
MAX_DURATION_MINUTES = 24 * 60
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


class Frequency(models.TextChoices):
    ONCE = "once", "Once"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly on a weekday"
    RRULE = "rrule", "Custom RFC 5545 rule"


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    MOVED = "moved", "Moved"


def week_of_month(day: datetime.date) -> int:
    """Which weekday of its month `day` is: 1 to 4, or -1 (last) from the 29th."""
    return WeekOfMonth.LAST if day.day > 28 else (day.day - 1) // 7 + 1


def to_instant(local: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    """The UTC instant of a naive wall-clock time in `zone`, read as RFC 5545 reads it."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _local_start(schedule: Schedule) -> datetime.datetime:
    return datetime.datetime.combine(schedule.first_date, schedule.start_time)


def parse_custom_rule(text: str, dtstart: datetime.datetime) -> rrule.rrule:
    """An RRULE value (without the "RRULE:" name) as a dateutil rule; ValueError if unreadable."""
    value = text.strip().removeprefix("RRULE:")
    if "DTSTART" in value.upper() or "\n" in value:
        raise ValueError("give only the RRULE value; the first date and start time are fields")
    if re.search(r"UNTIL=[0-9T]+Z", value, re.IGNORECASE):
        # The rule runs over local wall time: a UTC UNTIL would need a zone dateutil lacks here.
        raise ValueError("write UNTIL in local time (no Z), or leave it out and set the last date")
    rule = rrule.rrulestr(value, dtstart=dtstart)
    if not isinstance(rule, rrule.rrule):
        raise ValueError("give a single RRULE")
    return rule


def build_rrule(schedule: Schedule) -> rrule.rrule:
    """The schedule's recurrence over naive local start datetimes, anchored on its first date.

    Every-N-weeks rules count weeks from the first date (dateutil's interval), not ISO weeks.
    """
    start = _local_start(schedule)
    until = (
        datetime.datetime.combine(schedule.last_date, datetime.time.max)
        if schedule.last_date
        else None
    )
    if schedule.frequency == Frequency.ONCE:
        return rrule.rrule(rrule.DAILY, count=1, dtstart=start)
    if schedule.frequency == Frequency.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, interval=schedule.interval, dtstart=start, until=until)
    if schedule.frequency == Frequency.MONTHLY:
        weekday = WEEKDAYS[start.weekday()](schedule.week_of_month)
        return rrule.rrule(
            rrule.MONTHLY, interval=schedule.interval, byweekday=weekday, dtstart=start, until=until
        )
    rule = parse_custom_rule(schedule.rrule, start)
    return rule.replace(until=until) if until else rule


def _period_start(rule: rrule.rrule, moment: datetime.datetime) -> datetime.datetime | None:
    """The start of a period of `rule` (a run of `interval` days, weeks, months or years counted
    from its first one) at least one whole period before `moment`; None when that is its first."""
    start, interval, freq = rule._dtstart, rule._interval, rule._freq
    if freq in (rrule.DAILY, rrule.WEEKLY):
        days = interval * (7 if freq == rrule.WEEKLY else 1)
        periods = (moment - start).days // days - 1
        if periods < 1:
            return None
        day = start.date() + datetime.timedelta(days=periods * days)
        if freq == rrule.WEEKLY:
            day -= datetime.timedelta(days=(day.weekday() - rule._wkst) % 7)
        return datetime.datetime.combine(day, datetime.time.min)
    if freq == rrule.MONTHLY:
        months = (moment.year - start.year) * 12 + moment.month - start.month
        periods = months // interval - 1
        if periods < 1:
            return None
        index = start.year * 12 + start.month - 1 + periods * interval
        return datetime.datetime(index // 12, index % 12 + 1, 1)
    periods = (moment.year - start.year) // interval - 1
    if freq != rrule.YEARLY or periods < 1:
        return None
    return datetime.datetime(start.year + periods * interval, 1, 1)


def rule_near(schedule: Schedule, moment: datetime.datetime) -> rrule.rrule:
    """The schedule's recurrence, giving the same occurrences from local `moment` on, but
    started close before it: dateutil walks every occurrence from its start, so a date far
    from the first date would cost a walk over all the years between.

    The start moves by whole periods to the first day of a period, and every part the rule
    took from its start (weekday, day of month, time) is given explicitly, so the rule is the
    same. A rule with COUNT counts from its first occurrence and stays as it is.
    """
    rule = build_rrule(schedule)
    start = None if rule._count else _period_start(rule, moment)
    if start is None:
        return rule
    weekdays = [*(rule._byweekday or ()), *(WEEKDAYS[d](n) for d, n in rule._bynweekday or ())]
    month_days = [*(rule._bymonthday or ()), *(rule._bynmonthday or ())]
    return rrule.rrule(
        rule._freq,
        dtstart=start,
        interval=rule._interval,
        wkst=rule._wkst,
        until=rule._until,
        bysetpos=rule._bysetpos,
        bymonth=rule._bymonth,
        bymonthday=month_days,
        byyearday=rule._byyearday,
        byeaster=rule._byeaster,
        byweekno=rule._byweekno,
        byweekday=weekdays,
        byhour=rule._byhour,
        byminute=rule._byminute,
        bysecond=rule._bysecond,
    )


@dataclass(frozen=True)
class Slot:
    """One computed occurrence of a schedule: when it happens, and its stored record if any."""

    schedule: Schedule
    original_date: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    record: Occurrence | None = None

    @property
    def meeting(self) -> Meeting:
        return self.schedule.meeting

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.schedule.time_zone)

    @property
    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_date(self) -> datetime.date:
        """The day it happens in its home zone: the original date unless it was moved."""
        return self.local_start.date()

    @property
    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.zone)

    @property
    def status(self) -> str:
        return self.record.status if self.record else OccurrenceStatus.SCHEDULED

    @property
    def is_cancelled(self) -> bool:
        return self.status == OccurrenceStatus.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.status == OccurrenceStatus.MOVED

    @property
    def reason(self) -> str:
        return self.record.reason if self.record else ""


def _slot(schedule: Schedule, local: datetime.datetime, record: Occurrence | None) -> Slot:
    start = to_instant(local, ZoneInfo(schedule.time_zone))
    duration = schedule.duration
    if record is not None and record.status == OccurrenceStatus.MOVED:
        start = record.moved_start or start
        if record.moved_duration_minutes:
            duration = datetime.timedelta(minutes=record.moved_duration_minutes)
    return Slot(schedule, local.date(), start, start + duration, record)


def _records(schedule: Schedule) -> dict[datetime.date, Occurrence]:
    # Uses prefetch_related("occurrences") when the caller did it; a schedule being created
    # (previewed before it is saved) has none.
    if schedule.pk is None:
        return {}
    return {record.original_date: record for record in schedule.occurrences.all()}


def schedule_slots(
    schedule: Schedule, start: datetime.datetime, end: datetime.datetime
) -> list[Slot]:
    """The occurrences of `schedule` overlapping [start, end), cancelled and moved ones too."""
    if not schedule.is_confirmed:
        return []
    zone = ZoneInfo(schedule.time_zone)
    # A day of margin on each side covers every UTC offset, a move and the duration.
    margin = datetime.timedelta(days=1, minutes=MAX_DURATION_MINUTES)
    local_from = (start.astimezone(zone) - margin).replace(tzinfo=None)
    local_to = (end.astimezone(zone) + margin).replace(tzinfo=None)
    records = _records(schedule)
    slots = [
        _slot(schedule, local, records.get(local.date()))
        for local in rule_near(schedule, local_from).between(local_from, local_to, inc=True)
    ]
    seen = {slot.original_date for slot in slots}
    # An occurrence moved into the window from a date outside it.
    slots += [
        _slot(
            schedule, datetime.datetime.combine(record.original_date, schedule.start_time), record
        )
        for record in records.values()
        if record.status == OccurrenceStatus.MOVED
        and record.original_date not in seen
        and record.moved_start
        and schedule_dates_on(schedule, record.original_date)
    ]
    return sorted(
        (slot for slot in slots if slot.end > start and slot.start < end), key=lambda s: s.start
    )


def slots_between(
    schedules: Iterable[Schedule], start: datetime.datetime, end: datetime.datetime
) -> list[Slot]:
    """Occurrences of many schedules in [start, end), by start instant."""
    slots = [slot for schedule in schedules for slot in schedule_slots(schedule, start, end)]
    return sorted(slots, key=lambda slot: (slot.start, slot.meeting.title))


def schedule_dates_on(schedule: Schedule, day: datetime.date) -> bool:
    """Whether the schedule gives an occurrence on local date `day`."""
    if not schedule.is_confirmed:
        return False
    midnight = datetime.datetime.combine(day, datetime.time.min)
    last_moment = datetime.datetime.combine(day, datetime.time.max)
    return bool(rule_near(schedule, midnight).between(midnight, last_moment, inc=True))


def slot_on(
    schedule: Schedule, day: datetime.date, record: Occurrence | None = None
) -> Slot | None:
    """The occurrence the schedule gives on local date `day`, or None; as its `record` has it
    (the day's, stored or not: a caller holding it spares reading it)."""
    if not schedule_dates_on(schedule, day):
        return None
    if record is None:
        record = _records(schedule).get(day)
    return _slot(schedule, datetime.datetime.combine(day, schedule.start_time), record)


def slots_moved_to(schedule: Schedule, day: datetime.date) -> list[Slot]:
    """The occurrences of `schedule` moved onto local date `day` from another date."""
    zone = ZoneInfo(schedule.time_zone)
    return [
        slot
        for record in _records(schedule).values()
        if record.status == OccurrenceStatus.MOVED
        and record.moved_start
        and record.original_date != day
        and record.moved_start.astimezone(zone).date() == day
        and (slot := slot_on(schedule, record.original_date))
    ]


def nearby_dates(schedule: Schedule, day: datetime.date, count: int = 2) -> list[datetime.date]:
    """Occurrence dates around `day`: what an editor meant when the date they gave is wrong."""
    moment = datetime.datetime.combine(day, datetime.time.min)
    before = previous_start(schedule, moment)
    after = rule_near(schedule, moment).xafter(moment, count=count)
    return [d.date() for d in ([before] if before else []) + list(after)][:count]


# How far back `previous_start` looks before walking the whole rule: most schedules repeat
# within a year; a rule that is sparser costs the walk.
LOOKBACK = (datetime.timedelta(days=400), datetime.timedelta(days=4000))


def previous_start(schedule: Schedule, moment: datetime.datetime) -> datetime.datetime | None:
    """The last local start of the schedule before local `moment`, or None."""
    for span in LOOKBACK:
        if found := rule_near(schedule, moment - span).before(moment):
            return found
    return build_rrule(schedule).before(moment)


def dst_notes(schedule: Schedule, years: int = 2) -> list[str]:
    """Occurrences whose local start falls in a DST gap or overlap, with how RFC 5545 reads them."""
    if not schedule.is_confirmed:
        return []
    zone = ZoneInfo(schedule.time_zone)
    start = _local_start(schedule)
    notes = []
    for local in build_rrule(schedule).between(
        start, start + datetime.timedelta(days=366 * years), inc=True
    ):
        instant = to_instant(local, zone).astimezone(zone)
        if instant.replace(tzinfo=None) != local:
            notes.append(
                f"{local:%Y-%m-%d %H:%M} does not exist in {schedule.time_zone} (clocks go "
                f"forward); it starts at {instant:%H:%M %Z}, as RFC 5545 reads it."
            )
        elif local.replace(tzinfo=zone, fold=1).utcoffset() != instant.utcoffset():
            notes.append(
                f"{local:%Y-%m-%d %H:%M} happens twice in {schedule.time_zone} (clocks go back); "
                f"it starts at the first, {instant:%H:%M %Z}."
            )
    return notes


def _clock(moment: datetime.datetime) -> str:
    return f"{moment:%H:%M}"


def describe(schedule: Schedule) -> str:
    """The schedule in words: "First Monday of the month, 17:00-18:00 America/Los_Angeles"."""
    if schedule.start_time is not None:
        start = datetime.datetime.combine(datetime.date(2000, 1, 1), schedule.start_time)
        hours = f"{_clock(start)}-{_clock(start + schedule.duration)} {schedule.time_zone}"
    else:
        hours = f"time to be confirmed, {schedule.time_zone}"
    if schedule.first_date is None:
        return f"Dates to be confirmed ({schedule.get_frequency_display().lower()}), {hours}"
    weekday = calendar.day_name[schedule.first_date.weekday()]
    if schedule.frequency == Frequency.ONCE:
        rule = f"Once, on {weekday} {schedule.first_date:%Y-%m-%d}"
    elif schedule.frequency == Frequency.WEEKLY:
        rule = (
            f"Every {weekday}"
            if schedule.interval == 1
            else f"Every {schedule.interval} weeks on {weekday} from {schedule.first_date:%Y-%m-%d}"
        )
    elif schedule.frequency == Frequency.MONTHLY:
        nth = WeekOfMonth(schedule.week_of_month).label
        months = "month" if schedule.interval == 1 else f"{schedule.interval} months"
        rule = (
            f"{nth} {weekday} of every {months}"
            if schedule.interval > 1
            else f"{nth} {weekday} of the month"
        )
    else:
        rule = f"Repeating by the rule {schedule.rrule}"
    until = f", until {schedule.last_date:%Y-%m-%d}" if schedule.last_date else ""
    return f"{rule}{until}, {hours}"


def validate_schedule(schedule: Schedule, *, holding: list[Occurrence] | None = None) -> None:
    """The messages an editor reads for a schedule that cannot be stored as given; `holding`,
    when given, is what holding_records read of the saved schedule (else it is read)."""
    errors: dict[str, str] = {}
    if schedule.frequency == Frequency.MONTHLY and schedule.week_of_month is None:
        errors["week_of_month"] = "Choose which week of the month (first to fourth, or last)."
    if schedule.frequency != Frequency.MONTHLY and schedule.week_of_month is not None:
        errors["week_of_month"] = "Only a monthly schedule has a week of the month."
    if schedule.frequency == Frequency.RRULE and not schedule.rrule.strip():
        errors["rrule"] = "A custom schedule needs an RRULE, e.g. FREQ=MONTHLY;BYDAY=2TU."
    if schedule.frequency != Frequency.RRULE and schedule.rrule.strip():
        errors["rrule"] = "Only a custom schedule has an RRULE; choose “Custom RFC 5545 rule”."
    for name in ("first_date", "last_date"):
        try:
            if getattr(schedule, name):
                in_window(getattr(schedule, name))
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise ValidationError(errors)
    if not schedule.is_confirmed:
        _refuse_stranding(schedule, holding)
        return
    if schedule.frequency == Frequency.RRULE:
        try:
            parse_custom_rule(schedule.rrule, _local_start(schedule))
        except (ValueError, TypeError) as error:
            raise ValidationError({"rrule": f"This RRULE cannot be read: {error}."}) from None
        if build_rrule(schedule)._freq > rrule.DAILY:
            raise ValidationError({"rrule": "A meeting repeats at most daily: use FREQ=DAILY."})
        if "COUNT=" in schedule.rrule.upper() and schedule.last_date:
            raise ValidationError(
                {"last_date": "The RRULE has a COUNT: leave the last date empty."}
            )
    rule = build_rrule(schedule)
    first = rule.after(_local_start(schedule) - datetime.timedelta(seconds=1), inc=True)
    if first is None:
        raise ValidationError(
            {"rrule": "This rule gives no occurrence on or after the first date."}
        )
    if first.date() != schedule.first_date:
        # RFC 5545 counts DTSTART as an occurrence even when the rule would not give it; dateutil
        # does not: the first date must be one the rule gives, so every reader agrees.
        raise ValidationError(
            {
                "first_date": f"{schedule.first_date:%A %Y-%m-%d} is not a date this rule gives; "
                f"its first occurrence from then is {first:%A %Y-%m-%d}."
            }
        )
    _refuse_stranding(schedule, holding)


def holding_records(schedules: Iterable[Schedule]) -> dict[int, list[Occurrence]]:
    """The stored moves, agendas, minutes and recordings of saved `schedules`, by schedule pk,
    each schedule's by date, read at once. A cancellation is not among them: an occurrence
    that does not happen stays so."""
    saved = [schedule for schedule in schedules if schedule.pk is not None]
    held: dict[int, list[Occurrence]] = {schedule.pk: [] for schedule in saved}
    if not saved:
        return held
    records = (
        saved[0]
        .occurrences.model._default_manager.filter(schedule__in=saved)
        .exclude(status=OccurrenceStatus.CANCELLED)
        .filter(
            models.Q(status=OccurrenceStatus.MOVED)
            | ~models.Q(minutes="")
            | ~models.Q(recording_url="")
            | models.Q(agenda_items__isnull=False)
        )
        .distinct()
        .order_by("original_date")
    )
    for record in records:
        held[record.schedule_id].append(record)
    return held


def stranded_records(
    schedule: Schedule, holding: list[Occurrence] | None = None
) -> list[Occurrence]:
    """Stored moves, agendas, minutes and recordings on dates the schedule does not give, of
    its `holding` records (holding_records; read when not given)."""
    if schedule.pk is None:
        return []
    if holding is None:
        holding = holding_records([schedule])[schedule.pk]
    return [record for record in holding if not schedule_dates_on(schedule, record.original_date)]


def _refuse_stranding(schedule: Schedule, holding: list[Occurrence] | None = None) -> None:
    stranded = stranded_records(schedule, holding)
    if stranded:
        dates = ", ".join(
            f"{record.original_date:%a %Y-%m-%d} ({record.get_status_display().lower()})"
            for record in stranded
        )
        raise ValidationError(
            "This change would leave occurrences with a move, agenda, minutes or recording "
            f"outside the schedule: {dates}. Cancel them or clear what they hold first, or "
            "keep them within the schedule's dates."
        )


def validate_occurrence(record: Occurrence) -> None:
    """The messages an editor reads for a cancellation, move or record on a wrong date."""
    errors: dict[str, str] = {}
    if record.status == OccurrenceStatus.CANCELLED and not record.reason.strip():
        errors["reason"] = "Say why the meeting is cancelled: readers see the reason."
    if record.status == OccurrenceStatus.MOVED and not (
        record.moved_start or record.moved_duration_minutes
    ):
        errors["moved_start"] = "A moved occurrence needs a new start or a new duration."
    if record.status != OccurrenceStatus.MOVED and (
        record.moved_start or record.moved_duration_minutes
    ):
        errors["status"] = "Mark the occurrence as moved to give it a new start or duration."
    schedule = getattr(record, "schedule", None)
    if (
        record.original_date
        and schedule is not None
        and schedule.is_confirmed
        and not schedule_dates_on(schedule, record.original_date)
    ):
        nearby = ", ".join(f"{d:%a %Y-%m-%d}" for d in nearby_dates(schedule, record.original_date))
        errors["original_date"] = (
            f"{schedule.meeting} has no occurrence on {record.original_date:%a %Y-%m-%d}"
            + (f"; nearby: {nearby}." if nearby else ".")
        )
    if errors:
        raise ValidationError(errors)
