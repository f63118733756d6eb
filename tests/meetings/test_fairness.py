"""Who meets at night: the figures against an independent computation across DST changes in
both hemispheres, the seed's two Monday forum slots, slot suggestions, and the pages and API
that show them (zones and counts, never names)."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from governance.models import Person, RoleKind
from meetings import fairness, selectors
from meetings.apps import check_night_rule
from meetings.models import Meeting
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory
from tests.privacy import public_urls

UTC = datetime.UTC
H = datetime.timedelta(hours=1)
RULE = fairness.NightRule()

# -- An independent computation: each zone's UTC offset written out from its published rules
# for 2026 (no tz database), and the night checked minute by minute on that clock.
CHANGES = {
    # zone: [(UTC instant from which, offset in hours)]
    "America/Los_Angeles": [
        (datetime.datetime(2026, 1, 1, tzinfo=UTC), -8),
        (datetime.datetime(2026, 3, 8, 10, tzinfo=UTC), -7),
        (datetime.datetime(2026, 11, 1, 9, tzinfo=UTC), -8),
    ],
    "Europe/Berlin": [
        (datetime.datetime(2026, 1, 1, tzinfo=UTC), 1),
        (datetime.datetime(2026, 3, 29, 1, tzinfo=UTC), 2),
        (datetime.datetime(2026, 10, 25, 1, tzinfo=UTC), 1),
    ],
    # Southern hemisphere: summer time ends in April, starts in October (and September).
    "Australia/Sydney": [
        (datetime.datetime(2026, 1, 1, tzinfo=UTC), 11),
        (datetime.datetime(2026, 4, 4, 16, tzinfo=UTC), 10),
        (datetime.datetime(2026, 10, 3, 16, tzinfo=UTC), 11),
    ],
    "America/Santiago": [
        (datetime.datetime(2026, 1, 1, tzinfo=UTC), -3),
        (datetime.datetime(2026, 4, 5, 3, tzinfo=UTC), -4),
        (datetime.datetime(2026, 9, 6, 4, tzinfo=UTC), -3),
    ],
    "Asia/Shanghai": [(datetime.datetime(2026, 1, 1, tzinfo=UTC), 8)],
}


def offset(zone: str, instant: datetime.datetime) -> datetime.timedelta:
    return [hours for since, hours in CHANGES[zone] if since <= instant][-1] * H


def wall(zone: str, instant: datetime.datetime) -> datetime.datetime:
    return (instant + offset(zone, instant)).replace(tzinfo=None)


def from_wall(zone: str, local: datetime.datetime) -> datetime.datetime:
    """The instant of a wall time that exists once (the schedules below avoid gaps)."""
    (instant,) = {
        local.replace(tzinfo=UTC) - hours * H
        for _, hours in CHANGES[zone]
        if wall(zone, local.replace(tzinfo=UTC) - hours * H) == local
    }
    return instant


def expected_night(zone: str, start: datetime.datetime, minutes: int) -> bool:
    for minute in range(minutes):
        local = wall(zone, start + datetime.timedelta(minutes=minute))
        if local.hour >= 22 or local.hour < 7:
            return True
    return False


MEMBERS = {
    "America/Los_Angeles": 2,
    "Europe/Berlin": 3,
    "Australia/Sydney": 1,
    "America/Santiago": 1,
    "Asia/Shanghai": 2,
}


@pytest.mark.parametrize(
    ("first", "home", "start"),
    [
        # March-April: the US, then Europe, go forward; Santiago and Sydney go back.
        (datetime.date(2026, 2, 23), "America/Los_Angeles", datetime.time(17)),
        # 07:00 in Sydney until it goes back on 5 April, then 06:00: night.
        (datetime.date(2026, 2, 23), "America/Los_Angeles", datetime.time(13)),
        # September-November: Santiago and Sydney go forward; Europe, then the US, go back.
        # Santiago's and Sydney's early morning leave their night as they go forward.
        (datetime.date(2026, 8, 31), "Europe/Berlin", datetime.time(11)),
        # Berlin's evening and Sydney's morning cross 22:00 and 07:00 as clocks change.
        (datetime.date(2026, 8, 31), "America/Los_Angeles", datetime.time(12)),
    ],
)
def test_each_zones_local_times_and_nights_match_an_independent_computation(first, home, start):
    weeks = 12
    instants = fairness.weekly_starts(first, start, home, weeks)
    sittings = [fairness.Sitting(moment, moment + 1.5 * H) for moment in instants]

    burden = fairness.burden(sittings, MEMBERS, rule=RULE)

    assert instants == [
        from_wall(home, datetime.datetime.combine(day, start))
        for day in [first + week * datetime.timedelta(weeks=1) for week in range(weeks)]
    ]
    nights = dict.fromkeys(MEMBERS, 0)
    for occurrence in burden.occurrences:
        for time in occurrence.times:
            moment = occurrence.sitting.start
            assert time.start.replace(tzinfo=None) == wall(time.zone, moment)
            assert time.night == expected_night(time.zone, moment, 90), (time.zone, moment)
            assert time.weekend == (wall(time.zone, moment).weekday() >= 5)
            nights[time.zone] += time.night
    assert {zone.zone: zone.nights for zone in burden.zones} == nights
    # The clocks change inside the window, so some zone's night count is neither 0 nor 12.
    assert any(0 < count < weeks for count in nights.values())
    burdened = sum(
        MEMBERS[time.zone]
        for occurrence in burden.occurrences
        for time in occurrence.times
        if time.night or time.weekend
    )
    assert burden.share == pytest.approx(burdened / (sum(MEMBERS.values()) * weeks))


def test_a_change_of_clocks_moves_a_slot_out_of_a_zones_night():
    """A half hour at 06:30 in Los Angeles is 22:30 in Shanghai in winter (night), and
    21:30-22:00 once the US goes forward on 8 March (not night: it ends as the night starts)."""
    instants = fairness.weekly_starts(
        datetime.date(2026, 3, 2), datetime.time(6, 30), "America/Los_Angeles", 2
    )
    sittings = [fairness.Sitting(moment, moment + H / 2) for moment in instants]
    burden = fairness.burden(sittings, {"Asia/Shanghai": 1}, rule=RULE)

    assert [time.start.time() for o in burden.occurrences for time in o.times] == [
        datetime.time(22, 30),
        datetime.time(21, 30),
    ]
    assert burden.zones[0].nights == 1


def test_night_rule_settings():
    rule = fairness.NightRule.parse("23:00-06:30", "friday, saturday")
    assert (rule.night_start, rule.night_end, rule.weekend) == (
        datetime.time(23),
        datetime.time(6, 30),
        frozenset({4, 5}),
    )
    assert fairness.NightRule.parse("00:00-06:00", "").weekend == frozenset()
    with pytest.raises(ValueError, match="unknown weekday 'caturday'"):
        fairness.NightRule.parse("22:00-07:00", "caturday")
    with pytest.raises(ValueError, match="different times"):
        fairness.NightRule.parse("22:00-22:00", "")


def test_a_night_that_does_not_cross_midnight():
    rule = fairness.NightRule.parse("00:00-06:00", "")
    zone = "Asia/Shanghai"
    late = datetime.datetime(2026, 5, 4, 15, tzinfo=UTC)  # 23:00 in Shanghai
    early = datetime.datetime(2026, 5, 4, 16, 30, tzinfo=UTC)  # 00:30
    assert not rule.at_night(late, late + H, ZoneInfo(zone))
    assert rule.at_night(early, early + H, ZoneInfo(zone))


# -- The seed: the Open Cluster Management forums' two Monday slots ------------------------------


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 1, 9, tzinfo=UTC), tick=False)
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def forum_with_china(demo):
    """The demo's Community Meeting Forum (first Monday 17:00, third Monday 08:00 US Pacific),
    its group joined by a member in China."""
    forum = Meeting.objects.get(slug="community-meeting-forum")
    RoleFactory(group=forum.group, person=Person.objects.get(handle="li-wei"), kind=RoleKind.MEMBER)
    return forum


def test_the_seed_forums_0800_slot_puts_china_at_night_and_the_1700_slot_does_not(
    forum_with_china,
):
    forum = forum_with_china
    times = selectors.meeting_times(forum.group, forum.schedules.all(), weeks=26)
    china = [zone.zone for zone in times.burden.zones].index("Asia/Shanghai")
    morning, evening = 0, 0
    for occurrence in times.burden.occurrences:
        local = occurrence.sitting.start.astimezone(ZoneInfo("America/Los_Angeles"))
        at_night = occurrence.times[china].night
        if local.hour == 8:
            morning += 1
            assert at_night, occurrence  # midnight in China
        else:
            assert local.hour == 17
            evening += 1
            assert not at_night, occurrence  # 09:00 the next morning in China
    assert morning >= 5 and evening >= 5
    parts = {part.part: part for part in times.burden.rotation}
    third = parts["Third Monday of the month, 08:00-09:00 America/Los_Angeles"]
    first = parts["First Monday of the month, 17:00-18:00 America/Los_Angeles"]
    assert "Asia/Shanghai" in [zone.zone for zone in third.burdened_zones]
    assert "Asia/Shanghai" not in [zone.zone for zone in first.burdened_zones]


def test_the_forum_page_shows_the_picture_and_table_without_names(client, forum_with_china):
    html = client.get(reverse("meetings:meeting-detail", args=["community-meeting-forum"]))
    text = html.content.decode()
    section = text[text.index('aria-labelledby="meeting-burden-title"') :]
    section = section[: section.index("</section>")]

    assert '<svg viewBox="0 0' in section and 'role="img"' in section
    assert '<rect class="burden-cell night"' in section
    assert "Asia/Shanghai (China)" in section
    assert "How the rotation spreads it" in section
    for person in Person.objects.filter(roles__group__slug="committee-steering"):
        assert person.name not in section and person.handle not in section


# -- Finding a time ------------------------------------------------------------------------------

THREE_REGIONS = {"America/Los_Angeles": 3, "Europe/Berlin": 2, "Asia/Shanghai": 2}


def test_for_us_europe_and_china_a_week_about_pair_beats_any_single_slot_on_the_worst_off_zone():
    weekly, alternating = fairness.suggestions(
        THREE_REGIONS,
        first=datetime.date(2026, 3, 2),
        zone="America/Los_Angeles",
        minutes=60,
        weeks=12,
        rule=RULE,
    )
    best_single, best_pair = weekly[0], alternating[0]

    # No hour is daytime in all three: every weekly slot is someone's night every week.
    assert best_single.burden.worst == 1.0
    assert best_pair.is_alternating and best_pair.burden.worst == 0.5
    assert best_pair.burden.worst < best_single.burden.worst
    # Ranked: the worst-off zone's share never improves down the list.
    worsts = [candidate.burden.worst for candidate in alternating]
    assert worsts == sorted(worsts)
    # The pair alternates: each start is a part of the rotation, half the weeks each.
    assert [part.occurrences for part in best_pair.burden.rotation] == [6, 6]


def test_no_zone_no_suggestion():
    assert fairness.suggestions(
        {}, first=datetime.date(2026, 3, 2), zone="UTC", minutes=60, weeks=4, rule=RULE
    ) == ([], [])


@pytest.fixture
def three_regions(db, time_machine):
    """A group with members in US Pacific, Europe and China, two without a zone, and a weekly
    meeting at 08:00 US Pacific."""
    time_machine.move_to(datetime.datetime(2026, 2, 25, 12, tzinfo=UTC), tick=False)
    group = GroupFactory(slug="wg-regions", name="WG Regions")
    for zone, count in {**THREE_REGIONS, "": 2}.items():
        for _ in range(count):
            RoleFactory(group=group, person=PersonFactory(time_zone=zone), kind=RoleKind.MEMBER)
    ScheduleFactory(
        meeting=MeetingFactory(group=group, slug="regions-weekly", title="Regions weekly"),
        first_date=datetime.date(2026, 1, 5),
        start_time=datetime.time(8),
    )
    return group


def test_the_find_a_time_page_ranks_pairs_first_and_counts_unknown_zones(client, three_regions):
    url = reverse("meetings:find-a-time", args=["wg-regions"])
    response = client.get(url, {"day": "0", "zone": "America/Los_Angeles", "weeks": "12"})
    text = re.sub(r"\s+", " ", response.content.decode())

    assert response.status_code == 200
    assert "2 members have no time zone and are not counted" in text
    assert "for 7 members with a known zone" in text
    pairs = text[text.index('id="alternating"') : text.index('id="weekly"')]
    assert "Week about:" in pairs and "Worst-off zone: <strong>50 %</strong>" in pairs
    single = text[text.index('id="weekly"') :]
    assert "Worst-off zone: <strong>100 %</strong>" in single
    # Each candidate's lines in the display zones, the search zone's clock first.
    assert "PST" in pairs and "China" in pairs
    for person in Person.objects.filter(roles__group=three_regions):
        assert person.name not in text


@pytest.mark.parametrize(
    ("query", "field"),
    [({"day": "9"}, "day"), ({"zone": "Mars/Olympus"}, "zone"), ({"weeks": "1000"}, "weeks")],
)
def test_the_find_a_time_page_refuses_a_bad_value_naming_it(client, three_regions, query, field):
    response = client.get(reverse("meetings:find-a-time", args=["wg-regions"]), query)
    assert response.status_code == 400
    assert f'id="id_{field}"' in response.content.decode()
    assert "Select a valid choice" in response.content.decode()


def test_the_group_page_shows_its_meeting_times_picture(client, three_regions):
    text = client.get(three_regions.get_absolute_url()).content.decode()
    section = text[text.index('aria-labelledby="group-burden-title"') :]
    section = section[: section.index("</section>")]
    assert "Who meets at night" in section
    assert "Regions weekly: Every Monday" in text or "Asia/Shanghai (China)" in section
    assert "Night and weekend occurrences per member zone" in section
    assert "2 members of WG Regions have no time zone and are not counted." in re.sub(
        r"\s+", " ", section
    )
    assert reverse("meetings:find-a-time", args=["wg-regions"]) in section


def render(rf, template: str, **context) -> str:
    request = rf.get("/")
    request.user = AnonymousUser()
    return render_to_string(template, context, request=request)


@pytest.mark.parametrize("members", [1, 3])
def test_find_a_time_and_the_sections_make_the_same_queries_for_n_and_3n_members(
    client, rf, three_regions, django_assert_num_queries, members
):
    for _ in range(members):
        RoleFactory(group=three_regions, person=PersonFactory(time_zone="Asia/Kolkata"))
        ScheduleFactory(meeting=MeetingFactory(group=three_regions))
    # The group, its first meeting's zone, the member zones.
    with django_assert_num_queries(3):
        client.get(reverse("meetings:find-a-time", args=["wg-regions"]))
    # Member zones, schedules with meetings, occurrence records.
    with django_assert_num_queries(3):
        html = render(rf, "meetings/_group_burden.html", group=three_regions)
    assert html.count('<tr><th scope="row">') > 3
    detail = selectors.meeting_detail(slug="regions-weekly")
    # The meeting page's section reuses the page's schedules: the member zones only.
    with django_assert_num_queries(1):
        render(rf, "meetings/_meeting_burden.html", detail=detail)


# -- The API -------------------------------------------------------------------------------------


def test_the_api_gives_the_same_figures_as_the_page(client, three_regions):
    data = client.get("/api/v1/group-burdens/wg-regions/", {"weeks": "4"}).json()
    assert data["weeks"] == 4
    assert data["rule"] == {
        "night_start": "22:00:00",
        "night_end": "07:00:00",
        "weekend": ["saturday", "sunday"],
    }
    burden = data["burden"]
    assert (burden["members"], burden["unknown_zones"]) == (7, 2)
    assert len(burden["occurrences"]) == 4
    shanghai = next(zone for zone in burden["zones"] if zone["zone"] == "Asia/Shanghai")
    # 08:00 US Pacific is midnight (or 23:00, before the US goes forward) in China.
    assert (shanghai["members"], shanghai["nights"], shanghai["share"]) == (2, 4, 1.0)
    assert burden["carriers"] == ["Asia/Shanghai"]

    meeting = client.get("/api/v1/meeting-burdens/regions-weekly/").json()
    assert (
        meeting["burden"]["zones"]
        == client.get("/api/v1/group-burdens/wg-regions/").json()["burden"]["zones"]
    )

    found = client.get(
        "/api/v1/group-slot-suggestions/wg-regions/",
        {"day": "monday", "zone": "America/Los_Angeles", "weeks": "12"},
    ).json()
    assert found["alternating"][0]["worst_zone_share"] == 0.5
    assert found["weekly"][0]["worst_zone_share"] == 1.0
    assert [len(start["zone_lines"]) > 3 for start in found["alternating"][0]["starts"]] == [
        True,
        True,
    ]
    assert found["unknown_zones"] == 2
    for person in Person.objects.filter(roles__group=three_regions):
        assert person.name not in str(found) + str(data)


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/v1/group-burdens/wg-regions/", {"weeks": "0"}, "weeks"),
        ("/api/v1/group-slot-suggestions/wg-regions/", {"zone": "Warsaw"}, "zone"),
        ("/api/v1/group-slot-suggestions/wg-regions/", {"day": "someday"}, "day"),
        ("/api/v1/meeting-burdens/regions-weekly/", {"wekks": "2"}, "wekks"),
    ],
)
def test_the_api_refuses_a_bad_parameter_naming_it(client, three_regions, url, query, field):
    response = client.get(url, query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_privacy_walk_reads_the_new_pages_and_endpoints(three_regions):
    urls = public_urls().urls
    assert {
        "/groups/wg-regions/find-a-time/",
        "/api/v1/group-burdens/wg-regions/",
        "/api/v1/group-slot-suggestions/wg-regions/",
        "/api/v1/meeting-burdens/regions-weekly/",
    } <= set(urls)


def test_an_admin_editing_a_schedule_sees_its_burden_and_the_find_a_time_link(
    admin_client, three_regions
):
    schedule = three_regions.meetings.get().schedules.get()
    html = admin_client.get(f"/admin/meetings/schedule/{schedule.pk}/change/").content.decode()
    assert "at night or on a weekend for: Asia/Shanghai: 12 of 12" in html
    assert "2 members without a zone" in html
    assert 'href="/groups/wg-regions/find-a-time/"' in html
    meeting_page = admin_client.get(f"/admin/meetings/meeting/{schedule.meeting.pk}/change/")
    assert "Find a time for WG Regions" in meeting_page.content.decode()


def test_a_night_setting_that_does_not_read_stops_the_site(settings):
    settings.AGORA_NIGHT = "late"
    (error,) = check_night_rule()
    assert error.id == "agora.E001" and "AGORA_NIGHT" in error.msg
    settings.AGORA_NIGHT, settings.AGORA_WEEKEND = "23:00-06:00", "friday"
    assert check_night_rule() == []


@pytest.mark.parametrize("members", [1, 3])
def test_the_meeting_page_makes_the_same_queries_however_many_members(
    client, three_regions, django_assert_num_queries, members
):
    for _ in range(members):
        RoleFactory(group=three_regions, person=PersonFactory(time_zone="Asia/Kolkata"))
    # The meeting with its schedules and records (3), who changed it last (1), the member zones (1).
    with django_assert_num_queries(5):
        client.get(reverse("meetings:meeting-detail", args=["regions-weekly"]))
