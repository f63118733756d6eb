"""The project list, releases, feature status per release, enhancement proposals (KEPs) and the
landscape notebook: dated evaluations, the to-evaluate list, future work and recommendations."""

import re
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from governance.models import Group, Person, TimeStamped, validate_url_list

RELEASE_VERSION = re.compile(r"^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?$")
# Kubernetes API versions: v1alpha3, v1beta1, v1 (alpha < beta < stable, then by serial).
API_VERSION = re.compile(r"^v(\d{1,3})(?:(alpha|beta)(\d{1,3}))?$")


def parse_release_version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of "v1.29", "1.29" or "v1.29.3"; None when it is not a version."""
    match = RELEASE_VERSION.match(str(text).strip())
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def release_version_label(parsed: tuple[int, int, int]) -> str:
    """How a parsed version is written: v1.29, or v1.29.3 for a patch release."""
    major, minor, patch = parsed
    return f"v{major}.{minor}" + (f".{patch}" if patch else "")


def validate_release_version(value: str):
    if parse_release_version(value) is None:
        raise ValidationError(
            f"{value!r} is not a release version: write it as v1.29 or v1.29.3 "
            "(major.minor, optionally .patch)."
        )


def validate_api_version(value: str):
    if not API_VERSION.match(value):
        raise ValidationError(
            f"{value!r} is not a Kubernetes API version: write v1, v2beta1 or v1alpha3."
        )


def validate_string_list(value):
    """A list of non-empty strings, such as the components a feature gate applies to."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationError("Enter a list of names.")


class ProjectArea(TimeStamped):
    """A heading of the project list, such as "Service mesh", in the order readers see it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Areas are listed by this number, lowest first."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class MaturityLevel(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox"
    INCUBATING = "incubating", "Incubating"
    GRADUATED = "graduated", "Graduated"
    ALPHA = "alpha", "Alpha"
    BETA = "beta", "Beta"
    STABLE = "stable", "Stable"
    ARCHIVED = "archived", "Archived"


class ProjectQuerySet(models.QuerySet):
    def with_current_maturity(self):
        """Annotate the level and steward of each project's latest maturity step."""
        latest = MaturityStep.objects.filter(project=OuterRef("pk")).order_by("-date", "-pk")
        return self.annotate(
            current_level=Subquery(latest.values("level")[:1]),
            current_steward=Subquery(latest.values("steward")[:1]),
        )

    def at_level(self, level: str):
        return self.with_current_maturity().filter(current_level=level)


class Project(TimeStamped):
    """A project of the community's list, with its artifacts, maturity and ways to reach it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    area = models.ForeignKey(
        ProjectArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        help_text="Empty for a project of the landscape that is not on the project list.",
    )
    goal = models.TextField(blank=True, help_text="What the project is for, in a sentence or two.")
    homepage_url = models.URLField("homepage", max_length=500, blank=True)
    repository_url = models.URLField("repository", max_length=500, blank=True)
    releases_url = models.URLField("releases", max_length=500, blank=True)
    tests_dashboard_url = models.URLField("tests dashboard", max_length=500, blank=True)
    license = models.CharField(max_length=100, blank=True, help_text="SPDX name, e.g. Apache-2.0.")
    groups = models.ManyToManyField(
        Group, through="ProjectGroup", blank=True, related_name="projects"
    )

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project-detail", args=[self.slug])


class ProjectGroup(models.Model):
    """A group that owns a project or works on it."""

    class Relation(models.TextChoices):
        OWNER = "owner", "Owner"
        RELATED = "related", "Related"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="group_links")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="project_links")
    relation = models.CharField(max_length=16, choices=Relation.choices, default=Relation.OWNER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "relation", "group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "group"],
                name="projectgroup_unique",
                violation_error_message="This group is already linked to this project.",
            ),
        ]

    def __str__(self):
        return f"{self.group} ({self.get_relation_display().lower()} of {self.project})"


class MaturityStep(models.Model):
    """A decision that moved a project to a level: "CNCF sandbox on 2020-04-02"."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="maturity_steps")
    steward = models.CharField(
        max_length=100, help_text="The foundation or owner deciding: CNCF, Kubernetes, a company."
    )
    level = models.CharField(max_length=16, choices=MaturityLevel.choices)
    date = models.DateField()
    decision_url = models.URLField("decision", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "steward", "level"],
                name="maturitystep_unique_level",
                violation_error_message="This project already reached this level with this "
                "steward.",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.steward} {self.get_level_display().lower()} ({self.date})"


