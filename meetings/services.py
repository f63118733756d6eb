"""Writes to meetings: validated, atomic, the one place each rule is applied."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from governance.models import Group, Subproject
from meetings.importers.sigs_yaml import MeetingReading, Reading, read_source_text, week_of_month
from meetings.models import Meeting, MeetingKind, Occurrence, Schedule
from meetings.recurrence import Frequency, WeekOfMonth

# The fields of a schedule that say when it happens: changing one raises its SEQUENCE.
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


def _save_changes(instance, fields: dict[str, Any]) -> list[str]:
    """Set `fields` on `instance`, validate and save it when new or changed; the changed names."""
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
        if instance.pk is not None and set(changed) & set(TIMING_FIELDS):
            instance.sequence += 1
        instance.save()
    return changed


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
    _save_changes(schedule, fields)
    return schedule


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
    recordings or cancellations is kept for them and its imported schedules end the day before
    `on` ("ended"; "unchanged" once ended). Meetings made by hand are never touched.
    """
    imported = Schedule.objects.exclude(source_text="")
    missing = (
        Meeting.objects.filter(group=group, subproject=subproject, schedules__in=imported)
        .exclude(slug__in=keep)
        .distinct()
    )
    day_before = on - datetime.timedelta(days=1)
    outcomes = []
    for meeting in missing:
        if not Occurrence.objects.filter(schedule__meeting=meeting).exists():
            meeting.delete()
            outcomes.append((meeting, "removed"))
            continue
        changed = [
            _save_changes(schedule, {"last_date": day_before})
            for schedule in imported.filter(meeting=meeting)
            if schedule.first_date
            and schedule.first_date <= day_before
            and (schedule.last_date is None or schedule.last_date > day_before)
        ]
        outcomes.append((meeting, "ended" if changed else "unchanged"))
    return outcomes
