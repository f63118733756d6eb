"""Every zone computation reads the pinned `tzdata` package, not the machine's tz database."""

import datetime
from importlib import resources
from zoneinfo import ZoneInfo

from meetings.ical import zone_transitions

UTC = datetime.UTC


def pinned(name: str) -> ZoneInfo:
    with resources.files("tzdata.zoneinfo").joinpath(name).open("rb") as data:
        return ZoneInfo.from_file(data, key=name)


def test_zone_offsets_are_the_pinned_tzdata_ones():
    # Casablanca's rules changed after tz 2025b: from 2026-09-20 the two databases disagree.
    zone, expected = ZoneInfo("Africa/Casablanca"), pinned("Africa/Casablanca")
    start = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start + datetime.timedelta(hours=6 * step) for step in range(4 * 365 * 3)]

    assert [i.astimezone(zone).utcoffset() for i in instants] == [
        i.astimezone(expected).utcoffset() for i in instants
    ]


def test_the_feeds_vtimezones_follow_the_pinned_tzdata():
    transitions = zone_transitions(
        "Africa/Casablanca", datetime.date(2026, 1, 1), datetime.date(2029, 1, 1)
    )
    zone = pinned("Africa/Casablanca")

    assert transitions
    for transition in transitions:
        before, after = transition.at - datetime.timedelta(seconds=1), transition.at
        assert before.astimezone(zone).utcoffset() == transition.offset_from
        assert after.astimezone(zone).utcoffset() == transition.offset_to


def test_reading_the_settings_again_keeps_each_zone_the_same_object(base_settings):
    # Two objects of one zone disagree on an ambiguous time (PEP 495): 01:30 on the day the
    # clocks go back in one never equals 01:30 in the other, so a feed's RECURRENCE-ID read with
    # a fresh object would not match a page's occurrence.
    zone = ZoneInfo("America/Los_Angeles")
    base_settings()

    assert ZoneInfo("America/Los_Angeles") is zone
