"""Writes to meetings, schedules and occurrence records: validated, atomic, the one place each
rule is applied. Every change to a schedule's timing or to one of its occurrences raises the
schedule's iCalendar SEQUENCE, so calendar clients replace what they stored.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.bulk import BulkWrite
from common.services import (
    EditConflict,
    model_set_related,
    model_update,
    validate_fields,
    version_claim,
    version_require,
)
from governance.models import Group, Person
from governance.permissions import model_permissions
from meetings import recurrence, signals
from meetings.models import (
    AgendaItem,
    Meeting,
    Occurrence,
    OccurrenceStatus,
    Schedule,
)

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
# What an agenda item says, compared before and after a save to tell whether the agenda changed.
AGENDA_FIELDS = ("title", "presenter", "presenter_name", "minutes_allotted", "link")
# The version an occurrence without a stored record reads as: a new record starts there.
UNSAVED_VERSION: int = Occurrence._meta.get_field("version").default
# What saving an agenda writes: the occurrence record (created if there was none), its items.
AGENDA_PERMISSIONS = (
    *model_permissions(Occurrence, "add", "change"),
    *model_permissions(AgendaItem, "add", "change", "delete"),
)


class AgendaConflict(EditConflict):
    """Someone else saved the agenda after the editor loaded it; nothing was written."""

    def __init__(self, current: Occurrence):
        super().__init__(current, current.version)


def _save_changes(instance, fields: Mapping[str, Any]) -> list[str]:
    """Set `fields` on `instance` (common.services.model_update); the changed names.

    A schedule whose timing changes gets its SEQUENCE raised in the same save.
    """
    if isinstance(instance, Schedule) and instance.pk:
        retimed = any(
            getattr(instance, name) != fields[name] for name in TIMING_FIELDS if name in fields
        )
        if retimed:
            fields = {**fields, "sequence": instance.sequence + 1}
    return model_update(instance=instance, fields=fields)


def _raise_sequence(schedule: Schedule) -> None:
    Schedule.objects.filter(pk=schedule.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    schedule.refresh_from_db(fields=["sequence", "updated_at"])


@transaction.atomic
def meeting_create(*, group: Group, slug: str, title: str, **fields: Any) -> Meeting:
    meeting = Meeting(group=group)
    model_update(instance=meeting, fields={"slug": slug, "title": title, **fields})
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields: Any) -> Meeting:
    """Change a meeting; compared with the stored row, so `meeting` may carry the new values."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _save_changes(stored, fields)
    return stored


@transaction.atomic
def meeting_edit(
    *,
    meeting: Meeting,
    expected_version: int,
    fields: Mapping[str, Any],
    organisers: Iterable[Person] | None = None,
    organising_groups: Iterable[Group] | None = None,
) -> list[str]:
    """Save a meeting as edited on the site: its `fields` and, when given, its organisers, if
    nobody saved it (or one of its schedules) since the editor loaded `expected_version`; else
    EditConflict and nothing is written. The names that changed."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    version_require(instance=stored, expected=expected_version)
    return (
        _save_changes(stored, fields)
        + model_set_related(instance=stored, name="organisers", values=organisers)
        + model_set_related(instance=stored, name="organising_groups", values=organising_groups)
    )


@transaction.atomic
def schedule_edit(
    *, schedule: Schedule, expected_version: int, fields: Mapping[str, Any]
) -> list[str]:
    """Create `schedule` (not yet stored) or change its `fields` as edited on the site, if
    nobody saved its meeting or a schedule of it since the editor loaded the meeting's
    `expected_version`; else EditConflict and nothing is written. The names that changed."""
    meeting = Meeting.objects.select_for_update().get(pk=schedule.meeting_id)
    version_require(instance=meeting, expected=expected_version)
    if schedule.pk:
        schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    return _save_changes(schedule, fields)


def meeting_delete(*, meeting: Meeting) -> None:
    meetings_delete(meetings=[meeting])


@transaction.atomic
def meetings_delete(*, meetings: Iterable[Meeting]) -> None:
    """Delete meetings, with their schedules and occurrence records, in one go."""
    deleted = BulkWrite(Meeting)
    deleted.delete(meetings)
    deleted.write_all()


@transaction.atomic
def schedule_create(*, meeting: Meeting, time_zone: str, **fields: Any) -> Schedule:
    schedule = Schedule(meeting=meeting)
    model_update(instance=schedule, fields={"time_zone": time_zone, **fields})
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
def meeting_save(*, meeting: Meeting, fields: Mapping[str, Any]) -> list[str]:
    """Create `meeting` (not yet stored) or change its `fields`; the names that changed."""
    return _save_changes(meeting, fields)


@transaction.atomic
def schedule_save(*, schedule: Schedule, fields: Mapping[str, Any]) -> list[str]:
    """Create `schedule` (not yet stored) or change its `fields`, raising its SEQUENCE when its
    timing changes; the names that changed."""
    return _save_changes(schedule, fields)


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
    previous = record.status
    fields = {
        "status": status,
        "reason": reason.strip(),
        "moved_start": moved_start,
        "moved_duration_minutes": moved_duration_minutes,
    }
    model_update(instance=record, fields=fields)
    _raise_sequence(schedule)
    _heard([(record, previous)])
    return record


def occurrence_cancel(
    *, schedule: Schedule, original_date: datetime.date, reason: str
) -> Occurrence:
    """Cancel one occurrence; readers see the reason, subscribers hear of it."""
    return occurrence_set_status(
        schedule=schedule,
        original_date=original_date,
        status=OccurrenceStatus.CANCELLED,
        reason=reason,
    )


def _cancel_records(
    wanted: Mapping[Schedule, Iterable[datetime.date]],
    reason: str,
    held: Mapping[int, list[Occurrence]],
) -> list[tuple[Occurrence, str]]:
    """Cancel the occurrences of each schedule on its dates, validated as occurrence_cancel
    validates one and written together; each record with its status before. `held`: the
    records of those dates, by schedule pk, read (and locked) by the caller. Raising the
    SEQUENCE and telling subscribers of each (`_heard`) are the caller's."""
    days = {schedule: sorted(set(dates)) for schedule, dates in wanted.items()}
    days = {schedule: dates for schedule, dates in days.items() if dates}
    if not days:
        return []
    fields = {
        "status": OccurrenceStatus.CANCELLED,
        "reason": reason.strip(),
        "moved_start": None,
        "moved_duration_minutes": None,
    }
    written = BulkWrite(Occurrence)
    changes: list[tuple[Occurrence, str]] = []
    for schedule, dates in days.items():
        stored = {record.original_date: record for record in held.get(schedule.pk, ())}
        for day in dates:
            record = stored.get(day)
            if record is None:
                record = Occurrence(schedule=schedule, original_date=day, **fields)
                changes.append((written.create(record), OccurrenceStatus.SCHEDULED))
            else:
                previous = record.status
                record.schedule = schedule  # held, not looked up by validation
                written.update(record, fields)
                changes.append((record, previous))
    written.write_all()
    return changes


