"""People, groups and who holds which role in them, with the invariants that keep them sound."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from governance.timezones import validate_time_zone

# The length of every link field: an http(s) URL longer than this is refused.
URL_MAX_LENGTH = 500
_LINK_CHECKS = (
    ProhibitNullCharactersValidator(),
    MaxLengthValidator(URL_MAX_LENGTH),
    URLValidator(schemes=["http", "https"]),
)


def validate_http_url(value: str) -> None:
    """An http(s) URL that a link field (URLField(max_length=URL_MAX_LENGTH)) stores, else a
    ValidationError: every check the field makes of such a value, so that an importer whose
    reader checked a link with it need not validate the field again (validate_fields'
    `exclude`)."""
    for check in _LINK_CHECKS:
        check(value)


handle_validator = RegexValidator(
    r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$",
    "A handle is a GitHub login: letters, digits and single hyphens, at most 39 characters.",
)


class TimeStamped(models.Model):
    """Creation and last-change instants."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Person(TimeStamped):
    """A member of the community, known by their GitHub handle."""

    handle = models.CharField(max_length=39, validators=[handle_validator])
    name = models.CharField(max_length=200, blank=True)
    pronouns = models.CharField(max_length=50, blank=True)
    affiliation = models.CharField(max_length=200, blank=True, help_text="Employer or sponsor.")
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    public_email = models.EmailField(blank=True, help_text="Shown on public pages.")
    private_email = models.EmailField(
        blank=True, help_text="Never shown publicly: only staff see it."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login of this person, for editing their groups' agendas.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = [Lower("handle")]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("handle"),
                name="person_handle_unique_ci",
                violation_error_message="A person with this handle already exists "
                "(handles ignore case: Jane and jane are one person).",
            ),
        ]

    def __str__(self):
        return f"{self.name} (@{self.handle})" if self.name else f"@{self.handle}"

    def get_absolute_url(self):
        return reverse("governance:person-detail", args=[self.handle])

    @property
    def github_url(self) -> str:
        return f"https://github.com/{self.handle}"

    @property
    def display_name(self) -> str:
        return self.name or self.handle

    def clean(self):
        super().clean()
        if self.pk and self.affiliation:
            self.check_affiliation(Committee.seats_held([self.pk]).get(self.pk, []))

    def check_affiliation(self, seats: Iterable[tuple["Committee", set["Person"]]]) -> None:
        """ValidationError if this person's affiliation breaks the cap of a committee whose
        seat they hold: `seats`, each such committee with the other holders of its seats
        (Committee.seats_held; clean() reads them, an import passes what it read at once)."""
        for committee, others in seats:
            error = committee.seat_problem(affiliation=self.affiliation, others=others)
            if error:
                raise ValidationError({"affiliation": error})


