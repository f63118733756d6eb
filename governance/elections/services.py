"""Writes of elections: validated, atomic, each rule applied here and nowhere else.

Who may administer an election (officers, staff) is governance.permissions.runs_election;
the views check it before calling the officers' services.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.services import model_set_related, model_update
from governance.elections import selectors
from governance.elections.models import (
    Ballot,
    Candidate,
    Election,
    ExceptionRequest,
    Phase,
    RequestStatus,
    Vote,
)
from governance.models import SEAT_KINDS, Group, Person, RoleKind
from governance.services import role_create, role_end


@transaction.atomic
def election_create(*, group: Group, officers: Iterable[Person] = (), **fields: Any) -> Election:
    election = Election(group=group)
    model_update(instance=election, fields=fields)
    model_set_related(instance=election, name="officers", values=officers)
    return election


@transaction.atomic
def election_update(
    *, election: Election, officers: Iterable[Person] | None = None, **fields: Any
) -> list[str]:
    return model_update(instance=election, fields=fields) + model_set_related(
        instance=election, name="officers", values=officers
    )


@transaction.atomic
def election_delete(*, election: Election) -> None:
    election.delete()


def _require_phase(election: Election, *phases: str, action: str) -> None:
    if election.phase() not in phases:
        raise ValidationError(f"{action} is not possible now: {election.get_phase_display()}.")


@transaction.atomic
def candidate_nominate(
    *, election: Election, person: Person, statement: str, affiliation: str
) -> Candidate:
    """`person` stands in `election`: nominations must be open and they must be a voter."""
    _require_phase(election, Phase.NOMINATING, action="Standing")
    if selectors.is_officer(election, person):
        raise ValidationError("An officer of this election cannot stand in it.")
    if not selectors.may_vote(election, person):
        raise ValidationError("Only voters of this election may stand in it.")
    candidate = Candidate(election=election, person=person)
    model_update(instance=candidate, fields={"statement": statement, "affiliation": affiliation})
    return candidate


@transaction.atomic
def exception_request(*, election: Election, person: Person, reason: str) -> ExceptionRequest:
    """`person`, whom the rule leaves out, asks the officers to let them vote."""
    _require_phase(
        election, Phase.UPCOMING, Phase.NOMINATING, Phase.WAITING, Phase.VOTING, action="Asking"
    )
    if selectors.is_officer(election, person):
        raise ValidationError("An officer of this election does not vote in it.")
    if selectors.may_vote(election, person):
        raise ValidationError("You may already vote in this election.")
    request = ExceptionRequest(election=election, person=person)
    model_update(instance=request, fields={"reason": reason})
    return request


@transaction.atomic
def exception_decide(
    *, request: ExceptionRequest, grant: bool, reason: str, officer: Person | None
) -> ExceptionRequest:
    """Grant or refuse an exception request, with the reason the requester reads."""
    _require_phase(
        request.election,
        Phase.UPCOMING,
        Phase.NOMINATING,
        Phase.WAITING,
        Phase.VOTING,
        action="Deciding",
    )
    status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
    model_update(
        instance=request,
        fields={"status": status, "decision_reason": reason.strip(), "decided_by": officer},
    )
    return request


def _digest(receipt: str) -> str:
    return hashlib.sha256(receipt.strip().encode()).hexdigest()


def ballot_find(*, election: Election, receipt: str) -> Ballot | None:
    """The ballot a receipt code belongs to, in this election."""
    return Ballot.objects.filter(election=election, receipt_digest=_digest(receipt)).first()


def _ranking(election: Election, ranks: dict[int, int]) -> list[list[int]]:
    """{candidate id: rank number} as ranks best first, equal numbers tied."""
    standing = set(election.candidates.values_list("pk", flat=True))
    unknown = set(ranks) - standing
    if unknown:
        raise ValidationError("The ballot names someone who does not stand in this election.")
    if not ranks:
        raise ValidationError("Rank at least one candidate.")
    levels: dict[int, list[int]] = {}
    for candidate, rank in ranks.items():
        levels.setdefault(rank, []).append(candidate)
    return [sorted(levels[rank]) for rank in sorted(levels)]


@transaction.atomic
def ballot_cast(
    *, election: Election, person: Person, ranks: dict[int, int], receipt: str = ""
) -> str:
    """Store `person`'s ballot and return its receipt code (shown once, stored only as a
    digest). A voter who voted already replaces their ballot by giving its receipt."""
    _require_phase(election, Phase.VOTING, action="Voting")
    if not selectors.may_vote(election, person):
        raise ValidationError("You are not a voter of this election.")
    ranking = _ranking(election, ranks)
    voted = Vote.objects.select_for_update().filter(election=election, person=person).exists()
    if voted:
        old = ballot_find(election=election, receipt=receipt) if receipt else None
        if old is None:
            raise ValidationError(
                {"receipt": "You have voted: give the receipt code of your ballot to replace it."}
            )
        old.delete()
    else:
        model_update(instance=Vote(election=election, person=person), fields={})
    code = secrets.token_urlsafe(12)
    model_update(
        instance=Ballot(election=election),
        fields={"receipt_digest": _digest(code), "ranking": ranking},
    )
    return code


@transaction.atomic
def election_certify(*, election: Election, on: datetime.date | None = None) -> list[Candidate]:
    """Certify a closed election: the seat holders of its group (the bootstrap members)
    end on `on` and the winners start their terms, in one step; returns the winners."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    _require_phase(election, Phase.CLOSED, action="Certifying")
    result = selectors.result(election)
    assert result is not None
    on = on or timezone.localdate()
    group = election.group
    for role in group.roles.current(on).filter(kind__in=SEAT_KINDS).select_related("person"):
        role_end(role=role, on=on)
    end = on + relativedelta(months=election.term_months)
    for candidate in result.outcome.winners:
        role_create(person=candidate.person, group=group, kind=RoleKind.MEMBER, start=on, end=end)
    model_update(instance=election, fields={"certified_at": timezone.now()})
    return list(result.outcome.winners)
