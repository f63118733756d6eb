"""Elections: the timeline in a named zone, who votes, secret ballots with receipts, the
officers' part, results and certification into roles with terms."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import services as governance_services
from governance.elections import selectors, services
from governance.elections.forms import ElectionAdminForm
from governance.elections.models import (
    ANYWHERE_ON_EARTH,
    Ballot,
    Eligibility,
    Phase,
    RequestStatus,
    Vote,
    instant,
)
from governance.models import CommitteePurpose, GroupKind, Role, RoleKind
from tests.admin_forms import form_data
from tests.factories import GroupFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# The deadline "23:59 AoE on 5 November 2026".
CLOSE = datetime.datetime(2026, 11, 6, 11, 59, tzinfo=UTC)


def test_a_close_at_2359_aoe_on_the_5th_ends_at_1159_utc_on_the_6th():
    local = datetime.datetime(2026, 11, 5, 23, 59)
    assert instant(local, ANYWHERE_ON_EARTH) == CLOSE


# An election as staff enter it in the admin, in its own zone (AoE), for a group.
ADMIN_FORM = {
    "slug": "steering-2026",
    "title": "Steering 2026",
    "seats": 3,
    "term_months": 24,
    "eligibility": Eligibility.MEMBERS,
    "zone": ANYWHERE_ON_EARTH,
    "nominations_open": "2026-10-01T00:00",
    "nominations_close": "2026-10-15T23:59",
    "voting_open": "2026-10-20T00:00",
    "voting_close": "2026-11-05T23:59",
}


def test_the_admin_form_takes_the_timeline_in_the_elections_zone(db):
    committee = GroupFactory(kind=GroupKind.COMMITTEE, slug="steering")
    form = ElectionAdminForm(data={"group": committee.pk, **ADMIN_FORM})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["voting_close"] == CLOSE
    election = form.save()
    assert ElectionAdminForm(instance=election).initial["voting_close"] == datetime.datetime(
        2026, 11, 5, 23, 59
    )


def test_staff_create_and_edit_an_election_in_the_admin(admin_client):
    committee = GroupFactory(kind=GroupKind.COMMITTEE, slug="steering")
    officer = PersonFactory(handle="officer")
    response = admin_client.post(
        reverse("admin:governance_election_add"),
        {"group": committee.pk, "officers": [officer.pk], **ADMIN_FORM},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    election = committee.elections.get()
    assert list(election.officers.all()) == [officer]
    url = reverse("admin:governance_election_change", args=[election.pk])
    data = form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "title": "Steering election 2026", "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    election.refresh_from_db()
    assert election.title == "Steering election 2026"
    assert list(election.officers.all()) == [officer]


@pytest.fixture
def steering():
    group = GroupFactory(kind=GroupKind.COMMITTEE, slug="committee-steering", name="Steering")
    governance_services.committee_set(
        group=group, purpose=CommitteePurpose.STEERING, seats=3, max_seats_per_affiliation=1
    )
    bootstrap = [
        RoleFactory(group=group, kind=RoleKind.MEMBER, person=PersonFactory(handle=f"boot-{n}"))
        for n in range(3)
    ]
    sig = GroupFactory(slug="sig-a")
    people = {
        handle: RoleFactory(
            group=sig,
            kind=RoleKind.MEMBER,
            person=PersonFactory(handle=handle, affiliation=company),
        ).person
        for handle, company in [
            ("ann", "Acme"),
            ("bob", "Acme"),
            ("cat", "Initech"),
            ("dev", "Umbrella"),
        ]
    }
    officer = PersonFactory(handle="officer")
    RoleFactory(group=sig, kind=RoleKind.MEMBER, person=officer)
    election = services.election_create(
        group=group,
        slug="steering-2026",
        title="Steering 2026",
        seats=2,
        term_months=24,
        zone=ANYWHERE_ON_EARTH,
        nominations_open=datetime.datetime(2026, 10, 1, 12, tzinfo=UTC),
        nominations_close=datetime.datetime(2026, 10, 16, 11, 59, tzinfo=UTC),
        voting_open=datetime.datetime(2026, 10, 20, 12, tzinfo=UTC),
        voting_close=CLOSE,
        officers=[officer],
    )
    return election, people, officer, bootstrap


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_a_whole_election(steering):
    election, people, officer, bootstrap = steering
    outsider = PersonFactory(handle="outsider")
    with at(datetime.datetime(2026, 10, 5, tzinfo=UTC)):
        assert election.phase() == Phase.NOMINATING
        assert set(selectors.voters(election)) == {*people.values(), *(r.person for r in bootstrap)}
        for handle in ("ann", "bob", "cat"):
            services.candidate_nominate(
                election=election,
                person=people[handle],
                statement="**Hi**",
                affiliation=people[handle].affiliation,
            )
        with pytest.raises(ValidationError, match="officer"):
            services.candidate_nominate(
                election=election, person=officer, statement="x", affiliation=""
            )
        with pytest.raises(ValidationError, match="Only voters"):
            services.candidate_nominate(
                election=election, person=outsider, statement="x", affiliation=""
            )
        request = services.exception_request(election=election, person=outsider, reason="I triage.")
        with pytest.raises(ValidationError, match="reason"):
            services.exception_decide(request=request, grant=True, reason=" ", officer=officer)
        services.exception_decide(
            request=request, grant=True, reason="Triage counts.", officer=officer
        )
        assert request.status == RequestStatus.GRANTED
        assert selectors.may_vote(election, outsider)
    ann, bob, cat = (election.candidates.get(person__handle=h) for h in ("ann", "bob", "cat"))
    with at(datetime.datetime(2026, 11, 6, 11, 58, tzinfo=UTC)):  # 23:58 AoE on the 5th
        assert election.phase() == Phase.VOTING
        receipts = {}
        for voter in ("ann", "dev"):
            receipts[voter] = services.ballot_cast(
                election=election, person=people[voter], ranks={ann.pk: 1, bob.pk: 2, cat.pk: 3}
            )
        receipts["bob"] = services.ballot_cast(
            election=election, person=people["bob"], ranks={bob.pk: 1, ann.pk: 2, cat.pk: 3}
        )
        receipts["cat"] = services.ballot_cast(
            election=election, person=people["cat"], ranks={cat.pk: 1, bob.pk: 2}
        )
        with pytest.raises(ValidationError, match="receipt code"):
            services.ballot_cast(election=election, person=people["dev"], ranks={cat.pk: 1})
        # dev changes their mind: the new ballot replaces the old.
        new = services.ballot_cast(
            election=election, person=people["dev"], ranks={bob.pk: 1}, receipt=receipts["dev"]
        )
        assert services.ballot_find(election=election, receipt=receipts["dev"]) is None
        assert services.ballot_find(election=election, receipt=new).ranking == [[bob.pk]]
        with pytest.raises(ValidationError, match="not a voter"):
            services.ballot_cast(election=election, person=officer, ranks={ann.pk: 1})
        # A ballot carries nothing of its voter.
        assert [f.name for f in Ballot._meta.get_fields()] == [
            "id",
            "election",
            "receipt_digest",
            "ranking",
        ]
        assert Ballot.objects.count() == Vote.objects.count() == 4
        assert selectors.result(election) is None
    with at(datetime.datetime(2026, 11, 6, 12, 0, tzinfo=UTC)):  # past 23:59 AoE
        with pytest.raises(ValidationError, match="Voting is not possible now"):
            services.ballot_cast(election=election, person=outsider, ranks={ann.pk: 1})
        result = selectors.result(election)
        assert [p.candidate for p in result.outcome.order] == [bob, ann, cat]
        # ann (Acme) is second, but bob holds Acme's one seat: cat takes it.
        assert result.outcome.winners == [bob, cat]
        assert result.outcome.notes == [
            "@ann is passed over: Acme already holds 1 seat, the most one affiliation may hold."
        ]
        assert (result.ballots, result.eligible) == (4, 8)
        winners = services.election_certify(election=election, on=datetime.date(2026, 11, 6))
        with pytest.raises(ValidationError, match="Certifying"):
            services.election_certify(election=election)
    assert winners == [bob, cat]
    seats = Role.objects.filter(group=election.group, kind=RoleKind.MEMBER)
    assert sorted(
        (r.person.handle, r.start, r.end) for r in seats.filter(start=datetime.date(2026, 11, 6))
    ) == [
        ("bob", datetime.date(2026, 11, 6), datetime.date(2028, 11, 6)),
        ("cat", datetime.date(2026, 11, 6), datetime.date(2028, 11, 6)),
    ]
    assert all(
        r.end == datetime.date(2026, 11, 6)
        for r in Role.objects.filter(pk__in=[b.pk for b in bootstrap])
    )
    assert Role.history.filter(end=datetime.date(2026, 11, 6)).count() >= 3


def test_certification_is_one_step(steering, monkeypatch):
    election, people, _officer, bootstrap = steering
    with at(datetime.datetime(2026, 10, 5, tzinfo=UTC)):
        candidate = services.candidate_nominate(
            election=election, person=people["ann"], statement="", affiliation=""
        )
    with at(datetime.datetime(2026, 10, 25, tzinfo=UTC)):
        services.ballot_cast(election=election, person=people["bob"], ranks={candidate.pk: 1})

    def broken(**kwargs):
        raise ValidationError("The seat cannot be filled.")

    monkeypatch.setattr(services, "role_create", broken)
    with at(datetime.datetime(2026, 11, 7, tzinfo=UTC)), pytest.raises(ValidationError):
        services.election_certify(election=election)
    assert all(Role.objects.get(pk=r.pk).end is None for r in bootstrap)
    election.refresh_from_db()
    assert election.certified_at is None


def login(client, person):
    user = person.user or get_user_model().objects.create_user(person.handle, password="pw")
    governance_services.person_update(person=person, user=user)
    client.force_login(user)


def test_the_pages(client, steering):
    election, people, officer, _bootstrap = steering
    url = election.get_absolute_url()
    with at(datetime.datetime(2026, 10, 5, tzinfo=UTC)):
        html = client.get(url).content.decode()
        assert "23:59 AoE, Thursday 5 November 2026 (11:59 UTC, Friday 6 November)" in html
        assert "Sign in</a> to stand" in html
        assert (
            client.post(reverse("governance:elections:nominate", args=[election.slug])).status_code
            == 302
        )
        login(client, people["ann"])
        response = client.post(
            reverse("governance:elections:nominate", args=[election.slug]),
            {"statement": "I **will**<script>alert(1)</script>", "affiliation": "Acme"},
        )
        assert response.status_code == 302
        html = client.get(url).content.decode()
        assert "I <strong>will</strong>" in html and "<script>alert" not in html
        assert "For the officers" not in html
        stranger = PersonFactory(handle="stranger")
        login(client, stranger)
        assert (
            client.post(
                reverse("governance:elections:nominate", args=[election.slug]), {"statement": "x"}
            ).status_code
            == 403
        )
        client.post(
            reverse("governance:elections:ask-exception", args=[election.slug]),
            {"reason": "I review docs."},
        )
        login(client, officer)
        html = client.get(url).content.decode()
        assert "@stranger</a> asks: “I review docs.”" in html
        request = election.exception_requests.get()
        response = client.post(
            reverse("governance:elections:decide-exception", args=[election.slug]),
            {"request": request.pk, "decision": "refuse", "reason": "No record of it."},
        )
        assert response.status_code == 302
        request.refresh_from_db()
        assert (request.status, request.decision_reason) == (
            RequestStatus.REFUSED,
            "No record of it.",
        )
    candidate = election.candidates.get()
    with at(datetime.datetime(2026, 10, 25, tzinfo=UTC)):
        login(client, people["bob"])
        vote = reverse("governance:elections:vote", args=[election.slug])
        response = client.post(vote, {f"rank-{candidate.pk}": "1"})
        assert response.status_code == 200
        code = response.context["code"]
        assert code in response.content.decode()
        checked = client.post(
            reverse("governance:elections:receipt", args=[election.slug]), {"receipt": code}
        )
        assert "This ballot is stored and counts" in checked.content.decode()
        login(client, officer)
        html = client.get(url).content.decode()
        assert "1 ballot from 1 voter: @bob." in html
    with at(datetime.datetime(2026, 11, 7, tzinfo=UTC)):
        html = client.get(
            reverse("governance:elections:results", args=[election.slug])
        ).content.decode()
        assert "Turnout: 1 of 7 eligible voters (14%)" in html
        assert "Certify the results" in html
        response = client.post(
            reverse("governance:elections:certify", args=[election.slug]), follow=True
        )
        assert "Certified: @ann now sit on Steering." in response.content.decode()
        governance = client.get(reverse("governance:governance")).content.decode()
        assert "7 Nov 2028" in governance


def _grow(election, officer, people: int):
    """`people` more candidates, voters with ballots and exception requests."""
    with at(datetime.datetime(2026, 10, 5, tzinfo=UTC)):
        sig = GroupFactory()
        for _ in range(people):
            person = RoleFactory(group=sig, kind=RoleKind.MEMBER).person
            services.candidate_nominate(
                election=election, person=person, statement="Hi", affiliation=""
            )
            services.exception_request(election=election, person=PersonFactory(), reason="Me")
    with at(datetime.datetime(2026, 10, 25, tzinfo=UTC)):
        for candidate in election.candidates.all()[:people]:
            voter = RoleFactory(group=sig, kind=RoleKind.MEMBER).person
            services.ballot_cast(election=election, person=voter, ranks={candidate.pk: 1})


@pytest.mark.parametrize(
    ("page", "moment", "queries"),
    [
        ("detail", datetime.datetime(2026, 10, 25, tzinfo=UTC), 17),
        ("results", datetime.datetime(2026, 11, 7, tzinfo=UTC), 9),
    ],
)
def test_election_pages_make_the_same_queries_for_n_and_3n_rows(
    client, django_assert_num_queries, steering, page, moment, queries
):
    election, _, officer, _ = steering
    login(client, officer)
    url = reverse(f"governance:elections:{page}", args=[election.slug])
    _grow(election, officer, 1)
    with at(moment), django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _grow(election, officer, 2)
    with at(moment), django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
