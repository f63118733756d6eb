"""A new user's walk through the site on a phone: the meetings list and its days' zone and feed, a
moved occurrence, a very long group name, and the wide release and proposal tables."""

import datetime

import pytest

from meetings import services
from meetings.recurrence import slots_between
from projects import demo
from tests.factories import GroupFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# 200 characters and no space to break at.
LONG_NAME = "Supercalifragilisticexpialidocious" * 5 + "Kubernetes" * 3


@pytest.fixture
def phone(chromium_browser, live_server):
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport=PHONE, timezone_id="Asia/Tokyo", locale="en-US"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def moved(transactional_db):
    """SIG Node weekly (Mondays 17:00 US Pacific), its second coming occurrence moved to the
    Tuesday; and another group's meeting."""
    today = datetime.date.today()
    meeting = MeetingFactory(
        group=GroupFactory(slug="sig-node", name="SIG Node"),
        slug="sig-node-weekly",
        title="SIG Node weekly",
    )
    schedule = ScheduleFactory(
        meeting=meeting, first_date=today - datetime.timedelta(days=today.weekday() + 7)
    )
    ScheduleFactory(meeting=MeetingFactory(title="SIG Apps weekly"))
    now = datetime.datetime.now(datetime.UTC)
    second = slots_between([schedule], now, now + datetime.timedelta(days=15))[1]
    services.occurrence_move(
        schedule=schedule,
        original_date=second.original_date,
        start=second.start + datetime.timedelta(days=1),
        reason="Monday is a holiday",
    )
    return second


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def time_ranges_broken(page) -> list[str]:
    """The time ranges ("5-6 PM PST") that the page shows on more than one line."""
    return page.evaluate(
        """[...document.querySelectorAll('.time-range')]
             .filter(range => range.getClientRects().length > 1).map(range => range.textContent)"""
    )


def test_meetings_list_on_a_phone(phone, moved, screenshot_dir):
    phone.goto("/meetings/")
    phone.select_option("#id_zone", "UTC")
    phone.select_option("#id_group", "sig-node")
    phone.click("form.filters button")
    phone.wait_for_url("**zone=UTC**")

    assert "by day in UTC time" in phone.locator(".lede").inner_text()
    # Each line starts with the time in the zone of the day headings.
    leads = phone.locator(".zone-line.lead").all_inner_texts()
    assert leads and all(lead.endswith("UTC") for lead in leads), leads
    assert phone.locator(".time-range").count() >= 5
    assert time_ranges_broken(phone) == []
    assert fits_the_screen(phone)
    phone.screenshot(path=screenshot_dir / "walk-meetings-utc-phone.png", full_page=True)

    # Subscribing gives the feed of what the list shows: SIG Node's meeting alone.
    feed = phone.locator(".subscribe .feed-link").get_attribute("href")
    assert feed.endswith("/calendar.ics?groups=sig-node")
    body = phone.request.get(feed).text()
    assert "SUMMARY:SIG Node weekly" in body and "SIG Apps" not in body


def test_a_moved_occurrence_on_a_phone(phone, moved, screenshot_dir):
    phone.goto(f"/meetings/sig-node-weekly/{moved.original_date:%Y-%m-%d}/")
    note = phone.locator(".moved-away")
    assert "takes place on" in note.inner_text() and "Monday is a holiday" in note.inner_text()
    phone.screenshot(path=screenshot_dir / "walk-moved-from-phone.png", full_page=True)

    note.get_by_role("link").click()
    new_date = moved.original_date + datetime.timedelta(days=1)
    phone.wait_for_url(f"**/meetings/sig-node-weekly/{new_date:%Y-%m-%d}/")
    main = phone.inner_text("main")
    assert "does not meet" not in main
    assert "Monday is a holiday" in main and phone.locator(".zone-table").is_visible()
    assert time_ranges_broken(phone) == []
    assert fits_the_screen(phone)
    phone.screenshot(path=screenshot_dir / "walk-moved-to-phone.png", full_page=True)


def test_a_200_character_name_wraps(page, transactional_db, screenshot_dir):
    GroupFactory(slug="long", name=LONG_NAME)
    GroupFactory(slug="sig-node", name="SIG Node")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto("/groups/")
        link = page.get_by_role("link", name=LONG_NAME)
        name_box, cell_box = link.bounding_box(), link.locator("xpath=..").bounding_box()
        assert name_box["x"] + name_box["width"] <= cell_box["x"] + cell_box["width"] + 1, name
        assert fits_the_screen(page), name
        page.screenshot(path=screenshot_dir / f"walk-groups-long-name-{name}.png", full_page=True)
        # Its own page and the people filter that offers it wrap it too.
        for path in ("/groups/long/", "/people/"):
            page.goto(path)
            assert fits_the_screen(page), (path, name)


def overflowing_regions(page) -> list[dict]:
    """The table boxes wider than the screen: their role, tab stop and accessible name."""
    return page.evaluate(
        """[...document.querySelectorAll('main .table-scroll')]
             .filter(box => box.scrollWidth > box.clientWidth)
             .map(box => ({
               role: box.getAttribute('role'),
               tabindex: box.getAttribute('tabindex'),
               name: box.getAttribute('aria-label') || (
                 document.getElementById(box.getAttribute('aria-labelledby')) || {}
               ).textContent || '',
             }))"""
    )


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/releases/", "releases"),
        ("/releases/v1.29/", "release-v1.29"),
        ("/enhancements/", "enhancements"),
        ("/enhancements/3299/", "proposal-3299"),
    ],
)
def test_wide_tables_scroll_in_labelled_regions_on_a_phone(
    phone, transactional_db, screenshot_dir, path, name
):
    demo.load()
    phone.goto(path)
    assert fits_the_screen(phone)
    regions = overflowing_regions(phone)
    for region in regions:
        assert (region["role"], region["tabindex"]) == ("region", "0"), region
        assert region["name"].strip(), region
    if regions:
        # From the keyboard: focus the first wide table and scroll it with the arrow keys.
        boxes = phone.locator("main .table-scroll[role=region]").all()
        wide = next(box for box in boxes if box.evaluate("b => b.scrollWidth > b.clientWidth"))
        wide.focus()
        phone.keyboard.press("ArrowRight")
        phone.wait_for_function("box => box.scrollLeft > 0", arg=wide.element_handle())
    phone.screenshot(path=screenshot_dir / f"walk-{name}-phone.png", full_page=True)


def test_the_release_list_is_a_wide_table_that_scrolls(phone, transactional_db):
    demo.load()
    phone.goto("/releases/")
    assert len(overflowing_regions(phone)) == 1
