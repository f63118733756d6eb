"""factory-boy factories for the governance records tests/factories.py does not cover."""

import factory

from governance.models import (
    Channel,
    ChannelKind,
    Committee,
    CommitteePurpose,
    GroupKind,
    Subproject,
)
from tests.factories import GroupFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    group = factory.SubFactory(GroupFactory, kind=GroupKind.COMMITTEE)
    purpose = CommitteePurpose.OTHER


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    group = factory.SubFactory(GroupFactory)
    kind = ChannelKind.SLACK
    name = factory.Sequence(lambda n: f"channel-{n}")


class SubprojectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subproject
        skip_postgeneration_save = True

    group = factory.SubFactory(GroupFactory)
    name = factory.Sequence(lambda n: f"subproject-{n}")
    owners_files = factory.LazyAttribute(
        lambda sub: [f"https://raw.githubusercontent.com/kubernetes/{sub.name}/main/OWNERS"]
    )

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)