class APIVersion(models.Model):
    """A version an API of the project is served at, such as split.smi-spec.io v1alpha4."""

    class Track(models.IntegerChoices):
        ALPHA = 0, "alpha"
        BETA = 1, "beta"
        STABLE = 2, "stable"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="api_versions")
    api = models.CharField("API", max_length=200, help_text="API group or name.")
    version = models.CharField(max_length=20, validators=[validate_api_version])
    # Parsed from `version` on save so the database orders by the Kubernetes convention.
    major = models.PositiveSmallIntegerField(editable=False, default=0)
    track = models.PositiveSmallIntegerField(
        choices=Track.choices, editable=False, default=Track.STABLE
    )
    serial = models.PositiveSmallIntegerField(editable=False, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "API version"
        ordering = ["project_id", "api", "major", "track", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "api", "version"],
                name="apiversion_unique",
                violation_error_message="This project already lists this version of this API.",
            ),
        ]

    def __str__(self):
        return f"{self.api} {self.version}"

    def save(self, *args, **kwargs):
        self._read_version()
        super().save(*args, **kwargs)

    def clean(self):
        # Checked rows are written in bulk too (common.bulk), without save().
        super().clean()
        self._read_version()

    def _read_version(self):
        """Keep the sort columns in step with `version`."""
        match = API_VERSION.match(self.version)
        if match:
            major, track, serial = match.groups()
            self.major = int(major)
            self.track = {"alpha": self.Track.ALPHA, "beta": self.Track.BETA}.get(
                track, self.Track.STABLE
            )
            self.serial = int(serial or 0)


class ChannelKind(models.TextChoices):
    SLACK = "slack", "Slack"
    MAILING_LIST = "mailing_list", "Mailing list"
    FORUM = "forum", "Forum"
    ISSUE_TRACKER = "issue_tracker", "Issue tracker"
    OTHER = "other", "Other"


class ProjectChannelQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_private=False)


class ProjectChannel(models.Model):
    """A way to reach a project's people: Slack, mailing list, forum, issue tracker."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=16, choices=ChannelKind.choices)
    name = models.CharField(max_length=200, help_text="Channel, list or tracker name.")
    url = models.URLField(max_length=500)
    is_private = models.BooleanField(default=False, help_text="Only staff see a private channel.")

    objects = ProjectChannelQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "name"],
                name="projectchannel_unique",
                violation_error_message="This project already has this channel.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class TieInStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PREVIEW = "preview", "Preview"
    GA = "ga", "Generally available"
    RETIRED = "retired", "Retired"


class TieIn(models.Model):
    """A product the project is used in ("used in"), and how far that product has got."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tie_ins")
    label = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=TieInStatus.choices, blank=True, help_text="Empty: not stated."
    )
    status_date = models.DateField("status since", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tie-in"
        ordering = ["project_id", "position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "label"],
                name="tiein_unique_label",
                violation_error_message="This project already lists this tie-in.",
            ),
        ]

    def __str__(self):
        return self.label


class ReleaseQuerySet(models.QuerySet):
    def with_version(self, version: str):
        """Releases numbered `version` ("v1.29", "1.29"); none when it is not a version."""
        parsed = parse_release_version(version)
        if parsed is None:
            return self.none()
        major, minor, patch = parsed
        return self.filter(major=major, minor=minor, patch=patch)


# A release cycle's dates, in the order they must fall.
RELEASE_DATE_FIELDS = ("start_date", "enhancements_freeze", "code_freeze", "release_date")


