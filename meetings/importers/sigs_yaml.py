"""Reading the free-text meetings of Kubernetes' sigs.yaml into schedules.

A meeting in sigs.yaml is free text: day ("Tuesday", "third Wednesday", "Thursdays (starting
February 15th 2024)"), time ("9:00", "09:00", "2PM"), tz ("PT (Pacific Time)", "Poland", "IST")
and frequency ("biweekly starting Tuesday Feb 11, 2025", "monthly - Wednesday, after the fourth
Tuesday, every month"). `read_meeting` turns one mapping into a `MeetingReading` without touching
the database (meetings.services applies it); its schedule's status says how far the text could be
read:

- read: a whole schedule. Its first date is the text's own start date, else the first date on or
  after the import date: a weekly or monthly-on-the-nth-weekday rule has no phase to guess.
- needs_date: the rule is known but not its phase (a biweekly meeting with no start date, a
  monthly one that does not say which week): an admin picks the first date among `candidates`.
- unreadable: some part cannot be read. The text is kept for an admin to read.

A meeting whose title says "private" is private (its join link and agenda are not public);
"office hours" in a title makes office hours.

What sigs.yaml cannot say, an `agora:` mapping in a meeting adds (Kubernetes' tools ignore it).
Each key is optional; what a key does not give is left as it is, or as the rules above make it:

    agora:
      slug: community-meeting-forum   # the meeting's address (default: group, subproject, title)
      kind: community_forum           # community_forum, architecture_forum, group_meeting,
                                      # office_hours or other (default: from the title)
      about: The whole community's meeting.  # the meeting's description
      notes_url: https://docs.example.org/d/notes
      display_zones: [Asia/Kolkata]   # zones its pages show besides the site's
      private: true                   # join link, agenda and minutes not public (never undone)
      schedules:                      # the meeting's other times, each in sigs.yaml's keys
        - {day: third Monday, time: "08:00", tz: America/Los_Angeles, frequency: monthly}

A bad value is reported and left out; the rest of the meeting is read.
"""

import calendar
import dataclasses
import datetime
import enum
import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from governance.models import validate_http_url
from governance.timezones import available_zones
from meetings.models import MeetingKind
from meetings.recurrence import WEEKDAYS, Frequency, parse_custom_rule, week_of_month

DEFAULT_DURATION_MINUTES = 60
# The keys of a sigs.yaml meeting that make up its schedule, in the file's order.
SCHEDULE_KEYS = ("day", "time", "tz", "frequency")
# sigs.yaml link keys -> Meeting fields.
LINK_FIELDS = {"url": "join_url", "archive_url": "agenda_url", "recordings_url": "recordings_url"}
KNOWN_KEYS = {"description", *SCHEDULE_KEYS, *LINK_FIELDS, "calendar_url", "agora"}
# The `agora:` keys (see above) -> the Meeting fields they set; "slug" and "schedules" aside.
AGORA_FIELDS = {
    "kind": "kind",
    "about": "description",
    "notes_url": "notes_url",
    "display_zones": "display_zones",
    "private": "is_private",
}
AGORA_KEYS = {"slug", "schedules", *AGORA_FIELDS}
# The Meeting fields whose links the reader checks with validate_http_url, as the fields would.
READER_LINKS = [*LINK_FIELDS.values(), AGORA_FIELDS["notes_url"]]

# Zone names as written in sigs.yaml (lowercased) -> the IANA zone whose clock they mean,
# daylight saving time included: "EST (Eastern Time)" means New York's clock all year round.
ZONE_NAMES = {
    **dict.fromkeys(
        ("pt", "pst", "pdt", "pacific", "pacific time", "us pacific"), "America/Los_Angeles"
    ),
    **dict.fromkeys(("mt", "mst", "mdt", "mountain time", "us mountain"), "America/Denver"),
    # Not "CST": China Standard Time writes it too.
    **dict.fromkeys(("ct", "cdt", "central time", "us central"), "America/Chicago"),
    **dict.fromkeys(
        ("et", "est", "edt", "eastern", "eastern time", "us eastern"), "America/New_York"
    ),
    **dict.fromkeys(("utc", "gmt", "z", "coordinated universal time"), "UTC"),
    # Every Central European Time zone keeps the EU's daylight saving dates: Berlin stands for all.
    **dict.fromkeys(
        ("cet", "cest", "central european time", "central european summer time"), "Europe/Berlin"
    ),
    **dict.fromkeys(("poland", "polish time"), "Europe/Warsaw"),
    # India's, not Ireland's or Israel's: the community's IST meetings are run from India.
    **dict.fromkeys(
        ("ist", "india", "indian standard time", "india standard time"), "Asia/Kolkata"
    ),
    **dict.fromkeys(("jst", "japan", "japan standard time"), "Asia/Tokyo"),
    **dict.fromkeys(("china", "china standard time", "beijing"), "Asia/Shanghai"),
    **dict.fromkeys(("aest", "aedt", "sydney"), "Australia/Sydney"),
    **dict.fromkeys(("bst", "uk", "london", "uk time"), "Europe/London"),
}

