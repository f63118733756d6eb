"""An admin confirms the first date of an imported biweekly meeting in a real browser."""

import datetime

import pytest
from playwright.sync_api import expect

from meetings.importers.apply import meeting_import
from meetings.importers.sigs_yaml import read_meeting
from meetings.models import Schedule
from tests.factories import GroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_picks_one_of_the_offered_dates(page, django_user_model, screenshot_dir):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "correct-horse")
    today = datetime.date.today()
    reading = read_meeting(
        {
            "description": "SIG Network Meeting",
            "day": "Thursday",
            "time": "09:00",
            "tz": "PT (Pacific Time)",
            "frequency": "biweekly",
        },
        on=today,
    )
    meeting_import(
        group=GroupFactory(slug="sig-network", name="Network"),
        subproject=None,
        slug="sig-network-sig-network-meeting",
        reading=reading,
        on=today,
    )
    second_thursday = reading.schedule.candidates[1]

    page.goto("/admin/login/?next=/admin/meetings/schedule/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("checkbox", name="Select this object for an action").check()
    page.select_option("select[name=action]", "confirm_first_date")
    page.get_by_role("button", name="Go").click()
    page.get_by_label(f"{second_thursday:%A %d %B %Y}").check()
    page.screenshot(path=screenshot_dir / "confirm-first-date.png", full_page=True)
    page.get_by_role("button", name="Confirm these first dates").click()

    expect(page.get_by_text("Confirmed the first date of 1 schedule(s)")).to_be_visible()
    assert Schedule.objects.get().first_date == second_thursday
