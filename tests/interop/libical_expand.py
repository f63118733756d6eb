"""Expands an iCalendar file with libical (Evolution's and GNOME's parser) through ICalGLib.

Run by the system Python, which has Debian's python3-gi and gir1.2-ical-3.0:
    /usr/bin/python3 libical_expand.py FEED.ics FROM TO    (UTC instants, 20260101T000000Z)
Each master VEVENT is expanded with icalcomponent_foreach_recurrence (RRULE, RDATE, EXDATE);
a RECURRENCE-ID VEVENT replaces the instance starting at its RECURRENCE-ID's instant, as a
client relates them. Prints one JSON line per occurrence: {"uid", "start", "end", "status"}
(UTC ISO instants), then {"problems": [...]}: libical's RFC 5546 restriction check of the file.
"""

import datetime
import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

UTC = datetime.UTC


def instant(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, UTC).isoformat()


def timet(value) -> int:
    zone = value.get_timezone() or ICalGLib.Timezone.get_utc_timezone()
    return value.as_timet_with_zone(zone)


def recurrence_id(calendar, event) -> int:
    """The instant a RECURRENCE-ID names, its TZID read in the calendar's VTIMEZONEs (libical's
    icalcomponent_get_recurrenceid leaves the zone out)."""
    prop = event.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY)
    value = prop.get_recurrenceid()
    tzid = prop.get_parameter_as_string("TZID")
    if tzid:
        value.set_timezone(calendar.get_timezone(tzid))
    return timet(value)


def components(parent, kind):
    child = parent.get_first_component(kind)
    while child is not None:
        yield child
        child = parent.get_next_component(kind)


def collect(_, span, spans: list) -> None:
    spans.append((span.get_start(), span.get_end()))


def print_occurrence(uid: str, event, first: int, last: int) -> None:
    status = event.get_first_property(ICalGLib.PropertyKind.STATUS_PROPERTY)
    row = {
        "uid": uid,
        "start": instant(first),
        "end": instant(last),
        "status": status.get_value_as_string() if status else "",
    }
    print(json.dumps(row))


def print_event(uid: str, event) -> None:
    print_occurrence(uid, event, timet(event.get_dtstart()), timet(event.get_dtend()))


def main(path: str, begin: str, end: str) -> None:
    with open(path, encoding="utf-8") as feed:
        calendar = ICalGLib.Parser.parse_string(feed.read())
    masters, overrides = {}, {}
    for event in components(calendar, ICalGLib.ComponentKind.VEVENT_COMPONENT):
        if event.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY) is None:
            masters[event.get_uid()] = event
        else:
            overrides.setdefault(event.get_uid(), {})[recurrence_id(calendar, event)] = event
    start, stop = ICalGLib.Time.new_from_string(begin), ICalGLib.Time.new_from_string(end)
    for uid, master in masters.items():
        spans: list[tuple[int, int]] = []
        master.foreach_recurrence(start, stop, collect, spans)
        replaced = dict(overrides.get(uid, {}))
        for first, last in spans:
            event = replaced.pop(first, None)
            print_occurrence(uid, master, first, last) if event is None else print_event(uid, event)
        # An override that matches no instance is a detached occurrence of its own.
        for event in replaced.values():
            print_event(uid, event)
    # The restriction check adds X-LIC-ERROR properties where METHOD's rules are broken.
    ICalGLib.restriction_check(calendar)
    unfolded = calendar.as_ical_string().replace("\r\n ", "").replace("\n ", "")
    problems = [line for line in unfolded.splitlines() if line.startswith("X-LIC-ERROR")]
    print(json.dumps({"problems": problems}))


if __name__ == "__main__":
    main(*sys.argv[1:])
