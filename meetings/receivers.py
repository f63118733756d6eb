"""The meetings lists of sigs.yaml, imported and exported with governance's groups.

Connected in MeetingsConfig.ready() to governance.signals. On import, each list is brought in
line with the file: meetings are created or updated by slug (group, subproject and title), and
imported ones no longer in the list are retired (meetings.importers.apply.meetings_retire_imported).
The report counts meetings by how far their text was read and lists, with its place and text,
each one whose dates are still to be confirmed or whose text could not be read. On export, each
group and subproject gets its meetings back (meetings.exporters.sigs_yaml), one query per list.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from governance.models import Group, Subproject
from governance.signals import ImportedRecord
from meetings.exporters.sigs_yaml import meeting_entries
from meetings.importers.apply import StoredMeetings, meeting_import, meetings_retire_imported
from meetings.importers.sigs_yaml import (
    MeetingReading,
    Reading,
    ScheduleReading,
    meeting_slug,
    read_meetings_list,
)
from meetings.models import Meeting, Occurrence, Schedule
from meetings.recurrence import describe, schedule_slots

READ_FULLY = "meetings read fully"
CONFIRMED_BY_ADMIN = "meetings whose date an admin confirmed"
NEED_A_DATE = "meetings that need a date confirmed"
NOT_READ = "meetings it could not read"
NO_LONGER_LISTED = "meetings no longer in the file"


def import_meetings(sender, *, imported: list[ImportedRecord], report, on, **kwargs) -> None:
    """The meetings lists of every imported group and subproject, what is stored about them
    read at once (meetings.importers.apply.StoredMeetings)."""
    lists = [(record, read_meetings_list(record.data, on=on)) for record in imported]
    slugs = {
        slug
        for record, readings in lists
        if readings
        for reading in readings
        if reading
        for slug in _slug_candidates(record, reading, len(readings))
    }
    stored = StoredMeetings.read(slugs=slugs, groups={record.group for record in imported})
    created: dict[int, tuple[str, str]] = {}
    for record, readings in lists:
        _import_meetings(record, readings, report=report, on=on, stored=stored, created=created)
    for meeting, error in stored.write():
        where, state = created[id(meeting)]
        report.problem(where, f"{' '.join(error.messages)} Skipped.")
        report.uncount(state, "created")


def export_group_meetings(sender, *, group: Group, data: dict, include_private: bool, **kwargs):
    data["meetings"] = _entries(group, None, include_private=include_private)


def export_subproject_meetings(
    sender, *, subproject: Subproject, data: dict, include_private: bool, **kwargs
):
    entries = _entries(subproject.group_id, subproject, include_private=include_private)
    if entries:
        data["meetings"] = entries


def _entries(group, subproject: Subproject | None, *, include_private: bool) -> list[dict]:
    schedules = (
        Schedule.objects.filter(meeting__group=group, meeting__subproject=subproject)
        .select_related("meeting__group", "meeting__subproject")
        .order_by("meeting_id", "pk")
    )
    return meeting_entries(schedules, include_private=include_private, today=timezone.localdate())


def _base_slug(record: ImportedRecord, reading: MeetingReading) -> str:
    subproject = record.subproject.name if record.subproject else ""
    return meeting_slug(record.group.slug, subproject, reading.title)


def _slug_candidates(record: ImportedRecord, reading: MeetingReading, entries: int) -> list[str]:
    """The slugs `_import_meetings` may give the meeting (`_unused` adds at most `entries`)."""
    if reading.slug:
        return [reading.slug]
    slug = _base_slug(record, reading)
    return [slug] + [_numbered(slug, number) for number in range(2, entries + 1)]


def _import_meetings(
    record: ImportedRecord,
    readings: list[MeetingReading | None] | None,
    *,
    report,
    on: datetime.date,
    stored: StoredMeetings,
    created: dict[int, tuple[str, str]],
) -> None:
    """Import one list; `created` gets, for each new meeting (by id), its place and how far it
    was read, for the report when the database refuses it."""
    group, subproject, place = record.group, record.subproject, record.place
    if readings is None:
        report.problem(f"{place}.meetings", "not a list: the meetings are left as they are.")
        return
    kept: set[str] = set()
    for index, reading in enumerate(readings):
        where = f"{place}.meetings[{index}]"
        if reading is None:
            report.problem(where, "not a mapping: skipped.")
            continue
        where = f"{where} ({reading.title})"
        slug = reading.slug or _unused(_base_slug(record, reading), kept)
        if slug in kept:
            report.problem(where, f"agora.slug {slug} is another meeting's in this list. Skipped.")
            continue
        try:
            meeting, schedules, outcome = meeting_import(
                group=group, subproject=subproject, slug=slug, reading=reading, on=on, stored=stored
            )
        except ValidationError as error:
            report.problem(where, f"{' '.join(error.messages)} Skipped.")
            continue
        kept.add(slug)
        state = _state(reading.schedule, schedules[0])
        report.count(state, outcome)
        if outcome == "created":
            created[id(meeting)] = (where, state)
        for note in reading.notes:
            report.problem(where, note)
        for text, schedule in zip(reading.schedules, schedules, strict=True):
            if not schedule.is_confirmed:
                report.problem(where, _unconfirmed(text))
    for _, outcome in meetings_retire_imported(
        group=group, subproject=subproject, keep=kept, on=on, stored=stored
    ):
        report.count(NO_LONGER_LISTED, outcome)


def _unused(slug: str, taken: set[str]) -> str:
    """`slug`, or with "-2", "-3"… when the list already has a meeting of that title."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = _numbered(slug, number)
    return candidate


