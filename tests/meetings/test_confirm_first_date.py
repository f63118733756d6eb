"""An admin confirms the first date of a schedule imported with dates to be confirmed."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.importers.apply import meeting_import, schedule_confirm_first_date
from meetings.importers.sigs_yaml import read_meeting
from meetings.models import Meeting, Schedule
from meetings.recurrence import Frequency, slots_between
from tests.factories import GroupFactory

# A Monday.
TODAY = datetime.date(2026, 3, 2)
CHANGELIST = reverse("admin:meetings_schedule_changelist")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC), tick=False)


def imported(frequency: str, *, day: str = "Thursday", tz: str = "PT (Pacific Time)") -> Schedule:
    """A schedule imported from sigs.yaml text."""
    raw = {"description": f"{frequency} {day} {tz}", "day": day, "time": "09:00", "tz": tz}
    reading = read_meeting({**raw, "frequency": frequency}, on=TODAY)
    group = GroupFactory()
    _, (schedule,), _ = meeting_import(
        group=group, subproject=None, slug=f"{group.slug}-meeting", reading=reading, on=TODAY
    )
    return schedule


def post_action(client, schedules, **data):
    return client.post(
        CHANGELIST,
        {
            "action": "confirm_first_date",
            "_selected_action": [schedule.pk for schedule in schedules],
            **data,
        },
    )


def feed_starts(schedule: Schedule) -> list[datetime.datetime]:
    start = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    return [slot.start for slot in slots_between([schedule], start, start + datetime.timedelta(30))]


def test_confirming_a_date_on_the_right_weekday_puts_the_schedule_in_the_feeds():
    schedule = imported("biweekly")
    assert feed_starts(schedule) == []

    schedule_confirm_first_date(schedule=schedule, first_date=datetime.date(2026, 3, 12))

    schedule.refresh_from_db()
    assert schedule.is_confirmed
    assert schedule.sequence == 1
    # 09:00 Pacific is 16:00 UTC once the US is on daylight saving time (from 8 March 2026).
    assert feed_starts(schedule) == [
        datetime.datetime(2026, 3, 12, 16, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 26, 16, tzinfo=datetime.UTC),
    ]


def test_a_date_on_another_weekday_is_refused_with_the_weekday_the_text_gives():
    schedule = imported("biweekly")

    with pytest.raises(ValidationError) as error:
        schedule_confirm_first_date(schedule=schedule, first_date=datetime.date(2026, 3, 11))

    assert error.value.message_dict == {
        "first_date": ["Wednesday 2026-03-11 is not a Thursday: the meeting is on Thursdays."]
    }
    schedule.refresh_from_db()
    assert not schedule.is_confirmed


def test_a_monthly_meeting_whose_week_is_not_said_takes_the_week_of_the_date():
    schedule = imported("monthly")

    schedule_confirm_first_date(schedule=schedule, first_date=datetime.date(2026, 3, 19))

    schedule.refresh_from_db()
    assert (schedule.frequency, schedule.week_of_month) == (Frequency.MONTHLY, 3)
    assert schedule.describe() == "Third Thursday of the month, 09:00-10:00 America/Los_Angeles"


def test_a_confirmed_schedule_or_an_unreadable_one_cannot_be_confirmed():
    weekly = imported("weekly")
    unreadable = imported("weekly", tz="CST")

    with pytest.raises(ValidationError, match="already confirmed"):
        schedule_confirm_first_date(schedule=weekly, first_date=datetime.date(2026, 3, 12))
    with pytest.raises(ValidationError, match="could not be read"):
        schedule_confirm_first_date(schedule=unreadable, first_date=datetime.date(2026, 3, 12))


def test_a_schedule_made_by_hand_is_checked_by_its_own_rule():
    meeting = Meeting.objects.create(group=GroupFactory(), slug="hand-made", title="Hand made")
    schedule = Schedule.objects.create(
        meeting=meeting,
        time_zone="Europe/Berlin",
        start_time=datetime.time(10),
        frequency=Frequency.MONTHLY,
        week_of_month=2,
    )

    with pytest.raises(ValidationError, match="not a date this rule gives"):
        schedule_confirm_first_date(schedule=schedule, first_date=datetime.date(2026, 3, 2))
    schedule_confirm_first_date(schedule=schedule, first_date=datetime.date(2026, 3, 9))


def test_the_admin_action_offers_one_candidate_per_week_of_the_rule(admin_client):
    biweekly = imported("biweekly")
    monthly = imported("monthly", day="Tuesday")

    response = post_action(admin_client, [biweekly, monthly])

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thursday 05 March 2026" in page
    assert "Thursday 12 March 2026" in page
    assert "Thursday 19 March 2026" not in page
    for week, day in [("first", "03"), ("second", "10"), ("third", "17"), ("fourth", "24")]:
        assert f"Tuesday {day} March 2026 ({week} Tuesday)" in page
    assert "Tuesday 31 March 2026 (last Tuesday)" in page
    assert "Every 2 weeks, but no start date says which weeks." in page


def test_the_admin_action_confirms_the_chosen_dates(admin_client):
    biweekly = imported("biweekly")
    monthly = imported("monthly", day="Tuesday")

    response = post_action(
        admin_client,
        [biweekly, monthly],
        confirm="1",
        **{
            f"schedule-{biweekly.pk}-candidate": "2026-03-12",
            f"schedule-{monthly.pk}-other_date": "2026-01-27",
        },
    )

    assert response.status_code == 302
    assert Schedule.objects.get(pk=biweekly.pk).first_date == datetime.date(2026, 3, 12)
    monthly.refresh_from_db()
    # The 27th is the fourth Tuesday (and the last): the week is counted from the month's start.
    assert (monthly.first_date, monthly.week_of_month) == (datetime.date(2026, 1, 27), 4)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Confirmed the first date of 2 schedule(s): they are in the feeds now."
    ]


def test_the_admin_action_confirms_nothing_when_one_date_is_wrong(admin_client):
    biweekly = imported("biweekly")
    weekly = imported("every four weeks", day="Wednesday")

    response = post_action(
        admin_client,
        [biweekly, weekly],
        confirm="1",
        **{
            f"schedule-{biweekly.pk}-candidate": "2026-03-12",
            f"schedule-{weekly.pk}-other_date": "2026-03-12",
        },
    )

    assert response.status_code == 200
    assert "Thursday 2026-03-12 is not a Wednesday" in response.content.decode()
    assert not Schedule.objects.confirmed().exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose one of the dates, or give another date."),
        (
            {"candidate": "2026-03-05", "other_date": "2026-03-12"},
            "Choose one of the dates, or give another date.",
        ),
        ({"candidate": "2026-03-19"}, "Select a valid choice."),
    ],
)
def test_the_admin_action_asks_for_exactly_one_offered_or_given_date(admin_client, data, message):
    schedule = imported("biweekly")

    response = post_action(
        admin_client,
        [schedule],
        confirm="1",
        **{f"schedule-{schedule.pk}-{name}": value for name, value in data.items()},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Schedule.objects.confirmed().exists()


def test_the_admin_action_sends_unreadable_and_confirmed_schedules_elsewhere(admin_client):
    weekly = imported("weekly")
    unreadable = imported("weekly", tz="CST")

    response = post_action(admin_client, [weekly, unreadable])

    page = response.content.decode()
    assert "Its text could not be read" in page
    assert reverse("admin:meetings_schedule_change", args=[unreadable.pk]) in page
    assert 'name="confirm"' not in page
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Already confirmed, left as they are: {weekly.meeting}."
    ]


def test_only_staff_may_confirm(client, django_user_model):
    schedule = imported("biweekly")
    client.force_login(django_user_model.objects.create_user("reader", is_staff=False))

    response = post_action(
        client, [schedule], confirm="1", **{f"schedule-{schedule.pk}-candidate": "2026-03-12"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not Schedule.objects.confirmed().exists()
