"""The "My groups" page: the groups I belong to, what I edit in each, their next meetings and
which still need an agenda, in a number of queries that does not grow with them."""

import datetime

import pytest
from django.urls import reverse

from governance.models import GroupKind, RoleKind
from meetings import services
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory
from tests.meetings.test_pages import text

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 10, 20, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def jane(client, django_user_model):
    user = django_user_model.objects.create_user("jane")
    client.force_login(user)
    return PersonFactory(handle="jane", user=user)


def join(person, count: int) -> None:
    """`count` groups more: one Jane chairs, one she is a liaison of, each meeting weekly."""
    for _ in range(count):
        for kind in (RoleKind.CHAIR, RoleKind.LIAISON):
            group = GroupFactory()
            RoleFactory(person=person, group=group, kind=kind)
            schedule = ScheduleFactory(
                meeting=MeetingFactory(group=group), first_date=datetime.date(2026, 10, 5)
            )
            services.agenda_save(
                schedule=schedule,
                original_date=datetime.date(2026, 10, 26),
                items=[{"title": "Triage"}],
                minutes="",
                recording_url="",
                expected_version=services.UNSAVED_VERSION,
            )


@pytest.mark.parametrize("count", [1, 3])
def test_my_groups_makes_the_same_queries_however_many_groups(
    client, jane, django_assert_num_queries, count
):
    join(jane, count)
    with django_assert_num_queries(11):
        page = client.get(reverse("my-groups"))
    assert page.status_code == 200


def test_my_groups_says_what_i_edit_and_what_needs_an_agenda(client, jane):
    join(jane, 1)
    committee = GroupFactory(kind=GroupKind.COMMITTEE, name="Steering")
    RoleFactory(person=jane, group=committee, kind=RoleKind.MEMBER)
    organised = MeetingFactory(title="Release retro")
    organised.organisers.add(jane)
    page = text(client.get(reverse("my-groups")))
    assert page.count("You edit its page and meetings.") == 2, "the chair's and the seat's"
    assert "You edit nothing of this group: its chairs and leads do." in page
    assert "Release retro" in page, "a meeting she organises, of a group she is not in"
    # Mondays from 26 October: the first has an agenda, the next ones need one.
    assert "Mon 26 Oct 2026, 17:00 America/Los_Angeles Agenda ready" in page
    assert "Mon 2 Nov 2026, 17:00 America/Los_Angeles Needs an agenda write it" in page


def test_a_login_not_in_the_roster_is_told_whom_to_ask(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("newcomer"))
    page = text(client.get(reverse("my-groups")))
    assert "signed in as newcomer , but no one with that handle is in Agora's roster" in page


def test_my_groups_asks_to_sign_in(client):
    response = client.get(reverse("my-groups"))
    assert response["Location"].startswith(reverse("login"))
