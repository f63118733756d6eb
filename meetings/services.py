"""Writes to meetings, schedules and occurrence records: validated, atomic, the one place each
rule is applied. Every change to a schedule's timing or to one of its occurrences raises the
schedule's iCalendar SEQUENCE, so calendar clients replace what they stored.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from governance.models import Group, Subproject
from governance.permissions import model_permissions
from meetings import recurrence
from meetings.importers.sigs_yaml import MeetingReading, Reading, read_source_text, week_of_month
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    Occurrence,
    OccurrenceStatus,
    Schedule,
)
from meetings.recurrence import Frequency, WeekOfMonth

# Changing one of these changes when the schedule's occurrences happen (in form order).
TIMING_FIELDS = (
    "time_zone",
    "first_date",
    "start_time",
    "duration_minutes",
    "frequency",
    "interval",
    "week_of_month",
    "rrule",
    "last_date",
)
# What cancelling, moving or restoring an occurrence sets.
STATUS_FIELDS = ("status", "reason", "moved_start", "moved_duration_minutes")
# Why an imported meeting's later occurrences no longer happen.
RETIRED_REASON = "The meeting is no longer in sigs.yaml."
# The version an occurrence without a stored record reads as: a new record starts there.
UNSAVED_VERSION: int = Occurrence._meta.get_field("version").default
# What saving an agenda writes: the occurrence record (created if there was none), its items.
AGENDA_PERMISSIONS = (
    *model_permissions(Occurrence, "add", "change"),
    *model_permissions(AgendaItem, "add", "change", "delete"),
)


class AgendaConflict(Exception):
    """Someone else saved the agenda after the editor loaded it; nothing was written."""

    def __init__(self, current: Occurrence):
        self.current = current
        super().__init__(
            f"The agenda of {current} was saved by someone else (now version {current.version})."
        )


def _save_changes(instance, fields: Mapping[str, Any]) -> list[str]:
    """Set `fields` on `instance`, validate and save it when new or changed; the changed names.

    A schedule whose timing changes gets its SEQUENCE raised.
    """
    before = {name: getattr(instance, name) for name in fields}
    changed = [name for name, value in fields.items() if before[name] != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed or instance.pk is None:
        try:
            instance.full_clean()
        except ValidationError:
            # The caller's object stays as it is stored.
            for name in changed:
                setattr(instance, name, before[name])
            raise
        if isinstance(instance, Schedule) and instance.pk and set(changed) & set(TIMING_FIELDS):
            instance.sequence += 1
        instance.save()
    return changed


def _raise_sequence(schedule: Schedule) -> None:
    Schedule.objects.filter(pk=schedule.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    schedule.refresh_from_db(fields=["sequence", "updated_at"])


@transaction.atomic
def meeting_create(*, group: Group, slug: str, title: str, **fields: Any) -> Meeting:
    meeting = Meeting(group=group, slug=slug, title=title, **fields)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields: Any) -> Meeting:
    """Change a meeting; compared with the stored row, so `meeting` may carry the new values."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _save_changes(stored, fields)
    return stored


@transaction.atomic
def meeting_delete(*, meeting: Meeting) -> None:
    meeting.delete()


@transaction.atomic
def schedule_create(*, meeting: Meeting, time_zone: str, **fields: Any) -> Schedule:
    schedule = Schedule(meeting=meeting, time_zone=time_zone, **fields)
    schedule.full_clean()
    schedule.save()
    return schedule


@transaction.atomic
def schedule_update(*, schedule: Schedule, **fields: Any) -> Schedule:
    """Change a schedule, raising its SEQUENCE when its timing changes.

    Compared with the stored row (locked), so `schedule` may already carry the new values.
    """
    stored = Schedule.objects.select_for_update().get(pk=schedule.pk)
    _save_changes(stored, fields)
    return stored


@transaction.atomic
def schedule_delete(*, schedule: Schedule) -> None:
    schedule.delete()


@transaction.atomic
def occurrence_set_status(
    *,
    schedule: Schedule,
    original_date: datetime.date,
    status: str,
    reason: str = "",
    moved_start: datetime.datetime | None = None,
    moved_duration_minutes: int | None = None,
) -> Occurrence:
    """Cancel, move or restore an occurrence, creating its record if it had none.

    The record's clean() names what is missing: a reason to cancel, a new start or duration
    to move, a date the schedule gives.
    """
    record = Occurrence.objects.select_for_update().filter(
        schedule=schedule, original_date=original_date
    ).first() or Occurrence(schedule=schedule, original_date=original_date)
    record.status = status
    record.reason = reason.strip()
    record.moved_start = moved_start
    record.moved_duration_minutes = moved_duration_minutes
    record.full_clean()
    record.save()
    _raise_sequence(schedule)
    return record


