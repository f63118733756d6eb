"""factory-boy factories for building test data."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

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


def staff_with_permissions(
    username: str, *, apps: tuple[str, ...] = ("governance", "meetings", "projects")
):
    """A staff user holding every model permission (add, change, delete, view) of `apps`."""
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=apps))
    return user
