"""The demo community's meetings.

The seed's two forums (one meeting, two schedules each, in US Pacific wall-clock time), regular
meetings of the demo groups in several home zones, a private steering session, agendas for the
forums' and SIG Auth's next occurrences (one item links to KEP-3299's page), minutes and a
recording for the last one, one cancelled and one moved occurrence. (The meeting whose first date
is still to be confirmed is in governance's demo sigs.yaml, imported with it.)

`load()` finds (or makes) the groups and people it needs, so it runs with or without governance's
demo, and writes everything through meetings.services, as an admin would. What is relative to
today (the next occurrences' agendas, the last one's minutes, the cancellation and the move) is
placed from the day it runs; load_demo runs it once, into an empty database.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from governance.models import Group, GroupKind, Person, Subproject
from governance.services import group_create, person_create, subproject_upsert
from meetings.models import MeetingKind, Schedule
from meetings.recurrence import Frequency, schedule_slots, to_instant
from meetings.services import (
    UNSAVED_VERSION,
    agenda_save,
    meeting_create,
    occurrence_cancel,
    occurrence_move,
    schedule_create,
)

DOCS = "https://docs.example.org/d"
VIDEO = "https://video.example.org/playlists"
PACIFIC = "America/Los_Angeles"
# KEP-3299's tracking issue: its proposal page lists agenda items linking it, on any host.
KEP_3299_ISSUE = "https://github.com/kubernetes/enhancements/issues/3299"

# slug: (kind, name), for the groups this demo needs when governance's demo has not run.
GROUPS = {
    "committee-steering": (GroupKind.COMMITTEE, "Steering"),
    "sig-architecture": (GroupKind.SIG, "Architecture"),
    "sig-network": (GroupKind.SIG, "Network"),
    "sig-node": (GroupKind.SIG, "Node"),
    "sig-storage": (GroupKind.SIG, "Storage"),
    "sig-windows": (GroupKind.SIG, "Windows"),
    "sig-auth": (GroupKind.SIG, "Auth"),
    "sig-release": (GroupKind.SIG, "Release"),
    "wg-lts": (GroupKind.WORKING_GROUP, "LTS"),
}
PEOPLE = {
    "derek-vance": "Derek Vance",
    "priya-raman": "Priya Raman",
    "tomas-novak": "Tomáš Novák",
    "elena-popescu": "Elena Popescu",
    "kenji-watanabe": "Kenji Watanabe",
    "anika-sharma": "Anika Sharma",
    "amara-okafor": "Amara Okafor",
    "yuki-tanaka": "Yuki Tanaka",
}


def _weekly(first: str, interval: int = 1) -> dict[str, Any]:
    return {"frequency": Frequency.WEEKLY, "interval": interval, "first_date": first}


def _monthly(first: str, week: int) -> dict[str, Any]:
    return {"frequency": Frequency.MONTHLY, "week_of_month": week, "first_date": first}


# slug: meeting fields and schedules (home zone, local start, duration, rule). First dates are
# the rule's first in January 2025.
MEETINGS: dict[str, dict[str, Any]] = {
    "community-meeting-forum": {
        "group": "committee-steering",
        "title": "Community Meeting Forum",
        "kind": MeetingKind.COMMUNITY_FORUM,
        "description": "The whole community's meeting: announcements, demos, SIG updates and "
        "open discussion. It meets at two times a month so that every region can join one.",
        "join_url": "https://zoom.example.org/j/100200300",
        "agenda_url": f"{DOCS}/community-meeting-agenda",
        "notes_url": f"{DOCS}/community-meeting-notes",
        "recordings_url": f"{VIDEO}/community-meeting-forum",
        "schedules": [
            (PACIFIC, "17:00", 60, _monthly("2025-01-06", 1)),
            (PACIFIC, "08:00", 60, _monthly("2025-01-20", 3)),
        ],
    },
    "community-architecture-forum": {
        "group": "sig-architecture",
        "title": "Community Architecture Forum",
        "kind": MeetingKind.ARCHITECTURE_FORUM,
        "description": "Design discussions that cross SIGs: API conventions, enhancement "
        "proposals heading for graduation, conformance.",
        "join_url": "https://zoom.example.org/j/100200400",
        "agenda_url": f"{DOCS}/architecture-forum-agenda",
        "recordings_url": f"{VIDEO}/community-architecture-forum",
        "display_zones": ["Asia/Kolkata"],
        "schedules": [
            (PACIFIC, "17:00", 60, _monthly("2025-01-13", 2)),
            (PACIFIC, "08:00", 60, _monthly("2025-01-27", 4)),
        ],
    },
    "steering-closed-session": {
        "group": "committee-steering",
        "title": "Steering Committee Closed Session",
        "kind": MeetingKind.OTHER,
        "description": "Personnel, code of conduct escalations and other confidential matters.",
        "join_url": "https://zoom.example.org/j/steering-closed",
        "agenda_url": f"{DOCS}/steering-closed-agenda",
        "is_private": True,
        "schedules": [(PACIFIC, "08:00", 60, _monthly("2025-01-15", 3))],
    },
    "sig-network-weekly": {
        "group": "sig-network",
        "title": "SIG Network Weekly",
        "join_url": "https://zoom.example.org/j/200300400",
        "agenda_url": f"{DOCS}/sig-network-agenda",
        "schedules": [(PACIFIC, "09:00", 60, _weekly("2025-01-09"))],
    },
    "sig-node-sync": {
        "group": "sig-node",
        "title": "SIG Node Sync",
        "join_url": "https://zoom.example.org/j/200300500",
        "agenda_url": f"{DOCS}/sig-node-agenda",
        "schedules": [(PACIFIC, "10:00", 60, _weekly("2025-01-07"))],
    },
    "sig-storage-biweekly": {
        "group": "sig-storage",
        "title": "SIG Storage Biweekly",
        "join_url": "https://zoom.example.org/j/200300600",
        "display_zones": ["Asia/Kolkata"],
        "schedules": [("Europe/Berlin", "16:00", 60, _weekly("2025-01-09", 2))],
    },
    "sig-windows-weekly": {
        "group": "sig-windows",
        "title": "SIG Windows Weekly",
        "join_url": "https://zoom.example.org/j/200300700",
        "schedules": [("America/New_York", "12:30", 45, _weekly("2025-01-07"))],
    },
    "sig-auth-biweekly": {
        "group": "sig-auth",
        "title": "SIG Auth Biweekly",
        "join_url": "https://zoom.example.org/j/200300800",
        "schedules": [(PACIFIC, "11:00", 60, _weekly("2025-01-08", 2))],
    },
    "sig-release-biweekly": {
        "group": "sig-release",
        "title": "SIG Release Biweekly",
        "join_url": "https://zoom.example.org/j/200300900",
        "schedules": [("UTC", "14:30", 60, _weekly("2025-01-14", 2))],
    },
    "release-team-apac-sync": {
        "group": "sig-release",
        "subproject": "release-team",
        "title": "Release Team APAC Sync",
        "join_url": "https://zoom.example.org/j/200301000",
        "display_zones": ["Asia/Tokyo"],
        "schedules": [("Australia/Sydney", "10:00", 45, _monthly("2025-01-29", -1))],
    },
    "api-review-office-hours": {
        "group": "sig-architecture",
        "subproject": "api-reviews",
        "title": "API Review Office Hours",
        "kind": MeetingKind.OFFICE_HOURS,
        "join_url": "https://zoom.example.org/j/200301100",
        "schedules": [("Asia/Kolkata", "10:00", 45, _weekly("2025-01-16", 2))],
    },
    "wg-lts-monthly": {
        "group": "wg-lts",
        "title": "WG LTS Monthly",
        "join_url": "https://zoom.example.org/j/200301200",
        "display_zones": ["Europe/Berlin"],
        "schedules": [("Asia/Shanghai", "08:00", 60, _monthly("2025-01-21", 3))],
    },
}

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
MINUTES = """\
## Decisions
- The release team will publish the schedule of the next release by the end of the month.
- SIG Node's proposal for sidecar containers moves to beta.

