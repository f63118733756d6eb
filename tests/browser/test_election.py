"""Done when of issue 10: the demo's bootstrap steering committee hands over to an elected one,
in a real browser: nominations, an exception request, five voters' ballots (one replaced with
its receipt), the close at 23:59 Anywhere on Earth, results with the pairwise matrix,
certification, and the new committee with its terms on /governance/."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from governance import services as governance_services
from governance.elections import services
from governance.elections.models import ANYWHERE_ON_EARTH, instant
from governance.models import Group, Person, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
CANDIDATES = ["priya-raman", "lukas-brandt", "grace-oconnor", "li-wei"]
# Ballots, best first: priya > lukas > grace > li, and lukas shares Contoso with priya.
BALLOTS = {
    "amara-okafor": ["priya-raman", "lukas-brandt", "grace-oconnor", "li-wei"],
    "mei-lin-chen": ["priya-raman", "lukas-brandt", "grace-oconnor", "li-wei"],
    "jon-eriksson": ["lukas-brandt", "priya-raman", "grace-oconnor", "li-wei"],
    "sam-osei": ["priya-raman", "grace-oconnor", "lukas-brandt", "li-wei"],
}
LAST = ("newcomer", ["lukas-brandt", "priya-raman", "li-wei", "grace-oconnor"])


def _account(handle: str) -> None:
    user = get_user_model().objects.create_user(handle, password=PASSWORD)
    governance_services.person_update(person=Person.objects.get(handle=handle), user=user)


def _travel(moment: datetime.datetime):
    return time_machine.travel(moment, tick=True)


def test_the_bootstrap_steering_committee_hands_over_to_an_elected_one(
    chromium_browser, live_server, screenshot_dir
):
    call_command("load_demo")
    steering = Group.objects.get(slug="committee-steering")
    bootstrap = set(
        Role.objects.current().filter(group=steering).values_list("person__handle", flat=True)
    )
    assert bootstrap == {"amara-okafor", "lukas-brandt", "mei-lin-chen"}
    governance_services.person_create(handle="newcomer", name="New Comer")
    for handle in {*CANDIDATES, *BALLOTS, "newcomer", "marco-bianchi"}:
        _account(handle)
    # Nominations from an hour ago to 23:59 AoE tomorrow; voting the day after, to 23:59 AoE
    # two days later.
    today = timezone.now().astimezone(datetime.timezone(datetime.timedelta(hours=-12))).date()

    def aoe(day: int, hour: int, minute: int) -> datetime.datetime:
        local = datetime.datetime.combine(today + datetime.timedelta(days=day), datetime.time())
        return instant(local.replace(hour=hour, minute=minute), ANYWHERE_ON_EARTH)

    close_day = today + datetime.timedelta(days=3)
    election = services.election_create(
        group=steering,
        slug="steering-election",
        title="Steering committee election",
        seats=3,
        term_months=24,
        nominations_open=timezone.now() - datetime.timedelta(hours=1),
        nominations_close=aoe(1, 23, 59),
        voting_open=aoe(2, 0, 0),
        voting_close=aoe(3, 23, 59),
        officers=[Person.objects.get(handle="marco-bianchi")],
    )
    assert election.voting_close == datetime.datetime.combine(
        close_day + datetime.timedelta(days=1), datetime.time(11, 59), tzinfo=datetime.UTC
    )
    pages = {}

    def as_(handle: str):
        """A browser signed in as `handle` (one context each, kept for the test)."""
        if handle not in pages:
            context = chromium_browser.new_context(
                base_url=live_server.url, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.goto(f"/accounts/login/?next={election.get_absolute_url()}")
            page.get_by_label("Username").fill(handle)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in with a password").click()
            pages[handle] = page
        pages[handle].goto(election.get_absolute_url())
        return pages[handle]

    # Nominations: four candidates stand, with Markdown statements.
    for handle in CANDIDATES:
        page = as_(handle)
        page.get_by_label("Your statement").fill(f"I am **{handle}**. <script>alert(1)</script>")
        page.get_by_role("button", name="Stand").click()
        expect(page.get_by_text("You stand in this election.")).to_be_visible()
    expect(page.locator(".candidate strong").first).to_be_visible()
    assert page.locator(".candidate script").count() == 0
    expect(
        page.get_by_text(f"23:59 AoE, {close_day:%A} {close_day.day} {close_day:%B %Y}")
    ).to_be_visible()
    page.screenshot(path=screenshot_dir / "election-nominations.png", full_page=True)

    # An exception request: the newcomer holds no role; the officer grants it.
    page = as_("newcomer")
    page.get_by_label("Why you should vote").fill("I ran the contributor summit.")
    page.get_by_role("button", name="Ask to vote").click()
    expect(page.get_by_text("Waiting for the officers")).to_be_visible()
    officer = as_("marco-bianchi")
    expect(officer.get_by_text("You are an officer of this election")).to_be_visible()
    officer.get_by_label("Decision").select_option("grant")
    officer.get_by_label("Reason").fill("The summit counts as a contribution.")
    officer.get_by_role("button", name="Decide for @newcomer").click()
    expect(officer.get_by_text("granted (The summit counts as a contribution.)")).to_be_visible()

    def vote(page, ranking: list[str], receipt: str = "") -> str:
        page.get_by_role("link", name="Vote").or_(
            page.get_by_role("link", name="Replace your ballot")
        ).click()
        for rank, handle in enumerate(ranking, start=1):
            name = Person.objects.get(handle=handle).display_name
            page.get_by_label(name).select_option(str(rank))
        if receipt:
            page.get_by_label("Receipt code of your ballot").fill(receipt)
        page.get_by_role("button", name="ballot").click()
        return page.locator(".receipt-code").inner_text()

    with _travel(aoe(2, 9, 0)):
        for handle, ranking in BALLOTS.items():
            vote(as_(handle), ranking)
        newcomer = as_(LAST[0])
        first = vote(newcomer, ["li-wei"])
        newcomer.screenshot(path=screenshot_dir / "election-receipt.png", full_page=True)
    # 23:58 AoE on the closing day: still open; the newcomer replaces their ballot.
    with _travel(aoe(3, 23, 58)):
        second = vote(as_(LAST[0]), LAST[1], receipt=first)
        expect(newcomer.get_by_role("heading", name="Your ballot is replaced")).to_be_visible()
        newcomer.goto(f"/governance/elections/{election.slug}/receipt/")
        newcomer.get_by_label("Receipt code").fill(first)
        newcomer.get_by_role("button", name="Check").click()
        expect(
            newcomer.get_by_text("No ballot of this election has this receipt code.")
        ).to_be_visible()
        newcomer.get_by_label("Receipt code").fill(second)
        newcomer.get_by_role("button", name="Check").click()
        expect(newcomer.get_by_text("This ballot is stored and counts")).to_be_visible()
        officer = as_("marco-bianchi")
        expect(officer.get_by_text("5 ballots from 5 voters")).to_be_visible()
    # 23:59 AoE: closed, everywhere on Earth.
    with _travel(aoe(3, 23, 59) + datetime.timedelta(seconds=5)):
        page = as_("amara-okafor")
        expect(page.locator(".phase")).to_have_text("Voting closed, results not certified")
        officer = as_("marco-bianchi")
        officer.get_by_role("link", name="Results").click()
        expect(officer.get_by_text("Turnout: 5 of")).to_be_visible()
        ranking = officer.locator(".ranking li")
        expect(ranking).to_have_count(4)
        expect(ranking.nth(0)).to_contain_text("Priya")
        expect(ranking.nth(1)).to_contain_text("Lukas")
        expect(
            officer.get_by_text("@lukas-brandt is passed over: Contoso Cloud already holds 1 seat")
        ).to_be_visible()
        matrix = officer.locator("table.matrix")
        # Row priya, column lukas: three of five ballots rank Priya above Lukas.
        expect(matrix.locator("tbody tr").nth(0).locator("td").nth(1)).to_have_text("3")
        officer.screenshot(path=screenshot_dir / "election-results.png", full_page=True)
        officer.get_by_role("button", name="Certify the results").click()
        expect(
            officer.get_by_text("Certified: @priya-raman, @grace-oconnor, @li-wei")
        ).to_be_visible()
        certified_on = timezone.localdate()
        officer.goto("/governance/")
        members = officer.locator("#steering ~ .table-scroll").first.locator("tbody tr")
        expect(members).to_have_count(3)
        term_end = certified_on + relativedelta(months=24)
        for row in range(3):
            expect(members.nth(row)).to_contain_text(f"{term_end.day} {term_end:%b %Y}")
        officer.screenshot(path=screenshot_dir / "election-new-committee.png", full_page=True)
    now_seated = set(
        Role.objects.current(certified_on)
        .filter(group=steering)
        .values_list("person__handle", flat=True)
    )
    assert now_seated == {"priya-raman", "grace-oconnor", "li-wei"}
    for page in pages.values():
        page.context.close()
