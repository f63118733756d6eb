"""The demo community's meetings.

The seed's two forums (one meeting, two schedules each, in US Pacific wall-clock time), regular
meetings of the demo groups in several home zones, a private steering session, a meeting imported
from sigs.yaml text whose dates are still to be confirmed, agendas for the forums' and SIG Auth's
next occurrences (one item links to KEP-3299's page), minutes and a recording for the last one,
one cancelled and one moved occurrence.

`load()` is idempotent and finds (or makes) the groups and people it needs, so it runs with or
without governance's demo. Occurrence records follow today: a run on a later day adds agendas for
its own next occurrences, and a cancellation and a move only when none is coming up.
"""

import datetime
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone

from governance.models import Group, GroupKind, Person, Subproject
from governance.services import group_create, person_create, subproject_upsert
from meetings.importers.apply import meeting_import
from meetings.importers.sigs_yaml import meeting_slug, read_meeting
from meetings.models import AgendaItem, Meeting, MeetingKind, Occurrence, OccurrenceStatus, Schedule
from meetings.recurrence import Frequency, schedule_slots, to_instant

UID_NAMESPACE = uuid.UUID("0b6f3c2e-5d0f-4a51-9d7e-3f7f8d0c6a10")
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

# A meeting as sigs.yaml writes it: imported, it has dates to be confirmed (biweekly, no start).
IMPORTED = (
    "sig-auth",
    {
        "description": "Secrets Store CSI Meeting",
        "day": "Thursday",
        "time": "9:00",
        "tz": "PT (Pacific Time)",
        "frequency": "biweekly",
        "url": "https://zoom.example.org/j/200301300",
    },
)

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


def _save(model: type[models.Model], lookup: dict[str, Any], **fields: Any):
    """The demo's one write: the record `lookup` finds, or a new one, given `fields`, validated.

    Returns the record and whether it was saved.
    """
    record = model.objects.filter(**lookup).first()
    created = record is None
    record = record or model(**lookup)
    changed = [name for name, value in fields.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, fields[name])
    if created or changed:
        record.full_clean()
        record.save()
    return record, created or bool(changed)


@transaction.atomic
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
    group, raw = IMPORTED
    reading = read_meeting(raw, on=datetime.date(2025, 1, 6))
    meeting_import(
        group=groups[group],
        subproject=None,
        slug=meeting_slug(group, "", reading.title),
        reading=reading,
    )
    now = timezone.now()
    for slug, items in AGENDAS.items():
        for schedule in schedules[slug]:
            _agenda(schedule, now, items, people)
    forum_first, forum_third = schedules["community-meeting-forum"]
    _minutes(forum_first, now)
    _move_second_next(forum_third, now, "Monday is a public holiday in the US.")
    _cancel_second_next(
        schedules["community-architecture-forum"][1],
        now,
        "Most of the SIG is at the contributor summit that week.",
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
    meeting, _ = _save(
        Meeting,
        {"slug": slug},
        group_id=group.pk,
        subproject_id=subproject.pk if subproject else None,
        **spec,
    )
    return [
        _save(
            Schedule,
            {"meeting": meeting, "uid": uuid.uuid5(UID_NAMESPACE, f"{slug}/{index}")},
            time_zone=zone,
            start_time=datetime.time.fromisoformat(start),
            duration_minutes=duration,
            **{**rule, "first_date": datetime.date.fromisoformat(rule["first_date"])},
        )[0]
        for index, (zone, start, duration, rule) in enumerate(rows)
    ]


def _upcoming(schedule: Schedule, now: datetime.datetime) -> list[datetime.date]:
    slots = schedule_slots(schedule, now, now + datetime.timedelta(days=100))
    return [slot.original_date for slot in slots if slot.start >= now]


def _record(schedule: Schedule, day: datetime.date, **fields: Any) -> Occurrence:
    """Store something about one occurrence; a change raises the schedule's SEQUENCE."""
    record, saved = _save(Occurrence, {"schedule": schedule, "original_date": day}, **fields)
    if saved:
        _save(Schedule, {"pk": schedule.pk}, sequence=schedule.sequence + 1)
        schedule.refresh_from_db(fields=["sequence"])
    return record


def _agenda(
    schedule: Schedule,
    now: datetime.datetime,
    items: list[tuple[str, str, int, str]],
    people: dict[str, Person],
) -> None:
    occurrence = _record(schedule, _upcoming(schedule, now)[0])
    for order, (title, presenter, minutes, link) in enumerate(items, start=1):
        _save(
            AgendaItem,
            {"occurrence": occurrence, "order": order},
            title=title,
            presenter_id=people[presenter].pk if presenter in people else None,
            presenter_name="" if presenter in people else presenter,
            minutes_allotted=minutes,
            link=link,
        )


def _minutes(schedule: Schedule, now: datetime.datetime) -> None:
    slots = schedule_slots(schedule, now - datetime.timedelta(days=40), now)
    past = [slot for slot in slots if slot.end <= now]
    if past:
        _record(
            schedule,
            past[-1].original_date,
            minutes=MINUTES,
            recording_url=f"{VIDEO}/community-meeting-forum/{past[-1].original_date:%Y-%m-%d}",
        )


def _coming_up(schedule: Schedule, status: str, now: datetime.datetime) -> bool:
    return schedule.occurrences.filter(status=status, original_date__gte=now.date()).exists()


def _move_second_next(schedule: Schedule, now: datetime.datetime, reason: str) -> None:
    if _coming_up(schedule, OccurrenceStatus.MOVED, now):
        return
    day = _upcoming(schedule, now)[1]
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), schedule.start_time)
    _record(
        schedule,
        day,
        status=OccurrenceStatus.MOVED,
        reason=reason,
        moved_start=to_instant(next_day, ZoneInfo(schedule.time_zone)),
    )


def _cancel_second_next(schedule: Schedule, now: datetime.datetime, reason: str) -> None:
    if not _coming_up(schedule, OccurrenceStatus.CANCELLED, now):
        _record(
            schedule, _upcoming(schedule, now)[1], status=OccurrenceStatus.CANCELLED, reason=reason
        )
