"""Leads run their own groups (issue 7), end to end on the demo community, whose people exist
only in its sigs.yaml: a chair signs in with GitHub (a stand-in on 127.0.0.1), lands on "My
groups", cancels one occurrence and moves another in the meeting's home zone, and both show on
the pages and in every feed; a login the roster does not know edits nothing and is told whom
to ask."""

import datetime
import re
import urllib.request
from io import StringIO
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from governance import services
from governance.models import Group, Person, RoleKind
from meetings import selectors
from meetings.models import Meeting
from tests.github_stand_in import GitHubStandIn, point_allauth_at
from tests.meetings.test_pages import text

# A Monday at noon UTC, as the demo's own tests take it.
NOW = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with time_machine.travel(NOW, tick=False):
            call_command("load_demo", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def github(monkeypatch):
    with GitHubStandIn() as stand_in:
        point_allauth_at(monkeypatch, stand_in.url)
        yield stand_in


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in_with_github(client, github, login: str, next_page: str = ""):
    """The redirect dance: our sign-in sends the browser to GitHub, GitHub back to our
    callback with a code, which our server exchanges for the user; the page it lands on."""
    github.login = login
    start = client.post(reverse("github_login"), {"next": next_page} if next_page else {})
    assert start.status_code == 302 and start["Location"].startswith(github.url), start
    opener = urllib.request.build_opener(NoRedirects)
    try:
        opener.open(start["Location"])
    except urllib.error.HTTPError as answer:
        back = answer.headers["Location"]
    parts = urlsplit(back)
    assert parts.path == reverse("github_callback")
    return client.get(f"{parts.path}?{parts.query}")


def test_a_chair_known_only_from_sigs_yaml_signs_in_with_github_and_lands_on_my_groups(
    client, demo, github
):
    assert Person.objects.get(handle="ben-carter").user is None
    landed = sign_in_with_github(client, github, "Ben-Carter")  # GitHub's case, not the roster's
    assert (landed.status_code, landed["Location"]) == (302, reverse("my-groups"))
    assert Person.objects.get(handle="ben-carter").user.username == "Ben-Carter"
    page = client.get(reverse("my-groups")).content.decode()
    assert "Signed in as <strong>Ben-Carter</strong>" in page
    assert "SIG Auth Biweekly" in page and "You edit its page and meetings." in page
    assert "Needs an agenda" in page or "Agenda ready" in page
    assert github.requests == [
        "GET /login/oauth/authorize",
        "POST /login/oauth/access_token",
        "GET /api/v3/user",
    ]
    # Signing in again finds the same account.
    client.post(reverse("logout"))
    sign_in_with_github(client, github, "ben-carter")
    assert Person.objects.get(handle="ben-carter").user.username == "Ben-Carter"


def feeds(meeting: Meeting) -> dict[str, str]:
    paths = [
        reverse("meetings:meeting-feed", args=[meeting.slug]),
        reverse("meetings:group-feed", args=[meeting.group.slug]),
        reverse("meetings:calendar-feed"),
    ]
    return {path: path for path in paths}


def test_the_chair_cancels_one_occurrence_and_moves_another_in_the_home_zone(client, demo, github):
    sign_in_with_github(client, github, "ben-carter")
    meeting = Meeting.objects.get(slug="sig-auth-biweekly")  # Wednesdays 11:00 US Pacific
    first, second = [
        slot for slot in selectors.meeting_detail(slug=meeting.slug).upcoming if not slot.record
    ][:2]
    change = reverse("meetings:occurrence-change", args=[meeting.slug, first.original_date])
    cancelled = client.post(change, {"action": "cancel", "reason": "KubeCon week"})
    assert cancelled.status_code == 302
    # Moved to the Thursday at 09:30 Pacific, typed as such; shown in the other zones first.
    move = reverse("meetings:occurrence-change", args=[meeting.slug, second.original_date])
    thursday = second.original_date + datetime.timedelta(days=1)
    typed = {"date": thursday.isoformat(), "time": "09:30", "reason": "Clashes with a release"}
    preview = text(client.post(move, {**typed, "action": "preview"}))
    assert "Europe/London: Thu 2 Apr, 5:30-6:30 PM BST" in preview
    assert "Asia/Shanghai: Fri 3 Apr, 12:30-1:30 AM China (Friday)" in preview
    moved = client.post(move, {**typed, "action": "move"})
    assert moved["Location"] == reverse("meetings:occurrence-detail", args=[meeting.slug, thursday])

    old = client.get(
        reverse("meetings:occurrence-detail", args=[meeting.slug, first.original_date])
    )
    assert "Cancelled" in old.content.decode() and "KubeCon week" in old.content.decode()
    new = client.get(moved["Location"])
    assert new.status_code == 200 and "9:30-10:30 AM PDT" in text(new)
    gone = text(
        client.get(reverse("meetings:occurrence-detail", args=[meeting.slug, second.original_date]))
    )
    assert "takes place on" in gone and thursday.strftime("%A %-d %B %Y") in gone

    client.logout()
    for path in feeds(meeting):
        feed = client.get(path).content.decode()
        cancelled = f"RECURRENCE-ID;TZID=America/Los_Angeles:{first.original_date:%Y%m%d}T110000"
        assert cancelled in feed and "STATUS:CANCELLED" in feed, path
        assert (
            f"RECURRENCE-ID;TZID=America/Los_Angeles:{second.original_date:%Y%m%d}T110000" in feed
        )
        assert f"DTSTART;TZID=America/Los_Angeles:{thursday:%Y%m%d}T093000" in feed, path


def test_a_github_login_the_roster_does_not_know_edits_nothing_and_is_told_whom_to_ask(
    client, demo, github
):
    landed = sign_in_with_github(client, github, "someone-new")
    assert landed["Location"] == reverse("my-groups")
    page = client.get(reverse("my-groups")).content.decode()
    assert "no one with that handle is in Agora's roster" in page
    assert re.search(r'ask <a href="/groups/committee-steering/">Steering</a>', page)
    meeting = Meeting.objects.get(slug="sig-auth-biweekly")
    refused = client.get(reverse("meetings:meeting-edit", args=[meeting.slug]))
    assert refused.status_code == 403
    assert "who is not in Agora's roster" in refused.content.decode()


def test_a_steering_member_edits_the_community_meeting_forums_agenda(client, demo, github):
    steering = Group.objects.get(slug="committee-steering")
    services.committee_update(committee=steering.committee, seats=5)  # the election grew it
    person = services.person_create(handle="sam-member", name="Sam Member")
    services.role_create(person=person, group=steering, kind=RoleKind.MEMBER)
    forum = Meeting.objects.get(slug="community-meeting-forum")
    slot = selectors.meeting_detail(slug=forum.slug).upcoming[0]
    page = reverse("meetings:occurrence-detail", args=[forum.slug, slot.original_date])
    assert "Leads and members of Steering and the meeting's organisers" in text(client.get(page))

    sign_in_with_github(client, github, "sam-member")
    editor = reverse("meetings:agenda-edit", args=[forum.slug, slot.original_date])
    assert editor in client.get(page).content.decode()
    saved = client.post(
        f"{editor}?schedule={slot.schedule.uid}",
        {
            "version": slot.record.version if slot.record else 1,
            "minutes": "",
            "recording_url": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-title": "Election timeline",
        },
    )
    assert saved.status_code == 302
    assert "Election timeline" in text(client.get(page))