class PersonLink(models.Model):
    """A public link of a person: website, blog, social profile."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=80)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["person", "label"]
        constraints = [
            models.UniqueConstraint(fields=["person", "url"], name="personlink_unique_url"),
        ]

    def __str__(self):
        return f"{self.label}: {self.url}"


class GroupKind(models.TextChoices):
    SIG = "sig", "Special interest group"
    WORKING_GROUP = "wg", "Working group"
    COMMITTEE = "committee", "Committee"
    TAG = "tag", "Technical advisory group"
    USER_GROUP = "ug", "User group"


class GroupStatus(models.TextChoices):
    FORMING = "forming", "Forming"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class GroupQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=GroupStatus.ARCHIVED)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)


class Group(TimeStamped):
    """A SIG, working group, committee, TAG or user group."""

    kind = models.CharField(max_length=16, choices=GroupKind.choices, default=GroupKind.SIG)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    mission = models.TextField(blank=True)
    charter_url = models.URLField(max_length=URL_MAX_LENGTH, blank=True)
    label = models.CharField(max_length=80, blank=True, help_text="Issue and PR label.")
    status = models.CharField(
        max_length=16, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    status_since = models.DateField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    stakeholder_groups = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="stakeholder_of",
        help_text="For a working group: the SIGs that sponsor it.",
    )
    leads_add_members = models.BooleanField(
        default=False,
        help_text="The charter lets the group's leads add members on the site; other roles "
        "stay the admins' and steering's business.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised on each save of the group's page on the site."
    )

    objects = GroupQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[stakeholder_groups])

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=GroupStatus.ARCHIVED) | ~Q(status_reason=""),
                name="group_archived_has_reason",
                violation_error_message="An archived group needs the reason it was archived.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:group-detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.kind == GroupKind.COMMITTEE or not self.pk:
            return
        self.check_kind(chartered=Committee.objects.filter(group=self).exists())

    def check_kind(self, *, chartered: bool) -> None:
        """ValidationError if the group has a committee charter (`chartered`: clean() reads
        it, an import passes what it read at once) and is no longer a committee."""
        if chartered and self.kind != GroupKind.COMMITTEE:
            raise ValidationError(
                {"kind": "This group has a committee charter: it must stay a committee."}
            )


class RoleKind(models.TextChoices):
    CHAIR = "chair", "Chair"
    TECH_LEAD = "tech_lead", "Technical lead"
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"
    LIAISON = "liaison", "Liaison"
    SECRETARY = "secretary", "Secretary"
    BOARD_REP = "board_rep", "Governing board representative"


LEADERSHIP_KINDS = (RoleKind.CHAIR, RoleKind.TECH_LEAD, RoleKind.LEAD)
# Roles that hold one of a committee's seats.
SEAT_KINDS = (RoleKind.CHAIR, RoleKind.LEAD, RoleKind.MEMBER)


class RoleQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(start__isnull=True) | Q(start__lte=on),
            Q(end__isnull=True) | Q(end__gt=on),
            end_unknown=False,
        )

    def past(self, on: datetime.date | None = None):
        return self.filter(Q(end__lte=on or timezone.localdate()) | Q(end_unknown=True))

    def ending_within(self, days: int, on: datetime.date | None = None):
        """Current roles whose term ends in the next `days` days."""
        on = on or timezone.localdate()
        return self.current(on).filter(end__lte=on + datetime.timedelta(days=days))

    def leadership(self):
        return self.filter(kind__in=LEADERSHIP_KINDS)


class Role(TimeStamped):
    """A person's role in a group for a term; a lead whose term ended is emeritus."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=16, choices=RoleKind.choices)
    start = models.DateField(null=True, blank=True, help_text="Empty when not known.")
    end = models.DateField(
        null=True, blank=True, help_text="The first day the person no longer holds the role."
    )
    end_unknown = models.BooleanField(
        default=False,
        help_text="The term ended on a day nobody recorded (an emeritus lead from an import).",
    )

    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "kind", "person__handle"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gt=F("start")),
                name="role_ends_after_start",
                violation_error_message="A role must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(end_unknown=False) | Q(end__isnull=True),
                name="role_unknown_end_has_no_date",
                violation_error_message="A term that ended on an unknown day has no end date.",
            ),
            models.UniqueConstraint(
                fields=["person", "group", "kind"],
                condition=Q(end__isnull=True, end_unknown=False),
                name="role_one_open_term",
                violation_error_message="This person already holds this role in this group.",
            ),
        ]

    def __str__(self):
        return f"@{self.person.handle}: {self.get_kind_display()} of {self.group}"

    @property
    def is_current(self) -> bool:
        return self.is_current_on(timezone.localdate())

    def is_current_on(self, day: datetime.date) -> bool:
        """Whether the person holds the role on `day` (RoleQuerySet.current, in memory)."""
        return (
            not self.end_unknown
            and (self.start is None or self.start <= day)
            and (self.end is None or self.end > day)
        )

    @property
    def has_ended(self) -> bool:
        return self.end_unknown or (self.end is not None and self.end <= timezone.localdate())

    @property
    def is_emeritus(self) -> bool:
        return self.kind in LEADERSHIP_KINDS and self.has_ended

    def clean(self):
        super().clean()
        if not self.has_term_rules:
            return
        self.check_term(
            Role.objects.filter(
                person_id=self.person_id, group_id=self.group_id, kind=self.kind, end_unknown=False
            ).exclude(pk=self.pk)
        )
        if self.holds_seat:
            committee = Committee.objects.filter(group_id=self.group_id).first()
            if committee:
                self.check_seat(committee, committee.seat_holders(person=self.person, role=self))

    @property
    def has_term_rules(self) -> bool:
        """Whether check_term applies: a term that ended on an unknown day overlaps nothing
        anyone can tell."""
        return bool(self.person_id and self.group_id and self.kind) and not self.end_unknown

    @property
    def holds_seat(self) -> bool:
        """Whether check_seat applies: the role holds one of a committee's seats today."""
        return self.kind in SEAT_KINDS and self.is_current

    def check_term(self, others: Iterable["Role"]) -> None:
        """ValidationError if this term overlaps one of `others`, the other terms of this
        person in this role and group (clean() reads them; an import passes what it holds)."""
        for other in others:
            if other.end_unknown:
                continue
            if self.end and not (other.start is None or other.start < self.end):
                continue
            if self.start and not (other.end is None or other.end > self.start):
                continue
            raise ValidationError(
                f"@{self.person.handle} already is {self.get_kind_display().lower()} of "
                f"{self.group} for part of this term."
            )

    def check_seat(self, committee: "Committee", others: set[Person]) -> None:
        """ValidationError if the person cannot take a seat of `committee` whose other seats
        `others` hold (Committee.seat_holders)."""
        error = committee.seat_problem(affiliation=self.person.affiliation, others=others)
        if error:
            raise ValidationError({"person": error})


