"""Reads shared by the project and proposal pages and the API, in a fixed number of queries."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from governance.models import Group, Person
from projects import privacy
from projects.models import (
    APIVersion,
    DeploymentRecommendation,
    Evaluation,
    EvaluationRequest,
    Feature,
    FeatureStatus,
    FutureWork,
    FutureWorkStatus,
    LandscapeCategory,
    MaturityLevel,
    Priority,
    Project,
    ProjectArea,
    ProjectGroup,
    ProjectRelation,
    Proposal,
    ProposalPerson,
    ProposalStatus,
    Release,
    Stage,
    milestone_field,
    parse_release_version,
    release_version_label,
)

# How levels rank when projects are sorted by maturity, most mature first.
MATURITY_RANK = {
    MaturityLevel.GRADUATED: 0,
    MaturityLevel.STABLE: 1,
    MaturityLevel.INCUBATING: 2,
    MaturityLevel.BETA: 3,
    MaturityLevel.SANDBOX: 4,
    MaturityLevel.ALPHA: 5,
    MaturityLevel.ARCHIVED: 6,
    None: 7,
}

PROJECT_SORTS = {
    "name": "Name",
    "maturity": "Maturity",
    "recent": "Latest maturity decision",
}


@dataclass
class FacetValue:
    """One value of a filter, with how many rows it would leave."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class ProjectList:
    """/projects/: the matching projects by area, and counts for each filter value."""

    areas: list[tuple[ProjectArea, list[Project]]]
    area_facet: list[FacetValue]
    maturity_facet: list[FacetValue]
    area: str
    maturity: str
    sort: str
    total: int


def _facet(counts: Mapping[str, int], labels: Mapping[str, str], selected: str) -> list[FacetValue]:
    """Facet values in the order of `labels`, skipping those that match nothing but the
    selected one (shown with 0 when the other filters leave none of it)."""
    return [
        FacetValue(value, label, counts.get(value, 0), value == selected)
        for value, label in labels.items()
        if counts.get(value) or value == selected
    ]


def project_queryset(*, viewer=None) -> QuerySet[Project]:
    """Projects with what a row of the list shows: area, current maturity, APIs, and the
    channels `viewer` may see (projects.privacy; none private without a viewer)."""
    return (
        Project.objects.with_current_maturity()
        .select_related("area")
        .prefetch_related(
            "api_versions",
            Prefetch("channels", queryset=privacy.channels_visible_to(viewer)),
            "tie_ins",
            Prefetch("group_links", queryset=ProjectGroup.objects.select_related("group")),
        )
    )


def _describe(project: Project) -> Project:
    """Add what a project's row shows beyond its fields: the newest version of each API (from
    the prefetched versions) and the name of its current maturity level."""
    newest: dict[str, APIVersion] = {}
    for version in project.api_versions.all():  # ordered oldest first
        newest[version.api] = version
    project.latest_apis = list(newest.values())
    level = project.current_level
    project.current_level_label = MaturityLevel(level).label if level else ""
    return project


def project_list(
    *, area: str = "", maturity: str = "", sort: str = "name", viewer=None
) -> ProjectList:
    """The project list grouped by area, filtered by area slug and current maturity level."""
    sort = sort if sort in PROJECT_SORTS else "name"
    base = Project.objects.with_current_maturity().filter(area__isnull=False)
    by_area = base.filter(current_level=maturity) if maturity else base
    by_level = base.filter(area__slug=area) if area else base
    area_counts = dict(
        by_area.values_list("area__slug").annotate(n=Count("pk")).values_list("area__slug", "n")
    )
    level_counts = dict(
        by_level.values_list("current_level")
        .annotate(n=Count("pk"))
        .values_list("current_level", "n")
    )
    areas = list(ProjectArea.objects.all())

    projects = project_queryset(viewer=viewer).filter(area__isnull=False)
    if area:
        projects = projects.filter(area__slug=area)
    if maturity:
        projects = projects.filter(current_level=maturity)
    rows = list(projects.annotate(latest_step=Max("maturity_steps__date")))
    for project in rows:
        _describe(project)
    sort_keys = {
        "name": lambda p: p.name.casefold(),
        "maturity": lambda p: (MATURITY_RANK.get(p.current_level, 7), p.name.casefold()),
        "recent": lambda p: (-(p.latest_step.toordinal() if p.latest_step else 0), p.name),
    }
    rows.sort(key=sort_keys[sort])
    grouped = defaultdict(list)
    for project in rows:
        grouped[project.area_id].append(project)
    return ProjectList(
        areas=[(each, grouped[each.pk]) for each in areas if grouped[each.pk]],
        area_facet=_facet(area_counts, {a.slug: a.name for a in areas}, area),
        maturity_facet=_facet(level_counts, dict(MaturityLevel.choices), maturity),
        area=area,
        maturity=maturity,
        sort=sort,
        total=len(rows),
    )


