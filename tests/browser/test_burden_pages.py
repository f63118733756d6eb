"""Who meets at night in a real browser: the heat strip draws under the CSP, on a desktop and
a phone, with its table beside (or below) it, and the find-a-time page ranks candidates."""

import datetime

import pytest

from governance.models import RoleKind
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PAGES = {
    "group": "/groups/wg-regions/",
    "meeting": "/meetings/regions-forum/",
    "find-a-time": "/groups/wg-regions/find-a-time/?day=0&zone=America%2FLos_Angeles",
}


@pytest.fixture
def regions(transactional_db):
    """Members in US Pacific, Europe and China (and one without a zone); a forum that meets on
    first Mondays at 17:00 and third Mondays at 08:00 US Pacific."""
    group = GroupFactory(slug="wg-regions", name="WG Regions")
    zones = ["America/Los_Angeles"] * 3 + ["Europe/Berlin"] * 2 + ["Asia/Shanghai"] * 2 + [""]
    for zone in zones:
        RoleFactory(group=group, person=PersonFactory(time_zone=zone), kind=RoleKind.MEMBER)
    meeting = MeetingFactory(group=group, slug="regions-forum", title="Regions forum")
    first = datetime.date.today().replace(day=1) - datetime.timedelta(days=62)
    for week, start in ((1, datetime.time(17)), (3, datetime.time(8))):
        ScheduleFactory(
            meeting=meeting,
            first_date=first,
            start_time=start,
            frequency="monthly",
            week_of_month=week,
        )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_pictures_and_rankings_draw_under_the_policy(page, regions, screenshot_dir, viewport):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    if viewport:
        page.set_viewport_size(viewport)
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response.status == 200, path
        if name == "find-a-time":
            assert page.locator("#alternating + p + ol article").count() == 5
        else:
            strip = page.locator("figure.burden-picture svg")
            strip.wait_for(state="visible")
            box = strip.bounding_box()
            # Readable at a glance: it fits the screen's width and is not squashed flat.
            assert box["width"] <= (viewport or {"width": 1280})["width"]
            assert box["height"] > 40
            assert page.locator("table.burden-zones tbody tr").count() == 3
            page.locator("section.burden").screenshot(
                path=screenshot_dir / f"burden-{name}-{'phone' if viewport else 'desktop'}.png"
            )
        if name == "find-a-time":
            page.screenshot(
                path=screenshot_dir / f"find-a-time-{'phone' if viewport else 'desktop'}.png",
                full_page=True,
            )
    assert violations == []
