"""The election pages: the timeline and candidates, standing, asking for an exception,
voting with a receipt, checking a receipt, the officers' decisions, results, certification.

Voting, standing and asking need sign-in and the person linked to the login; who runs an
election is governance.permissions.runs_election.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from governance.elections import selectors, services
from governance.elections.forms import (
    BallotForm,
    DecisionForm,
    ExceptionRequestForm,
    NominationForm,
    ReceiptForm,
)
from governance.elections.models import Election, Phase, RequestStatus
from governance.models import Person
from governance.permissions import runs_election


def _election(slug: str) -> Election:
    if (election := selectors.election_get(slug=slug)) is None:
        raise Http404(f"No election {slug!r}.")
    return election


def _person(request) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return Person.objects.filter(user=request.user).first()


@require_safe
def election_list(request):
    return render(
        request, "governance/elections/election_list.html", {"elections": selectors.election_list()}
    )


def _detail_context(request, election, **extra):
    person = _person(request)
    officer = runs_election(request.user, election)
    context = {
        "election": election,
        "phase": election.phase(),
        "Phase": Phase,
        "candidates": selectors.candidates(election),
        "person": person,
        "may_vote": selectors.may_vote(election, person),
        "is_officer": selectors.is_officer(election, person),
        "runs": officer,
        "stands": person is not None and election.candidates.filter(person=person).exists(),
        "own_request": person and election.exception_requests.filter(person=person).first(),
        "voted": person is not None and election.votes.filter(person=person).exists(),
        "nomination_form": NominationForm(initial={"affiliation": person and person.affiliation}),
        "exception_form": ExceptionRequestForm(),
    }
    if officer:
        context["pending"] = [
            (r, DecisionForm(initial={"request": r.pk}))
            for r in election.exception_requests.select_related("person").filter(
                status=RequestStatus.PENDING
            )
        ]
        context["decided"] = election.exception_requests.select_related("person").exclude(
            status=RequestStatus.PENDING
        )
        context["voted_people"] = [vote.person for vote in election.votes.select_related("person")]
        context["ballot_count"] = election.ballots.count()
    context.update(extra)
    return context


@require_safe
def election_detail(request, slug):
    election = _election(slug)
    return render(
        request, "governance/elections/election_detail.html", _detail_context(request, election)
    )


def _refuse_without_person(request) -> Person:
    person = _person(request)
    if person is None:
        raise PermissionDenied("Your login is not linked to a person of the community.")
    return person


def _submit(request, election, form, write, *, done: str, form_name: str):
    """Validate `form` and `write(form.cleaned_data)`: back to the election saying `done`, or
    its page again with the errors (400), the form shown as `form_name`."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(election)
    context = _detail_context(request, election, **{form_name: form})
    return render(request, "governance/elections/election_detail.html", context, status=400)


@login_required
@require_POST
def nominate(request, slug):
    election = _election(slug)
    person = _refuse_without_person(request)
    if not selectors.may_vote(election, person):
        raise PermissionDenied("Only voters of this election may stand in it.")
    return _submit(
        request,
        election,
        NominationForm(request.POST),
        lambda data: services.candidate_nominate(election=election, person=person, **data),
        done="You stand in this election.",
        form_name="nomination_form",
    )


@login_required
@require_POST
def ask_exception(request, slug):
    election = _election(slug)
    person = _refuse_without_person(request)
    if selectors.may_vote(election, person) or selectors.is_officer(election, person):
        raise PermissionDenied("You need no exception: you vote, or you officiate.")
    return _submit(
        request,
        election,
        ExceptionRequestForm(request.POST),
        lambda data: services.exception_request(election=election, person=person, **data),
        done="The officers will decide on your request.",
        form_name="exception_form",
    )


@login_required
@require_POST
def decide_exception(request, slug):
    election = _election(slug)
    if not runs_election(request.user, election):
        raise PermissionDenied("Only the officers of this election decide its exceptions.")

    def decide(data):
        services.exception_decide(
            request=get_object_or_404(election.exception_requests, pk=data["request"]),
            grant=data["decision"] == "grant",
            reason=data["reason"],
            officer=_person(request),
        )

    return _submit(
        request,
        election,
        DecisionForm(request.POST),
        decide,
        done="The request is decided.",
        form_name="decision_error",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def vote(request, slug):
    election = _election(slug)
    person = _refuse_without_person(request)
    if not selectors.may_vote(election, person):
        raise PermissionDenied("You are not a voter of this election.")
    candidates = selectors.candidates(election)
    voted = election.votes.filter(person=person).exists()
    status = 200
    if request.method == "POST":
        form = BallotForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                code = services.ballot_cast(
                    election=election,
                    person=person,
                    ranks=form.ranks(),
                    receipt=form.cleaned_data["receipt"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # The code is shown once, on this page, never in an address.
                return render(
                    request,
                    "governance/elections/receipt.html",
                    {"election": election, "code": code, "replaced": voted},
                )
        status = 400
    else:
        form = BallotForm(candidates=candidates)
    return render(
        request,
        "governance/elections/vote.html",
        {
            "election": election,
            "form": form,
            "voted": voted,
            "open": election.phase() == Phase.VOTING,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def check_receipt(request, slug):
    """Anyone holding a receipt code sees the ballot it belongs to is stored, as it counts."""
    election = _election(slug)
    form = ReceiptForm(request.POST or None)
    ballot = None
    if request.method == "POST" and form.is_valid():
        ballot = services.ballot_find(election=election, receipt=form.cleaned_data["receipt"])
        if ballot is None:
            form.add_error("receipt", "No ballot of this election has this receipt code.")
    ranks = []
    if ballot is not None:
        names = {c.pk: c.person.display_name for c in selectors.candidates(election)}
        ranks = [[names[pk] for pk in rank if pk in names] for rank in ballot.ranking]
    return render(
        request,
        "governance/elections/check_receipt.html",
        {"election": election, "form": form, "ballot": ballot, "ranks": ranks},
    )


@require_safe
def results(request, slug):
    election = _election(slug)
    return render(
        request,
        "governance/elections/results.html",
        {
            "election": election,
            "result": selectors.result(election),
            "runs": runs_election(request.user, election),
            "Phase": Phase,
        },
    )


@login_required
@require_POST
def certify(request, slug):
    election = _election(slug)
    if not runs_election(request.user, election):
        raise PermissionDenied("Only the officers of this election certify its results.")
    try:
        winners = services.election_certify(election=election)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("governance:elections:results", slug=election.slug)
    names = ", ".join(f"@{w.person.handle}" for w in winners)
    messages.success(request, f"Certified: {names} now sit on {election.group}.")
    return redirect("governance:elections:results", slug=election.slug)