@dataclass
class FeatureMatrix:
    """Features of a project against the releases they were checked in."""

    releases: list[Release]
    rows: list[tuple[Feature, list[FeatureStatus | None]]]


def feature_matrix(project: Project) -> FeatureMatrix:
    """The feature status table of `project` (two queries: features, their statuses)."""
    features = list(
        Feature.objects.filter(project=project).prefetch_related(
            Prefetch("statuses", queryset=FeatureStatus.objects.select_related("release"))
        )
    )
    releases = sorted(
        {status.release for feature in features for status in feature.statuses.all()},
        key=lambda release: (release.project_id, release.sort_key),
    )
    rows = []
    for feature in features:
        cells = {status.release_id: status for status in feature.statuses.all()}
        rows.append((feature, [cells.get(release.pk) for release in releases]))
    return FeatureMatrix(releases=releases, rows=rows)


def project_detail(*, slug: str, viewer=None) -> Project | None:
    project = (
        project_queryset(viewer=viewer)
        .select_related("to_evaluate")
        .prefetch_related(
            "maturity_steps",
            Prefetch("relations_out", queryset=ProjectRelation.objects.select_related("later")),
            Prefetch("relations_in", queryset=ProjectRelation.objects.select_related("earlier")),
            Prefetch("evaluations", queryset=evaluation_rows(Evaluation.objects.all())),
        )
        .annotate(proposal_count=Count("proposals"))
        .filter(slug=slug)
        .first()
    )
    if project is None:
        return None
    _describe(project)
    project.apis = [
        (api, list(versions))
        for api, versions in groupby(project.api_versions.all(), key=lambda v: v.api)
    ]
    project.matrix = feature_matrix(project)
    before = stale_before()
    for evaluation in project.evaluations.all():
        _mark_stale(evaluation, before)
    project.recent_proposals = list(
        proposal_rows(Proposal.objects.filter(project=project)).order_by(
            F("last_updated").desc(nulls_last=True), "-number"
        )[:10]
    )
    return project


# ---- Enhancement proposals -------------------------------------------------------------

PROPOSAL_SORTS = {
    "number": ("Number, lowest first", [F("number").asc(nulls_last=True), "slug"]),
    "-number": ("Number, highest first", [F("number").desc(nulls_last=True), "slug"]),
    "-updated": (
        "Recently updated",
        [
            F("last_updated").desc(nulls_last=True),
            F("creation_date").desc(nulls_last=True),
            "number",
        ],
    ),
    "-milestone": (
        "Latest milestone, newest first",
        [
            F("latest_milestone__major").desc(nulls_last=True),
            F("latest_milestone__minor").desc(nulls_last=True),
            "number",
        ],
    ),
    "title": ("Title", ["title"]),
}
PROPOSALS_PER_PAGE = 50
# The overviews on /enhancements/: releases (newest first) by stage, groups by status.
RELEASES_IN_OVERVIEW = 8
OVERVIEW_STAGES = (Stage.ALPHA, Stage.BETA, Stage.STABLE)
OVERVIEW_STATUSES = (
    ProposalStatus.IMPLEMENTED,
    ProposalStatus.IMPLEMENTABLE,
    ProposalStatus.PROVISIONAL,
)
# Statuses after which a proposal no longer moves through stages.
FINAL_STATUSES = (
    ProposalStatus.DEFERRED,
    ProposalStatus.REJECTED,
    ProposalStatus.WITHDRAWN,
    ProposalStatus.REPLACED,
)
MILESTONE_FIELDS = ["latest_milestone", *(milestone_field(stage) for stage in Stage.values)]


