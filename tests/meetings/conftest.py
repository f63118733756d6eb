"""Fixtures of the meetings tests: a frozen clock, people who may or may not edit, meetings."""

import datetime

import pytest

from governance.models import RoleKind
from tests.factories import GroupFactory, PersonFactory, RoleFactory, staff_with_permissions
from tests.meetings.factories import MeetingFactory, ScheduleFactory

# Tuesday 20 October 2026: Europe has left summer time on the 25th, the US on 1 November, so
# the next Mondays at 17:00 Pacific fall on each side of both changes.
NOW = datetime.datetime(2026, 10, 20, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def group(db):
    return GroupFactory(slug="sig-node", name="SIG Node")


@pytest.fixture
def meeting(group):
    """SIG Node's weekly meeting: Mondays 17:00-18:00 America/Los_Angeles from 5 October 2026."""
    meeting = MeetingFactory(group=group, slug="sig-node-weekly", title="SIG Node weekly")
    ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 10, 5))
    return meeting


@pytest.fixture
def schedule(meeting):
    return meeting.schedules.get()


@pytest.fixture
def lead(django_user_model, group):
    """A user whose person chairs the meeting's group."""
    user = django_user_model.objects.create_user("chair", password="pw")
    RoleFactory(person=PersonFactory(handle="chair", user=user), group=group, kind=RoleKind.CHAIR)
    return user


@pytest.fixture
def outsider(django_user_model):
    """A signed-up user who leads another group."""
    user = django_user_model.objects.create_user("outsider", password="pw")
    RoleFactory(person=PersonFactory(handle="outsider", user=user), kind=RoleKind.CHAIR)
    return user


@pytest.fixture
def staff(db):
    """Staff allowed to write meetings (and everything else)."""
    return staff_with_permissions("staff")
