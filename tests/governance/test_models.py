"""The invariants of governance records, as a person editing them meets them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from governance import services
from governance.models import ChannelKind, CommitteePurpose, GroupKind, RoleKind
from tests.factories import GroupFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


def test_handles_are_unique_ignoring_case():
    services.person_create(handle="Jane")
    with pytest.raises(ValidationError) as error:
        services.person_create(handle="jane")
    assert "Jane and jane are one person" in str(messages(error))


def test_a_handle_must_look_like_a_github_login():
    with pytest.raises(ValidationError) as error:
        services.person_create(handle="-jane--doe")
    assert "GitHub login" in messages(error)["handle"][0]


def test_unknown_time_zone_suggests_the_closest_names():
    with pytest.raises(ValidationError) as error:
        services.person_create(handle="jane", time_zone="Europe/Berln")
    [message] = messages(error)["time_zone"]
    assert message.startswith("“Europe/Berln” is not an IANA time zone. Did you mean Europe/Berlin")


def test_a_city_alone_suggests_its_zone():
    with pytest.raises(ValidationError) as error:
        services.person_create(handle="jane", time_zone="Kolkata")
    assert "Asia/Kolkata" in messages(error)["time_zone"][0]


def test_a_role_must_end_after_it_starts():
    person, group = PersonFactory(), GroupFactory()
    with pytest.raises(ValidationError) as error:
        services.role_create(
            person=person,
            group=group,
            kind=RoleKind.CHAIR,
            start=datetime.date(2024, 5, 1),
            end=datetime.date(2024, 4, 1),
        )
    assert "A role must end after it starts." in str(error.value)


def test_a_person_holds_one_open_term_of_a_role():
    role = RoleFactory(kind=RoleKind.CHAIR)
    with pytest.raises(ValidationError) as error:
        services.role_create(person=role.person, group=role.group, kind=RoleKind.CHAIR)
    assert "This person already holds this role in this group." in str(error.value)


def test_terms_of_one_role_may_not_overlap():
    role = RoleFactory(
        kind=RoleKind.TECH_LEAD, start=datetime.date(2020, 1, 1), end=datetime.date(2022, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.role_create(
            person=role.person,
            group=role.group,
            kind=RoleKind.TECH_LEAD,
            start=datetime.date(2021, 6, 1),
        )
    assert f"@{role.person.handle} already is technical lead of {role.group}" in str(error.value)


def test_a_term_may_start_the_day_the_last_one_ended():
    role = RoleFactory(start=datetime.date(2020, 1, 1), end=datetime.date(2022, 1, 1))
    again = services.role_create(
        person=role.person, group=role.group, kind=role.kind, start=datetime.date(2022, 1, 1)
    )
    assert again.pk


@pytest.fixture
def steering():
    group = GroupFactory(kind=GroupKind.COMMITTEE, name="Steering")
    services.committee_set(
        group=group, purpose=CommitteePurpose.STEERING, seats=3, max_seats_per_affiliation=2
    )
    return group


def test_the_affiliation_cap_refuses_a_seat_naming_the_affiliation_and_count(steering):
    for _ in range(2):
        services.role_create(
            person=PersonFactory(affiliation="Google"), group=steering, kind=RoleKind.MEMBER
        )
    with pytest.raises(ValidationError) as error:
        services.role_create(
            person=PersonFactory(affiliation="google"), group=steering, kind=RoleKind.MEMBER
        )
    assert messages(error)["person"] == [
        "google would hold 3 seats of Steering; at most 2 may be held by one affiliation."
    ]


def test_changing_employer_may_break_the_cap(steering):
    for affiliation in ["Google", "Google", "Red Hat"]:
        services.role_create(
            person=PersonFactory(affiliation=affiliation), group=steering, kind=RoleKind.MEMBER
        )
    red_hat = steering.roles.get(person__affiliation="Red Hat").person
    with pytest.raises(ValidationError) as error:
        services.person_update(person=red_hat, affiliation="Google")
    assert "Google would hold 3 seats of Steering" in messages(error)["affiliation"][0]


def test_a_committee_has_only_its_seats(steering):
    for affiliation in ["A", "B", "C"]:
        services.role_create(
            person=PersonFactory(affiliation=affiliation), group=steering, kind=RoleKind.MEMBER
        )
    with pytest.raises(ValidationError) as error:
        services.role_create(
            person=PersonFactory(affiliation="D"), group=steering, kind=RoleKind.MEMBER
        )
    assert messages(error)["person"] == ["All 3 seats of Steering are held."]


def test_a_past_member_frees_the_seat(steering, today):
    for affiliation in ["A", "B", "C"]:
        services.role_create(
            person=PersonFactory(affiliation=affiliation), group=steering, kind=RoleKind.MEMBER
        )
    services.role_end(role=steering.roles.first(), on=today)
    services.role_create(
        person=PersonFactory(affiliation="D"), group=steering, kind=RoleKind.MEMBER
    )
    assert steering.roles.current().count() == 3


def test_a_cap_below_the_current_members_is_refused(steering):
    for _ in range(2):
        services.role_create(
            person=PersonFactory(affiliation="Google"), group=steering, kind=RoleKind.MEMBER
        )
    with pytest.raises(ValidationError) as error:
        services.committee_set(group=steering, max_seats_per_affiliation=1)
    assert "already exceed this cap: google" in messages(error)["max_seats_per_affiliation"][0]


def test_only_a_committee_group_has_a_charter():
    with pytest.raises(ValidationError) as error:
        services.committee_set(group=GroupFactory(kind=GroupKind.SIG), purpose="other")
    assert "Only a group of kind committee has a committee charter." in messages(error)["group"]


def test_a_private_mailing_list_is_private_unless_told_otherwise():
    channel = services.channel_create(
        group=GroupFactory(), kind=ChannelKind.PRIVATE_MAILING_LIST, name="leads@example.org"
    )
    channel.refresh_from_db()
    assert channel.is_private


def test_a_private_mailing_list_marked_public_is_refused_not_fixed_up_silently():
    group = GroupFactory()
    with pytest.raises(ValidationError) as error:
        services.channel_create(
            group=group,
            kind=ChannelKind.PRIVATE_MAILING_LIST,
            name="leads@example.org",
            is_private=False,
        )
    assert messages(error) == {"is_private": ["A private mailing list must be marked private."]}
    assert not group.channels.exists()
    slack = services.channel_create(group=group, kind=ChannelKind.SLACK, name="leads")
    with pytest.raises(ValidationError):
        services.channel_update(channel=slack, kind=ChannelKind.PRIVATE_MAILING_LIST)
    slack.refresh_from_db()
    assert (slack.kind, slack.is_private) == (ChannelKind.SLACK, False)


def test_the_database_refuses_a_public_private_mailing_list():
    channel = services.channel_create(
        group=GroupFactory(), kind=ChannelKind.PRIVATE_MAILING_LIST, name="leads@example.org"
    )
    with pytest.raises(IntegrityError):
        type(channel).objects.filter(pk=channel.pk).update(is_private=False)


def test_a_subproject_channel_belongs_to_the_subprojects_group():
    subproject = services.subproject_create(group=GroupFactory(), name="kubelet")
    with pytest.raises(ValidationError) as error:
        services.channel_create(
            group=GroupFactory(), subproject=subproject, kind=ChannelKind.SLACK, name="kubelet"
        )
    assert messages(error)["subproject"] == ["The subproject belongs to another group."]


def test_owners_files_must_be_urls():
    with pytest.raises(ValidationError) as error:
        services.subproject_create(group=GroupFactory(), name="x", owners_files=["not a url"])
    assert "Item 1 is not a URL" in messages(error)["owners_files"][0]


def test_an_archived_group_says_why():
    with pytest.raises(ValidationError) as error:
        services.group_create(slug="sig-old", name="Old", kind=GroupKind.SIG, status="archived")
    assert "needs the reason it was archived" in str(error.value)


def test_group_update_sets_stakeholders_and_reports_the_change():
    working_group = GroupFactory(kind=GroupKind.WORKING_GROUP)
    node, network = GroupFactory(), GroupFactory()
    assert services.group_update(group=working_group, stakeholder_groups=[node, network]) == [
        "stakeholder_groups"
    ]
    assert services.group_update(group=working_group, stakeholder_groups=[network, node]) == []
    assert set(node.stakeholder_of.all()) == {working_group}


def test_subproject_update_changes_leads():
    subproject = services.subproject_create(group=GroupFactory(), name="kubelet")
    jane = PersonFactory()
    assert services.subproject_update(subproject=subproject, leads=[jane], description="Node") == [
        "description",
        "leads",
    ]
    assert list(subproject.leads.all()) == [jane]


@pytest.mark.parametrize(
    "write",
    [
        lambda person: services.person_update(person=person, affilation="Google"),
        lambda person: services.person_create(handle="jane2", nmae="Jane"),
        lambda person: services.role_update(role=RoleFactory(person=person), knid="chair"),
    ],
    ids=["update", "create", "role"],
)
def test_a_misspelt_field_in_a_governance_service_is_an_error(write):
    person = services.person_create(handle="jane", affiliation="Red Hat")
    with pytest.raises(TypeError, match="has no field"):
        write(person)
    person.refresh_from_db()
    assert person.affiliation == "Red Hat"
    assert not type(person).objects.filter(handle="jane2").exists()