def occurrence_cancel(
    *, schedule: Schedule, original_date: datetime.date, reason: str
) -> Occurrence:
    """Cancel one occurrence; readers see the reason, feeds drop it (EXDATE)."""
    return occurrence_set_status(
        schedule=schedule,
        original_date=original_date,
        status=OccurrenceStatus.CANCELLED,
        reason=reason,
    )


def occurrence_move(
    *,
    schedule: Schedule,
    original_date: datetime.date,
    start: datetime.datetime | None = None,
    duration_minutes: int | None = None,
    reason: str = "",
) -> Occurrence:
    """Give one occurrence a new start instant and/or duration; it keeps its original date."""
    return occurrence_set_status(
        schedule=schedule,
        original_date=original_date,
        status=OccurrenceStatus.MOVED,
        reason=reason,
        moved_start=start,
        moved_duration_minutes=duration_minutes,
    )


def occurrence_restore(*, schedule: Schedule, original_date: datetime.date) -> Occurrence:
    """Undo a cancellation or move: the occurrence happens as the schedule says."""
    return occurrence_set_status(
        schedule=schedule, original_date=original_date, status=OccurrenceStatus.SCHEDULED
    )


@transaction.atomic
def occurrence_delete(*, record: Occurrence) -> None:
    """Forget what was stored about an occurrence: it happens as its schedule says."""
    record.delete()
    _raise_sequence(record.schedule)


def _conflict(schedule: Schedule, original_date: datetime.date) -> AgendaConflict:
    current = Occurrence.objects.prefetch_related("agenda_items__presenter").get(
        schedule=schedule, original_date=original_date
    )
    return AgendaConflict(current)


@transaction.atomic
def agenda_save(
    *,
    schedule: Schedule,
    original_date: datetime.date,
    items: Sequence[Mapping[str, Any]],
    minutes: str,
    recording_url: str,
    expected_version: int,
) -> Occurrence:
    """Replace an occurrence's agenda, minutes and recording link, if nobody saved since.

    `items` are AgendaItem fields (title, presenter, presenter_name, minutes_allotted, link) in
    order. `expected_version` is the version the editor loaded (UNSAVED_VERSION when there was
    no record). A conditional UPDATE on the version claims the save, so of two concurrent saves
    from the same version exactly one wins and the other raises AgendaConflict.
    """
    stored = Occurrence.objects.filter(schedule=schedule, original_date=original_date)
    # The UPDATE locks the row until commit: a concurrent save waits, then matches nothing.
    claimed = stored.filter(version=expected_version).update(version=F("version") + 1)
    record = stored.first()
    is_new = record is None
    if is_new:
        if expected_version != UNSAVED_VERSION:
            raise AgendaConflict(Occurrence(schedule=schedule, original_date=original_date))
        record = Occurrence(
            schedule=schedule, original_date=original_date, version=UNSAVED_VERSION + 1
        )
    elif not claimed:
        raise _conflict(schedule, original_date)
    record.minutes = minutes
    record.recording_url = recording_url
    entries = [
        AgendaItem(occurrence=record, order=position, **item)
        for position, item in enumerate(items, start=1)
    ]
    # A concurrent first save of the same occurrence surfaces as the INSERT's IntegrityError.
    record.full_clean(validate_unique=not is_new, validate_constraints=not is_new)
    for entry in entries:
        entry.full_clean(exclude=["occurrence"])
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise _conflict(schedule, original_date) from None
    record.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(entries)
    _raise_sequence(schedule)
    return record


@transaction.atomic
def schedule_confirm_first_date(*, schedule: Schedule, first_date: datetime.date) -> Schedule:
    """Confirm the first date of a schedule whose dates were to be confirmed: it joins the feeds.

    The date must be one the schedule's imported text allows (its weekday; for a monthly meeting
    whose text names no week, the date also gives the week).
    """
    if schedule.is_confirmed:
        raise ValidationError({"first_date": "The dates of this schedule are already confirmed."})
    if schedule.start_time is None:
        raise ValidationError({"start_time": "Its start time is not known: edit the schedule."})
    reading = (
        read_source_text(schedule.source_text, on=first_date) if schedule.source_text else None
    )
    if reading and (problem := reading.first_date_problem(first_date)):
        raise ValidationError({"first_date": problem})
    fields: dict[str, Any] = {"first_date": first_date}
    if schedule.frequency == Frequency.MONTHLY and reading and reading.week_of_month is None:
        fields["week_of_month"] = week_of_month(first_date)
    return schedule_update(schedule=schedule, **fields)


