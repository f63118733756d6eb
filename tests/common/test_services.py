"""model_update: the one way a service changes a record's fields."""

import pytest
from django.core.exceptions import ValidationError

from common.services import model_set_related, model_update
from governance.models import Group, Person, Role, RoleKind
from tests.factories import GroupFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_it_saves_what_changed_and_names_it():
    person = PersonFactory(handle="jane", name="Jane")
    assert model_update(instance=person, fields={"name": "Jane Doe", "handle": "jane"}) == ["name"]
    assert Person.objects.get(pk=person.pk).name == "Jane Doe"


def test_nothing_changed_writes_nothing(django_assert_num_queries):
    person = PersonFactory(name="Jane")
    with django_assert_num_queries(0):
        assert model_update(instance=person, fields={"name": "Jane"}) == []


def test_a_misspelt_field_is_an_error_and_nothing_is_saved():
    person = PersonFactory(name="Jane")
    with pytest.raises(TypeError, match="'nmae'"):
        model_update(instance=person, fields={"name": "Janet", "nmae": "x"})
    assert Person.objects.get(pk=person.pk).name == "Jane"


def test_a_many_to_many_or_reverse_relation_is_not_a_field_to_set():
    group = GroupFactory()
    with pytest.raises(TypeError, match="'roles'"):
        model_update(instance=group, fields={"roles": []})


def test_a_foreign_key_may_be_given_by_its_id():
    person = PersonFactory()
    other = PersonFactory()
    link = person.links.create(label="site", url="https://example.org/")
    assert model_update(instance=link, fields={"person_id": other.pk}) == ["person_id"]


def test_an_invalid_value_keeps_the_instance_as_stored():
    person = PersonFactory(time_zone="Europe/Berlin")
    with pytest.raises(ValidationError) as error:
        model_update(instance=person, fields={"time_zone": "Europe/Berln"})
    assert "time_zone" in error.value.message_dict
    assert person.time_zone == "Europe/Berlin"


def test_model_set_related_writes_only_a_change_and_refuses_a_plain_field(
    django_assert_num_queries,
):
    group, stakeholder = GroupFactory(), GroupFactory()
    assert model_set_related(instance=group, name="stakeholder_groups", values=[stakeholder]) == [
        "stakeholder_groups"
    ]
    assert list(group.stakeholder_groups.all()) == [stakeholder]
    with django_assert_num_queries(1):  # reads what is held, writes nothing
        assert (
            model_set_related(instance=group, name="stakeholder_groups", values=[stakeholder]) == []
        )
    assert model_set_related(instance=group, name="stakeholder_groups", values=None) == []
    with pytest.raises(TypeError, match="not a many-to-many"):
        model_set_related(instance=group, name="name", values=[])


def test_a_valid_save_costs_its_writes_not_a_query_per_rule(django_assert_num_queries):
    group, person = GroupFactory(), PersonFactory()
    role = Role(group=group, person=person, kind=RoleKind.CHAIR)
    # Role.clean()'s two reads, then in a savepoint the insert and its history row; no lookup
    # of the group or the person it holds, no query per unique or check constraint.
    with django_assert_num_queries(6):
        model_update(instance=role, fields={"start": None})
    assert Role.objects.filter(pk=role.pk).exists()


def test_a_save_the_database_refuses_is_full_cleans_error_and_writes_nothing():
    group = GroupFactory()
    model_update(instance=Group(), fields={"slug": "sig-x", "name": "X"})
    before = Group.history.count()

    with pytest.raises(ValidationError) as error:
        model_update(instance=Group(), fields={"slug": group.slug, "name": "Again"})

    assert "slug" in error.value.message_dict
    assert Group.objects.filter(slug=group.slug).count() == 1
    assert Group.history.count() == before


def test_a_field_error_and_a_constraint_are_reported_together():
    role = RoleFactory(kind=RoleKind.CHAIR, end=None)

    with pytest.raises(ValidationError) as error:
        model_update(
            instance=Role(group=role.group, person=role.person, kind=RoleKind.CHAIR),
            fields={"start": None},
        )

    messages = " ".join(error.value.messages)
    assert "for part of this term" in messages and "already holds this role" in messages