class CommitteePurpose(models.TextChoices):
    STEERING = "steering", "Steering"
    CODE_OF_CONDUCT = "code_of_conduct", "Code of conduct"
    SECURITY_RESPONSE = "security_response", "Security response"
    OTHER = "other", "Other"


class Committee(TimeStamped):
    """The charter of a committee group: purpose, seats, terms and the affiliation cap."""

    # The charter's fields, as the admin and the API edit them.
    CHARTER_FIELDS = (
        "purpose",
        "seats",
        "term_months",
        "max_seats_per_affiliation",
        "reporting_email",
        "reporting_url",
    )

    group = models.OneToOneField(
        Group,
        on_delete=models.CASCADE,
        related_name="committee",
        limit_choices_to={"kind": GroupKind.COMMITTEE},
    )
    purpose = models.CharField(max_length=24, choices=CommitteePurpose.choices)
    seats = models.PositiveSmallIntegerField(null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    max_seats_per_affiliation = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="At most this many seats held by people of one affiliation.",
    )
    reporting_email = models.EmailField(
        blank=True, help_text="Public address for reports (code of conduct, security)."
    )
    reporting_url = models.URLField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose"],
                condition=~Q(purpose=CommitteePurpose.OTHER),
                name="committee_one_per_purpose",
                violation_error_message="There already is a committee with this purpose.",
            ),
            models.CheckConstraint(
                condition=Q(max_seats_per_affiliation__isnull=True)
                | Q(seats__isnull=True)
                | Q(max_seats_per_affiliation__lte=F("seats")),
                name="committee_cap_within_seats",
                violation_error_message="The affiliation cap cannot exceed the number of seats.",
            ),
        ]

    def __str__(self):
        return f"{self.group} ({self.get_purpose_display().lower()})"

    @classmethod
    def seats_held(
        cls, person_ids: Iterable[int]
    ) -> dict[int, list[tuple["Committee", set[Person]]]]:
        """For each of these people who holds a committee's seat today, each such committee
        (in the committees' order) with the people holding its other seats (as seat_holders
        gives them), read at once."""
        people = set(person_ids)
        holders = list(
            Role.objects.current()
            .filter(kind__in=SEAT_KINDS, group__committee__isnull=False)
            .select_related("person")
        )
        groups = {role.group_id for role in holders if role.person_id in people}
        held: dict[int, list[tuple[Committee, set[Person]]]] = {}
        for committee in cls.objects.filter(group_id__in=groups) if groups else []:
            seated = [role for role in holders if role.group_id == committee.group_id]
            for person_id in {role.person_id for role in seated} & people:
                others = {role.person for role in seated if role.person_id != person_id}
                held.setdefault(person_id, []).append((committee, others))
        return held

    def seat_holders(self, *, person: Person, role: Role | None = None) -> set[Person]:
        """The people holding the committee's seats today, but `person` (and `role`)."""
        holders = (
            Role.objects.current()
            .filter(group_id=self.group_id, kind__in=SEAT_KINDS)
            .exclude(person_id=person.pk)
            .select_related("person")
        )
        if role is not None and role.pk:
            holders = holders.exclude(pk=role.pk)
        return {holder.person for holder in holders}

    def seat_problem(self, *, affiliation: str, others: set[Person]) -> str:
        """Why someone with `affiliation` cannot hold a seat that `others` hold the others of,
        or "" when they can."""
        if self.seats is not None and len(others) + 1 > self.seats:
            return f"All {self.seats} seats of {self.group} are held."
        if self.max_seats_per_affiliation is None or not affiliation:
            return ""
        same = sum(1 for other in others if other.affiliation.casefold() == affiliation.casefold())
        if same + 1 > self.max_seats_per_affiliation:
            return (
                f"{affiliation} would hold {same + 1} seats of {self.group}; at most "
                f"{self.max_seats_per_affiliation} may be held by one affiliation."
            )
        return ""

    def clean(self):
        super().clean()
        if self.group_id and self.group.kind != GroupKind.COMMITTEE:
            raise ValidationError(
                {"group": "Only a group of kind committee has a committee charter."}
            )
        if self.pk and self.max_seats_per_affiliation is not None:
            holders = Role.objects.current().filter(group_id=self.group_id, kind__in=SEAT_KINDS)
            counts: dict[str, int] = {}
            for person in Person.objects.filter(roles__in=holders).distinct():
                if person.affiliation:
                    key = person.affiliation.casefold()
                    counts[key] = counts.get(key, 0) + 1
            over = [
                name for name, count in counts.items() if count > self.max_seats_per_affiliation
            ]
            if over:
                message = f"Current members already exceed this cap: {', '.join(over)}."
                raise ValidationError({"max_seats_per_affiliation": message})