class Release(TimeStamped):
    """A release of a project, with the dates of its cycle."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="releases")
    version = models.CharField(
        max_length=20, validators=[validate_release_version], help_text="Such as v1.29."
    )
    # Parsed from `version` on save: releases sort v1.9 < v1.10, never as strings.
    major = models.PositiveSmallIntegerField(editable=False, default=0)
    minor = models.PositiveSmallIntegerField(editable=False, default=0)
    patch = models.PositiveSmallIntegerField(editable=False, default=0)
    start_date = models.DateField("cycle start", null=True, blank=True)
    enhancements_freeze = models.DateField(null=True, blank=True)
    code_freeze = models.DateField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "major", "minor", "patch"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "major", "minor", "patch"],
                name="release_unique_version",
                violation_error_message="This project already has this release.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{earlier}__isnull": True})
                    | Q(**{f"{later}__isnull": True})
                    | Q(**{f"{later}__gte": models.F(earlier)}),
                    name=f"release_{later}_after_{earlier}",
                    violation_error_message=f"The {later.replace('_', ' ')} cannot come before "
                    f"the {earlier.replace('_', ' ')}.",
                )
                for earlier, later in pairwise(RELEASE_DATE_FIELDS)
            ),
        ]

    def __str__(self):
        return f"{self.project.name} {self.version}"

    def get_absolute_url(self):
        return reverse("projects:release-detail", args=[self.version])

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def _read_version(self):
        """Write `version` as v<major>.<minor>[.<patch>] and keep the sort columns in step."""
        parsed = parse_release_version(self.version)
        if parsed:
            self.major, self.minor, self.patch = parsed
            self.version = release_version_label(parsed)

    def save(self, *args, **kwargs):
        self._read_version()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self._read_version()
        errors = {}
        dates = [(name, getattr(self, name)) for name in RELEASE_DATE_FIELDS]
        known = [(name, value) for name, value in dates if value is not None]
        for (earlier, first), (later, second) in pairwise(known):
            if second < first:
                errors[later] = (
                    f"The {self._meta.get_field(later).verbose_name} ({second}) cannot come "
                    f"before the {self._meta.get_field(earlier).verbose_name} ({first})."
                )
        if errors:
            raise ValidationError(errors)

    def previous(self) -> "Release | None":
        """The release of the same project just before this one."""
        return (
            Release.objects.filter(project_id=self.project_id)
            .filter(
                Q(major__lt=self.major)
                | Q(major=self.major, minor__lt=self.minor)
                | Q(major=self.major, minor=self.minor, patch__lt=self.patch)
            )
            .order_by("-major", "-minor", "-patch")
            .first()
        )


class Feature(models.Model):
    """A row of a project's feature status matrix, such as "Azure Disk"."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="features")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="feature_unique_name",
                violation_error_message="This project already has a feature of this name.",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.name}"