def proposal_rows(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a row of a proposal table shows: group, latest milestone and authors."""
    authors = ProposalPerson.objects.filter(role=ProposalPerson.Role.AUTHOR).select_related(
        "person"
    )
    return queryset.select_related("project", "owning_group", "latest_milestone").prefetch_related(
        Prefetch("participants", queryset=authors, to_attr="author_links")
    )


@dataclass
class ProposalFilters:
    """The filters of /enhancements/ and of the proposals API, as given."""

    q: str = ""
    project: str = ""
    group: str = ""
    status: str = ""
    stage: str = ""
    milestone: str = ""
    author: str = ""
    affiliation: str = ""
    flagged: bool = False

    FACETS = ("project", "group", "status", "milestone", "stage", "author", "affiliation")

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "ProposalFilters":
        values = {name: params.get(name, "").strip() for name in ("q", *cls.FACETS)}
        if values["milestone"]:
            parsed = parse_release_version(values["milestone"])
            values["milestone"] = release_version_label(parsed) if parsed else values["milestone"]
        return cls(**values, flagged=params.get("flagged", "") in {"1", "yes", "true", "on"})

    def apply(self, queryset: QuerySet[Proposal], *, skip: tuple[str, ...] = ()) -> QuerySet:
        """`queryset` narrowed by every filter but those named in `skip`."""
        if self.q and "q" not in skip:
            queryset = queryset.search(self.q)
        if self.project and "project" not in skip:
            queryset = queryset.filter(project__slug=self.project)
        if self.group and "group" not in skip:
            queryset = queryset.filter(owning_group__slug=self.group)
        if self.status and "status" not in skip:
            queryset = queryset.filter(status=self.status)
        if self.author and "author" not in skip:
            queryset = queryset.with_role(ProposalPerson.Role.AUTHOR, self.author)
        if self.affiliation and "affiliation" not in skip:
            queryset = queryset.with_author_affiliation(self.affiliation)
        if self.flagged and "flagged" not in skip:
            queryset = queryset.flagged()
        milestone = self.milestone if "milestone" not in skip else ""
        stage = self.stage if "stage" not in skip else ""
        if milestone:
            # With a milestone, the stage is the one the proposal reaches in that release.
            queryset = queryset.targeting(milestone, stage)
        elif stage:
            queryset = queryset.filter(stage=stage)
        return queryset

    def query(self, **changes: str) -> dict[str, str]:
        """The query parameters of these filters with `changes` (an empty value drops one)."""
        values = {name: getattr(self, name) for name in ("q", *self.FACETS)}
        values["flagged"] = "yes" if self.flagged else ""
        values.update(changes)
        return {name: value for name, value in values.items() if value}

    @property
    def active(self) -> bool:
        return any(self.query().values())


@dataclass
class ProposalSearch:
    """/enhancements/: one page of matching proposals, and counts for each filter value."""

    filters: ProposalFilters
    sort: str
    page: Page
    total: int
    flagged: int
    facets: dict[str, list[FacetValue]]
    by_group: list[dict]
    by_release: list[dict]
    sorts: dict[str, str]


def _targets(row: Mapping) -> set[tuple[int, str]]:
    """(release id, stage) pairs a proposal targets: each stage's milestone, and its latest
    milestone at its current stage."""
    pairs = {(row[f"{milestone_field(stage)}_id"], stage) for stage in Stage.values}
    pairs.add((row["latest_milestone_id"], row["stage"]))
    return {(release, stage) for release, stage in pairs if release is not None}


@dataclass
class _ReleaseCounts:
    stage: Counter
    milestone: Counter
    by_release: dict[str, Counter]


def _release_counts(
    queryset: QuerySet[Proposal], filters: ProposalFilters, versions: Mapping[int, str]
) -> _ReleaseCounts:
    """Counts for the stage and milestone filters and the release-by-stage overview, from one
    query over the proposals matching every other filter."""
    counts = _ReleaseCounts(Counter(), Counter(), defaultdict(Counter))
    rows = queryset.values("stage", *(f"{name}_id" for name in MILESTONE_FIELDS))
    for row in rows:
        targets = {(versions[release], stage) for release, stage in _targets(row)}
        if filters.milestone:
            counts.stage.update({s for version, s in targets if version == filters.milestone})
        elif row["stage"]:
            counts.stage[row["stage"]] += 1
        wanted = {v for v, s in targets if not filters.stage or s == filters.stage}
        counts.milestone.update(wanted)
        for version in {version for version, _ in targets}:
            counts.by_release[version]["all"] += 1
        for version, stage in targets:
            counts.by_release[version][stage] += 1
    return counts


def _group_status_counts(queryset: QuerySet[Proposal]) -> tuple[dict[str, str], dict]:
    """Names of owning groups and {group slug: Counter(status)} over `queryset`."""
    names: dict[str, str] = {}
    by_status: dict[str, Counter] = defaultdict(Counter)
    rows = (
        queryset.exclude(owning_group=None)
        .values("owning_group__slug", "owning_group__name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        names[row["owning_group__slug"]] = row["owning_group__name"]
        by_status[row["owning_group__slug"]][row["status"]] += row["n"]
    return dict(sorted(names.items(), key=lambda item: item[1].casefold())), by_status


def _author_counts(queryset: QuerySet[Proposal], by: str) -> list[tuple[str, int]]:
    """(author handle or affiliation, number of proposals) over `queryset`."""
    return list(
        ProposalPerson.objects.filter(role=ProposalPerson.Role.AUTHOR, proposal__in=queryset)
        .exclude(**{by: ""})
        .values_list(by)
        .annotate(n=Count("proposal", distinct=True))
        .values_list(by, "n")
        .order_by()
    )


def proposal_search(
    *, filters: ProposalFilters, sort: str = "number", page: int | str = 1
) -> ProposalSearch:
    """The proposals matching `filters`, one page of them, and counts per filter value.

    Each filter's counts are over the proposals matching every other filter, so a count
    says how many rows choosing that value leaves.
    """
    sort = sort if sort in PROPOSAL_SORTS else "number"
    everything = Proposal.objects.all()

    versions = dict(
        Release.objects.order_by("-major", "-minor", "-patch").values_list("pk", "version")
    )
    newest_first = list(dict.fromkeys(versions.values()))
    releases = _release_counts(
        filters.apply(everything, skip=("milestone", "stage")), filters, versions
    )

    group_names, group_status = _group_status_counts(
        filters.apply(everything, skip=("group", "status"))
    )
    group_counts = {
        slug: sum(
            n for status, n in counts.items() if status == filters.status or not filters.status
        )
        for slug, counts in group_status.items()
    }
    status_counts: Counter = Counter()
    for slug, counts in group_status.items():
        if slug == filters.group or not filters.group:
            status_counts.update(counts)

    project_counts = dict(
        filters.apply(everything, skip=("project",))
        .values_list("project__slug")
        .annotate(n=Count("pk"))
        .values_list("project__slug", "n")
        .order_by()
    )
    project_names = dict(Project.objects.values_list("slug", "name"))

    authors = dict(_author_counts(filters.apply(everything, skip=("author",)), "person__handle"))
    # Affiliations match ignoring case: "Google" and "google" are one company.
    affiliations: Counter = Counter()
    affiliation_labels: dict[str, str] = {}
    for name, n in _author_counts(
        filters.apply(everything, skip=("affiliation",)), "person__affiliation"
    ):
        affiliation_labels.setdefault(name.casefold(), name)
        affiliations[name.casefold()] += n

    matching = filters.apply(everything).order_by(*PROPOSAL_SORTS[sort][1])
    paginator = Paginator(proposal_rows(matching), PROPOSALS_PER_PAGE)
    page_obj = paginator.get_page(page)

    facets = {
        "project": _facet(project_counts, project_names, filters.project),
        "group": _facet(group_counts, group_names, filters.group),
        "status": _facet(status_counts, dict(ProposalStatus.choices), filters.status),
        "stage": _facet(releases.stage, dict(Stage.choices), filters.stage),
        "milestone": _facet(releases.milestone, {v: v for v in newest_first}, filters.milestone),
        "author": _facet(
            authors, {h: f"@{h}" for h in sorted(authors, key=str.casefold)}, filters.author
        ),
        "affiliation": [
            FacetValue(label, label, affiliations[key], key == filters.affiliation.casefold())
            for key, label in sorted(affiliation_labels.items())
        ],
    }
    by_group = [
        {
            "slug": slug,
            "name": name,
            "all": sum(group_status[slug].values()),
            "cells": [(status, group_status[slug][status]) for status in OVERVIEW_STATUSES],
        }
        for slug, name in group_names.items()
    ]
    by_release = [
        {
            "version": version,
            "all": releases.by_release[version]["all"],
            "cells": [(stage, releases.by_release[version][stage]) for stage in OVERVIEW_STAGES],
        }
        for version in newest_first
        if releases.by_release.get(version)
    ]
    return ProposalSearch(
        filters=filters,
        sort=sort,
        page=page_obj,
        total=paginator.count,
        flagged=filters.apply(everything, skip=("flagged",)).flagged().count(),
        facets=facets,
        by_group=by_group,
        by_release=by_release[:RELEASES_IN_OVERVIEW],
        sorts={key: label for key, (label, _) in PROPOSAL_SORTS.items()},
    )


def proposals_numbered(*, number: int | None = None, slug: str = "", project: str = "") -> list:
    """Proposals at /enhancements/<number>/ (or /<slug>/): one, or several across projects."""
    proposals = Proposal.objects.select_related("project")
    proposals = (
        proposals.filter(number=number) if number is not None else proposals.filter(slug=slug)
    )
    if project:
        proposals = proposals.filter(project__slug=project)
    return list(proposals)


@dataclass
class StageChange:
    """A recorded change of a proposal's stage, status or latest milestone."""

    date: datetime.datetime
    stage: str
    status: str
    latest_milestone: str


def proposal_detail(*, proposal_id: int) -> Proposal:
    """A proposal with everything its page shows."""
    proposal = (
        Proposal.objects.select_related("project", "owning_group", *MILESTONE_FIELDS)
        .prefetch_related(
            "participating_groups",
            "feature_gates",
            Prefetch("participants", queryset=ProposalPerson.objects.select_related("person")),
            Prefetch("replaces", queryset=Proposal.objects.select_related("project")),
            Prefetch("superseded_by", queryset=Proposal.objects.select_related("project")),
        )
        .get(pk=proposal_id)
    )
    by_role = defaultdict(list)
    for link in proposal.participants.all():
        by_role[link.role].append(link)
    proposal.authors = by_role[ProposalPerson.Role.AUTHOR]
    proposal.reviewers = by_role[ProposalPerson.Role.REVIEWER]
    proposal.approvers = by_role[ProposalPerson.Role.APPROVER]
    # One line per production-readiness approver, with the stages they approve.
    prr: dict[int, tuple[Person, list[str]]] = {}
    for link in by_role[ProposalPerson.Role.PRR_APPROVER]:
        prr.setdefault(link.person_id, (link.person, []))[1].append(link.get_stage_display())
    proposal.prr_approvers = list(prr.values())
    proposal.stage_history = stage_history(proposal)
    return proposal


def stage_history(proposal: Proposal) -> list[StageChange]:
    """The recorded changes of stage, status or latest milestone, oldest first (one query)."""
    versions = dict(
        Release.objects.filter(project_id=proposal.project_id).values_list("pk", "version")
    )
    changes: list[StageChange] = []
    previous = None
    records = proposal.history.order_by("history_date", "history_id")
    for record in records:
        state = (record.stage, record.status, record.latest_milestone_id)
        if state == previous:
            continue
        previous = state
        changes.append(
            StageChange(
                date=record.history_date,
                stage=record.get_stage_display() if record.stage else "",
                status=record.get_status_display(),
                latest_milestone=versions.get(record.latest_milestone_id, ""),
            )
        )
    return changes


def release_list() -> list[Release]:
    """Every release, newest first within each project, with how many proposals it holds."""
    releases = list(
        Release.objects.select_related("project").order_by(
            "project__name", "-major", "-minor", "-patch"
        )
    )
    counts: Counter = Counter()
    rows = Proposal.objects.values("stage", *(f"{name}_id" for name in MILESTONE_FIELDS))
    for row in rows:
        counts.update({release for release, _ in _targets(row)})
    for release in releases:
        release.proposal_count = counts[release.pk]
    return releases


def releases_numbered(*, version: str, project: str = "") -> list[Release]:
    """Releases at /releases/<version>/: one, or the same version of several projects."""
    releases = Release.objects.with_version(version).select_related("project")
    if project:
        releases = releases.filter(project__slug=project)
    return list(releases)


@dataclass
class Slip:
    """A proposal that targeted a stage in the previous release and no longer does."""

    proposal: Proposal
    stage: str
    reason: str


@dataclass
class ReleaseTracking:
    """/releases/<version>/: what targets a release, by stage and by group, and what slipped."""

    release: Release
    previous: Release | None
    next: Release | None
    by_stage: list[tuple[str, str, int]]
    by_group: list[tuple[Group | None, list[Proposal]]]
    total: int
    slipped: list[Slip]


def _stages_in(proposal: Proposal, release: Release) -> list[str]:
    """The stages `proposal` reaches in `release`."""
    row = {f"{name}_id": getattr(proposal, f"{name}_id") for name in MILESTONE_FIELDS}
    targets = _targets({**row, "stage": proposal.stage})
    return [stage for stage in Stage.values if (release.pk, stage) in targets]


def _slipped(previous: Release) -> list[Slip]:
    """Proposals that were to reach a stage in `previous` and did not.

    Two signals: the recorded history (an earlier version targeted the stage there, the
    current one does not), and the plan (its milestone for a stage is `previous`, but it is
    still at an earlier stage, or at that stage with a later latest milestone).
    """
    versions = dict(
        Release.objects.filter(project_id=previous.project_id).values_list("pk", "version")
    )
    targets_previous = Q(latest_milestone=previous)
    for stage in Stage.values:
        targets_previous |= Q(**{milestone_field(stage): previous})
    recorded: dict[int, set[str]] = defaultdict(set)
    records = Proposal.history.filter(targets_previous).values(
        "id", "stage", *(f"{name}_id" for name in MILESTONE_FIELDS)
    )
    for record in records:
        recorded[record["id"]] |= {s for r, s in _targets(record) if r == previous.pk}
    candidates = proposal_rows(
        Proposal.objects.filter(Q(pk__in=list(recorded)) | targets_previous)
    ).order_by(F("number").asc(nulls_last=True), "slug")

    rank = {stage: index for index, stage in enumerate(Stage.values)}
    slips = []
    for proposal in candidates:
        now = set(_stages_in(proposal, previous))
        current = rank.get(proposal.stage, -1)
        latest = proposal.latest_milestone
        later = latest is not None and latest.sort_key > previous.sort_key
        for stage in Stage.values:
            if stage in recorded[proposal.pk] and stage not in now:
                target_id = getattr(proposal, f"{milestone_field(stage)}_id")
                if proposal.stage == stage and later:
                    target_id = latest.pk
                if proposal.status in FINAL_STATUSES:
                    reason = proposal.get_status_display().lower()
                elif target_id in versions:
                    reason = f"now targets {versions[target_id]}"
                else:
                    reason = "no longer targeted"
            elif (
                stage in now
                and proposal.status not in FINAL_STATUSES
                and (current < rank[stage] or (current == rank[stage] and later))
            ):
                if current < rank[stage]:
                    reason = f"still {proposal.get_stage_display().lower() or 'without a stage'}"
                else:
                    reason = f"now targets {latest.version}"
            else:
                continue
            slips.append(Slip(proposal=proposal, stage=stage, reason=reason))
    return slips


def release_tracking(*, release: Release) -> ReleaseTracking:
    """What targets `release`, by stage and by owning group, and what slipped from the one
    before it."""
    proposals = list(
        proposal_rows(Proposal.objects.for_release(release)).order_by(
            "owning_group__name", F("number").asc(nulls_last=True)
        )
    )
    by_stage: Counter = Counter()
    for proposal in proposals:
        proposal.stages_here = _stages_in(proposal, release)
        by_stage.update(proposal.stages_here)
    by_group = [
        (group, list(rows))
        for group, rows in groupby(proposals, key=lambda proposal: proposal.owning_group)
    ]
    previous = release.previous()
    following = (
        Release.objects.filter(project_id=release.project_id)
        .filter(
            Q(major__gt=release.major)
            | Q(major=release.major, minor__gt=release.minor)
            | Q(major=release.major, minor=release.minor, patch__gt=release.patch)
        )
        .first()
    )
    return ReleaseTracking(
        release=release,
        previous=previous,
        next=following,
        by_stage=[
            (value, label, by_stage[value]) for value, label in Stage.choices if by_stage[value]
        ],
        by_group=by_group,
        total=len(proposals),
        slipped=_slipped(previous) if previous else [],
    )


def group_proposals(group: Group) -> dict[str, list[Proposal]]:
    """The proposals a group owns and those it takes part in (two queries)."""
    rows = proposal_rows(Proposal.objects.all()).order_by(F("number").desc(nulls_last=True))
    return {
        "owned": list(rows.filter(owning_group=group)),
        "participating": list(rows.filter(participating_groups=group).exclude(owning_group=group)),
    }


def person_proposals(person: Person) -> dict[str, list[Proposal]]:
    """What a person authored, reviews and approves (one query)."""
    links = (
        ProposalPerson.objects.filter(person=person)
        .select_related("proposal__project", "proposal__owning_group", "proposal__latest_milestone")
        .order_by(F("proposal__number").desc(nulls_last=True), "role")
    )
    parts: dict[str, dict[int, Proposal]] = {"authored": {}, "reviews": {}, "approves": {}}
    part_of_role = {
        ProposalPerson.Role.AUTHOR: "authored",
        ProposalPerson.Role.REVIEWER: "reviews",
        ProposalPerson.Role.APPROVER: "approves",
        ProposalPerson.Role.PRR_APPROVER: "approves",
    }
    for link in links:
        parts[part_of_role[link.role]].setdefault(link.proposal_id, link.proposal)
    return {part: list(proposals.values()) for part, proposals in parts.items()}


# ---- The landscape notebook ---------------------------------------------------------------


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Evaluations last seen before this day are due for review (AGORA_EVALUATION_STALE_MONTHS)."""
    today = today or timezone.localdate()
    return today - relativedelta(months=settings.AGORA_EVALUATION_STALE_MONTHS)


def evaluation_rows(queryset: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """Evaluations with what a row shows: category, project, author, and `last_seen`, the
    latest of the evaluation's date and its updates' (None for an undated entry)."""
    latest_update = Max("updates__date")
    return (
        queryset.select_related("category", "project", "author")
        .annotate(
            last_seen=Greatest(
                Coalesce("evaluated_on", latest_update), Coalesce(latest_update, "evaluated_on")
            )
        )
        # A query that aggregates drops Meta.ordering: give it again.
        .order_by("category__position", "position", "title")
    )


def _mark_stale(evaluation: Evaluation, before: datetime.date) -> Evaluation:
    evaluation.is_stale = evaluation.last_seen is not None and evaluation.last_seen < before
    return evaluation


@dataclass
class Landscape:
    """/landscape/: evaluations by category, the to-evaluate list, filters with counts."""

    categories: list[tuple[LandscapeCategory, list[Evaluation]]]
    category_facet: list[FacetValue]
    to_evaluate: list[EvaluationRequest]
    priority_facet: list[FacetValue]
    category: str
    stale: bool
    priority: int | None
    stale_before: datetime.date
    stale_count: int
    total: int


def landscape(
    *, category: str = "", stale: bool = False, priority: int | None = None, today=None
) -> Landscape:
    """The landscape filtered by category slug, due-for-review only, and to-evaluate priority."""
    before = stale_before(today)
    categories = list(LandscapeCategory.objects.all())
    rows = evaluation_rows(Evaluation.objects.all()).prefetch_related("compared")
    evaluations = [_mark_stale(each, before) for each in rows]
    if stale:
        evaluations = [each for each in evaluations if each.is_stale]
    counts = Counter(each.category.slug for each in evaluations)
    if category:
        evaluations = [each for each in evaluations if each.category.slug == category]
    stale_count = sum(each.is_stale for each in evaluations)
    grouped = defaultdict(list)
    for each in evaluations:
        grouped[each.category_id].append(each)
    requests = (
        EvaluationRequest.objects.select_related("project", "picked_up_by")
        .annotate(evaluated=Count("project__evaluations"))
        .order_by("priority", "position")
    )
    priorities = Counter(requests.values_list("priority", flat=True))
    if priority is not None:
        requests = requests.filter(priority=priority)
    return Landscape(
        categories=[(each, grouped[each.pk]) for each in categories if grouped[each.pk]],
        category_facet=_facet(counts, {each.slug: each.name for each in categories}, category),
        to_evaluate=list(requests),
        priority_facet=[
            FacetValue(str(value), label, priorities.get(value, 0), value == priority)
            for value, label in Priority.choices
            if priorities.get(value) or value == priority
        ],
        category=category,
        stale=stale,
        priority=priority,
        stale_before=before,
        stale_count=stale_count,
        total=len(evaluations),
    )


def evaluation_detail(*, slug: str, today=None) -> Evaluation | None:
    evaluation = (
        evaluation_rows(Evaluation.objects.filter(slug=slug))
        .prefetch_related("updates", "compared")
        .first()
    )
    if evaluation is None:
        return None
    _mark_stale(evaluation, stale_before(today))
    project = evaluation.project
    evaluation.relations = (
        list(
            ProjectRelation.objects.filter(Q(earlier=project) | Q(later=project)).select_related(
                "earlier", "later"
            )
        )
        if project
        else []
    )
    return evaluation


def future_work_rows(queryset: QuerySet[FutureWork]) -> QuerySet[FutureWork]:
    return queryset.select_related("project", "owning_group", "picked_up_by")


@dataclass
class HelpWanted:
    """/help-wanted/: future work a newcomer can pick up, by status."""

    items: list[FutureWork]
    status_facet: list[FacetValue]
    status: str
    recommendations: list[tuple[ProjectArea, list[DeploymentRecommendation]]]


def help_wanted(*, status: str = "") -> HelpWanted:
    items = future_work_rows(FutureWork.objects.all())
    counts = Counter(items.values_list("status", flat=True))
    if status:
        items = items.filter(status=status)
    by_area = defaultdict(list)
    for each in DeploymentRecommendation.objects.select_related("area"):
        by_area[each.area].append(each)
    return HelpWanted(
        items=list(items),
        status_facet=_facet(counts, dict(FutureWorkStatus.choices), status),
        status=status,
        recommendations=list(by_area.items()),
    )


def group_future_work(group: Group) -> list[FutureWork]:
    return list(future_work_rows(FutureWork.objects.filter(owning_group=group)))
