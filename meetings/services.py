"""Writes to meetings, schedules and occurrence records: validated, atomic, the one place each
rule is applied. Every change to a schedule's timing or to one of its occurrences raises the
schedule's iCalendar SEQUENCE, so calendar clients replace what they stored.
"""

import datetime
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from governance.models import Group
from meetings import selectors
from meetings.models import AgendaItem, Meeting, Occurrence, OccurrenceStatus, Schedule

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
# The version an occurrence without a stored record reads as: a new record starts there.
UNSAVED_VERSION: int = Occurrence._meta.get_field("version").default


class AgendaConflict(Exception):
    """Someone else saved the agenda after the editor loaded it; nothing was written."""

    def __init__(self, current: Occurrence):
        self.current = current
        super().__init__(
            f"The agenda of {current} was saved by someone else (now version {current.version})."
        )


def can_edit_meeting(user, meeting: Meeting, *, led_groups: Collection[int] | None = None) -> bool:
    """Who edits a meeting, its schedules, agendas and minutes: staff, and the current chairs,
    technical leads and leads of the meeting's group. `led_groups` spares a query per meeting
    when the caller already has `selectors.groups_led_by(user)`."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if led_groups is None:
        led_groups = selectors.groups_led_by(user)
    return meeting.group_id in led_groups


def _assign(instance, fields: Mapping[str, Any]) -> set[str]:
    """Set `fields` on `instance`; the names whose value changed."""
    changed = {name for name, value in fields.items() if getattr(instance, name) != value}
    for name in changed:
        setattr(instance, name, fields[name])
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
    if _assign(stored, fields):
        stored.full_clean()
        stored.save()
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
    changed = _assign(stored, fields)
    if not changed:
        return stored
    if changed.intersection(TIMING_FIELDS):
        stored.sequence += 1
    stored.full_clean()
    stored.save()
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
