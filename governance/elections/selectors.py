"""Reads of elections: who may vote, what a page shows, the count."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.elections.counting import Outcome, count
from governance.elections.models import (
    Candidate,
    Election,
    Eligibility,
    ExceptionRequest,
    Phase,
    RequestStatus,
)
from governance.models import GroupStatus, Person, Role


def election_get(*, slug: str) -> Election | None:
    return Election.objects.select_related("group__committee").filter(slug=slug).first()


def election_list() -> QuerySet[Election]:
    return Election.objects.select_related("group")


def _by_rule(election: Election) -> QuerySet[Person]:
    """The people the election's rule makes voters, before officers and exceptions."""
    today = timezone.localdate()
    roles = Role.objects.exclude(group__status=GroupStatus.ARCHIVED)
    if election.eligibility == Eligibility.MEMBERS:
        roles = roles.current(today)
    else:
        year_ago = today - datetime.timedelta(days=365)
        roles = roles.filter(Q(start__isnull=True) | Q(start__lte=today)).filter(
            Q(end__isnull=True, end_unknown=False) | Q(end__gt=year_ago)
        )
    return Person.objects.filter(roles__in=roles)


def voters(election: Election) -> QuerySet[Person]:
    """Everyone who may vote: the rule over the roster, plus the exceptions granted, less the
    officers (they do not vote while they officiate)."""
    granted = ExceptionRequest.objects.filter(election=election, status=RequestStatus.GRANTED)
    return (
        Person.objects.filter(Q(pk__in=_by_rule(election)) | Q(pk__in=granted.values("person")))
        .exclude(pk__in=election.officers.values("pk"))
        .distinct()
    )


def may_vote(election: Election, person: Person | None) -> bool:
    return person is not None and voters(election).filter(pk=person.pk).exists()


def is_officer(election: Election, person: Person | None) -> bool:
    return person is not None and election.officers.filter(pk=person.pk).exists()


def candidates(election: Election) -> list[Candidate]:
    return list(election.candidates.select_related("person").order_by("person__handle"))


@dataclass(frozen=True)
class Result:
    """The results page: the count, the matrix as rows, turnout."""

    outcome: Outcome[Candidate]
    candidates: list[Candidate]
    rows: list[tuple[Candidate, list[int | None]]]
    ballots: int
    eligible: int

    @property
    def turnout(self) -> str:
        if not self.eligible:
            return "no eligible voters"
        share = self.ballots / self.eligible
        return f"{self.ballots} of {self.eligible} eligible voters ({share:.0%})"


def result(election: Election) -> Result | None:
    """The count of a closed election's ballots; None while voting may still change it."""
    if election.phase() not in (Phase.CLOSED, Phase.CERTIFIED):
        return None
    standing = candidates(election)
    committee = getattr(election.group, "committee", None)
    outcome = count(
        ballots=[
            [[str(pk) for pk in rank] for rank in ranking]
            for ranking in election.ballots.values_list("ranking", flat=True)
        ],
        candidates=standing,
        key=lambda candidate: str(candidate.pk),
        handle=lambda candidate: candidate.person.handle,
        affiliation=lambda candidate: candidate.affiliation,
        election_slug=election.slug,
        seats=election.seats,
        cap=committee.max_seats_per_affiliation if committee else None,
    )
    ordered = [placed.candidate for placed in outcome.order]
    rows = [
        (
            row,
            [
                None if row == column else outcome.matrix[str(row.pk), str(column.pk)]
                for column in ordered
            ],
        )
        for row in ordered
    ]
    return Result(
        outcome=outcome,
        candidates=ordered,
        rows=rows,
        ballots=election.ballots.count(),
        eligible=election.votes.count() + _not_voted(election),
    )


def _not_voted(election: Election) -> int:
    """Voters who have not voted (those who voted count even if no longer eligible)."""
    return voters(election).exclude(votes__election=election).count()
