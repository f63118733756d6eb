"""Meeting pages in a real browser set to Tokyo time: the "Your time" line, with and without
JavaScript, on a desktop and a phone."""

import datetime
import re

import pytest

from meetings import services
from meetings.recurrence import slots_between
from tests.factories import GroupFactory, PersonFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# 17:00 in Los Angeles is 9:00 or 10:00 the next morning in Tokyo, by daylight saving time.
YOUR_TIME = re.compile(r"Your time: \w{3}, (9|10):00\W+(10|11):00\W+AM GMT\+9 \(Asia/Tokyo\)")


@pytest.fixture
def community(transactional_db):
    """A weekly meeting (Mondays 17:00 US Pacific) whose second coming occurrence is
    cancelled and whose first has an agenda; dates follow today's."""
    today = datetime.date.today()
    meeting = MeetingFactory(
        group=GroupFactory(slug="sig-node", name="SIG Node"),
        slug="sig-node-weekly",
        title="SIG Node weekly",
        description="Kubelet, runtimes and node lifecycle.",
    )
    schedule = ScheduleFactory(
        meeting=meeting, first_date=today - datetime.timedelta(days=today.weekday() + 7)
    )
    now = datetime.datetime.now(datetime.UTC)
    first, second = slots_between([schedule], now, now + datetime.timedelta(days=15))[:2]
    services.occurrence_cancel(
        schedule=schedule, original_date=second.original_date, reason="Release week"
    )
    services.agenda_save(
        schedule=schedule,
        original_date=first.original_date,
        items=[{"title": "Swap KEP", "presenter": PersonFactory(handle="jane", name="Jane")}],
        minutes="**Decided**: ship it.",
        recording_url="",
        expected_version=services.UNSAVED_VERSION,
    )
    return {"meeting": meeting, "first": first, "cancelled": second}


@pytest.fixture
def tokyo(chromium_browser, live_server):
    """A browser context in Tokyo time, with JavaScript."""
    context = chromium_browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        timezone_id="Asia/Tokyo",
        locale="en-US",
    )
    yield context.new_page()
    context.close()


def shoot(page, screenshot_dir, name):
    page.screenshot(path=screenshot_dir / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / f"{name}-phone.png", full_page=True)
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_meeting_list(tokyo, community, screenshot_dir):
    tokyo.goto("/meetings/")
    cancelled = tokyo.locator(".slot.is-cancelled")
    assert "Cancelled: Release week" in cancelled.inner_text()
    assert cancelled.locator("del time.zone-lines").count() == 1
    your_times = tokyo.locator(".your-time").all_inner_texts()
    # One per occurrence that takes place; none for the cancelled one.
    assert len(your_times) == tokyo.locator("time.zone-lines[data-end]").count() >= 1
    assert all(YOUR_TIME.search(text) for text in your_times), your_times
    tokyo.select_option("#id_weeks", "4")
    tokyo.click("form.filters button")
    assert "weeks=4" in tokyo.url
    shoot(tokyo, screenshot_dir, "meetings-list")


def test_month_view(tokyo, community, screenshot_dir):
    tokyo.goto("/meetings/")
    tokyo.click(".view-switch >> text=Month")
    assert tokyo.locator("h1").inner_text().startswith("Meetings in ")
    assert tokyo.locator(".day-slots a", has_text="SIG Node weekly").count() >= 1
    shoot(tokyo, screenshot_dir, "meetings-month")


def test_meeting_page(tokyo, community, screenshot_dir):
    tokyo.goto("/meetings/sig-node-weekly/")
    assert "Every Monday, 17:00-18:00 America/Los_Angeles" in tokyo.inner_text("main")
    assert YOUR_TIME.search(tokyo.locator(".your-time").first.inner_text())
    subscribe = tokyo.locator(".subscribe a").first.get_attribute("href")
    assert subscribe.startswith("webcal://") and subscribe.endswith(
        "/meetings/sig-node-weekly/calendar.ics"
    )
    shoot(tokyo, screenshot_dir, "meeting-detail")


def test_occurrence_page(tokyo, community, screenshot_dir):
    day = community["first"].original_date
    tokyo.goto(f"/meetings/sig-node-weekly/{day:%Y-%m-%d}/")
    main = tokyo.inner_text("main")
    assert "Swap KEP" in main and "Decided: ship it." in main
    assert YOUR_TIME.search(tokyo.locator(".your-time").inner_text())
    assert tokyo.locator(".zone-table tbody tr").count() == 5
    shoot(tokyo, screenshot_dir, "meeting-occurrence")


def test_pages_read_fine_without_javascript(chromium_browser, live_server, community):
    context = chromium_browser.new_context(
        base_url=live_server.url, java_script_enabled=False, timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    page.goto("/meetings/sig-node-weekly/")
    lines = page.locator("time.zone-lines").first.inner_text()
    assert re.search(r"5-6 PM P[DS]T / 8-9 PM E[DS]T / \d+-\d+ AM UTC \(Tuesday\)", lines)
    assert page.locator(".your-time").count() == 0
    context.close()
