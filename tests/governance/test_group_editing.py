"""A group's page as its leads edit it on the site (issue 7): mission, charter link, public
channels and subprojects saved all at once; private channels left alone and unseen; one of two
saves from the same version; members added only where the charter lets leads."""

import pytest
from django.urls import reverse

from governance.models import Channel, ChannelKind, Group, Role, RoleKind, Subproject
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.governance.factories import ChannelFactory, SubprojectFactory
from tests.meetings.test_pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    group = GroupFactory(slug="sig-node", name="SIG Node")
    ChannelFactory(group=group, kind=ChannelKind.SLACK, name="sig-node")
    ChannelFactory(
        group=group,
        kind=ChannelKind.PRIVATE_MAILING_LIST,
        name="sig-node-private@example.org",
        is_private=True,
    )
    SubprojectFactory(group=group, name="kubelet")
    return group


@pytest.fixture
def chair(client, django_user_model, group):
    user = django_user_model.objects.create_user("chair")
    RoleFactory(person=PersonFactory(handle="chair", user=user), group=group)
    client.force_login(user)
    return user


def url(group):
    return reverse("governance:group-edit", args=[group.slug])


def page_data(group: Group, **changes) -> dict:
    slack = group.channels.get(kind=ChannelKind.SLACK)
    kubelet = group.subprojects.get()
    return {
        "version": group.version,
        "mission": "Node things.",
        "charter_url": "https://example.org/charter",
        "channels-TOTAL_FORMS": "2",
        "channels-INITIAL_FORMS": "1",
        "channels-0-id": slack.pk,
        "channels-0-kind": "slack",
        "channels-0-name": "sig-node",
        "channels-1-kind": "forum",
        "channels-1-name": "SIG Node forum",
        "channels-1-url": "https://forum.example.org/sig-node",
        "subprojects-TOTAL_FORMS": "2",
        "subprojects-INITIAL_FORMS": "1",
        "subprojects-0-id": kubelet.pk,
        "subprojects-0-name": "kubelet",
        "subprojects-0-DELETE": "on",
        "subprojects-1-name": "node-problem-detector",
        **changes,
    }


def test_a_chair_saves_mission_channels_and_subprojects_at_once(client, group, chair):
    editor = client.get(url(group)).content.decode()
    assert "sig-node-private@example.org" not in editor, "private channels are staff's"
    response = client.post(url(group), page_data(group))
    assert response["Location"] == group.get_absolute_url()
    group.refresh_from_db()
    assert (group.mission, group.charter_url) == ("Node things.", "https://example.org/charter")
    assert set(group.channels.values_list("name", flat=True)) == {
        "sig-node",
        "SIG Node forum",
        "sig-node-private@example.org",
    }
    assert list(group.subprojects.values_list("name", flat=True)) == ["node-problem-detector"]
    assert "Changed by @chair on" in text(client.get(group.get_absolute_url()))


def test_a_bad_row_saves_nothing(client, group, chair):
    data = page_data(group, **{"channels-1-url": "not a link"})
    response = client.post(url(group), data)
    assert response.status_code == 400
    assert response.context["channel_rows"].forms[1].errors["url"]
    assert Group.objects.get().mission == "Covers things."
    assert not Channel.objects.filter(name="SIG Node forum").exists()
    assert Subproject.objects.get().name == "kubelet"


def test_a_duplicate_channel_is_refused_and_nothing_is_saved(client, group, chair):
    data = page_data(group, **{"channels-1-kind": "slack", "channels-1-name": "sig-node"})
    response = client.post(url(group), data)
    assert response.status_code == 400
    assert "This group already has this channel." in response.content.decode()
    assert Group.objects.get().mission == "Covers things."
    assert Subproject.objects.get().name == "kubelet"


def test_of_two_saves_from_the_same_version_one_wins(client, group, chair):
    loaded = page_data(group)
    assert client.post(url(group), {**loaded, "mission": "First."}).status_code == 302
    late = client.post(url(group), {**loaded, "mission": "Second."})
    assert late.status_code == 409
    assert Group.objects.get().mission == "First."


def test_members_are_added_only_where_the_charter_lets_leads(client, group, chair):
    assert "Add a member" not in client.get(url(group)).content.decode()
    refused = client.post(url(group), {"add_member": "1", "handle": "newcomer"})
    assert refused.status_code == 400
    assert "Members of SIG Node are added by the admins." in refused.content.decode()
    Group.objects.filter(pk=group.pk).update(leads_add_members=True)
    added = client.post(url(group), {"add_member": "1", "handle": "newcomer"})
    assert added.status_code == 302
    role = Role.objects.get(person__handle="newcomer")
    assert (role.group, role.kind) == (group, RoleKind.MEMBER)


def test_a_liaison_is_refused_with_why_and_who_may(client, django_user_model, group):
    user = django_user_model.objects.create_user("liaison")
    RoleFactory(
        person=PersonFactory(handle="liaison", user=user), group=group, kind=RoleKind.LIAISON
    )
    client.force_login(user)
    response = client.post(url(group), page_data(group))
    assert response.status_code == 403
    page = response.content.decode()
    assert "signed in as @liaison, who holds no current chair, technical lead or lead role" in page
    assert "edited by the current chairs, technical leads and leads of" in page
    assert "A liaison or an emeritus lead edits nothing." in page
    assert Group.objects.get().mission == "Covers things."
