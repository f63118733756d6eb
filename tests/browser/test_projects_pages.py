"""The project list, the enhancements filters, a proposal and a release in a real browser, on a
desktop and a phone, with screenshots."""

import pytest

from projects import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_site(transactional_db):
    demo.load()


def _fits_the_screen(page) -> bool:
    """No sideways scrolling of the whole page (wide tables scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shoot(page, screenshot_dir, name: str):
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)


def test_project_list_filters_by_area(demo_site, page, screenshot_dir):
    page.goto("/projects/")
    assert page.locator("h2", has_text="Service mesh").is_visible()
    _shoot(page, screenshot_dir, "projects-desktop")
    page.select_option("select[name=area]", "service-mesh")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/projects/?area=service-mesh**")
    assert page.get_by_role("link", name="Open Service Mesh (OSM)").is_visible()
    assert page.get_by_role("link", name="containerd").count() == 0
    page.set_viewport_size(PHONE)
    page.goto("/projects/")
    assert _fits_the_screen(page)
    _shoot(page, screenshot_dir, "projects-phone")


def test_enhancements_answer_two_questions_in_one_click_each(demo_site, page, screenshot_dir):
    page.goto("/enhancements/")
    page.locator("#by-group").locator("..").get_by_role("link", name="2 implemented").click()
    page.wait_for_url("**group=sig-auth&status=implemented")
    assert page.locator("table.proposal-table tbody tr").count() == 2

    page.goto("/enhancements/")
    page.locator("#by-release").locator("..").get_by_role("link", name="3 at beta").first.click()
    page.wait_for_url("**milestone=v1.29&stage=beta")
    rows = page.locator("table.proposal-table tbody tr")
    assert rows.count() == 3
    assert "Sidecar Containers" in rows.all_inner_texts()[0]
    _shoot(page, screenshot_dir, "enhancements-v1.29-beta-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    assert _fits_the_screen(page)
    _shoot(page, screenshot_dir, "enhancements-v1.29-beta-phone")


def test_enhancements_search_with_the_keyboard(demo_site, page):
    page.goto("/enhancements/")
    page.get_by_label("Search proposals").fill("sidecar")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=sidecar**")
    assert page.locator("table.proposal-table tbody tr").count() == 1
    page.get_by_role("link", name="Remove search sidecar").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/enhancements/")
    assert page.locator("table.proposal-table tbody tr").count() == 9


def test_proposal_page(demo_site, page, screenshot_dir):
    page.goto("/enhancements/3299/")
    assert page.get_by_role("heading", level=1).inner_text() == "KEP-3299 KMS v2 Improvements"
    assert page.get_by_role("link", name="@ritazh").is_visible()
    _shoot(page, screenshot_dir, "proposal-3299-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    assert _fits_the_screen(page)
    _shoot(page, screenshot_dir, "proposal-3299-phone")


def test_release_page(demo_site, page, screenshot_dir):
    page.goto("/releases/v1.29/")
    assert page.get_by_role("heading", name="Slipped from v1.28").is_visible()
    _shoot(page, screenshot_dir, "release-v1.29-desktop")
    page.get_by_role("link", name="3 beta").click()
    page.wait_for_url("**milestone=v1.29&stage=beta")
    page.set_viewport_size(PHONE)
    page.goto("/releases/v1.29/")
    assert _fits_the_screen(page)
    _shoot(page, screenshot_dir, "release-v1.29-phone")
