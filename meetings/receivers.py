"""The meetings lists of sigs.yaml, imported as governance's import_sigs imports each group.

Connected in MeetingsConfig.ready() to governance.signals. Each list is brought in line with the
file: meetings are created or updated by slug (group, subproject and title), and imported ones
no longer in the list are retired (see meetings.services.meetings_retire_imported). The report
counts meetings by how far their text was read and lists, with its place and text, each one whose
dates are still to be confirmed or whose text could not be read.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from governance.models import Group, Subproject
from meetings.importers.sigs_yaml import MeetingReading, Reading, meeting_slug, read_meeting
from meetings.models import Schedule
from meetings.services import meeting_import, meetings_retire_imported

READ_FULLY = "meetings read fully"
CONFIRMED_BY_ADMIN = "meetings whose date an admin confirmed"
NEED_A_DATE = "meetings that need a date confirmed"
NOT_READ = "meetings it could not read"
NO_LONGER_LISTED = "meetings no longer in the file"


def import_group_meetings(sender, *, group: Group, data: Mapping, place: str, report, on, **kwargs):
    _import_meetings(group, None, data, place=place, report=report, on=on)


def import_subproject_meetings(
    sender, *, subproject: Subproject, data: Mapping, place: str, report, on, **kwargs
):
    _import_meetings(subproject.group, subproject, data, place=place, report=report, on=on)


def _import_meetings(
    group: Group, subproject: Subproject | None, data: Mapping, *, place: str, report, on
) -> None:
    entries: Any = data.get("meetings") or []
    if not isinstance(entries, list):
        report.problem(f"{place}.meetings", "not a list: the meetings are left as they are.")
        return
    kept: set[str] = set()
    for index, raw in enumerate(entries):
        where = f"{place}.meetings[{index}]"
        if not isinstance(raw, Mapping):
            report.problem(where, "not a mapping: skipped.")
            continue
        reading = read_meeting(raw, on=on)
        where = f"{where} ({reading.title})"
        slug = _unused(
            meeting_slug(group.slug, subproject.name if subproject else "", reading.title), kept
        )
        try:
            _, schedule, outcome = meeting_import(
                group=group, subproject=subproject, slug=slug, reading=reading
            )
        except ValidationError as error:
            report.problem(where, f"{' '.join(error.messages)} Skipped.")
            continue
        kept.add(slug)
        report.count(_state(reading, schedule), outcome)
        for note in reading.notes:
            report.problem(where, note)
        if not schedule.is_confirmed:
            report.problem(where, _unconfirmed(reading))
    for _, outcome in meetings_retire_imported(
        group=group, subproject=subproject, keep=kept, on=on
    ):
        report.count(NO_LONGER_LISTED, outcome)


def _unused(slug: str, taken: set[str]) -> str:
    """`slug`, or with "-2", "-3"… when the list already has a meeting of that title."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug[: 120 - len(str(number)) - 1]}-{number}"
    return candidate


def _state(reading: MeetingReading, schedule: Schedule) -> str:
    if not schedule.is_confirmed:
        return NOT_READ if reading.schedule.status == Reading.UNREADABLE else NEED_A_DATE
    return READ_FULLY if reading.schedule.status == Reading.READ else CONFIRMED_BY_ADMIN


def _unconfirmed(reading: MeetingReading) -> str:
    schedule = reading.schedule
    text = "; ".join(schedule.source_text.splitlines())
    if schedule.status == Reading.UNREADABLE:
        return f"could not be read: {schedule.problem} ({text}); shown with dates to be confirmed."
    dates = ", ".join(f"{day:%a %Y-%m-%d}" for day in schedule.candidates)
    return (
        f"dates to be confirmed: {schedule.problem} ({text}); "
        f"an admin confirms the first date (candidates: {dates})."
    )
