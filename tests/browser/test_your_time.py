"""The browser's "Your time" line on the nights that trip Intl's formatRange: a meeting across
midnight, and one that starts and ends at the same wall-clock time on a fall-back night."""

import datetime

import pytest
from django.urls import reverse

from tests.meetings.factories import MeetingFactory, ScheduleFactory

pytestmark = pytest.mark.browser


def your_time(chromium_browser, live_server, zone: str, url: str) -> str:
    context = chromium_browser.new_context(
        base_url=live_server.url, timezone_id=zone, locale="en-US"
    )
    try:
        page = context.new_page()
        page.goto(url)
        return page.locator(".your-time").first.inner_text()
    finally:
        context.close()


def occurrence_url(time_zone: str, day: datetime.date, start: str, minutes: int) -> str:
    meeting = MeetingFactory()
    ScheduleFactory(
        meeting=meeting,
        time_zone=time_zone,
        first_date=day,
        start_time=datetime.time.fromisoformat(start),
        duration_minutes=minutes,
        frequency="once",
    )
    return reverse("meetings:occurrence-detail", args=[meeting.slug, day])


def test_a_meeting_across_midnight_names_both_days(chromium_browser, live_server, transactional_db):
    url = occurrence_url("Asia/Tokyo", datetime.date(2026, 6, 2), "23:30", 60)

    text = your_time(chromium_browser, live_server, "Asia/Tokyo", url)

    assert text == "Your time: Tue, 11:30 PM GMT+9 \u2013 Wed, 12:30 AM GMT+9 (Asia/Tokyo)"


def test_a_fall_back_hour_keeps_its_two_ends(chromium_browser, live_server, transactional_db):
    # 01:00 PDT to 01:00 PST: one hour, the same wall-clock time at both ends.
    url = occurrence_url("America/Los_Angeles", datetime.date(2026, 11, 1), "01:00", 60)

    text = your_time(chromium_browser, live_server, "America/Los_Angeles", url)

    assert text == "Your time: Sun, 1:00 AM PDT \u2013 1:00 AM PST (America/Los Angeles)"