def _heard(changes: list[tuple[Occurrence, str]]) -> None:
    if changes:
        signals.occurrence_statuses_changed.send(Occurrence, changes=changes)


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
    previous = record.status
    record.delete()
    _raise_sequence(record.schedule)
    if previous != OccurrenceStatus.SCHEDULED:
        restored = Occurrence(schedule=record.schedule, original_date=record.original_date)
        _heard([(restored, previous)])


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
    claimed = version_claim(rows=stored, expected=expected_version)
    record = stored.first()
    is_new = record is None
    before = (
        ("", []) if is_new else (record.minutes, list(record.agenda_items.values(*AGENDA_FIELDS)))
    )
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
    if is_new:
        validate_fields(record)
    else:
        record.full_clean()
    for entry in entries:
        # (AgendaItem has no unique or check constraint for full_clean to test)
        validate_fields(entry, exclude=["occurrence"])
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise _conflict(schedule, original_date) from None
    if not is_new:
        record.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(entries)
    _raise_sequence(schedule)
    # A new record's agenda is what was written: it changed when it has items.
    agenda_changed = (
        bool(entries) if is_new else before[1] != list(record.agenda_items.values(*AGENDA_FIELDS))
    )
    minutes_changed = bool(minutes.strip()) and minutes != before[0]
    if agenda_changed or minutes_changed:
        signals.occurrence_agenda_saved.send(
            Occurrence,
            record=record,
            agenda_changed=agenda_changed,
            minutes_changed=minutes_changed,
        )
    return record


def schedule_end(*, schedule: Schedule, on: datetime.date, reason: str) -> bool:
    """End `schedule` before `on`, or on its first date when that is not earlier; whether it
    changed. Its occurrences from `on` on are cancelled, records kept, so none is left outside
    the schedule; a schedule that never met gets its only occurrence cancelled."""
    return bool(schedules_end(schedules=[schedule], on=on, reason=reason))


def end_date(schedule: Schedule, on: datetime.date) -> datetime.date | None:
    """The last date schedule_end gives `schedule` ending it before `on`; None when it ends by
    then already (schedule_end leaves it as it is)."""
    last = max(on - datetime.timedelta(days=1), schedule.first_date)
    if schedule.last_date is not None and schedule.last_date <= last:
        return None
    return last


@transaction.atomic
def schedules_end(
    *, schedules: Iterable[Schedule], on: datetime.date, reason: str
) -> list[Schedule]:
    """End each of `schedules` as schedule_end ends one, all written together; the ones that
    changed. Each one's SEQUENCE is raised once, for its end and its cancellations: calendar
    clients see one change of it."""
    ending = [(each, last) for each in schedules if (last := end_date(each, on)) is not None]
    if not ending:
        return []
    held = defaultdict(list)
    for record in Occurrence.objects.select_for_update().filter(
        schedule__in=[each for each, _ in ending], original_date__gte=on
    ):
        held[record.schedule_id].append(record)
    wanted = {}
    for schedule, _ in ending:
        cancelled = {
            record.original_date
            for record in held[schedule.pk]
            if record.status == OccurrenceStatus.CANCELLED
        }
        days = {record.original_date for record in held[schedule.pk]} - cancelled
        if schedule.first_date >= on and schedule.first_date not in cancelled:
            days.add(schedule.first_date)
        wanted[schedule] = [day for day in days if recurrence.schedule_dates_on(schedule, day)]
    changes = _cancel_records(wanted, reason, held)
    # Schedule.clean()'s rules, with the records the schedules hold once the cancellations
    # are written read at once.
    holding = recurrence.holding_records(schedule for schedule, _ in ending)

    def check(schedule: Schedule) -> None:
        validate_fields(schedule, clean=False)
        recurrence.validate_schedule(schedule, holding=holding[schedule.pk])

    ends = BulkWrite(Schedule, validate=check)
    for schedule, last in ending:
        # (validated once the cancellations are written: none is stranded)
        ends.update(schedule, {"last_date": last, "sequence": schedule.sequence + 1})
    ends.write_all()
    _heard(changes)
    return [schedule for schedule, _ in ending]
