"""The governance pages in a real browser: headings, keyboard use, desktop and phone layouts."""

import pytest

from tests.governance.community import build_community

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def community(db):
    return build_community()


def headings(page, level: str) -> list[str]:
    return [text.strip() for text in page.locator(level).all_inner_texts()]


def test_group_list_reads_well_and_works_from_the_keyboard(page, community, screenshot_dir):
    page.goto("/groups/")
    assert headings(page, "h1") == ["Groups"]
    assert headings(page, "h2") == [
        "Special interest groups",
        "Working groups",
        "Committees",
        "User groups",
    ]
    row = page.get_by_role("row", name="Network")
    assert "Tim Hockin" in row.inner_text()
    page.screenshot(path=screenshot_dir / "governance-groups-desktop.png", full_page=True)

    # The first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # From the top, Tab reaches the search box; Enter searches.
    page.goto("/groups/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search":
            break
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("machinery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=machinery")
    assert headings(page, "h1") == ["Search results for “machinery”"]
    page.get_by_role("link", name="API Machinery").click()
    page.wait_for_url("**/groups/sig-api-machinery/")


def test_group_page_shows_leadership_and_fits_a_phone(page, community, screenshot_dir):
    page.goto("/groups/sig-api-machinery/")
    assert headings(page, "h1") == ["API Machinery"]
    assert {"Mission", "Leadership", "Subprojects", "Contact"} <= set(headings(page, "h2"))
    page.get_by_text("Emeritus leads (1)").click()
    assert page.get_by_role("link", name="Daniel Smith").is_visible()
    page.screenshot(path=screenshot_dir / "governance-group-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Table rows become cards whose cells name their column.
    label = page.locator("td[data-label=Leads]").first.evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label == '"Leads: "'
    page.screenshot(path=screenshot_dir / "governance-group-phone.png", full_page=True)

    page.goto("/groups/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "governance-groups-phone.png", full_page=True)


def test_people_directory_filters_without_javascript(chromium_browser, live_server, community):
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/people/")
    page.get_by_label("Group").select_option("sig-network")
    page.get_by_label("Affiliation").select_option("Red Hat")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/people/?*group=sig-network*")
    rows = page.locator("tbody tr").all_inner_texts()
    assert len(rows) == 1 and "Dan Winship" in rows[0]
    context.close()


def test_governance_page_says_where_to_report(page, community, screenshot_dir):
    page.goto("/governance/")
    assert headings(page, "h1") == ["Governance"]
    assert page.get_by_role("link", name="conduct@kubernetes.io").first.get_attribute("href") == (
        "mailto:conduct@kubernetes.io"
    )
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "governance-phone.png", full_page=True)