class FeatureStatus(models.Model):
    """Whether a feature works in a release, and the pull requests that delivered it."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="statuses")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="feature_statuses")
    supported = models.BooleanField(default=False)
    pull_requests = models.JSONField(
        default=list, blank=True, validators=[validate_url_list], help_text="Pull request URLs."
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "feature statuses"
        ordering = ["feature_id", "release__major", "release__minor", "release__patch"]
        constraints = [
            models.UniqueConstraint(
                fields=["feature", "release"],
                name="featurestatus_unique",
                violation_error_message="This feature already has a status in this release.",
            ),
        ]

    def __str__(self):
        state = "supported" if self.supported else "not supported"
        return f"{self.feature.name} in {self.release.version}: {state}"

    def clean(self):
        super().clean()
        if not self.supported and self.pull_requests:
            raise ValidationError(
                {"pull_requests": "A feature not supported in a release has no delivering PRs."}
            )


class ProposalStatus(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    IMPLEMENTABLE = "implementable", "Implementable"
    IMPLEMENTED = "implemented", "Implemented"
    DEFERRED = "deferred", "Deferred"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REPLACED = "replaced", "Replaced"


class Stage(models.TextChoices):
    """Stages in the order a feature goes through them."""

    ALPHA = "alpha", "Alpha"
    BETA = "beta", "Beta"
    STABLE = "stable", "Stable"
    DEPRECATED = "deprecated", "Deprecated"
    DISABLED = "disabled", "Disabled"
    REMOVED = "removed", "Removed"


def milestone_field(stage: str) -> str:
    """The Proposal field holding the release at which it reaches `stage`."""
    return f"{stage}_milestone"


# Each stage with the Proposal field holding its release, in stage order.
STAGE_MILESTONES = [(stage, milestone_field(stage)) for stage in Stage.values]


class ProposalQuerySet(models.QuerySet):
    def flagged(self):
        return self.exclude(flags=[])

    def targeting(self, version: str, stage: str = ""):
        """Proposals with work in release `version`; with `stage`, those reaching that stage in it.

        A proposal targets a release at a stage when that stage's milestone is the release,
        or when it is at that stage now and the release is its latest milestone.
        """
        releases = Release.objects.with_version(version)
        stages = [stage] if stage else Stage.values
        condition = Q(latest_milestone__in=releases, **({"stage": stage} if stage else {}))
        for each in stages:
            condition |= Q(**{f"{milestone_field(each)}__in": releases})
        return self.filter(condition)

    def for_release(self, release: Release):
        """Proposals with work in `release`, at any stage."""
        condition = Q(latest_milestone=release)
        for stage in Stage.values:
            condition |= Q(**{milestone_field(stage): release})
        return self.filter(condition)

    def with_role(self, role: str, handle: str):
        return self.filter(
            Exists(
                ProposalPerson.objects.filter(
                    proposal=OuterRef("pk"), role=role, person__handle__iexact=handle
                )
            )
        )

    def with_author_affiliation(self, affiliation: str):
        return self.filter(
            Exists(
                ProposalPerson.objects.filter(
                    proposal=OuterRef("pk"),
                    role=ProposalPerson.Role.AUTHOR,
                    person__affiliation__iexact=affiliation,
                )
            )
        )

    def search(self, text: str):
        """Proposals whose number, title, summary or feature gates mention `text`."""
        text = text.strip()
        if not text:
            return self
        condition = Q(title__icontains=text) | Q(summary__icontains=text)
        condition |= Exists(
            FeatureGate.objects.filter(proposal=OuterRef("pk"), name__icontains=text)
        )
        number = text.upper().removeprefix("KEP-").removeprefix("KEP").strip()
        if number.isdigit():
            condition |= Q(number=int(number))
        return self.filter(condition)


class Proposal(TimeStamped):
    """An enhancement proposal (KEP) of a project: who drives it, its status and stages."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Unique within the project; empty when not assigned."
    )
    slug = models.SlugField(
        max_length=200, help_text="Unique within the project, e.g. 3299-kms-v2-improvements."
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    owning_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_proposals",
    )
    participating_groups = models.ManyToManyField(
        Group, blank=True, related_name="participating_proposals"
    )
    people = models.ManyToManyField(
        Person, through="ProposalPerson", blank=True, related_name="proposals"
    )
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROVISIONAL
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    latest_milestone = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alpha_milestone = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    beta_milestone = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stable_milestone = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deprecated_milestone = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disabled_milestone = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_milestone = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disable_supported = models.BooleanField(
        null=True, blank=True, help_text="Whether the feature can be disabled once enabled."
    )
    creation_date = models.DateField(null=True, blank=True)
    last_updated = models.DateField(null=True, blank=True)
    replaces = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="superseded_by"
    )
    tracking_issue_url = models.URLField("tracking issue", max_length=500, blank=True)
    document_url = models.URLField("document", max_length=500, blank=True)
    flags = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_string_list],
        help_text="Problems found when importing; shown as flagged until reviewed.",
    )
    source_path = models.CharField(
        max_length=300, blank=True, help_text="The file it was imported from."
    )

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[participating_groups])

    class Meta:
        ordering = ["project_id", models.F("number").asc(nulls_last=True), "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                condition=Q(number__isnull=False),
                name="proposal_unique_number",
                violation_error_message="This project already has a proposal with this number.",
            ),
            models.UniqueConstraint(
                fields=["project", "slug"],
                name="proposal_unique_slug",
                violation_error_message="This project already has a proposal with this slug.",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="proposal_number_positive",
                violation_error_message="A proposal number starts at 1; leave it empty when "
                "none is assigned.",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.title}"

    def get_absolute_url(self):
        if self.number is not None:
            return reverse("projects:proposal-detail", args=[self.number])
        return reverse("projects:proposal-detail-by-slug", args=[self.slug])

    @property
    def label(self) -> str:
        return f"KEP-{self.number}" if self.number is not None else self.slug

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)

    def milestones(self) -> list[tuple[str, Release]]:
        """(stage, release) for each stage with a milestone, in stage order."""
        pairs = [(stage, getattr(self, name)) for stage, name in STAGE_MILESTONES]
        return [(stage, release) for stage, release in pairs if release is not None]

    def rule_violations(self) -> dict[str, str]:
        """The editing rules this proposal breaks, as {field: message}.

        Editing refuses them (clean); an import keeps the proposal and flags them.
        """
        errors: dict[str, str] = {}
        if self.owning_group_id is None:
            errors["owning_group"] = "A proposal needs an owning group."
        if self.status == ProposalStatus.IMPLEMENTED and self.stage != Stage.STABLE:
            now = f"stage {self.stage}" if self.stage else "no stage"
            errors["stage"] = f"An implemented proposal must be at stage stable (it has {now})."
        if self.status in (ProposalStatus.IMPLEMENTABLE, ProposalStatus.IMPLEMENTED):
            status = self.get_status_display().lower()
            if not self.stage:
                errors["stage"] = f"An {status} proposal needs a stage."
            if self.latest_milestone_id is None:
                errors["latest_milestone"] = f"An {status} proposal needs a latest milestone."
        releases = [("latest", self.latest_milestone), *self.milestones()]
        for stage, release in releases if self.project_id else []:
            if release is not None and release.project_id != self.project_id:
                field = "latest_milestone" if stage == "latest" else milestone_field(stage)
                errors[field] = (
                    f"{release} is a release of another project; pick a release of "
                    f"{self.project.name}."
                )
        previous: tuple[str, Release] | None = None
        for stage, release in self.milestones():
            if previous and release.sort_key < previous[1].sort_key:
                errors[milestone_field(stage)] = (
                    f"The {stage} milestone ({release.version}) cannot be earlier than the "
                    f"{previous[0]} milestone ({previous[1].version})."
                )
            elif previous is None or release.sort_key > previous[1].sort_key:
                previous = (stage, release)
        return errors

    def clean(self):
        super().clean()
        errors = self.rule_violations()
        if errors:
            raise ValidationError(errors)


