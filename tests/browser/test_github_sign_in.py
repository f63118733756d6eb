"""A chair signs in with GitHub in a real browser: Agora's sign-in page, GitHub's authorize
page (a stand-in on 127.0.0.1), back to Agora's callback, signed in on "My groups"; then moves
the next meeting on the site, reading the other zones before saving."""

import datetime

import pytest

from meetings.recurrence import slots_between
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.github_stand_in import GitHubStandIn, point_allauth_at
from tests.meetings.factories import MeetingFactory, ScheduleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def github(monkeypatch, settings):
    with GitHubStandIn() as stand_in:
        point_allauth_at(monkeypatch, stand_in.url)
        # The sign-in form is sent on to GitHub: the policy names where GitHub is.
        policy = settings.CONTENT_SECURITY_POLICY
        directives = {**policy["DIRECTIVES"], "form-action": ["'self'", stand_in.url]}
        settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
        yield stand_in


@pytest.fixture
def sig_node(transactional_db):
    """SIG Node, chaired by @dawn (in the roster, no account yet), meeting on Mondays at 17:00
    US Pacific."""
    group = GroupFactory(slug="sig-node", name="SIG Node")
    RoleFactory(person=PersonFactory(handle="dawn", name="Dawn Chen"), group=group)
    today = datetime.date.today()
    schedule = ScheduleFactory(
        meeting=MeetingFactory(group=group, slug="sig-node-weekly", title="SIG Node weekly"),
        first_date=today - datetime.timedelta(days=today.weekday() + 7),
    )
    return schedule


def test_a_chair_signs_in_with_github_and_moves_the_next_meeting(
    page, github, sig_node, screenshot_dir
):
    github.login = "Dawn"
    page.goto("/accounts/login/")
    assert page.title() == "Sign in · Agora"
    page.screenshot(path=screenshot_dir / "sign-in.png", full_page=True)
    page.get_by_role("button", name="Sign in with GitHub").click()
    page.wait_for_url("**/my-groups/")
    assert github.requests[:3] == [
        "GET /login/oauth/authorize",
        "POST /login/oauth/access_token",
        "GET /api/v3/user",
    ]
    assert "Signed in as Dawn" in page.locator(".site-header").inner_text()
    assert page.get_by_role("heading", name="SIG Node", exact=True).is_visible()
    page.screenshot(path=screenshot_dir / "my-groups.png", full_page=True)

    now = datetime.datetime.now(datetime.UTC)
    coming = slots_between([sig_node], now, now + datetime.timedelta(days=8))[0]
    page.goto(f"/meetings/sig-node-weekly/{coming.original_date}/")
    page.get_by_role("link", name="Cancel or move").click()
    tuesday = coming.original_date + datetime.timedelta(days=1)
    page.get_by_label("New date").fill(tuesday.isoformat())
    page.get_by_label("New start time (America/Los Angeles)").fill("09:00")
    page.get_by_role("button", name="Show the other zones").click()
    assert "Asia/Shanghai" in page.locator("#move-preview").inner_text()
    page.screenshot(path=screenshot_dir / "move-preview.png", full_page=True)
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_url(f"**/meetings/sig-node-weekly/{tuesday}/")
    assert "The meeting is moved." in page.inner_text("main")
    assert "Changed by @dawn" in page.inner_text("main")
    page.screenshot(path=screenshot_dir / "moved.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="Sign in").is_visible()
