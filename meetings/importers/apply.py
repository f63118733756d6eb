"""Applying what the sigs.yaml reader gives: meetings and their imported schedules created,
brought up to date or retired, and a first date confirmed against the imported text. Above
meetings.services: every write goes through them.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from common.bulk import BulkWrite
from common.services import changed_fields, check_fields, validate_fields
from governance.models import Group, Subproject
from meetings import services
from meetings.importers.sigs_yaml import (
    READER_LINKS,
    MeetingReading,
    Reading,
    ScheduleReading,
    read_source_text,
)
from meetings.models import Meeting, Occurrence, Schedule
from meetings.recurrence import Frequency, WeekOfMonth, week_of_month

# Why an imported meeting's later occurrences no longer happen.
RETIRED_REASON = "The meeting is no longer in sigs.yaml."
SCHEDULE_RETIRED_REASON = "This time of the meeting is no longer in sigs.yaml."


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
    return services.schedule_update(schedule=schedule, **fields)


def _imported_timing(schedule: Schedule, text: ScheduleReading) -> dict[str, Any]:
    """The timing fields a reading gives `schedule`; none when its text did not change, so a
    first date an admin confirmed (or a schedule an admin repaired) survives a new import."""
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


@dataclasses.dataclass
class StoredMeetings:
    """What an import of meetings lists reads at once: the meetings it may change, and their
    imported schedules (those with a source text) in order. It keeps them as it changes them."""

    meetings: dict[str, Meeting]  # by slug
    imported: dict[int, list[Schedule]]  # meeting pk -> its imported schedules
    with_records: set[int]  # the pks of those with an occurrence record
    # Meetings to delete, then new meetings and their schedules, validated: written together
    # by write().
    removed: list[Meeting] = dataclasses.field(default_factory=list)
    # The schedules of retired meetings to end (RETIRED_REASON), by the day they end before:
    # ended together by write().
    ending: dict[datetime.date, list[Schedule]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )
    new_meetings: BulkWrite = dataclasses.field(
        default_factory=lambda: BulkWrite(
            Meeting, validate=partial(validate_fields, exclude=READER_LINKS)
        )
    )
    new_schedules: BulkWrite = dataclasses.field(default_factory=lambda: BulkWrite(Schedule))
    # The stored meetings by (group, subproject) pks, once owned() was asked.
    _owners: dict[tuple, list[Meeting]] | None = None

    @classmethod
    def read(cls, *, slugs: Iterable[str], groups: Iterable[Group]) -> "StoredMeetings":
        """The meetings of these slugs, and every imported meeting of these groups."""
        imported_schedules = Schedule.objects.exclude(source_text="")
        meetings = Meeting.objects.filter(
            Q(slug__in=list(slugs))
            | Q(
                pk__in=imported_schedules.filter(meeting__group__in=list(groups)).values(
                    "meeting_id"
                )
            )
        )
        by_pk = {meeting.pk: meeting for meeting in meetings}
        # Asked by the keys read, not by the slugs again (a list the database would match twice).
        stored = cls(
            meetings={meeting.slug: meeting for meeting in by_pk.values()},
            imported={},
            with_records=set(
                Occurrence.objects.filter(schedule__meeting__in=list(by_pk))
                .values_list("schedule__meeting_id", flat=True)
                .order_by()
                .distinct()
            ),
        )
        by_meeting = defaultdict(list)
        for schedule in imported_schedules.filter(meeting__in=list(by_pk)).order_by("pk"):
            # Held, so that validating a change (its end) looks none up.
            schedule.meeting = by_pk[schedule.meeting_id]
            by_meeting[schedule.meeting_id].append(schedule)
        stored.imported = dict(by_meeting)
        return stored

    def write(self) -> list[tuple[Meeting, ValidationError]]:
        """End the schedules of retired meetings, delete the removed meetings, write the new
        ones, then their schedules; the meetings the database refused (their schedules are not
        written either)."""
        for on, schedules in self.ending.items():
            services.schedules_end(schedules=schedules, on=on, reason=RETIRED_REASON)
        if self.removed:
            services.meetings_delete(meetings=self.removed)
        refused = self.new_meetings.write()
        self.new_schedules.created = [
            schedule for schedule in self.new_schedules.created if schedule.meeting.pk
        ]
        refused += self.new_schedules.write()
        return refused

    def owned(self, group: Group, subproject: Subproject | None) -> list[Meeting]:
        """The imported meetings of `group` (or `subproject`)."""
        owner = (group.pk, subproject.pk if subproject else None)
        if self._owners is None:
            self._owners = defaultdict(list)
            for meeting in self.meetings.values():
                self._owners[meeting.group_id, meeting.subproject_id].append(meeting)
        return [
            meeting
            for meeting in self._owners[owner]
            if self.meetings.get(meeting.slug) is meeting
            and (meeting.group_id, meeting.subproject_id) == owner
            and self.imported.get(meeting.pk)
        ]


def meeting_import(
    *,
    group: Group,
    subproject: Subproject | None,
    slug: str,
    reading: MeetingReading,
    on: datetime.date,
    stored: StoredMeetings | None = None,
) -> tuple[Meeting, list[Schedule], str]:
    """Create or bring up to date the meeting `slug` and its imported schedules from a reading.

    The reading's schedules are matched in order with the meeting's imported ones; one the file
    no longer gives ends before `on` (or goes, when nothing is stored about its occurrences).
    Returns the meeting, its imported schedules and "created", "updated" or "unchanged". A
    meeting made by hand (no imported schedule) or owned by another group is refused, never
    taken over. An import of many meetings passes what it read of them (`stored`): a meeting
    the file leaves as it is costs no statement, and a new one is validated and left to
    `stored.write()`.
    """
    bulk = stored is not None
    if stored is None:
        stored = StoredMeetings.read(slugs=[slug], groups=[])
    meeting = stored.meetings.get(slug)
    imported = stored.imported.get(meeting.pk, []) if meeting else []
    if meeting and (not imported or meeting.group_id != group.pk):
        raise ValidationError(
            {"slug": f"The meeting {slug} exists and was not imported for {group.slug}."}
        )
    created = meeting is None
    if meeting is None:
        meeting = Meeting(slug=slug, group=group, kind=reading.kind)
    else:
        meeting.group = group  # its own (checked above), held: validation looks none up
    fields = {
        "title": reading.title,
        "subproject_id": subproject.pk if subproject else None,
        "join_url": reading.links.get("join_url", ""),
        "agenda_url": reading.links.get("agenda_url", ""),
        "recordings_url": reading.links.get("recordings_url", ""),
        **reading.agora,
        # A meeting marked private stays private, whatever the file says.
        "is_private": meeting.is_private or reading.is_private,
    }
    texts = [
        (imported[index] if index < len(imported) else Schedule(meeting=meeting), text)
        for index, text in enumerate(reading.schedules)
    ]
    timings = [(schedule, _imported_timing(schedule, text)) for schedule, text in texts]
    schedules = [schedule for schedule, _ in timings]
    changes = (
        created
        or len(imported) > len(schedules)
        or any(schedule.pk is None or timing for schedule, timing in timings)
        or changed_fields(meeting, fields)
    )
    changed = []
    if created and bulk:
        # Written with the others by stored.write().
        meeting.subproject = subproject  # held, not looked up by validation
        stored.new_meetings.create(_set(meeting, fields))
        for schedule, timing in timings:
            stored.new_schedules.create(_set(schedule, timing))
    elif changes:
        with transaction.atomic():
            changed = services.meeting_save(meeting=meeting, fields=fields)
            for schedule, timing in timings:
                schedule.meeting = meeting  # saved now
                changed += services.schedule_save(schedule=schedule, fields=timing)
            for schedule in imported[len(reading.schedules) :]:
                changed.append(_retire_schedule(schedule, on=on))
    stored.meetings[slug] = meeting
    if meeting.pk:  # (a new one is written later; another list naming it is refused)
        stored.imported[meeting.pk] = [s for s in schedules if s.source_text]
    return (
        meeting,
        schedules,
        "created" if created else ("updated" if any(changed) else "unchanged"),
    )


def _set(instance: Meeting | Schedule, fields: dict[str, Any]) -> Any:
    check_fields(instance, fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def _retire_schedule(schedule: Schedule, *, on: datetime.date) -> str:
    """A schedule the file no longer gives: gone, or ended when its occurrences hold records."""
    if not schedule.occurrences.exists():
        services.schedule_delete(schedule=schedule)
        return "removed"
    ended = schedule.is_confirmed and services.schedule_end(
        schedule=schedule, on=on, reason=SCHEDULE_RETIRED_REASON
    )
    return "ended" if ended else ""


def meetings_retire_imported(
    *,
    group: Group,
    subproject: Subproject | None,
    keep: set[str],
    on: datetime.date,
    stored: StoredMeetings,
) -> list[tuple[Meeting, str]]:
    """Retire the imported meetings of `group` (or `subproject`) whose slug is not in `keep`.

    A meeting with nothing stored about its occurrences is "removed". One with agendas, minutes,
    recordings or cancellations is kept for them and its imported schedules end before `on`
    ("ended"; "unchanged" once ended). Meetings made by hand are never touched. What changes
    is written by stored.write().
    """
    missing = [meeting for meeting in stored.owned(group, subproject) if meeting.slug not in keep]
    outcomes: list[tuple[Meeting, str]] = []
    for meeting in missing:
        if meeting.pk not in stored.with_records:
            del stored.meetings[meeting.slug]
            stored.removed.append(meeting)
            outcomes.append((meeting, "removed"))
            continue
        ending = [
            schedule
            for schedule in stored.imported[meeting.pk]
            if schedule.is_confirmed and services.end_date(schedule, on) is not None
        ]
        stored.ending[on] += ending
        outcomes.append((meeting, "ended" if ending else "unchanged"))
    return outcomes
