"""factory-boy factories for projects, releases and proposals."""

import factory

from projects.models import (
    Feature,
    Project,
    ProjectArea,
    Proposal,
    ProposalPerson,
    ProposalStatus,
    Release,
)
from tests.factories import GroupFactory, PersonFactory


class ProjectAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    position = factory.Sequence(int)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    slug = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")
    area = factory.SubFactory(ProjectAreaFactory)
    goal = "Builds things."
    repository_url = factory.LazyAttribute(lambda project: f"https://github.com/x/{project.slug}")


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release
        django_get_or_create = ["project", "version"]

    project = factory.SubFactory(ProjectFactory)
    version = factory.Sequence(lambda n: f"v1.{n}")


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Feature {n}")


class ProposalFactory(factory.django.DjangoModelFactory):
    """A provisional proposal: it needs no stage or milestone."""

    class Meta:
        model = Proposal

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: 1000 + n)
    slug = factory.LazyAttribute(lambda proposal: f"{proposal.number}-proposal")
    title = factory.Sequence(lambda n: f"Proposal {n}")
    owning_group = factory.SubFactory(GroupFactory)
    status = ProposalStatus.PROVISIONAL


class ProposalPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalPerson

    proposal = factory.SubFactory(ProposalFactory)
    person = factory.SubFactory(PersonFactory)
    role = ProposalPerson.Role.AUTHOR


def private_project_secrets() -> list[str]:
    """The demo project list with a private channel and an author's private email."""
    from projects import demo
    from projects.models import ProjectChannel

    demo.load()
    channel = ProjectChannel.objects.create(
        project=Project.objects.get(slug="containerd"),
        kind="mailing_list",
        name="containerd-security-private",
        url="https://groups.example.com/containerd-security-private",
        is_private=True,
    )
    kubernetes = Proposal.objects.get(number=3299).project
    # A proposal without a number has its page at its slug.
    ProposalFactory(project=kubernetes, number=None, slug="0000-unnumbered-idea")
    author = Proposal.objects.get(number=3299).participants.first().person
    author.private_email = "kms-author@private.example"
    author.save()
    return [channel.name, channel.url, author.private_email]
