"""Who meets at night: the burden of meeting times on members' zones, and fairer slots.

Pure computation over instants and zone names (no database): for each occurrence, every member
zone's local start and end and whether it falls in that zone's night or weekend; from that the
share of members it costs, the zones that carry it most, how a rotation (a meeting's several
schedules) spreads it, and ranked weekly and alternating slot candidates for a set of zones.
Members are counted per zone; no person is named here or anywhere these figures are shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from zoneinfo import ZoneInfo

from meetings.recurrence import to_instant

UTC = datetime.UTC
WEEK = datetime.timedelta(weeks=1)
DAY = datetime.timedelta(days=1)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# How many candidates of each kind a search returns, and how far apart (in minutes) the starts
# of two listed ones are at least: 07:30 adds nothing beside an equally good 07:00.
SUGGESTIONS = 5
APART_MINUTES = 60


@dataclass(frozen=True)
class NightRule:
    """What counts as a burden in a member's own zone: any minute of the meeting in the night
    (local `night_start` to `night_end`, across midnight when start > end), or a start on one of
    the `weekend` weekdays (0 Monday ... 6 Sunday; empty when weekends do not count)."""

    night_start: datetime.time = datetime.time(22)
    night_end: datetime.time = datetime.time(7)
    weekend: frozenset[int] = frozenset({5, 6})

    @classmethod
    def parse(cls, night: str, weekend: str) -> NightRule:
        """From setting text: night "22:00-07:00", weekend "saturday,sunday" (or empty)."""
        start, _, end = night.partition("-")
        if start.strip() == end.strip():
            raise ValueError("the night must start and end at different times")
        days = [day.strip().lower() for day in weekend.split(",") if day.strip()]
        unknown = [day for day in days if day not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown weekday {unknown[0]!r}: give e.g. saturday,sunday")
        return cls(
            datetime.time.fromisoformat(start.strip()),
            datetime.time.fromisoformat(end.strip()),
            frozenset(WEEKDAYS.index(day) for day in days),
        )

    def _night_spans(self, day: datetime.date, zone: ZoneInfo):
        """The nights touching local `day`, as UTC instants [start, end)."""
        return _night_spans(self.night_start, self.night_end, day, zone)

    def at_night(self, start: datetime.datetime, end: datetime.datetime, zone: ZoneInfo) -> bool:
        """Whether [start, end) overlaps a night of `zone` (nights are measured per date on the
        zone's wall clock, so a DST change moves them with the clocks)."""
        days = {start.astimezone(zone).date(), end.astimezone(zone).date()}
        return any(
            night_start < end and start < night_end
            for day in days
            for night_start, night_end in self._night_spans(day, zone)
        )

    def on_weekend(self, start: datetime.datetime, zone: ZoneInfo) -> bool:
        return start.astimezone(zone).weekday() in self.weekend


@lru_cache(maxsize=65536)
def _night_spans(
    night_start: datetime.time, night_end: datetime.time, day: datetime.date, zone: ZoneInfo
) -> tuple[tuple[datetime.datetime, datetime.datetime], ...]:
    # Cached: a search asks for the same few days of each zone for every candidate start.
    spans = []
    for offset in (-1, 0):
        first = day + offset * DAY
        second = first + DAY if night_start >= night_end else first
        begin = datetime.datetime.combine(first, night_start)
        finish = datetime.datetime.combine(second, night_end)
        spans.append((to_instant(begin, zone), to_instant(finish, zone)))
    return tuple(spans)


@dataclass(frozen=True)
class Sitting:
    """One occurrence: its instants and the part of a rotation it belongs to (a schedule)."""

    start: datetime.datetime
    end: datetime.datetime
    part: str = ""


@dataclass(frozen=True)
class ZoneTime:
    """One occurrence on one member zone's clock."""

    zone: str
    members: int
    start: datetime.datetime
    end: datetime.datetime
    night: bool
    weekend: bool

    @property
    def burdened(self) -> bool:
        return self.night or self.weekend


@dataclass(frozen=True)
class OccurrenceBurden:
    sitting: Sitting
    times: tuple[ZoneTime, ...]

    @property
    def members_at_night(self) -> int:
        return sum(time.members for time in self.times if time.night)

    @property
    def members_burdened(self) -> int:
        return sum(time.members for time in self.times if time.burdened)


@dataclass(frozen=True)
class ZoneBurden:
    """A member zone over all the occurrences: how often they fall in its night or weekend."""

    zone: str
    members: int
    occurrences: int
    nights: int
    weekends: int
    burdened: int

    @property
    def share(self) -> float:
        """The share of occurrences at night or on the weekend for this zone's members."""
        return self.burdened / self.occurrences if self.occurrences else 0.0


@dataclass(frozen=True)
class RotationPart:
    """One schedule of a rotation: its occurrences and the burdened ones per zone."""

    part: str
    occurrences: int
    zones: tuple[ZoneBurden, ...]

    @property
    def burdened_zones(self) -> tuple[ZoneBurden, ...]:
        return tuple(zone for zone in self.zones if zone.burdened)


@dataclass(frozen=True)
class Burden:
    """The burden of a set of occurrences on the members' zones."""

    occurrences: tuple[OccurrenceBurden, ...]
    zones: tuple[ZoneBurden, ...]
    rotation: tuple[RotationPart, ...]
    unknown: int

    @property
    def members(self) -> int:
        return sum(zone.members for zone in self.zones)

    @property
    def member_occurrences(self) -> int:
        return self.members * len(self.occurrences)

    @property
    def share(self) -> float:
        """The share of member-occurrences at night or on the weekend."""
        total = self.member_occurrences
        burdened = sum(occurrence.members_burdened for occurrence in self.occurrences)
        return burdened / total if total else 0.0

    @property
    def worst(self) -> float:
        """The worst-off zone's share."""
        return max((zone.share for zone in self.zones), default=0.0)

    @property
    def spread(self) -> float:
        """How unevenly the burden falls: the worst-off zone's share less the best-off's."""
        return self.worst - min((zone.share for zone in self.zones), default=0.0)

    @property
    def carriers(self) -> tuple[ZoneBurden, ...]:
        """The zones that carry it most often (none when nobody is burdened)."""
        most = max((zone.burdened for zone in self.zones), default=0)
        return tuple(zone for zone in self.zones if most and zone.burdened == most)


def _zone_order(zones: Mapping[str, int], at: datetime.datetime) -> list[str]:
    """West to east by UTC offset at `at`, then by name."""
    return sorted(zones, key=lambda name: (at.astimezone(ZoneInfo(name)).utcoffset(), name))


def _totals(zone: str, members: int, times: Sequence[ZoneTime]) -> ZoneBurden:
    return ZoneBurden(
        zone=zone,
        members=members,
        occurrences=len(times),
        nights=sum(time.night for time in times),
        weekends=sum(time.weekend for time in times),
        burdened=sum(time.burdened for time in times),
    )


def burden(
    sittings: Iterable[Sitting],
    zones: Mapping[str, int],
    *,
    rule: NightRule,
    unknown: int = 0,
) -> Burden:
    """The burden of `sittings` on members counted per IANA zone (`zones`: name -> members);
    `unknown` members whose zone is not known are counted, never guessed."""
    ordered = sorted(sittings, key=lambda sitting: sitting.start)
    names = _zone_order(zones, ordered[0].start if ordered else datetime.datetime.now(UTC))
    occurrences = []
    for sitting in ordered:
        times = []
        for name in names:
            zone = ZoneInfo(name)
            times.append(
                ZoneTime(
                    zone=name,
                    members=zones[name],
                    start=sitting.start.astimezone(zone),
                    end=sitting.end.astimezone(zone),
                    night=rule.at_night(sitting.start, sitting.end, zone),
                    weekend=rule.on_weekend(sitting.start, zone),
                )
            )
        occurrences.append(OccurrenceBurden(sitting, tuple(times)))

    def per_zone(chosen: list[OccurrenceBurden]) -> tuple[ZoneBurden, ...]:
        return tuple(
            _totals(name, zones[name], [occurrence.times[index] for occurrence in chosen])
            for index, name in enumerate(names)
        )

    parts = dict.fromkeys(occurrence.sitting.part for occurrence in occurrences)
    rotation = tuple(
        RotationPart(part, len(chosen), per_zone(chosen))
        for part in parts
        for chosen in [[o for o in occurrences if o.sitting.part == part]]
    )
    return Burden(tuple(occurrences), per_zone(occurrences), rotation, unknown)


# -- Finding a time ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A weekly slot (one start) or an alternating pair (two starts, week about) in a zone."""

    starts: tuple[datetime.time, ...]
    zone: str
    burden: Burden

    @property
    def is_alternating(self) -> bool:
        return len(self.starts) > 1


def weekly_starts(
    first: datetime.date, start: datetime.time, zone: str, weeks: int
) -> list[datetime.datetime]:
    """The UTC instants of `start` on the wall clock of `zone`, weekly from `first`."""
    return [
        to_instant(datetime.datetime.combine(first + week * WEEK, start), ZoneInfo(zone))
        for week in range(weeks)
    ]


def _sittings(
    chosen: Sequence[datetime.time],
    instants: Mapping[datetime.time, list[datetime.datetime]],
    minutes: int,
    zone: str,
) -> list[Sitting]:
    """Week by week, the starts of `chosen` in turn; each start is a part of the rotation."""
    length = datetime.timedelta(minutes=minutes)
    parts = {start: f"{start:%H:%M} {zone}" if len(chosen) > 1 else "" for start in chosen}
    return [
        Sitting(instants[start][week], instants[start][week] + length, parts[start])
        for week in range(len(instants[chosen[0]]))
        for start in [chosen[week % len(chosen)]]
    ]


def suggestions(
    zones: Mapping[str, int],
    *,
    first: datetime.date,
    zone: str,
    minutes: int,
    weeks: int,
    rule: NightRule,
    unknown: int = 0,
    step_minutes: int = 30,
) -> tuple[list[Candidate], list[Candidate]]:
    """The best weekly slots and alternating pairs on `first`'s weekday in `zone`, over
    `weeks` weeks: weekly ones by the worst-off zone's share, then the share of all members,
    then how evenly it falls; pairs the same way, so the first pair is the one that minimises
    the worst-off zone. Each week's instant is computed from the wall clock, across DST."""
    if not zones or weeks < 1:
        return [], []
    starts = [
        (datetime.datetime.min + datetime.timedelta(minutes=minute)).time()
        for minute in range(0, 24 * 60, step_minutes)
    ]
    instants = {start: weekly_starts(first, start, zone, weeks) for start in starts}
    length = datetime.timedelta(minutes=minutes)
    names = list(zones)
    total = sum(zones.values())
    # burdened[start][zone] = weeks (even, odd) in which the start burdens the zone's members.
    burdened: dict[datetime.time, list[tuple[int, int]]] = {}
    for start in starts:
        row = []
        for name in names:
            place = ZoneInfo(name)
            flags = [
                rule.at_night(moment, moment + length, place) or rule.on_weekend(moment, place)
                for moment in instants[start]
            ]
            row.append((sum(flags[0::2]), sum(flags[1::2])))
        burdened[start] = row

    def rank(counts: list[int]) -> tuple[float, float, float]:
        """(worst-off zone's share, all members' share, spread) of weeks burdened per zone."""
        shares = [count / weeks for count in counts]
        everyone = sum(count * zones[name] for count, name in zip(counts, names, strict=True))
        return (max(shares), everyone / (total * weeks), max(shares) - min(shares))

    weekly = sorted(starts, key=lambda s: (*rank([e + o for e, o in burdened[s]]), s))
    # Week about: the first start in even weeks, the second in odd ones.
    pairs = sorted(
        combinations(starts, 2) if weeks > 1 else [],
        key=lambda pair: (
            *rank([a[0] + b[1] for a, b in zip(burdened[pair[0]], burdened[pair[1]], strict=True)]),
            pair,
        ),
    )

    def candidate(chosen: tuple[datetime.time, ...]) -> Candidate:
        sittings = _sittings(chosen, instants, minutes, zone)
        return Candidate(chosen, zone, burden(sittings, zones, rule=rule, unknown=unknown))

    return (
        [candidate(starts) for starts in _distinct([(start,) for start in weekly])],
        [candidate(pair) for pair in _distinct(pairs)],
    )


def _minutes_apart(one: datetime.time, other: datetime.time) -> int:
    difference = abs((one.hour - other.hour) * 60 + one.minute - other.minute)
    return min(difference, 24 * 60 - difference)


def _distinct(ranked: Iterable[tuple[datetime.time, ...]]) -> list[tuple[datetime.time, ...]]:
    """The first SUGGESTIONS of `ranked`, leaving out those whose every start is within
    APART_MINUTES of the same start of one already kept."""
    kept: list[tuple[datetime.time, ...]] = []
    for starts in ranked:
        if not any(
            all(_minutes_apart(a, b) < APART_MINUTES for a, b in zip(starts, other, strict=True))
            for other in kept
        ):
            kept.append(starts)
            if len(kept) == SUGGESTIONS:
                break
    return kept