class ChannelKind(models.TextChoices):
    SLACK = "slack", "Slack channel"
    MAILING_LIST = "mailing_list", "Mailing list"
    PRIVATE_MAILING_LIST = "private_mailing_list", "Private mailing list"
    GITHUB_TEAM = "github_team", "GitHub team"
    FORUM = "forum", "Forum"
    OTHER = "other", "Other"


class ChannelQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_private=False)


PRIVATE_LIST_MESSAGE = "A private mailing list must be marked private."


class Channel(TimeStamped):
    """A way to reach a group or subproject: Slack, mailing list, GitHub team."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="channels")
    subproject = models.ForeignKey(
        "Subproject", on_delete=models.CASCADE, null=True, blank=True, related_name="channels"
    )
    kind = models.CharField(max_length=24, choices=ChannelKind.choices)
    name = models.CharField(max_length=300, help_text="Channel, list address or team name.")
    url = models.URLField(max_length=URL_MAX_LENGTH, blank=True)
    description = models.CharField(max_length=300, blank=True)
    is_private = models.BooleanField(default=False, help_text="Only staff see a private channel.")

    objects = ChannelQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ChannelKind.PRIVATE_MAILING_LIST) | Q(is_private=True),
                name="channel_private_list_is_private",
                violation_error_message=PRIVATE_LIST_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["group", "kind", "name"],
                condition=Q(subproject__isnull=True),
                name="channel_unique_in_group",
                violation_error_message="This group already has this channel.",
            ),
            models.UniqueConstraint(
                fields=["subproject", "kind", "name"],
                condition=Q(subproject__isnull=False),
                name="channel_unique_in_subproject",
                violation_error_message="This subproject already has this channel.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"

    def clean(self):
        super().clean()
        if self.kind == ChannelKind.PRIVATE_MAILING_LIST and not self.is_private:
            raise ValidationError({"is_private": PRIVATE_LIST_MESSAGE})
        if self.subproject_id and self.group_id and self.subproject.group_id != self.group_id:
            raise ValidationError({"subproject": "The subproject belongs to another group."})

    @property
    def link(self) -> str:
        """Where a reader goes to use the channel."""
        if self.url:
            return self.url
        if self.kind == ChannelKind.SLACK:
            return settings.AGORA_SLACK_CHANNEL_URL.format(name=self.name.lstrip("#"))
        if self.kind == ChannelKind.GITHUB_TEAM:
            return settings.AGORA_GITHUB_TEAM_URL.format(name=self.name)
        if self.kind == ChannelKind.MAILING_LIST and "@" in self.name:
            return f"mailto:{self.name}"
        return ""


def validate_url_list(value):
    """A list of http(s) URLs."""
    if not isinstance(value, list):
        raise ValidationError("Enter a list of URLs.")
    for index, url in enumerate(value):
        try:
            validate_http_url(url)
        except ValidationError:
            raise ValidationError(f"Item {index + 1} is not a URL: {url!r}.") from None


class Subproject(TimeStamped):
    """A piece of work a group owns, with its OWNERS files and leads."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="subprojects")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owners_files = models.JSONField(
        default=list, blank=True, validators=[validate_url_list], help_text="OWNERS file URLs."
    )
    leads = models.ManyToManyField(Person, blank=True, related_name="subprojects_led")

    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ["group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "name"],
                name="subproject_unique_name",
                violation_error_message="This group already has a subproject of this name.",
            ),
        ]

    def __str__(self):
        return f"{self.group.slug}/{self.name}"


# The elections' models live in their own module; importing them here registers them.
from governance.elections.models import (  # noqa: E402, F401
    Ballot,
    Candidate,
    Election,
    ExceptionRequest,
    Vote,
)