def _numbered(slug: str, number: int) -> str:
    return f"{slug[: 120 - len(str(number)) - 1]}-{number}"


def _state(text: ScheduleReading, schedule: Schedule) -> str:
    """How far the meeting was read, by its first schedule."""
    if not schedule.is_confirmed:
        return NOT_READ if text.status == Reading.UNREADABLE else NEED_A_DATE
    return READ_FULLY if text.status == Reading.READ else CONFIRMED_BY_ADMIN


def _unconfirmed(schedule: ScheduleReading) -> str:
    text = "; ".join(schedule.source_text.splitlines())
    if schedule.status == Reading.UNREADABLE:
        return f"could not be read: {schedule.problem} ({text}); shown with dates to be confirmed."
    dates = ", ".join(f"{day:%a %Y-%m-%d}" for day in schedule.candidates)
    return (
        f"dates to be confirmed: {schedule.problem} ({text}); "
        f"an admin confirms the first date (candidates: {dates})."
    )


def annual_report_meetings(sender, *, group: Group, year: int, sections: list, **kwargs):
    """The annual report's "Meetings" section: each public meeting of the group, and how many
    of its occurrences that year have minutes."""
    lines = []
    for meeting in Meeting.objects.public().filter(group=group).order_by("title"):
        held = (
            Occurrence.objects.filter(schedule__meeting=meeting, original_date__year=year)
            .exclude(minutes="")
            .count()
        )
        lines.append(f"* {meeting.title}: {held} meeting{'s' if held != 1 else ''} with minutes")
    if lines:
        sections.append(("Meetings", "\n".join(lines)))


def readme_meetings(sender, *, group: Group, lines: list, **kwargs):
    """A group README's meetings: each public schedule in words, and its next occurrence in
    the home zone and in UTC."""
    now = timezone.now()
    schedules = (
        Schedule.objects.filter(meeting__in=Meeting.objects.public().filter(group=group))
        .select_related("meeting")
        .order_by("meeting__title", "pk")
    )
    for schedule in schedules:
        line = f"* {schedule.meeting.title}: {describe(schedule)}"
        upcoming = schedule_slots(schedule, now, now + datetime.timedelta(days=400))
        if upcoming:
            slot = upcoming[0]
            utc = slot.start.astimezone(datetime.UTC)
            day = f" {utc:%A}" if utc.date() != slot.local_date else ""
            line += (
                f"; next on {slot.local_start:%A %d %B %Y at %H:%M} {schedule.time_zone}"
                f" ({utc:%H:%M} UTC{day})"
            )
        lines.append(line + ".")
