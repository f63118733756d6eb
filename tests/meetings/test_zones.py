"""One occurrence read in many zones: the line pages, feeds and the API show."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from governance.timezones import TIME_ZONE_CHOICES
from meetings.zones import display_zones, format_range, label, summary, zone_lines

UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)


def local(zone: str, *fields) -> datetime.datetime:
    return datetime.datetime(*fields, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_the_forums_evening_line():
    start = local("America/Los_Angeles", 2026, 1, 5, 17)

    assert summary(start, start + HOUR, "America/Los_Angeles") == (
        "5-6 PM PST / 8-9 PM EST / 1-2 AM UTC (Tuesday) / 1-2 AM GMT (Tuesday) / "
        "9-10 AM China (Tuesday)"
    )


def test_half_and_three_quarter_hour_zones_and_the_southern_summer():
    start = local("America/Los_Angeles", 2026, 1, 5, 17)
    extra = ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Sydney"]
    lines = [str(line) for line in zone_lines(start, start + HOUR, "America/Los_Angeles", extra)]

    assert lines[-3:] == [
        "6:30-7:30 AM IST (Tuesday)",
        "6:45-7:45 AM +0545 (Tuesday)",
        "12-1 PM AEDT (Tuesday)",
    ]


@pytest.mark.parametrize(
    ("day", "pacific", "london"),
    [
        # Both on standard time.
        (datetime.date(2026, 3, 3), "7-8 AM PST", "3-4 PM GMT"),
        # The US moved on 8 March, Europe not until 29 March: an hour later in California.
        (datetime.date(2026, 3, 10), "8-9 AM PDT", "3-4 PM GMT"),
        (datetime.date(2026, 3, 24), "8-9 AM PDT", "3-4 PM GMT"),
        # Both on summer time.
        (datetime.date(2026, 3, 31), "7-8 AM PDT", "3-4 PM BST"),
        # Europe went back on 25 October, the US not until 1 November.
        (datetime.date(2026, 10, 20), "7-8 AM PDT", "3-4 PM BST"),
        (datetime.date(2026, 10, 27), "8-9 AM PDT", "3-4 PM GMT"),
        (datetime.date(2026, 11, 3), "7-8 AM PST", "3-4 PM GMT"),
    ],
)
def test_weeks_when_the_us_and_europe_are_out_of_step(day, pacific, london):
    start = local("Europe/Berlin", day.year, day.month, day.day, 16)
    lines = {line.zone: str(line) for line in zone_lines(start, start + HOUR, "Europe/Berlin")}

    assert lines["Europe/Berlin"].startswith("4-5 PM CE")
    assert lines["America/Los_Angeles"] == pacific
    assert lines["Europe/London"] == london


def test_the_weekday_is_named_where_the_date_differs_from_home():
    start = local("Asia/Kolkata", 2026, 6, 1, 5, 15)
    lines = {line.zone: line for line in zone_lines(start, start + HOUR, "Asia/Kolkata")}

    assert str(lines["Asia/Kolkata"]) == "5:15-6:15 AM IST"
    assert str(lines["America/Los_Angeles"]) == "4:45-5:45 PM PDT (Sunday)"
    assert not lines["Asia/Shanghai"].other_day
    assert lines["UTC"].abbreviation == "UTC"


def test_a_lead_zone_reads_first_and_the_weekdays_follow_its_date():
    start = local("Europe/Berlin", 2026, 1, 6, 8)  # Tuesday 8:00 in Berlin, 23:00 Monday in LA.
    lines = zone_lines(start, start + HOUR, "Europe/Berlin", lead="America/Los_Angeles")

    assert [line.zone for line in lines][:3] == [
        "America/Los_Angeles",
        "Europe/Berlin",
        "America/New_York",
    ]
    assert [str(line) for line in lines[:3]] == [
        "11 PM-12 AM PST",
        "8-9 AM CET (Tuesday)",
        "2-3 AM EST (Tuesday)",
    ]
    # The home zone leads when no lead is given.
    assert str(zone_lines(start, start + HOUR, "Europe/Berlin")[0]) == "8-9 AM CET"


def test_a_range_across_noon_names_both_halves():
    start = local("Europe/Berlin", 2026, 1, 6, 11, 30)
    berlin = ZoneInfo("Europe/Berlin")

    assert format_range(start.astimezone(berlin), (start + HOUR).astimezone(berlin)) == (
        "11:30 AM-12:30 PM CET"
    )


def test_a_meeting_across_a_clock_change_names_both_zones():
    sydney = ZoneInfo("Australia/Sydney")
    # 2026-04-05 02:30 happens twice in Sydney; the first is AEDT, an hour later it is AEST.
    start = local("Australia/Sydney", 2026, 4, 5, 2, 30)

    assert format_range(start.astimezone(sydney), (start + HOUR).astimezone(sydney)) == (
        "2:30 AM AEDT-2:30 AM AEST"
    )


def test_display_zones_home_first_then_the_sites_then_the_meetings_each_once():
    assert display_zones("UTC", ["Asia/Kolkata", "America/New_York"]) == [
        "UTC",
        "America/Los_Angeles",
        "America/New_York",
        "Europe/London",
        "Asia/Shanghai",
        "Asia/Kolkata",
    ]


def test_no_zone_label_means_two_places():
    """Across the zones forms offer, at any moment a label is one clock: "CST" is US Central."""
    clocks: dict[tuple[datetime.datetime, str], set[datetime.timedelta]] = {}
    start = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    for name, _ in TIME_ZONE_CHOICES:
        for week in range(0, 105):
            instant = start + datetime.timedelta(weeks=week)
            moment = instant.astimezone(ZoneInfo(name))
            clocks.setdefault((instant, label(moment)), set()).add(moment.utcoffset())

    assert {key[1] for key, offsets in clocks.items() if len(offsets) > 1} == set()
    shanghai = datetime.datetime(2026, 1, 6, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert format_range(shanghai, shanghai + HOUR) == "9-10 AM China"
