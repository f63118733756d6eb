"""Factories for the governance records tests/factories.py lacks, and rows to count queries."""

import datetime

import factory

from governance.models import (
    Channel,
    ChannelKind,
    Committee,
    CommitteePurpose,
    GroupKind,
    RoleKind,
    Subproject,
)
from tests.factories import GroupFactory, PersonFactory, RoleFactory


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


def populate(rows: int, today: datetime.date) -> None:
    """`rows` groups of each kind, each with leads, channels, subprojects; `rows` committees."""
    started = today.replace(year=today.year - 3)
    ended = today.replace(year=today.year - 1)
    for n in range(rows):
        for kind in GroupKind.values:
            group = GroupFactory(kind=kind)
            for role_kind in [RoleKind.CHAIR, RoleKind.TECH_LEAD, RoleKind.MEMBER]:
                RoleFactory(group=group, kind=role_kind, start=started)
            RoleFactory(group=group, kind=RoleKind.CHAIR, start=started, end=ended)
            ChannelFactory(group=group, kind=ChannelKind.SLACK)
            ChannelFactory(group=group, kind=ChannelKind.PRIVATE_MAILING_LIST, is_private=True)
            group.stakeholder_groups.add(GroupFactory())
            SubprojectFactory(group=group, leads=[PersonFactory()])
        CommitteeFactory(group__name=f"Committee {n}")


def private_election_secrets() -> list[str]:
    """An election with a voter's ballot and exception requests, decided and not; returns
    what only the voter or the officers may see: the receipt code and the requests' reasons."""
    from django.utils import timezone

    from governance.elections import services

    now = timezone.now()
    days = datetime.timedelta(days=1)
    committee = CommitteeFactory(group__slug="committee-elections-walk")
    voter = RoleFactory(group=GroupFactory(slug="sig-walk"), kind=RoleKind.MEMBER).person
    election = services.election_create(
        group=committee.group,
        slug="walk-2026",
        title="Walk 2026",
        seats=1,
        term_months=12,
        nominations_open=now - 10 * days,
        nominations_close=now - 5 * days,
        voting_open=now - 4 * days,
        voting_close=now + 4 * days,
    )
    candidate = election.candidates.create(person=voter, statement="Vote for me.")
    receipt = services.ballot_cast(election=election, person=voter, ranks={candidate.pk: 1})
    waiting = services.exception_request(
        election=election, person=PersonFactory(), reason="zq-secret I fixed the flaky tests."
    )
    refused = services.exception_request(
        election=election, person=PersonFactory(), reason="zq-secret I organised the meetup."
    )
    services.exception_decide(
        request=refused, grant=False, reason="zq-secret Not in the records.", officer=None
    )
    return [receipt, waiting.reason, refused.reason, refused.decision_reason]