_WEEKDAY_WORDS = {
    **dict.fromkeys(("monday", "mon"), 0),
    **dict.fromkeys(("tuesday", "tues", "tue"), 1),
    **dict.fromkeys(("wednesday", "wed"), 2),
    **dict.fromkeys(("thursday", "thurs", "thur", "thu"), 3),
    **dict.fromkeys(("friday", "fri"), 4),
    **dict.fromkeys(("saturday", "sat"), 5),
    **dict.fromkeys(("sunday", "sun"), 6),
}
_MONTH_WORDS = {
    name.lower(): number
    for number in range(1, 13)
    for name in {calendar.month_name[number], calendar.month_abbr[number]}
} | {"sept": 9}
_ORDINAL_WORDS = {
    **dict.fromkeys(("first", "1st"), 1),
    **dict.fromkeys(("second", "2nd"), 2),
    **dict.fromkeys(("third", "3rd"), 3),
    **dict.fromkeys(("fourth", "4th"), 4),
    "last": -1,
}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _words(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WD = rf"(?:{_words(_WEEKDAY_WORDS)})"
_ORD = rf"(?:{_words(_ORDINAL_WORDS)})"
_MONTH = rf"(?:{_words(_MONTH_WORDS)})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# "starting Tuesday Feb 11, 2025", "June 25th, 2020", "(starting February 15th 2024)".
_DATE_PATTERNS = (
    re.compile(
        rf"(?:\b(?P<weekday>{_WD})s?\.?,?\s+)?\b(?P<month>{_MONTH})\.?\s+{_DAY},?\s+"
        r"(?P<year>\d{4})\b"
    ),
    # "2019 start date: Jan. 11th"
    re.compile(rf"\b(?P<year>\d{{4}})\s+start\s+date:?\s+(?P<month>{_MONTH})\.?\s+{_DAY}\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
# "RRULE:FREQ=MONTHLY;BYDAY=2TU"
_CUSTOM = re.compile(r"\brrule:\s*(?P<rule>[a-z0-9=;,+-]+)")
# "Wednesday, after the fourth Tuesday"
_AFTER = re.compile(rf"\b(?P<weekday>{_WD})s?,?\s+after\s+the\s+(?P<nth>{_ORD})\s+(?P<ref>{_WD})\b")
# "third Wednesday", "first and third Tuesday"
_NTH_WEEKDAYS = re.compile(
    rf"\b(?P<nths>{_ORD}(?:\s*(?:,|and|&)\s*{_ORD})*)\s+(?P<weekday>{_WD})s?\b"
)
# "Tuesday", "Thursdays", "every Monday", "every other Friday"
_WEEKDAY = re.compile(rf"\b(?P<every>every\s+(?P<other>other\s+)?)?(?P<weekday>{_WD})s?\b")
_EVERY_N_WEEKS = re.compile(rf"\bevery\s+(?P<n>\d+|{_words(_NUMBER_WORDS)})\s+weeks?\b")
# "every third week": every third week from the first date, as "every 3 weeks".
_EVERY_NTH_WEEK = re.compile(r"\bevery\s+(?P<nth>second|2nd|third|3rd|fourth|4th)\s+week\b")
# "biweekly/triweekly", "biweekly (On demand)": read as biweekly, and said so in the report.
_NARROWED = re.compile(r"\b(?:bi-?weekly\s*/\s*tri-?weekly|on\s+demand)\b")
_BIWEEKLY = re.compile(r"\bbi-?weekly\b|\bfortnightly\b|\bevery\s+other\s+week\b")
_WEEKLY = re.compile(r"(?<!bi-)\bweekly\b|\bevery\s+week\b")
_MONTHLY = re.compile(r"\bmonthly\b|\b(?:of|each|every)\s+(?:the\s+)?month\b")
# "[upcoming meeting dates](#upcoming-meeting-dates)" -> "upcoming meeting dates"
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_CLOCK = r"(?P<{0}h>\d{{1,2}})(?:[:.](?P<{0}m>\d{{2}}))?\s*(?:(?P<{0}p>[ap])\.?m?\.?)?"
_TIME = re.compile(
    rf"^{_CLOCK.format('s')}(?:\s*(?:-|\u2013|to)\s*{_CLOCK.format('e')})?$", re.IGNORECASE
)
_MIDNIGHT = re.compile(r"^24[:.]00$")
_ZONE_WITH_TIME = re.compile(r"^(?P<time>[^()]*?)\s*\((?P<zone>[^()]+)\)$")


class Reading(enum.StrEnum):
    """How far a meeting's text could be read."""

    READ = "read"
    NEEDS_DATE = "needs_date"
    UNREADABLE = "unreadable"


@dataclasses.dataclass(frozen=True)
class ScheduleReading:
    """A schedule as far as its free text tells it; `problem` says what the text leaves open."""

    source_text: str
    status: Reading
    problem: str = ""
    time_zone: str = ""
    start_time: datetime.time | None = None
    duration_minutes: int = DEFAULT_DURATION_MINUTES
    weekday: int | None = None
    frequency: str = ""
    interval: int = 1
    # None for a monthly rule whose week the text does not give.
    week_of_month: int | None = None
    rrule: str = ""
    first_date: datetime.date | None = None
    # For needs_date: one first date for each phase the rule could have.
    candidates: tuple[datetime.date, ...] = ()
    # A read rule that differs from the text on rare dates, said in words.
    caveat: str = ""

    @property
    def weekday_name(self) -> str:
        return calendar.day_name[self.weekday] if self.weekday is not None else ""

    def first_date_problem(self, day: datetime.date) -> str:
        """Why `day` cannot be this meeting's first date, or "" when it can."""
        if self.status == Reading.UNREADABLE:
            return f"The text could not be read ({self.problem}): edit the schedule instead."
        if day.weekday() != self.weekday:
            weekday = self.weekday_name
            return f"{day:%A %Y-%m-%d} is not a {weekday}: the meeting is on {weekday}s."
        if self.frequency == Frequency.WEEKLY:
            if self.first_date and (day - self.first_date).days % (7 * self.interval):
                return (
                    f"{day:%A %Y-%m-%d} is not in the weeks of this rule: every "
                    f"{self.interval} weeks from {self.first_date:%Y-%m-%d}."
                )
            return ""
        if self.frequency == Frequency.MONTHLY and self.week_of_month is None:
            return ""
        if _first_on_or_after(self, day) != day:
            return f"{day:%A %Y-%m-%d} is not a date of this rule."
        return ""


@dataclasses.dataclass(frozen=True)
class MeetingReading:
    """One meeting of sigs.yaml: its title, links and schedules (the file's keys first, then
    `agora.schedules`); `agora` holds the Meeting fields its `agora:` keys set, `slug` its
    `agora.slug` ("" when it gives none); `notes` list what was dropped."""

    title: str
    schedules: tuple[ScheduleReading, ...]
    links: Mapping[str, str] = dataclasses.field(default_factory=dict)
    notes: tuple[str, ...] = ()
    slug: str = ""
    agora: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def schedule(self) -> ScheduleReading:
        """The schedule of the file's own keys."""
        return self.schedules[0]

    @property
    def is_private(self) -> bool:
        return bool(
            self.agora.get("is_private") or re.search(r"\bprivate\b", self.title, re.IGNORECASE)
        )

    @property
    def kind(self) -> str:
        """The kind `agora.kind` gives, else the one its title says."""
        if "kind" in self.agora:
            return self.agora["kind"]
        if re.search(r"\boffice\s+hours\b", self.title, re.IGNORECASE):
            return MeetingKind.OFFICE_HOURS
        return MeetingKind.GROUP_MEETING


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 9:30 as the sexagesimal number 570.
        hours, minutes = divmod(value, 60)
        return f"{hours}:{minutes:02d}"
    return " ".join(_visible(str(value)).split())


def _visible(text: str) -> str:
    """`text` without format characters (zero-width spaces, BOMs), which links cannot hold."""
    if text.isascii():  # (every format character is outside ASCII)
        return text
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def source_text(fields: Mapping[str, str]) -> str:
    """The schedule's text as the file gives it: one "key: value" line per key."""
    return "\n".join(f"{key}: {fields[key]}" for key in SCHEDULE_KEYS if fields.get(key))


def meeting_slug(group_slug: str, subproject_name: str, title: str) -> str:
    """ "sig-network-gateway-api-gateway-api-meeting-americas": group, subproject and title."""
    return slugify(f"{group_slug} {subproject_name} {title}")[:120].strip("-")


def read_meeting(raw: Mapping[str, Any], *, on: datetime.date) -> MeetingReading:
    """Read one meeting mapping of sigs.yaml; `on` is the import date (first dates start there)."""
    notes = [
        f"{key}: invisible characters removed."
        for key, value in raw.items()
        if isinstance(value, str) and _visible(value) != value
    ]
    links = {}
    for key, field_name in LINK_FIELDS.items():
        value = _text(raw.get(key))
        if not value:
            continue
        try:
            validate_http_url(value)
        except ValidationError:
            notes.append(f"{key} “{value}” is not a link; left empty.")
            continue
        links[field_name] = value
    notes += [f"unknown key “{key}” ignored." for key in raw if key not in KNOWN_KEYS]
    agora = raw.get("agora") or {}
    if not isinstance(agora, Mapping):
        notes.append("agora: not a mapping; ignored.")
        agora = {}
    extra, slug, meeting_fields = _read_agora(agora, notes)
    schedules = tuple(
        read_schedule(**{key: _text(entry.get(key)) for key in SCHEDULE_KEYS}, on=on)
        for entry in (raw, *extra)
    )
    notes += [schedule.caveat for schedule in schedules if schedule.caveat]
    title = _text(raw.get("description")) or "Meeting"
    return MeetingReading(
        title=title,
        schedules=schedules,
        links=links,
        notes=tuple(notes),
        slug=slug,
        agora=meeting_fields,
    )


def read_meetings_list(
    data: Mapping[str, Any], *, on: datetime.date
) -> list[MeetingReading | None] | None:
    """The readings of the meetings list of a group or subproject of sigs.yaml (its mapping,
    `data`): None for an entry that is not a mapping, and None when it is not a list."""
    entries: Any = data.get("meetings") or []
    if not isinstance(entries, list):
        return None
    return [read_meeting(raw, on=on) if isinstance(raw, Mapping) else None for raw in entries]


def _read_agora(
    agora: Mapping[str, Any], notes: list[str]
) -> tuple[list[Mapping[str, Any]], str, dict[str, Any]]:
    """The `agora:` keys of a meeting: its other schedules, its slug and the Meeting fields
    they set. A bad value is noted and left out."""
    notes += [f"unknown key “agora.{key}” ignored." for key in agora if key not in AGORA_KEYS]
    schedules = agora.get("schedules") or []
    if not isinstance(schedules, list) or not all(isinstance(s, Mapping) for s in schedules):
        notes.append("agora.schedules: not a list of mappings; ignored.")
        schedules = []
    slug = _text(agora.get("slug"))
    if slug and slugify(slug) != slug:
        notes.append(f"agora.slug “{slug}” is not a slug (lowercase letters, digits, -); ignored.")
        slug = ""
    fields: dict[str, Any] = {}
    for key, field_name in AGORA_FIELDS.items():
        if key not in agora:
            continue
        value, problem = _AGORA_READERS[key](agora[key])
        if problem:
            notes.append(f"agora.{key}: {problem}; ignored.")
        else:
            fields[field_name] = value
    return schedules, slug, fields


def _read_kind(value: Any) -> tuple[Any, str]:
    text = _text(value)
    if text in MeetingKind.values:
        return text, ""
    return None, f"“{text}” is not one of {', '.join(MeetingKind.values)}"


def _read_about(value: Any) -> tuple[Any, str]:
    return (str(value).strip(), "") if isinstance(value, str) else (None, "not text")


def _read_link(value: Any) -> tuple[Any, str]:
    text = _text(value)
    try:
        validate_http_url(text)
    except ValidationError:
        return None, f"“{text}” is not a link"
    return text, ""


def _read_zones(value: Any) -> tuple[Any, str]:
    if not isinstance(value, list) or not all(isinstance(zone, str) for zone in value):
        return None, "not a list of time zones"
    unknown = [zone for zone in value if zone not in available_zones()]
    if unknown:
        return None, f"{', '.join(unknown)} is not an IANA time zone"
    return value, ""


def _read_flag(value: Any) -> tuple[Any, str]:
    return (value, "") if isinstance(value, bool) else (None, "not true or false")


_AGORA_READERS = {
    "kind": _read_kind,
    "about": _read_about,
    "notes_url": _read_link,
    "display_zones": _read_zones,
    "private": _read_flag,
}


def source_fields(text: str) -> dict[str, str]:
    """The fields of a schedule's `source_text` (as `source_text()` wrote it)."""
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in SCHEDULE_KEYS:
            fields[key.strip()] = value.strip()
    return fields


def read_source_text(text: str, *, on: datetime.date) -> ScheduleReading:
    """Read back a schedule's `source_text`."""
    return read_schedule(**source_fields(text), on=on)


def read_schedule(
    *, day: str = "", time: str = "", tz: str = "", frequency: str = "", on: datetime.date
) -> ScheduleReading:
    """Read the four free-text fields of a sigs.yaml meeting into a schedule."""
    text = source_text({"day": day, "time": time, "tz": tz, "frequency": frequency})
    # "09:00 (Pacific Time)": a zone written with the time.
    written = _ZONE_WITH_TIME.match(time.strip())
    if written:
        time = written["time"]
        tz = tz if tz.strip() and read_zone(tz)[0] != read_zone(written["zone"])[0] else ""
        tz = f"{tz} ({written['zone']})" if tz else written["zone"]
    midnight = ""
    weekday = _WEEKDAY_WORDS.get(day.strip().lower().removesuffix("s"))
    if _MIDNIGHT.match(time.strip()) and weekday is not None:
        # "Tuesday 24:00" is the midnight that ends Tuesday: Wednesday 00:00.
        day, time = calendar.day_name[(weekday + 1) % 7], "00:00"
        midnight = f"24:00 on {calendar.day_name[weekday]} read as {day} 00:00."
    zone, zone_problem = read_zone(tz)
    start_time, duration, time_problem = read_time(time)
    rule = _read_rule(f"{day} {frequency}", on=on)
    if midnight:
        rule = dataclasses.replace(rule, caveat=" ".join(filter(None, [rule.caveat, midnight])))
    problem = zone_problem or time_problem or rule.problem
    status = Reading.UNREADABLE if zone_problem or time_problem else rule.status
    narrowed = _NARROWED.search(f"{day} {frequency}".lower())
    if narrowed and status != Reading.UNREADABLE:
        rule = dataclasses.replace(
            rule,
            caveat=" ".join(
                filter(None, [rule.caveat, f"“{narrowed[0]}” read as every {rule.interval} weeks."])
            ),
        )
    return dataclasses.replace(
        rule,
        source_text=text,
        status=status,
        problem=problem,
        time_zone=zone,
        start_time=start_time,
        duration_minutes=duration,
        first_date=rule.first_date if status == Reading.READ else None,
        candidates=rule.candidates if status == Reading.NEEDS_DATE else (),
    )


def read_zone(text: str) -> tuple[str, str]:
    """The IANA zone a free-text zone names, and "" or why it cannot be read."""
    text = text.strip()
    if not text:
        return "", "no time zone given"
    pieces = [text, *(piece for piece in re.split(r"[()]", text) if piece.strip())]
    names = [" ".join(piece.lower().replace(".", "").split()) for piece in pieces]
    if names[0] in ZONE_NAMES:
        return ZONE_NAMES[names[0]], ""
    zones = {ZONE_NAMES[name] for name in names[1:] if name in ZONE_NAMES}
    if len(zones) > 1:
        return "", f"“{text}” names different time zones ({', '.join(sorted(zones))})"
    if zones:
        return zones.pop(), ""
    if text in available_zones():
        return text, ""
    # "Warsaw": the one IANA zone named after that city.
    cities = _zones_by_city().get(names[0].replace(" ", "_"), ())
    if len(cities) == 1:
        return cities[0], ""
    return "", f"“{text}” is not a time zone the importer knows"


@functools.cache
def _zones_by_city() -> dict[str, tuple[str, ...]]:
    cities: dict[str, list[str]] = {}
    for zone in sorted(available_zones()):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            cities.setdefault(zone.rsplit("/", 1)[1].lower(), []).append(zone)
    return {city: tuple(zones) for city, zones in cities.items()}


def read_time(text: str) -> tuple[datetime.time | None, int, str]:
    """Start time and duration (minutes) of "9:00", "2PM" or "9:00-10:30"; "" or the problem."""
    match = _TIME.match(text.strip())
    if not text.strip():
        return None, DEFAULT_DURATION_MINUTES, "no time given"
    start = _minutes(match, "s", default_meridiem=match["ep"]) if match else None
    if match is None or start is None:
        return None, DEFAULT_DURATION_MINUTES, f"“{text}” is not a time of day"
    duration = DEFAULT_DURATION_MINUTES
    if match["eh"]:
        end = _minutes(match, "e")
        if end is None or end == start:
            return None, DEFAULT_DURATION_MINUTES, f"“{text}” is not a time range"
        if match["ep"] and not match["sp"] and start >= end:
            start = _minutes(match, "s", default_meridiem="a")
        duration = (end - start) % (24 * 60)
    return datetime.time(*divmod(start, 60)), duration, ""


def _minutes(match: re.Match, prefix: str, default_meridiem: str | None = None) -> int | None:
    """Minutes since midnight of one clock of `_TIME`, or None when it is not a clock time."""
    hour, minute = int(match[f"{prefix}h"]), int(match[f"{prefix}m"] or 0)
    meridiem = (match[f"{prefix}p"] or default_meridiem or "").lower()
    if prefix == "e" and (hour, minute, meridiem) == (24, 0, ""):
        return 0  # "22:00-24:00" ends at midnight.
    if minute > 59 or hour > (12 if meridiem else 23) or (meridiem and hour == 0):
        return None
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    return hour * 60 + minute


def _rule(status: Reading, **fields) -> ScheduleReading:
    """A rule read from text; `read_schedule` adds its text, zone and time."""
    return ScheduleReading(source_text="", status=status, **fields)


def _unreadable(problem: str, **known) -> ScheduleReading:
    return _rule(Reading.UNREADABLE, problem=problem, **known)


def _read_rule(text: str, *, on: datetime.date) -> ScheduleReading:
    """The recurrence of "<day> <frequency>" free text."""
    text = _MARKDOWN_LINK.sub(r"\1", text).lower()
    customs = [match["rule"].upper() for match in _CUSTOM.finditer(text)]
    text = _CUSTOM.sub(" ", text)
    anchors, text = _take_dates(text)
    if isinstance(anchors, str):
        return _unreadable(anchors)
    after = [(m["weekday"], m["nth"], m["ref"]) for m in _AFTER.finditer(text)]
    text = _AFTER.sub(" ", text)
    nths = [
        (_ORDINAL_WORDS[nth], _WEEKDAY_WORDS[m["weekday"]])
        for m in _NTH_WEEKDAYS.finditer(text)
        for nth in re.findall(_ORD, m["nths"])
    ]
    text = _NTH_WEEKDAYS.sub(" ", text)
    kinds = {(Frequency.RRULE, 1) for _ in customs}
    weekdays = {_WEEKDAY_WORDS[name] for name, _, _ in after} | {day for _, day in nths}
    for match in _WEEKDAY.finditer(text):
        weekdays.add(_WEEKDAY_WORDS[match["weekday"]])
        if match["every"]:
            kinds.add((Frequency.WEEKLY, 2 if match["other"] else 1))
    text = _WEEKDAY.sub(" ", text)
    kinds |= {(Frequency.WEEKLY, _weeks(m["n"])) for m in _EVERY_N_WEEKS.finditer(text)}
    kinds |= {(Frequency.WEEKLY, _ORDINAL_WORDS[m["nth"]]) for m in _EVERY_NTH_WEEK.finditer(text)}
    text = _EVERY_NTH_WEEK.sub(" ", text)
    kinds |= {(Frequency.WEEKLY, 2) for _ in _BIWEEKLY.finditer(text)}
    kinds |= {(Frequency.WEEKLY, 1) for _ in _WEEKLY.finditer(_EVERY_N_WEEKS.sub(" ", text))}
    kinds |= {(Frequency.MONTHLY, 1) for _ in _MONTHLY.finditer(text)}
    if not kinds and (nths or after):
        kinds.add((Frequency.MONTHLY, 1))
    anchor = anchors[0] if anchors else None
    if not weekdays and anchor:
        weekdays.add(anchor.weekday())
    if len(weekdays) != 1:
        names = ", ".join(calendar.day_name[day] for day in sorted(weekdays))
        return _unreadable(f"more than one weekday ({names})" if names else "no weekday given")
    weekday = weekdays.pop()
    if len(kinds) != 1:
        return _unreadable(
            "more than one frequency" if kinds else "no frequency it can read", weekday=weekday
        )
    frequency, interval = kinds.pop()
    if anchor and anchor.weekday() != weekday:
        name = calendar.day_name[weekday]
        return _unreadable(
            f"the start date {anchor:%Y-%m-%d} is a {anchor:%A}, not a {name}", weekday=weekday
        )
    if frequency == Frequency.WEEKLY:
        if nths or after:
            return _unreadable("weekly, yet on an nth weekday of the month", weekday=weekday)
        return _phased(
            _rule(Reading.READ, weekday=weekday, frequency=frequency, interval=interval),
            anchor=anchor,
            on=on,
            phases=interval,
            unknown=f"every {interval} weeks, but no start date says which weeks",
        )
    if frequency == Frequency.RRULE:
        return _custom_rule(customs[0], weekday, nths or after, anchor=anchor, on=on)
    if after and nths:
        return _unreadable("both an nth weekday and a weekday after another", weekday=weekday)
    if after:
        return (
            _after_rule(*after[0], anchor=anchor, on=on)
            if len(after) == 1
            else _unreadable("more than one weekday after another", weekday=weekday)
        )
    if len(nths) > 1:
        days = ",".join(f"{nth}{_byday(weekday)}" for nth, _ in nths)
        monthly = _rule(
            Reading.READ,
            weekday=weekday,
            frequency=Frequency.RRULE,
            rrule=f"FREQ=MONTHLY;BYDAY={days}",
        )
    elif nths or anchor:
        week = nths[0][0] if nths else week_of_month(anchor)
        monthly = _rule(
            Reading.READ, weekday=weekday, frequency=Frequency.MONTHLY, week_of_month=week
        )
    else:
        monthly = _rule(Reading.READ, weekday=weekday, frequency=Frequency.MONTHLY)
    return _phased(
        monthly,
        anchor=anchor,
        on=on,
        phases=5,
        unknown=f"monthly, but not which {calendar.day_name[weekday]} of the month",
    )


def _custom_rule(
    text: str, weekday: int, also_nth: list, *, anchor: datetime.date | None, on: datetime.date
) -> ScheduleReading:
    """ "RRULE:FREQ=MONTHLY;BYDAY=2TU", as the exporter writes a custom rule."""
    if also_nth:
        return _unreadable("both an RRULE and an nth weekday", weekday=weekday)
    try:
        parse_custom_rule(text, datetime.datetime.combine(on, datetime.time.min))
    except (ValueError, TypeError) as error:
        return _unreadable(f"“{text}” is not an RRULE it can read ({error})", weekday=weekday)
    rule = _rule(Reading.READ, weekday=weekday, frequency=Frequency.RRULE, rrule=text)
    return _phased(rule, anchor=anchor, on=on, phases=1, unknown="")


def _phased(
    rule: ScheduleReading,
    *,
    anchor: datetime.date | None,
    on: datetime.date,
    phases: int,
    unknown: str,
) -> ScheduleReading:
    """The rule with its first date: the text's, the first from `on` when the phase is known,
    else `needs_date` with one candidate per phase (the next dates on the weekday)."""
    if anchor:
        if _first_on_or_after(rule, anchor) != anchor:
            return _unreadable(f"the start date {anchor:%Y-%m-%d} is not a date of the rule")
        return dataclasses.replace(rule, first_date=anchor)
    if (rule.frequency == Frequency.MONTHLY and rule.week_of_month is None) or rule.interval > 1:
        first = on + datetime.timedelta(days=(rule.weekday - on.weekday()) % 7)
        candidates = tuple(first + datetime.timedelta(weeks=n) for n in range(phases))
        return dataclasses.replace(
            rule, status=Reading.NEEDS_DATE, problem=unknown, candidates=candidates
        )
    return dataclasses.replace(rule, first_date=_first_on_or_after(rule, on))


def _after_rule(
    name: str, nth: str, ref: str, *, anchor: datetime.date | None, on: datetime.date
) -> ScheduleReading:
    """ "Wednesday after the fourth Tuesday": the Wednesday in the week of days it can fall on."""
    weekday, week, ref_day = _WEEKDAY_WORDS[name], _ORDINAL_WORDS[nth], _WEEKDAY_WORDS[ref]
    if week < 0:
        return _unreadable(
            f"a {name} after the last {ref} falls in the next month", weekday=weekday
        )
    gap = (weekday - ref_day) % 7 or 7
    days = range(7 * (week - 1) + 1 + gap, 7 * week + 1 + gap)
    if days[-1] > 31:
        return _unreadable(
            f"a {name} after the {nth} {ref} can fall in the next month", weekday=weekday
        )
    rule = _rule(
        Reading.READ,
        weekday=weekday,
        frequency=Frequency.RRULE,
        rrule=f"FREQ=MONTHLY;BYDAY={_byday(weekday)};BYMONTHDAY={','.join(map(str, days))}",
    )
    rule = _phased(rule, anchor=anchor, on=on, phases=1, unknown="")
    missed = _missed_after_date(rule, weekday, week, ref_day, on=on) if days[-1] > 28 else None
    if missed:
        caveat = (
            f"The rule {rule.rrule} misses a {calendar.day_name[weekday]} that falls in the next "
            f"month, next on {missed:%Y-%m-%d}: add it as a one-off occurrence."
        )
        rule = dataclasses.replace(rule, caveat=caveat)
    return rule


def _missed_after_date(
    rule: ScheduleReading, weekday, week, ref_day, *, on
) -> datetime.date | None:
    """The first date from `on` (within 30 years) where the text's meeting is not on the rule."""
    for month_index in range(on.year * 12 + on.month - 1, (on.year + 30) * 12):
        year, month = divmod(month_index, 12)
        ref_date = _nth_weekday(year, month + 1, ref_day, week)
        meeting = ref_date + datetime.timedelta(days=(weekday - ref_day) % 7 or 7)
        if meeting.month != ref_date.month and meeting >= on:
            return meeting
    return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _take_dates(text: str) -> tuple[list[datetime.date] | str, str]:
    """The start dates the text gives (or why one is not a date), and the text without them."""
    dates = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match["month"]
            try:
                day = datetime.date(
                    int(match["year"]),
                    int(month) if month.isdigit() else _MONTH_WORDS[month],
                    int(match["day"]),
                )
            except ValueError:
                return f"“{match[0]}” is not a date", text
            named = match.groupdict().get("weekday")
            if named and _WEEKDAY_WORDS[named] != day.weekday():
                return f"{day:%Y-%m-%d} is a {day:%A}, not a {named.capitalize()}", text
            dates.append(day)
        text = pattern.sub(" ", text)
    if len(set(dates)) > 1:
        return "more than one start date", text
    return dates, text


def _weeks(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _byday(weekday: int) -> str:
    return calendar.day_abbr[weekday][:2].upper()


def _first_on_or_after(rule, day: datetime.date) -> datetime.date | None:
    """The first date on or after `day` that `rule` gives."""
    start = datetime.datetime.combine(day, datetime.time.min)
    if rule.frequency == Frequency.RRULE:
        dates = rrule.rrulestr(rule.rrule, dtstart=start)
    elif rule.frequency == Frequency.MONTHLY:
        dates = rrule.rrule(
            rrule.MONTHLY,
            interval=rule.interval,
            byweekday=WEEKDAYS[rule.weekday](rule.week_of_month),
            dtstart=start,
        )
    else:
        dates = rrule.rrule(rrule.WEEKLY, byweekday=rule.weekday, dtstart=start)
    first = dates.after(start, inc=True)
    return first.date() if first else None