class ProposalPerson(models.Model):
    """A part in a proposal: author, reviewer, approver or production-readiness approver."""

    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        REVIEWER = "reviewer", "Reviewer"
        APPROVER = "approver", "Approver"
        PRR_APPROVER = "prr_approver", "Production-readiness approver"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proposal_roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    stage = models.CharField(
        max_length=16,
        choices=Stage.choices,
        blank=True,
        help_text="For a production-readiness approver: the stage they approve.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the role.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal_id", "role", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "person", "role", "stage"],
                name="proposalperson_unique",
                violation_error_message="This person already has this part in this proposal.",
            ),
            models.CheckConstraint(
                condition=Q(role="prr_approver") | Q(stage=""),
                name="proposalperson_stage_only_for_prr",
                violation_error_message="Only a production-readiness approver approves a stage.",
            ),
        ]

    def __str__(self):
        stage = f" ({self.stage})" if self.stage else ""
        role = self.get_role_display().lower()
        return f"@{self.person.handle}: {role}{stage} of {self.proposal.label}"


class FeatureGate(models.Model):
    """A feature gate a proposal adds, and the components it must be enabled on."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feature_gates")
    name = models.CharField(max_length=200)
    components = models.JSONField(
        default=list, blank=True, validators=[validate_string_list], help_text="Such as kubelet."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "name"],
                name="featuregate_unique",
                violation_error_message="This proposal already has this feature gate.",
            ),
        ]

    def __str__(self):
        return self.name


class RelationKind(models.TextChoices):
    """How one project leads to another; each is read the other way on the other's page."""

    SUCCEEDED_BY = "succeeded_by", "Succeeded by"
    RENAMED_TO = "renamed_to", "Renamed to"
    DEPRECATED_IN_FAVOUR_OF = "deprecated_for", "Deprecated in favour of"


# How a relation reads from the later project's page.
RELATION_INVERSE = {
    RelationKind.SUCCEEDED_BY: "Previous project",
    RelationKind.RENAMED_TO: "Renamed from",
    RelationKind.DEPRECATED_IN_FAVOUR_OF: "Replaces the deprecated",
}


class ProjectRelation(models.Model):
    """One project giving way to another: "Open Service Mesh, succeeded by Istio"."""

    earlier = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="relations_out")
    later = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=16, choices=RelationKind.choices)
    date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["earlier_id", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["earlier", "later", "kind"],
                name="projectrelation_unique",
                violation_error_message="These projects are already related this way.",
            ),
            models.CheckConstraint(
                condition=~Q(earlier=models.F("later")),
                name="projectrelation_two_projects",
                violation_error_message="A project cannot give way to itself.",
            ),
        ]

    def __str__(self):
        return f"{self.earlier}: {self.get_kind_display().lower()} {self.later}"

    @property
    def inverse_label(self) -> str:
        return RELATION_INVERSE[RelationKind(self.kind)]