## Action items
- @elena-popescu: share the release calendar on the mailing list.
"""


def load() -> None:
    groups = {
        slug: Group.objects.filter(slug=slug).first()
        or group_create(slug=slug, kind=kind, name=name)
        for slug, (kind, name) in GROUPS.items()
    }
    people = {
        handle: Person.objects.filter(handle__iexact=handle).first()
        or person_create(handle=handle, name=name)
        for handle, name in PEOPLE.items()
    }
    schedules = {slug: _meeting(slug, spec, groups) for slug, spec in MEETINGS.items()}
    now = timezone.now()
    for slug, items in AGENDAS.items():
        for schedule in schedules[slug]:
            _agenda(schedule, _upcoming(schedule, now)[0], items, people)
    forum_first, forum_third = schedules["community-meeting-forum"]
    _minutes(forum_first, now)
    _move_second_next(forum_third, now, "Monday is a public holiday in the US.")
    architecture_fourth = schedules["community-architecture-forum"][1]
    occurrence_cancel(
        schedule=architecture_fourth,
        original_date=_upcoming(architecture_fourth, now)[1],
        reason="Most of the SIG is at the contributor summit that week.",
    )


def _meeting(slug: str, spec: dict[str, Any], groups: dict[str, Group]) -> list[Schedule]:
    spec = dict(spec)
    group = groups[spec.pop("group")]
    subproject_name = spec.pop("subproject", None)
    rows = spec.pop("schedules")
    subproject = subproject_name and (
        Subproject.objects.filter(group=group, name=subproject_name).first()
        or subproject_upsert(group=group, name=subproject_name)[0]
    )
    meeting = meeting_create(group=group, slug=slug, subproject=subproject or None, **spec)
    return [
        schedule_create(
            meeting=meeting,
            time_zone=zone,
            start_time=datetime.time.fromisoformat(start),
            duration_minutes=duration,
            **{**rule, "first_date": datetime.date.fromisoformat(rule["first_date"])},
        )
        for zone, start, duration, rule in rows
    ]


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


def _move_second_next(schedule: Schedule, now: datetime.datetime, reason: str) -> None:
    """Move the schedule's second next occurrence to the next day, at the same local time."""
    day = _upcoming(schedule, now)[1]
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), schedule.start_time)
    occurrence_move(
        schedule=schedule,
        original_date=day,
        start=to_instant(next_day, ZoneInfo(schedule.time_zone)),
        reason=reason,
    )
