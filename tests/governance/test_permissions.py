"""The one write rule: staff by model permission, leads in the groups they lead now."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from governance import permissions as rules
from governance.models import GroupKind, Role, RoleKind
from tests.factories import GroupFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db
CHANGE_ROLE = ("governance.change_role",)


def test_permission_names():
    assert rules.model_permissions(Role, "add", "change") == (
        "governance.add_role",
        "governance.change_role",
    )


def test_staff_need_every_permission_the_write_needs(django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert not rules.may_write(staff, CHANGE_ROLE)
    staff.user_permissions.add(Permission.objects.get(codename="change_role"))
    staff = django_user_model.objects.get(pk=staff.pk)  # permissions are cached per object
    assert rules.may_write(staff, CHANGE_ROLE)
    assert not rules.may_write(staff, (*CHANGE_ROLE, "governance.delete_role"))
    # The same permission without staff status writes nothing.
    staff.is_staff = False
    assert not rules.may_write(staff, CHANGE_ROLE)


def test_a_lead_writes_only_where_they_lead_every_group_touched(django_user_model):
    user = django_user_model.objects.create_user("lead")
    led, other = GroupFactory(), GroupFactory()
    RoleFactory(person=PersonFactory(user=user), group=led, kind=RoleKind.TECH_LEAD)
    assert rules.may_write(user, CHANGE_ROLE, groups=[led.pk])
    assert not rules.may_write(user, CHANGE_ROLE, groups=[led.pk, other.pk]), "a move out"
    assert not rules.may_write(user, CHANGE_ROLE, groups=[None]), "a record of no group"
    assert not rules.may_write(user, CHANGE_ROLE), "a record leads have no say in"
    assert not rules.may_write(AnonymousUser(), CHANGE_ROLE, groups=[led.pk])


def test_past_leads_and_other_roles_lead_nothing(django_user_model):
    group = GroupFactory()
    past = django_user_model.objects.create_user("past")
    RoleFactory(
        person=PersonFactory(user=past),
        group=group,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
    )
    member = django_user_model.objects.create_user("member")
    RoleFactory(person=PersonFactory(user=member), group=group, kind=RoleKind.MEMBER)
    for user in (past, member):
        assert rules.groups_led_by(user) == frozenset()
        assert not rules.sees_private(user, group.pk)


def test_a_committee_is_led_by_everyone_holding_one_of_its_seats(django_user_model):
    committee = GroupFactory(kind=GroupKind.COMMITTEE)
    sig = GroupFactory()
    member = django_user_model.objects.create_user("member")
    person = PersonFactory(user=member)
    RoleFactory(person=person, group=committee, kind=RoleKind.MEMBER)
    RoleFactory(person=person, group=sig, kind=RoleKind.MEMBER)
    liaison = django_user_model.objects.create_user("liaison")
    RoleFactory(person=PersonFactory(user=liaison), group=committee, kind=RoleKind.LIAISON)
    assert rules.groups_led_by(member) == {committee.pk}, "a SIG's members lead nothing"
    assert rules.groups_led_by(liaison) == frozenset()


def test_organisers_write_their_meeting_only(django_user_model):
    """Meetings live above governance: the rule reads organisers through their relations."""
    from tests.meetings.factories import MeetingFactory

    group, helpers = GroupFactory(), GroupFactory()
    meeting, other = MeetingFactory(group=group), MeetingFactory(group=group)
    named = django_user_model.objects.create_user("named")
    meeting.organisers.add(PersonFactory(user=named))
    helper = django_user_model.objects.create_user("helper")
    RoleFactory(person=PersonFactory(user=helper), group=helpers, kind=RoleKind.MEMBER)
    liaison = django_user_model.objects.create_user("liaison")
    RoleFactory(person=PersonFactory(user=liaison), group=helpers, kind=RoleKind.LIAISON)
    meeting.organising_groups.add(helpers)
    for user in (named, helper):
        assert rules.meetings_organised_by(user) == {meeting.pk}
        assert rules.may_write(user, CHANGE_ROLE, groups=[group.pk], meeting=meeting.pk)
        assert not rules.may_write(user, CHANGE_ROLE, groups=[group.pk], meeting=other.pk)
        assert not rules.may_write(user, CHANGE_ROLE, groups=[group.pk]), "the group's page"
        assert rules.groups_led_by(user) == frozenset()
    assert rules.meetings_organised_by(liaison) == frozenset()
    assert rules.meetings_organised_by(AnonymousUser()) == frozenset()