class LandscapeCategory(models.Model):
    """A heading of the landscape notes, such as Networking, in the order readers see it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "landscape categories"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class EvaluationKind(models.TextChoices):
    EVALUATED = "evaluated", "Evaluated"
    LINK = "link", "Link to a longer note"
    COMPARISON = "comparison", "Comparison"
    UNDATED = "undated", "Notes without a date"


def validate_references(value):
    """A list of {"label": text, "url": http(s) URL}."""
    if not isinstance(value, list) or not all(
        isinstance(each, dict) and set(each) == {"label", "url"} for each in value
    ):
        raise ValidationError('Enter a list of {"label": ..., "url": ...}.')
    validate_url_list([each["url"] for each in value])


class Evaluation(TimeStamped):
    """An entry of the landscape notes: a project looked at on a date, at a version."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    category = models.ForeignKey(
        LandscapeCategory, on_delete=models.PROTECT, related_name="evaluations"
    )
    kind = models.CharField(
        max_length=16, choices=EvaluationKind.choices, default=EvaluationKind.EVALUATED
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        help_text="The project evaluated; empty for a comparison.",
    )
    compared = models.ManyToManyField(
        Project, blank=True, related_name="comparisons", help_text="For a comparison."
    )
    evaluated_on = models.DateField(null=True, blank=True)
    version = models.CharField(max_length=100, blank=True, help_text="The version looked at.")
    body = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    references = models.JSONField(default=list, blank=True, validators=[validate_references])
    link = models.CharField(
        max_length=500, blank=True, help_text="Where the longer note is, as the notes wrote it."
    )
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations"
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[compared])

    class Meta:
        ordering = ["category__position", "position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="evaluated") | Q(evaluated_on__isnull=False),
                name="evaluation_evaluated_has_date",
                violation_error_message="An evaluation needs the date it was made.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:evaluation-detail", args=[self.slug])


class EvaluationUpdate(models.Model):
    """A dated addition to an evaluation: "Update on 12/13/2018, v3.1"."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    version = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation_id", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "date", "version"],
                name="evaluationupdate_unique",
                violation_error_message="This evaluation already has an update of this date "
                "and version.",
            ),
        ]

    def __str__(self):
        return f"{self.evaluation}: update on {self.date}"


class Priority(models.IntegerChoices):
    P0 = 0, "P0"
    P1 = 1, "P1"
    P2 = 2, "P2"
    P3 = 3, "P3"


class EvaluationRequest(TimeStamped):
    """A project on the to-evaluate list: how deep to look, how soon, who picked it up. Done
    once the project has an evaluation."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="to_evaluate")
    url = models.URLField(max_length=500, blank=True)
    depth = models.CharField(max_length=40, default="basic", help_text="Such as basic or deep.")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.P2)
    note = models.TextField(blank=True)
    picked_up_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations_taken"
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "project to evaluate"
        verbose_name_plural = "projects to evaluate"
        ordering = ["priority", "position"]

    def __str__(self):
        return f"{self.project} ({self.get_priority_display()}, {self.depth})"


class FutureWorkStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class FutureWork(TimeStamped):
    """Help wanted: work anyone could pick up, with its status and who owns and took it."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    status = models.CharField(
        max_length=16, choices=FutureWorkStatus.choices, default=FutureWorkStatus.NOT_STARTED
    )
    status_url = models.URLField(
        "status link", max_length=500, blank=True, help_text="Where the work in progress is."
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="future_work"
    )
    owning_group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="future_work"
    )
    picked_up_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="future_work"
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "future work"
        verbose_name_plural = "future work"
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="in_progress") | ~Q(status_url=""),
                name="futurework_in_progress_has_link",
                violation_error_message="Work in progress needs a link to where it is.",
            ),
        ]

    def __str__(self):
        return self.title


class DeploymentRecommendation(models.Model):
    """A recommended way to deploy, in order, for an area of the project list."""

    area = models.ForeignKey(ProjectArea, on_delete=models.CASCADE, related_name="recommendations")
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="recommendation_unique_name",
                violation_error_message="This area already recommends this.",
            ),
        ]

    def __str__(self):
        return f"{self.area}: {self.name}"
