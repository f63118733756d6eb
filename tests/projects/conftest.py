"""Fixtures for the projects app: the demo community, and many rows for query counts."""

import pytest

from projects import demo
from projects.models import (
    MaturityLevel,
    Project,
    ProjectChannel,
    ProposalPerson,
    ProposalStatus,
    Stage,
)
from tests.factories import GroupFactory, PersonFactory
from tests.projects.factories import ProjectFactory, ProposalFactory, ReleaseFactory


@pytest.fixture
def demo_data(db):
    demo.load()


@pytest.fixture
def build_projects(db):
    """Projects with a maturity step, API versions, channels, tie-ins and groups."""

    def build(count: int):
        for _ in range(count):
            project = ProjectFactory()
            project.maturity_steps.create(
                steward="CNCF", level=MaturityLevel.SANDBOX, date="2020-01-01"
            )
            project.api_versions.create(api="x.example.io", version="v1beta1")
            project.channels.create(
                kind="slack", name=f"#{project.slug}", url="https://slack.example/x"
            )
            project.tie_ins.create(label=f"Product {project.slug}", url="https://example.com/p")
            project.group_links.create(group=GroupFactory())

    return build


@pytest.fixture
def build_proposals(db):
    """Proposals of one project with authors, reviewers, gates, groups and milestones."""
    project = ProjectFactory(slug="kubernetes", name="Kubernetes")
    releases = [ReleaseFactory(project=project, version=v) for v in ["v1.28", "v1.29"]]

    def build(count: int):
        for _ in range(count):
            proposal = ProposalFactory(
                project=project,
                status=ProposalStatus.IMPLEMENTABLE,
                stage=Stage.BETA,
                latest_milestone=releases[1],
                alpha_milestone=releases[0],
                beta_milestone=releases[1],
            )
            proposal.participating_groups.add(GroupFactory())
            proposal.feature_gates.create(name=f"Gate{proposal.pk}", components=["kubelet"])
            for role in [ProposalPerson.Role.AUTHOR, ProposalPerson.Role.REVIEWER]:
                proposal.participants.create(person=PersonFactory(), role=role)
        return project

    return build


@pytest.fixture
def private_channel(demo_data):
    return ProjectChannel.objects.create(
        project=Project.objects.get(slug="containerd"),
        kind="mailing_list",
        name="containerd-security",
        url="https://groups.example.com/containerd-security",
        is_private=True,
    )
