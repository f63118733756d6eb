"""factory-boy factories for building test data."""

import factory

from governance.models import Group, GroupKind, Person, Role, RoleKind


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    handle = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Faker("name")
    affiliation = "Example Corp"
    time_zone = "Europe/Berlin"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    kind = GroupKind.SIG
    slug = factory.Sequence(lambda n: f"sig-{n}")
    name = factory.Sequence(lambda n: f"SIG {n}")
    mission = "Covers things."


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)
    kind = RoleKind.CHAIR
