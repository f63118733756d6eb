"""An occurrence in many zones at once: "5-6 PM PST / 8-9 PM EST / 1-2 AM UTC (Tuesday)"."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

# Zones whose tzdata abbreviation another place uses at another offset ("CST" is US Central and
# China, "IST" India, Ireland and Israel, "PST" US Pacific and the Philippines): they are named
# by their place, so that no label means two places.
PLACE_LABELS = {
    "Asia/Shanghai": "China",
    "Asia/Macau": "Macau",
    "Asia/Taipei": "Taiwan",
    "America/Havana": "Cuba",
    "Asia/Jerusalem": "Israel",
    "Europe/Dublin": "Ireland",
    "Asia/Manila": "Philippines",
}


def label(moment: datetime.datetime) -> str:
    """What names the zone of an aware local time: "PST", "CET", "China"."""
    key = getattr(moment.tzinfo, "key", None)
    return PLACE_LABELS.get(key or "") or moment.tzname() or key or "UTC"


@dataclass(frozen=True)
class ZoneLine:
    """One occurrence's start and end as read in one zone."""

    zone: str
    start: datetime.datetime
    end: datetime.datetime
    other_day: bool

    @property
    def abbreviation(self) -> str:
        return label(self.start)

    def __str__(self) -> str:
        return format_range(self.start, self.end) + (
            f" ({self.start:%A})" if self.other_day else ""
        )


def _clock(moment: datetime.datetime, meridiem: bool) -> str:
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}" + (f" {moment:%p}" if meridiem else "")


def format_range(start: datetime.datetime, end: datetime.datetime) -> str:
    """ "5-6 PM PST", "11:30 AM-12:30 PM CET": aware start and end in the zone to show."""
    if start.tzname() != end.tzname():
        # The clocks change during the meeting: "1:30 AM AEDT-1:30 AM AEST".
        return f"{_clock(start, True)} {label(start)}-{_clock(end, True)} {label(end)}"
    same_half = start.date() == end.date() and (start.hour < 12) == (end.hour < 12)
    return f"{_clock(start, not same_half)}-{_clock(end, True)} {label(start)}"


def display_zones(home_zone: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The home zone, the site's display zones and a meeting's own, each once, in that order."""
    return list(dict.fromkeys([home_zone, *settings.AGORA_DISPLAY_ZONES, *extra]))


def zone_lines(
    start: datetime.datetime,
    end: datetime.datetime,
    home_zone: str,
    extra: list[str] | tuple[str, ...] = (),
    *,
    lead: str = "",
) -> list[ZoneLine]:
    """The occurrence in each display zone, naming the weekday where the date differs from the
    first line's: the home zone's, or the `lead` zone's when given (a list's days are in it)."""
    first = lead or home_zone
    first_date = start.astimezone(ZoneInfo(first)).date()
    lines = []
    for name in dict.fromkeys([first, *display_zones(home_zone, extra)]):
        zone = ZoneInfo(name)
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        lines.append(ZoneLine(name, local_start, local_end, local_start.date() != first_date))
    return lines


def summary(start: datetime.datetime, end: datetime.datetime, home_zone: str, extra=()) -> str:
    """All the zone lines on one line, as pages, feeds and the API show them."""
    return " / ".join(str(line) for line in zone_lines(start, end, home_zone, extra))