def _imported_timing(schedule: Schedule, reading: MeetingReading) -> dict[str, Any]:
    """The timing fields a reading gives `schedule`; none when its text did not change, so a
    first date an admin confirmed (or a schedule an admin repaired) survives a new import."""
    text = reading.schedule
    if schedule.pk and schedule.source_text == text.source_text:
        return {}
    kept = schedule.first_date
    if kept and text.status != Reading.UNREADABLE and not text.first_date_problem(kept):
        first_date = kept
    else:
        first_date = text.first_date
    week = text.week_of_month
    if text.frequency == Frequency.MONTHLY and week is None:
        # The text names no week: the confirmed first date will give it.
        week = week_of_month(first_date) if first_date else WeekOfMonth.FIRST
    return {
        "source_text": text.source_text,
        # What an unreadable text does not give keeps the model's default; pages show the text.
        "time_zone": text.time_zone or "UTC",
        "start_time": text.start_time,
        "duration_minutes": text.duration_minutes,
        "frequency": text.frequency or Frequency.WEEKLY,
        "interval": text.interval,
        "week_of_month": week,
        "rrule": text.rrule,
        "first_date": first_date,
    }


@transaction.atomic
def meeting_import(
    *,
    group: Group,
    subproject: Subproject | None,
    slug: str,
    reading: MeetingReading,
) -> tuple[Meeting, Schedule, str]:
    """Create or bring up to date the meeting `slug` and its imported schedule from a reading.

    Returns the meeting, its schedule and "created", "updated" or "unchanged". A meeting made by
    hand (no imported schedule) or owned by another group is refused, never taken over.
    """
    meeting = Meeting.objects.filter(slug=slug).first()
    schedule = meeting and meeting.schedules.exclude(source_text="").first()
    if meeting and (schedule is None or meeting.group_id != group.pk):
        raise ValidationError(
            {"slug": f"The meeting {slug} exists and was not imported for {group.slug}."}
        )
    created = meeting is None
    if created:
        kind = MeetingKind.OFFICE_HOURS if reading.is_office_hours else MeetingKind.GROUP_MEETING
        meeting = Meeting(slug=slug, group=group, kind=kind)
        schedule = Schedule()
    changed = _save_changes(
        meeting,
        {
            "title": reading.title,
            "subproject_id": subproject.pk if subproject else None,
            "join_url": reading.links.get("join_url", ""),
            "agenda_url": reading.links.get("agenda_url", ""),
            "recordings_url": reading.links.get("recordings_url", ""),
            # A meeting marked private stays private, whatever its title says.
            "is_private": meeting.is_private or reading.is_private,
        },
    )
    schedule.meeting = meeting
    changed += _save_changes(schedule, _imported_timing(schedule, reading))
    return meeting, schedule, "created" if created else ("updated" if changed else "unchanged")


@transaction.atomic
def meetings_retire_imported(
    *, group: Group, subproject: Subproject | None, keep: set[str], on: datetime.date
) -> list[tuple[Meeting, str]]:
    """Retire the imported meetings of `group` (or `subproject`) whose slug is not in `keep`.

    A meeting with nothing stored about its occurrences is "removed". One with agendas, minutes,
    recordings or cancellations is kept for them and its imported schedules end before `on`
    ("ended"; "unchanged" once ended). Meetings made by hand are never touched.
    """
    imported = Schedule.objects.exclude(source_text="")
    missing = (
        Meeting.objects.filter(group=group, subproject=subproject, schedules__in=imported)
        .exclude(slug__in=keep)
        .distinct()
    )
    outcomes = []
    for meeting in missing:
        if not Occurrence.objects.filter(schedule__meeting=meeting).exists():
            meeting.delete()
            outcomes.append((meeting, "removed"))
            continue
        changed = [
            _schedule_end(schedule, on=on)
            for schedule in imported.filter(meeting=meeting)
            if schedule.is_confirmed
        ]
        outcomes.append((meeting, "ended" if any(changed) else "unchanged"))
    return outcomes


def _schedule_end(schedule: Schedule, *, on: datetime.date) -> bool:
    """End `schedule` before `on`, or on its first date when that is not earlier; whether it
    changed. Its occurrences from `on` on are cancelled, records kept, so none is left outside
    the schedule; a schedule that never met gets its only occurrence cancelled."""
    last = max(on - datetime.timedelta(days=1), schedule.first_date)
    if schedule.last_date is not None and schedule.last_date <= last:
        return False
    later = schedule.occurrences.filter(original_date__gte=on).exclude(
        status=OccurrenceStatus.CANCELLED
    )
    days = {record.original_date for record in later}
    if schedule.first_date >= on and not schedule.occurrences.filter(
        original_date=schedule.first_date, status=OccurrenceStatus.CANCELLED
    ):
        days.add(schedule.first_date)
    for day in sorted(days):
        if recurrence.schedule_dates_on(schedule, day):
            occurrence_cancel(schedule=schedule, original_date=day, reason=RETIRED_REASON)
    _save_changes(schedule, {"last_date": last})
    return True
