"""Apply the community's Markdown documents, as read by projects.importers.landscape_notes,
project_list and status_page, through projects.services: the imports' orchestration.

Each record (an entry, a project row, a feature, a future-work item) is stored in its own
savepoint: one the database refuses is reported with its line and nothing of it is kept. A
second run of the same file changes nothing and says so. The imports never delete a record: a
record the file no longer has is reported and kept.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.text import slugify

from projects import services
from projects.importers.documents import DocumentReport, LineProblem
from projects.importers.landscape_notes import LandscapeNotes, body_text
from projects.importers.project_list import ProjectList, ProjectRecord
from projects.importers.status_page import StatusPage
from projects.models import (
    APIVersion,
    Evaluation,
    Feature,
    FeatureStatus,
    MaturityStep,
    Project,
    ProjectArea,
    ProjectChannel,
    RelationKind,
    Release,
)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _each(report: DocumentReport, line: int, what: str, store: Callable[[], Any]) -> Any:
    """Run `store` in a savepoint; a refusal is reported at `line` and leaves nothing."""
    try:
        with transaction.atomic():
            return store()
    except (ValidationError, DatabaseError) as error:
        report.problems.append(LineProblem(line, f"{what}: not stored: {_reason(error)}"))
        return None


def _outcome(*outcomes: str) -> str:
    if "created" in outcomes[:1]:
        return "created"
    return "updated" if any(each != "unchanged" for each in outcomes) else "unchanged"


class _Projects:
    """Projects found by slug, name or address, created (off the project list) when missing."""

    def __init__(self, report: DocumentReport):
        self.report = report

    def find(self, name: str, *urls: str) -> Project | None:
        condition = Q(slug=slugify(name)[:80]) | Q(name__iexact=name)
        for url in filter(None, urls):
            condition |= Q(repository_url=url) | Q(homepage_url=url)
        return Project.objects.filter(condition).order_by("pk").first()

    def get(self, name: str, url: str = "") -> Project:
        project = self.find(name, url)
        if project is None:
            field = "repository_url" if "github.com/" in url else "homepage_url"
            project = services.project_create(
                slug=slugify(name)[:80], name=name, area=None, **({field: url} if url else {})
            )
            self.report.count("projects", "created", project.slug)
        return project


def _finish(report: DocumentReport, dry_run: bool) -> DocumentReport:
    if dry_run:
        transaction.set_rollback(True)
    return report


@transaction.atomic
def landscape_import(*, notes: LandscapeNotes, dry_run: bool = False) -> DocumentReport:
    """Bring the landscape (categories, evaluations, relations, to-evaluate list) in line with
    the read notes. `dry_run` reports the same and writes nothing."""
    report = DocumentReport(problems=list(notes.problems))
    projects = _Projects(report)
    categories = {}
    for position, category in enumerate(notes.categories):

        def store_category(c=category, p=position):
            return services.category_set(
                slug=c.slug, name=c.name, position=p, description=body_text(c.description)
            )

        stored = _each(report, category.line, f"category {category.name}", store_category)
        if stored:
            categories[category.slug] = stored[0]
            report.count("categories", stored[1], category.name)
    read = set()
    for position, entry in enumerate(notes.entries):
        read.add(entry.slug)

        def store(entry=entry, position=position):
            compared = [projects.get(name) for name in entry.compared]
            project = None if entry.compared else projects.get(entry.title, entry.url)
            evaluation, outcome = services.evaluation_set(
                slug=entry.slug,
                title=entry.title,
                category=categories[entry.category],
                kind=entry.kind,
                project=project,
                evaluated_on=entry.date,
                version=entry.version[:100],
                body=body_text(entry.body),
                references=entry.references,
                link=entry.link,
                position=position,
                compared=compared,
                updates=[
                    services.DatedNote(update.date, update.version[:100], body_text(update.body))
                    for update in entry.updates
                ],
            )
            relations = [
                services.project_relation_set(
                    earlier=project,
                    later=projects.get(relation.target, relation.url),
                    kind=relation.kind,
                    date=relation.date,
                )[1]
                for relation in entry.relations
                if project is not None
            ]
            return evaluation, _outcome(outcome, *relations)

        if entry.category not in categories:
            continue  # its category was refused, and reported
        stored = _each(report, entry.line, f"entry {entry.title}", store)
        if stored:
            report.count("evaluations", stored[1], entry.title)
    for gone in Evaluation.objects.exclude(slug__in=read).order_by("slug"):
        report.problems.append(LineProblem(0, f"{gone.slug}: not in the file: kept"))
    for position, todo in enumerate(notes.todos):

        def store_todo(todo=todo, position=position):
            project = projects.get(todo.name, todo.url)
            return services.evaluation_request_set(
                project=project,
                url=todo.url,
                depth=todo.depth,
                priority=todo.priority,
                note=todo.note,
                position=position,
            )

        stored = _each(report, todo.line, f"to-evaluate {todo.name}", store_todo)
        if stored:
            report.count("to evaluate", stored[1], todo.name)
    return _finish(report, dry_run)


def _project_fields(record: ProjectRecord) -> dict[str, str]:
    fields = {
        "homepage_url": record.homepage_url,
        "repository_url": record.repository_url,
        "releases_url": record.releases_url,
        "tests_dashboard_url": record.tests_dashboard_url,
        "goal": record.goal,
    }
    return {name: value for name, value in fields.items() if value}


def _list_row(
    record: ProjectRecord, area: ProjectArea, position: int, projects: _Projects, as_of
) -> str:
    """Store one row of the project list; its outcome."""
    project = projects.find(record.name, record.repository_url, record.homepage_url)
    outcomes = []
    if project is None:
        project = services.project_create(
            slug=record.slug, name=record.name, area=area, **_project_fields(record)
        )
        outcomes.append("created")
    else:
        fields = {"area": area, **_project_fields(record)}
        changed = {name: value for name, value in fields.items() if getattr(project, name) != value}
        services.project_update(project=project, **changed)
        outcomes.append("updated" if changed else "unchanged")
    steps = MaturityStep.objects.filter(project=project, steward=record.steward, level=record.level)
    if record.level and not steps.exists():
        services.maturity_step_add(
            project=project, steward=record.steward, level=record.level, date=as_of
        )
        outcomes.append("updated")
    for api, version in record.apis:
        if not APIVersion.objects.filter(project=project, api=api, version=version).exists():
            services.api_version_add(project=project, api=api, version=version)
            outcomes.append("updated")
    for kind, name, url in record.channels:
        if not ProjectChannel.objects.filter(project=project, kind=kind, name=name).exists():
            services.channel_add(project=project, kind=kind, name=name, url=url)
            outcomes.append("updated")
    for index, tie_in in enumerate(record.tie_ins):
        status = {"status": tie_in.status} if tie_in.status else {}
        outcomes.append(
            services.tie_in_set(
                project=project, label=tie_in.label, url=tie_in.url, position=index, **status
            )[1]
        )
    if record.previous:
        earlier = projects.find(record.previous)
        if earlier is None:
            raise ValidationError(f"previous project {record.previous!r} is not a known project")
        outcomes.append(
            services.project_relation_set(
                earlier=earlier, later=project, kind=RelationKind.SUCCEEDED_BY
            )[1]
        )
    return _outcome(*outcomes)


@transaction.atomic
def project_list_import(
    *, listing: ProjectList, as_of: datetime.date, dry_run: bool = False
) -> DocumentReport:
    """Bring the project list in line with the read table: areas, projects, their maturity (a
    level new to a project is dated `as_of`, the day the list stated it), API versions,
    channels and tie-ins. `dry_run` reports the same and writes nothing."""
    report = DocumentReport(problems=list(listing.problems))
    projects = _Projects(report)
    areas = {}
    for position, (line, name) in enumerate(listing.areas):

        def store_area(name=name, position=position):
            area = ProjectArea.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).first()
            if area is not None:
                return area, "unchanged"
            return services.area_create(slug=slugify(name)[:80], name=name, position=position), (
                "created"
            )

        stored = _each(report, line, f"area {name}", store_area)
        if stored:
            areas[name] = stored[0]
            report.count("areas", stored[1], name)
    for position, record in enumerate(listing.projects):
        if record.area not in areas:
            continue

        def store_row(r=record, p=position):
            return _list_row(r, areas[r.area], p, projects, as_of)

        outcome = _each(report, record.line, f"project {record.name}", store_row)
        if outcome:
            report.count("projects on the list", outcome, record.name)
    return _finish(report, dry_run)


def _status_project(slug: str, name: str, report: DocumentReport) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        project = services.project_create(slug=slug, name=name, area=None)
        report.count("projects", "created", slug)
    return project


def _release(project: Project, version: str, day, report: DocumentReport) -> Release:
    release = Release.objects.filter(project=project).with_version(version).first()
    if release is None:
        release = services.release_create(project=project, version=version, release_date=day)
        report.count("releases", "created", version)
    elif day and release.release_date != day:
        services.release_update(release=release, release_date=day)
        report.count("releases", "updated", version)
    else:
        report.count("releases", "unchanged", version)
    return release


@transaction.atomic
def status_import(
    *,
    page: StatusPage,
    project_slug: str,
    releases_of: str,
    area_name: str,
    dry_run: bool = False,
) -> DocumentReport:
    """Bring a status page's feature table (for `project_slug`, against the releases of
    `releases_of`), its recommended deployments (for the area `area_name`) and its future work
    in line with the page. Missing projects and the area are created."""
    report = DocumentReport(problems=list(page.problems))
    name = page.title.removeprefix("Status of ").strip() or project_slug
    project = _status_project(project_slug, name, report)
    releaser = _status_project(releases_of, releases_of.replace("-", " ").title(), report)
    releases = {
        version: _release(releaser, version, page.release_dates.get(version), report)
        for version in page.releases
    }
    for position, feature in enumerate(page.features):

        def store_feature(feature=feature, position=position):
            row = Feature.objects.filter(project=project, name=feature.name).first()
            outcomes = ["unchanged" if row else "created"]
            row = row or services.feature_create(
                project=project, name=feature.name, position=position
            )
            for version, supported in feature.supported.items():
                pulls = feature.pull_requests[version] if supported else []
                stored = FeatureStatus.objects.filter(
                    feature=row, release=releases[version]
                ).first()
                if stored and (stored.supported, stored.pull_requests) == (supported, pulls):
                    continue
                services.feature_status_set(
                    feature=row,
                    release=releases[version],
                    supported=supported,
                    pull_requests=pulls,
                )
                outcomes.append("updated")
            return _outcome(*outcomes)

        outcome = _each(report, feature.line, f"feature {feature.name}", store_feature)
        if outcome:
            report.count("features", outcome, feature.name)
    area = None
    if page.recommendations:
        area = ProjectArea.objects.filter(
            Q(name__iexact=area_name) | Q(slug=slugify(area_name))
        ).first()
        if area is None:
            area = services.area_create(slug=slugify(area_name)[:80], name=area_name)
            report.count("areas", "created", area_name)
    for position, recommendation in enumerate(page.recommendations):

        def store_recommendation(r=recommendation, p=position):
            notes = body_text(r.notes).strip()
            return services.recommendation_set(
                area=area, name=r.name, url=r.url, notes=notes, position=p
            )

        stored = _each(
            report,
            recommendation.line,
            f"recommendation {recommendation.name}",
            store_recommendation,
        )
        if stored:
            report.count("recommendations", stored[1], recommendation.name)
    for position, work in enumerate(page.future_work):

        def store_work(w=work, p=position):
            return services.future_work_set(
                slug=w.slug,
                title=w.title,
                description=body_text(w.description).strip(),
                status=w.status,
                status_url=w.status_url,
                project=project,
                position=p,
            )

        stored = _each(report, work.line, f"future work {work.title}", store_work)
        if stored:
            report.count("future work", stored[1], work.title)
    return _finish(report, dry_run)
