"""An election, its candidates, the exceptions its officers grant, who voted and the ballots.

A ballot carries no link to its voter: `Vote` records who voted, `Ballot` how someone voted,
and nothing joins them but the receipt code the voter keeps (its digest is on the ballot).
Ballots have random ids and no timestamps, so neither order nor time pairs them with a vote.
"""

import datetime
import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from governance.models import Group, Person, TimeStamped
from governance.timezones import validate_time_zone

# "Anywhere on Earth": UTC-12 all year (POSIX names invert the sign).
ANYWHERE_ON_EARTH = "Etc/GMT+12"


def zone_label(zone: str) -> str:
    """How a page names a zone: "AoE" for Anywhere on Earth, else the IANA name."""
    return "AoE" if zone == ANYWHERE_ON_EARTH else zone.replace("_", " ")


def instant(local: datetime.datetime, zone: str) -> datetime.datetime:
    """The UTC instant of the wall-clock time `local` in `zone` (23:59 AoE on the 5th is
    11:59 UTC on the 6th)."""
    return local.replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(datetime.UTC)


class Eligibility(models.TextChoices):
    MEMBERS = "members", "Everyone holding a role in a group now"
    CONTRIBUTORS = "contributors", "Everyone who held a role in a group in the last year"


class Phase(models.TextChoices):
    UPCOMING = "upcoming", "Not open yet"
    NOMINATING = "nominating", "Nominations open"
    WAITING = "waiting", "Nominations closed, voting not open yet"
    VOTING = "voting", "Voting open"
    CLOSED = "closed", "Voting closed, results not certified"
    CERTIFIED = "certified", "Results certified"


TIMELINE = ("nominations_open", "nominations_close", "voting_open", "voting_close")


class Election(TimeStamped):
    """An election of `seats` members of a group (a committee, usually), with its timeline."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="elections")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    seats = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    term_months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="The term of the winners' seats."
    )
    zone = models.CharField(
        max_length=64,
        default=ANYWHERE_ON_EARTH,
        validators=[validate_time_zone],
        help_text="The zone the timeline is given and shown in (Etc/GMT+12 is Anywhere on Earth).",
    )
    nominations_open = models.DateTimeField()
    nominations_close = models.DateTimeField()
    voting_open = models.DateTimeField()
    voting_close = models.DateTimeField()
    eligibility = models.CharField(
        max_length=16, choices=Eligibility.choices, default=Eligibility.MEMBERS
    )
    officers = models.ManyToManyField(
        Person,
        blank=True,
        related_name="elections_officiated",
        help_text="They decide exception requests and certify the results; they do not vote.",
    )
    certified_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[officers])

    class Meta:
        ordering = ["-voting_close"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_open__lt=F("nominations_close"))
                & Q(nominations_close__lte=F("voting_open"))
                & Q(voting_open__lt=F("voting_close")),
                name="election_timeline_in_order",
                violation_error_message="Nominations open, then close, then voting opens, "
                "then closes.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:elections:detail", args=[self.slug])

    def phase(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.certified_at:
            return Phase.CERTIFIED
        for phase, until in [
            (Phase.UPCOMING, self.nominations_open),
            (Phase.NOMINATING, self.nominations_close),
            (Phase.WAITING, self.voting_open),
            (Phase.VOTING, self.voting_close),
        ]:
            if now < until:
                return phase
        return Phase.CLOSED

    def get_phase_display(self) -> str:
        return Phase(self.phase()).label

    @property
    def zone_name(self) -> str:
        return zone_label(self.zone)

    def clean(self):
        super().clean()
        instants = [getattr(self, name) for name in TIMELINE]
        if None not in instants and instants != sorted(instants):
            raise ValidationError(
                {"voting_close": "Nominations open, then close, then voting opens, then closes."}
            )


class Candidate(TimeStamped):
    """A person standing in an election, with their statement (Markdown) and affiliation."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    statement = models.TextField(blank=True, help_text="Markdown.")
    affiliation = models.CharField(max_length=200, blank=True, help_text="Employer or sponsor.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "person__handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="candidate_once_per_election",
                violation_error_message="This person already stands in this election.",
            ),
        ]

    def __str__(self):
        return f"@{self.person.handle} in {self.election}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the officers"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class ExceptionRequest(TimeStamped):
    """Someone outside the rule asking to vote; the officers grant or refuse it, with a reason."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="exception_requests"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exception_requests")
    reason = models.TextField(help_text="Why they should vote: what they contributed.")
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="exception_once_per_election",
                violation_error_message="This person already asked for an exception.",
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.PENDING) | ~Q(decision_reason=""),
                name="exception_decision_has_reason",
                violation_error_message="Give the reason for the decision.",
            ),
        ]

    def __str__(self):
        return f"@{self.person.handle} asks to vote in {self.election}"


class Vote(models.Model):
    """That a person voted in an election (never how: that is an unlinked Ballot)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        ordering = ["election", "person__handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="vote_once_per_election",
                violation_error_message="This person has already voted.",
            ),
        ]

    def __str__(self):
        return f"@{self.person.handle} voted in {self.election}"


class Ballot(models.Model):
    """A secret ranked ballot: candidate ids by rank, best first, each rank a list (ties);
    candidates left out rank below every one ranked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    receipt_digest = models.CharField(max_length=64, unique=True)
    ranking = models.JSONField()

    class Meta:
        ordering = ["receipt_digest"]

    def __str__(self):
        return f"A ballot in {self.election}"
