"""The demo community's occurrence records: what no file format says, written through the
services.

The demo's meetings (the seed's two forums, each one meeting at two times a month, the groups'
meetings in several home zones, a private steering session, office hours, and one whose first
date is still to be confirmed) are in governance's demo sigs.yaml, with the Agora keys the
meetings importer reads (meetings.importers.sigs_yaml), imported with the groups. What is relative
to today is placed here from the day it runs: agendas for the forums' and SIG Auth's next
occurrences (one item links to KEP-3299's page), minutes and a recording for the last forum, one
cancelled and one moved occurrence. load_demo runs it once, after governance's demo, into an
empty database.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from governance.models import Person
from meetings.models import Schedule
from meetings.recurrence import schedule_slots, to_instant
from meetings.services import UNSAVED_VERSION, agenda_save, occurrence_cancel, occurrence_move

VIDEO = "https://video.example.org/playlists"
# KEP-3299's tracking issue: its proposal page lists agenda items linking it, on any host.
KEP_3299_ISSUE = "https://github.com/kubernetes/enhancements/issues/3299"

# Meeting slug -> agenda of its schedules' next occurrences: (title, presenter handle or name,
# minutes, link).
AGENDAS = {
    "community-meeting-forum": [
        ("Welcome and code of conduct reminder", "amara-okafor", 5, ""),
        ("Release update: the next minor release", "elena-popescu", 10, ""),
        ("Demo: splitting traffic with the Gateway API", "kenji-watanabe", 15, ""),
        ("SIG Node update", "anika-sharma", 10, ""),
        ("Open discussion", "Everyone", 15, ""),
    ],
    "community-architecture-forum": [
        (
            "Enhancement proposal: in-place pod resize to stable",
            "priya-raman",
            20,
            "https://github.com/agora-demo/enhancements/issues/1287",
        ),
        ("API conventions: optional fields and defaults", "derek-vance", 20, ""),
        ("Conformance profiles, next steps", "tomas-novak", 15, ""),
    ],
    "steering-closed-session": [
        ("Code of conduct escalation (confidential)", "amara-okafor", 30, "")
    ],
    # The proposal's page lists this item (projects' demo has KEP-3299, owned by SIG Auth).
    "sig-auth-biweekly": [
        ("Audit logging: retention defaults", "yuki-tanaka", 15, ""),
        (
            "KEP-3299 KMS v2 Improvements: feedback from the stable release",
            "yuki-tanaka",
            20,
            KEP_3299_ISSUE,
        ),
    ],
}
# The forums, whose schedules get the minutes, the move and the cancellation.
FORUMS = ("community-meeting-forum", "community-architecture-forum")
MINUTES = """\
## Decisions
- The release team will publish the schedule of the next release by the end of the month.
- SIG Node's proposal for sidecar containers moves to beta.

## Action items
- @elena-popescu: share the release calendar on the mailing list.
"""


def load() -> None:
    schedules: dict[str, list[Schedule]] = {}
    slugs = [*AGENDAS, *FORUMS]
    for schedule in Schedule.objects.filter(meeting__slug__in=slugs).select_related("meeting"):
        schedules.setdefault(schedule.meeting.slug, []).append(schedule)
    handles = {presenter for items in AGENDAS.values() for _, presenter, _, _ in items}
    people = {person.handle: person for person in Person.objects.filter(handle__in=handles)}
    now = timezone.now()
    # Each schedule's next dates, worked out once: an agenda saved does not move them.
    upcoming = {
        schedule.pk: _upcoming(schedule, now) for each in schedules.values() for schedule in each
    }
    for slug, items in AGENDAS.items():
        for schedule in schedules[slug]:
            _agenda(schedule, upcoming[schedule.pk][0], items, people)
    forum_first, forum_third = schedules["community-meeting-forum"]
    _minutes(forum_first, now)
    _move_second_next(
        forum_third, upcoming[forum_third.pk][1], "Monday is a public holiday in the US."
    )
    architecture_fourth = schedules["community-architecture-forum"][1]
    occurrence_cancel(
        schedule=architecture_fourth,
        original_date=upcoming[architecture_fourth.pk][1],
        reason="Most of the SIG is at the contributor summit that week.",
    )


def _upcoming(schedule: Schedule, now: datetime.datetime) -> list[datetime.date]:
    slots = schedule_slots(schedule, now, now + datetime.timedelta(days=100))
    return [slot.original_date for slot in slots if slot.start >= now]


def _agenda(
    schedule: Schedule,
    day: datetime.date,
    items: list[tuple[str, str, int, str]],
    people: dict[str, Person],
) -> None:
    agenda_save(
        schedule=schedule,
        original_date=day,
        items=[
            {
                "title": title,
                "presenter": people.get(presenter),
                "presenter_name": "" if presenter in people else presenter,
                "minutes_allotted": minutes,
                "link": link,
            }
            for title, presenter, minutes, link in items
        ],
        minutes="",
        recording_url="",
        expected_version=UNSAVED_VERSION,
    )


def _minutes(schedule: Schedule, now: datetime.datetime) -> None:
    slots = schedule_slots(schedule, now - datetime.timedelta(days=40), now)
    past = [slot for slot in slots if slot.end <= now]
    if past:
        day = past[-1].original_date
        agenda_save(
            schedule=schedule,
            original_date=day,
            items=[],
            minutes=MINUTES,
            recording_url=f"{VIDEO}/community-meeting-forum/{day:%Y-%m-%d}",
            expected_version=UNSAVED_VERSION,
        )


def _move_second_next(schedule: Schedule, day: datetime.date, reason: str) -> None:
    """Move the schedule's occurrence on `day` (its second next) to the next day, at the same
    local time."""
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), schedule.start_time)
    occurrence_move(
        schedule=schedule,
        original_date=day,
        start=to_instant(next_day, ZoneInfo(schedule.time_zone)),
        reason=reason,
    )
