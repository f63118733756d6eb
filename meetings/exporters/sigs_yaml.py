"""Meetings written back as sigs.yaml meeting mappings, for governance's export_sigs.

A schedule still as it was imported is written with the text it was read from, so a round trip
keeps the file's own spelling. Any other schedule (made in Agora, or whose imported text an admin
completed, e.g. by confirming its first date) is written in words the importer reads back.
Private meetings keep their time, not their join link, agenda, notes or recordings, unless
`include_private`. What sigs.yaml cannot say (a second time, the kind, the description...) is
written in the `agora:` keys the importer reads (meetings.importers.sigs_yaml).
"""

import calendar
import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from meetings.importers.sigs_yaml import (
    SCHEDULE_KEYS,
    MeetingReading,
    Reading,
    meeting_slug,
    read_source_text,
    source_fields,
)
from meetings.models import Meeting, Schedule
from meetings.recurrence import Frequency, WeekOfMonth
from meetings.services import TIMING_FIELDS

# What a text says of a schedule: its timing but the dates, which depend on the day it is read.
_READ_FIELDS = tuple(name for name in TIMING_FIELDS if name not in {"first_date", "last_date"})


def meeting_entries(
    schedules: Iterable[Schedule], *, include_private: bool, today: datetime.date
) -> list[dict[str, Any]]:
    """One sigs.yaml meeting mapping per meeting, from its schedules that have not ended (each
    with its meeting, group and subproject): the first in the file's own keys, the others under
    `agora.schedules`, with the `agora:` keys of what else sigs.yaml cannot say."""
    by_meeting: dict[int, list[Schedule]] = {}
    for schedule in schedules:
        if not (schedule.last_date and schedule.last_date < today):
            by_meeting.setdefault(schedule.meeting_id, []).append(schedule)
    entries = []
    for first, *others in by_meeting.values():
        meeting = first.meeting
        shown = include_private or not meeting.is_private
        links = (
            {
                "url": meeting.join_url,
                "archive_url": meeting.agenda_url,
                "recordings_url": meeting.recordings_url,
            }
            if shown
            else {}
        )
        entry: dict[str, Any] = {"description": meeting.title, **schedule_text(first)}
        entry.update({key: url for key, url in links.items() if url})
        agora = _agora_keys(meeting, others, shown=shown)
        if agora:
            entry["agora"] = agora
        entries.append(entry)
    return entries


def _agora_keys(meeting: Meeting, others: list[Schedule], *, shown: bool) -> dict[str, Any]:
    """The `agora:` keys of a meeting: only what the importer would not give it by itself."""
    reading = MeetingReading(title=meeting.title, schedules=())
    subproject = meeting.subproject.name if meeting.subproject else ""
    keys: dict[str, Any] = {
        "slug": meeting.slug
        if meeting.slug != meeting_slug(meeting.group.slug, subproject, meeting.title)
        else "",
        "kind": meeting.kind if meeting.kind != reading.kind else "",
        "about": meeting.description,
        "notes_url": meeting.notes_url if shown else "",
        "display_zones": meeting.display_zones,
        "private": meeting.is_private and not reading.is_private,
        "schedules": [schedule_text(schedule) for schedule in others],
    }
    return {key: value for key, value in keys.items() if value}


def schedule_text(schedule: Schedule) -> dict[str, str]:
    """The day, time, tz and frequency of a schedule, as sigs.yaml writes them."""
    if schedule.source_text and _as_imported(schedule):
        return source_fields(schedule.source_text)
    first = schedule.first_date
    weekday = calendar.day_name[first.weekday()] if first else "to be confirmed"
    on = f"{weekday} {first:%B} {first.day}, {first.year}" if first else ""
    starting = f" starting {on}" if first else ""
    if schedule.frequency == Frequency.WEEKLY:
        every = {1: "weekly", 2: "biweekly"}.get(schedule.interval)
        frequency = (every or f"every {schedule.interval} weeks") + starting
    elif schedule.frequency == Frequency.MONTHLY:
        nth = WeekOfMonth(schedule.week_of_month).label.lower()
        months = "monthly" if schedule.interval == 1 else f"every {schedule.interval} months"
        frequency = f"{months} - {nth} {weekday}"
    elif schedule.frequency == Frequency.RRULE:
        frequency = f"RRULE:{schedule.rrule}{starting}"
    else:
        frequency = f"once on {on}" if first else "once"
    fields = {
        "day": weekday,
        "time": f"{schedule.start_time:%H:%M}" if schedule.start_time else "",
        "tz": schedule.time_zone,
        "frequency": frequency,
    }
    return {key: fields[key] for key in SCHEDULE_KEYS}


def _as_imported(schedule: Schedule) -> bool:
    """Whether the schedule is what its source text reads to (its first date aside)."""
    reading = read_source_text(schedule.source_text, on=timezone.localdate())
    if schedule.is_confirmed and reading.status != Reading.READ:
        return False
    stored: dict[str, Any] = {name: getattr(schedule, name) for name in _READ_FIELDS}
    return reading.status == Reading.UNREADABLE or all(
        getattr(reading, name) == value
        for name, value in stored.items()
        if not (name == "week_of_month" and reading.week_of_month is None)
    )
