"""Apply the community's Markdown documents, as read by projects.importers.landscape_notes,
project_list and status_page: the imports' orchestration, above projects.services, whose
setters (`*_set`: a row found by its key, created or changed) they do in memory.

Each import reads what exists in a fixed number of queries, works out each record (an entry, a
project row, a feature, a future-work item) in memory with the models' own checks, and writes
each model at once (common.bulk), so an unchanged file writes nothing and costs the same few
statements at any size. A record that breaks a check is reported with its line and nothing of
it is kept; a row the database then refuses (a constraint) is reported with its record's line
and neither it nor what hangs on it is written. A second run of the same file changes nothing
and says so. The imports never delete a record: a record the file no longer has is reported
and kept.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ForeignKey, Model
from django.utils.text import slugify

from common import freshness
from common.bulk import BulkWrite, M
from common.services import changed_fields, refusal_text
from governance.models import Group
from projects.importers.documents import DocumentReport, LineProblem
from projects.importers.kep_yaml import group_name_and_kind
from projects.importers.landscape_notes import EntryRecord, LandscapeNotes, body_text
from projects.importers.project_list import ProjectList, ProjectRecord
from projects.importers.status_page import FeatureRecord, StatusPage
from projects.models import (
    APIVersion,
    DeploymentRecommendation,
    Evaluation,
    EvaluationRequest,
    EvaluationUpdate,
    Feature,
    FeatureStatus,
    FutureWork,
    LandscapeCategory,
    MaturityStep,
    Project,
    ProjectArea,
    ProjectChannel,
    ProjectGroup,
    ProjectRelation,
    RelationKind,
    Release,
    TieIn,
    parse_release_version,
)


def _outcome(*outcomes: str) -> str:
    if "created" in outcomes[:1]:
        return "created"
    return "updated" if any(each != "unchanged" for each in outcomes) else "unchanged"


def _ident(value: Any) -> Any:
    """A key's part: a row by identity (it may be new, without a primary key), else the value."""
    return id(value) if isinstance(value, Model) else value


@dataclass
class _Record:
    """A record of the file as the import works it out: the report's counts it makes, what
    takes back its changes in memory, and why it was not stored."""

    line: int
    what: str
    counts: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, outcome, name)
    undo: list[Callable[[], None]] = field(default_factory=list)
    problem: str = ""


class _Rows(Generic[M]):
    """The rows of one model an import sets, found by the values of `key`: read once (each
    holding the import's own instance of the rows named in `held`, `field=rows`), created or
    changed in memory, written in bulk."""

    def __init__(
        self,
        run: "_Import",
        model: type[M],
        key: tuple[str, ...],
        rows: Iterable[M] = (),
        **held: "_Rows",
    ):
        self.run = run
        self.key = key
        self.all: list[M] = list(rows)
        for name, others in held.items():
            by_pk = {other.pk: other for other in others.all}
            for row in self.all:
                setattr(row, name, by_pk.get(getattr(row, f"{name}_id")))
        self.by_key = {self._key(row): row for row in self.all}
        self.write: BulkWrite[M] = run.bulk(model)

    def _key(self, row: M) -> tuple:
        return tuple(_ident(getattr(row, name)) for name in self.key)

    def get(self, **key: Any) -> M | None:
        return self.by_key.get(tuple(_ident(key[name]) for name in self.key))

    def add(self, row: M) -> M:
        """Write a new row later (checked now: a ValidationError naming the fields)."""
        self.write.create(row)
        self.all.append(row)
        self.by_key[self._key(row)] = row
        self.run.record.undo.append(lambda: self._take_back(row))
        self.run.owner[id(row)] = self.run.record
        return row

    def _take_back(self, row: M) -> None:
        self.write.created.remove(row)
        self.all.remove(row)
        del self.by_key[self._key(row)]

    def _put_back(self, row: M) -> None:
        self.write.created.append(row)
        self.all.append(row)
        self.by_key[self._key(row)] = row

    def set(self, key: Mapping[str, Any], fields: Mapping[str, Any]) -> tuple[M, str]:
        """The row with `key`, created or changed to hold `fields` (as projects.services'
        setters do); with "created", "updated" or "unchanged"."""
        row = self.get(**key)
        if row is None:
            return self.add(self.write.model(**key, **fields)), "created"
        return row, "updated" if self.change(row, fields) else "unchanged"

    def change(self, row: M, fields: Mapping[str, Any]) -> list[str]:
        """Set `fields` on `row` (stored, or new in this import) as model_update does, to be
        written if something changed; the names that changed."""
        record = self.run.record
        write = self.write
        before = {name: getattr(row, name) for name in fields}

        def restore() -> None:
            for name, value in before.items():
                setattr(row, name, value)

        if row.pk is None:  # written with its creation
            changed = changed_fields(row, fields)
            for name in changed:
                setattr(row, name, fields[name])
            try:
                write.validate(row)
            except ValidationError:
                restore()
                raise
            record.undo.append(restore)
            return changed
        was_updated = row.pk in write.updated
        changed = write.update(row, fields)
        if changed:

            def undo() -> None:
                restore()
                if not was_updated:
                    del write.updated[row.pk]

            record.undo.append(undo)
            self.run.owner.setdefault(id(row), record)
        return changed

    def delete(self, row: M) -> None:
        """Delete a stored row, or take back one new in this import."""
        if row.pk is None:
            self._take_back(row)
            self.run.record.undo.append(lambda: self._put_back(row))
            return
        self.write.delete([row])
        self.run.deleting[(self.write.model, row.pk)] = self.run.record

        def keep() -> None:
            self.write.deleted.pop(row.pk, None)

        self.run.record.undo.append(keep)

    def relate(self, row: M, name: str, targets: Iterable[Model]) -> None:
        """Replace the many-to-many `name` of `row` with `targets` when it is written."""
        write = self.write
        was_updated = row.pk in write.updated
        write.relate(row, name, targets)

        def undo() -> None:
            del write.related[name][id(row)]
            if row.pk is not None and not was_updated:
                write.updated.pop(row.pk, None)

        self.run.record.undo.append(undo)
        self.run.owner.setdefault(id(row), self.run.record)


class _Projects(_Rows[Project]):
    """Projects found by slug, name or address (the first stored, then those this import
    creates), and created when missing."""

    def __init__(self, run: "_Import", **held: _Rows):
        super().__init__(run, Project, ("slug",), Project.objects.order_by("pk"), **held)

    def find(self, name: str, *urls: str, slug: str = "") -> Project | None:
        """The project with this slug (made from `name` unless given), name or address."""
        slug = slug or slugify(name)[:80]
        folded, addresses = name.casefold(), set(filter(None, urls))
        for project in self.all:
            if (
                project.slug == slug
                or project.name.casefold() == folded
                or {project.repository_url, project.homepage_url} & addresses
            ):
                return project
        return None

    def named(self, name: str, url: str = "") -> Project:
        """The project named `name` (or at `url`), created off the list when missing."""
        project = self.find(name, url)
        if project is None:
            field = "repository_url" if "github.com/" in url else "homepage_url"
            fields = {field: url} if url else {}
            project = self.add(Project(slug=slugify(name)[:80], name=name, area=None, **fields))
            self.run.count("projects", "created", project.slug)
        return project


class _Areas(_Rows[ProjectArea]):
    """The project list's areas, found by name (in any case) or slug, created when missing."""

    def __init__(self, run: "_Import"):
        super().__init__(run, ProjectArea, ("slug",), ProjectArea.objects.all())

    def named(self, name: str, position: int = 0, slug: str = "") -> tuple[ProjectArea, str]:
        folded, slug = name.casefold(), slug or slugify(name)[:80]
        for area in self.all:
            if area.name.casefold() == folded or area.slug == slug:
                return area, "unchanged"
        return self.add(ProjectArea(slug=slug, name=name, position=position)), "created"


class _Relations(_Rows[ProjectRelation]):
    """Projects giving way to others, as services.project_relation_set records them."""

    def __init__(self, run: "_Import"):
        projects = run.projects
        rows = ProjectRelation.objects.all()
        key = ("earlier", "later", "kind")
        super().__init__(run, ProjectRelation, key, rows, earlier=projects, later=projects)

    def give_way(
        self, earlier: Project, later: Project, kind: str, date: datetime.date | None = None
    ) -> str:
        """Record that `earlier` gave way to `later`; the outcome. The model's constraint that
        they are two projects is checked here: the database would refuse the row alone."""
        if earlier is later:
            (constraint,) = [
                each
                for each in ProjectRelation._meta.constraints
                if each.name == "projectrelation_two_projects"
            ]
            raise ValidationError(constraint.get_violation_error_message())
        key = {"earlier": earlier, "later": later, "kind": kind}
        return self.set(key, {"date": date, "note": ""})[1]


class _Import:
    """One run of an import: its records worked out in memory, then written model by model
    (in the order their `_Rows` were made), then reported in the file's order."""

    def __init__(self, problems: Iterable[LineProblem], *, areas: bool = False):
        self.report = DocumentReport(problems=list(problems))
        self.writes: list[BulkWrite] = []
        self.records: list[_Record] = []
        self.record = _Record(0, "")
        self.owner: dict[int, _Record] = {}  # id(row) -> the record it is written for
        self.deleting: dict[tuple[type[Model], Any], _Record] = {}  # (model, pk) -> the record
        if areas:  # written before the projects in them, which hold them
            self.areas = _Areas(self)
            self.projects = _Projects(self, area=self.areas)
        else:
            self.projects = _Projects(self)

    def parts(self, model: type[M], *key: str, **held: _Rows) -> _Rows[M]:
        """The rows of `model` that a project holds (`project`), found by it and `key`."""
        rows = model._default_manager.all()
        return _Rows(self, model, ("project", *key), rows, project=self.projects, **held)

    def bulk(self, model: type[M]) -> BulkWrite[M]:
        write = BulkWrite(model)
        self.writes.append(write)
        return write

    def each(self, line: int, what: str, work: Callable[..., Any], *args: Any) -> Any:
        """`work(*args)` for one record; a check it breaks is reported at `line` and the
        record leaves nothing (None)."""
        self.record = record = _Record(line, what)
        self.records.append(record)
        try:
            return work(*args)
        except ValidationError as error:
            for undo in reversed(record.undo):
                undo()
            record.counts.clear()
            record.problem = refusal_text(error)
            return None

    def count(self, kind: str, outcome: str, name: str) -> None:
        self.record.counts.append((kind, outcome, name))

    def note(self, problem: LineProblem) -> None:
        """A problem the report gives in its place among the records."""
        self.records.append(_Record(problem.line, "", problem=problem.message))

    def finish(self, dry_run: bool) -> DocumentReport:
        for write in self.writes:
            self._drop_orphans(write)
            for row, error in write.write():
                self._refuse(row, refusal_text(error))
        for record in self.records:
            if record.problem:
                message = f"{record.what}: not stored: {record.problem}"
                self.report.problems.append(
                    LineProblem(record.line, message if record.what else record.problem)
                )
                continue
            for kind, outcome, name in record.counts:
                self.report.count(kind, outcome, name)
        if dry_run:
            transaction.set_rollback(True)
        return self.report

    def _refuse(self, row: Model, reason: str) -> None:
        record = self.owner.get(id(row))
        if record is not None and not record.problem:
            record.problem = reason

    def _drop_orphans(self, write: BulkWrite) -> None:
        """Leave out of `write` the rows of records refused so far, and the rows holding a
        row that was not written."""

        def keep(row: Model) -> bool:
            record = self.owner.get(id(row))
            if record is not None and record.problem:
                return False
            for model_field in row._meta.concrete_fields:
                if isinstance(model_field, ForeignKey) and model_field.is_cached(row):
                    held = getattr(row, model_field.name)
                    if held is not None and held.pk is None:
                        self._refuse(row, f"{model_field.name}: {held} was not stored")
                        return False
            return True

        write.created = [row for row in write.created if keep(row)]
        write.deleted = {
            pk: row
            for pk, row in write.deleted.items()
            if not getattr(self.deleting.get((write.model, pk)), "problem", "")
        }
        write.updated = {pk: row for pk, row in write.updated.items() if keep(row)}
        for entries in write.related.values():
            for key, (row, targets) in list(entries.items()):
                if not keep(row) or any(target.pk is None for target in targets):
                    del entries[key]


# The landscape notes


class _LandscapeImport(_Import):
    def __init__(self, notes: LandscapeNotes):
        super().__init__(notes.problems)
        self.notes = notes
        projects = self.projects
        self.categories = _Rows(self, LandscapeCategory, ("slug",), LandscapeCategory.objects.all())
        self.evaluations = _Rows(
            self,
            Evaluation,
            ("slug",),
            Evaluation.objects.all(),
            project=projects,
            category=self.categories,
        )
        self.stored_slugs = {evaluation.slug for evaluation in self.evaluations.all}
        self.compared: dict[int, set[int]] = {}
        through = Evaluation.compared.through
        for evaluation_id, project_id in through.objects.values_list("evaluation_id", "project_id"):
            self.compared.setdefault(evaluation_id, set()).add(project_id)
        self.updates = _Rows(
            self,
            EvaluationUpdate,
            ("evaluation", "date", "version"),
            EvaluationUpdate.objects.all(),
            evaluation=self.evaluations,
        )
        # Each evaluation's updates (by identity: the file may give an entry twice).
        self.updates_of: dict[int, list[EvaluationUpdate]] = {}
        for update in self.updates.all:
            self.updates_of.setdefault(id(update.evaluation), []).append(update)
        self.relations = _Relations(self)
        self.requests = self.parts(EvaluationRequest)

    def run(self) -> "_LandscapeImport":
        categories = {}
        for position, category in enumerate(self.notes.categories):
            fields = {
                "name": category.name,
                "position": position,
                "description": body_text(category.description),
            }
            what = f"category {category.name}"
            stored = self.each(
                category.line, what, self.categories.set, {"slug": category.slug}, fields
            )
            if stored:
                categories[category.slug] = stored[0]
                self.count("categories", stored[1], category.name)
        read = set()
        for position, entry in enumerate(self.notes.entries):
            read.add(entry.slug)
            if entry.category not in categories:
                continue  # its category was refused, and reported
            what = f"entry {entry.title}"
            outcome = self.each(
                entry.line, what, self.entry, entry, position, categories[entry.category]
            )
            if outcome:
                self.count("evaluations", outcome, entry.title)
        for gone in sorted(self.stored_slugs - read):
            self.note(LineProblem(0, f"{gone}: not in the file: kept"))
        for position, todo in enumerate(self.notes.todos):

            def to_evaluate(todo=todo, position=position):
                fields = {
                    "url": todo.url,
                    "depth": todo.depth,
                    "priority": todo.priority,
                    "note": todo.note,
                    "position": position,
                }
                project = self.projects.named(todo.name, todo.url)
                return self.requests.set({"project": project}, fields)

            stored = self.each(todo.line, f"to-evaluate {todo.name}", to_evaluate)
            if stored:
                self.count("to evaluate", stored[1], todo.name)
        return self

    def entry(self, entry: EntryRecord, position: int, category: LandscapeCategory) -> str:
        """An entry as services.evaluation_set stores it, with the projects it compares, its
        updates, renames and deprecations; its outcome."""
        projects = self.projects
        compared = [projects.named(name) for name in entry.compared]
        project = None if entry.compared else projects.named(entry.title, entry.url)
        evaluation, outcome = self.evaluations.set(
            {"slug": entry.slug},
            {
                "title": entry.title,
                "category": category,
                "kind": entry.kind,
                "project": project,
                "evaluated_on": entry.date,
                "version": entry.version[:100],
                "body": body_text(entry.body),
                "references": entry.references,
                "link": entry.link,
                "position": position,
            },
        )
        changed = False
        # A project new to this import has no key, so is never among those stored.
        if {each.pk for each in compared} != self.compared.get(evaluation.pk, set()):
            self.evaluations.relate(evaluation, "compared", compared)
            changed = True
        wanted = {(update.date, update.version[:100]): update for update in entry.updates}
        updates = self.updates_of.setdefault(id(evaluation), [])
        for row in list(updates):
            if (row.date, row.version) not in wanted:
                self.updates.delete(row)
                updates.remove(row)
                self.record.undo.append(partial(updates.append, row))
                changed = True
        for (day, version), update in wanted.items():
            key = {"evaluation": evaluation, "date": day, "version": version}
            row, written = self.updates.set(key, {"body": body_text(update.body)})
            if written == "created":
                updates.append(row)
                self.record.undo.append(partial(updates.remove, row))
            changed |= written != "unchanged"
        relations = [
            self.relations.give_way(
                project,
                projects.named(relation.target, relation.url),
                relation.kind,
                relation.date,
            )
            for relation in entry.relations
            if project is not None
        ]
        if changed and outcome == "unchanged":
            outcome = "updated"
        return _outcome(outcome, *relations)


@transaction.atomic
@freshness.bumped_once()
def landscape_import(*, notes: LandscapeNotes, dry_run: bool = False) -> DocumentReport:
    """Bring the landscape (categories, evaluations, relations, to-evaluate list) in line with
    the read notes. `dry_run` reports the same and writes nothing."""
    return _LandscapeImport(notes).run().finish(dry_run)


# The project list


def _project_fields(record: ProjectRecord) -> dict[str, str]:
    fields = {
        "homepage_url": record.homepage_url,
        "repository_url": record.repository_url,
        "releases_url": record.releases_url,
        "tests_dashboard_url": record.tests_dashboard_url,
        "goal": record.goal,
        "license": record.license,
    }
    return {name: value for name, value in fields.items() if value}


class _ProjectListImport(_Import):
    def __init__(self, listing: ProjectList, as_of: datetime.date):
        super().__init__(listing.problems, areas=True)
        self.listing = listing
        self.as_of = as_of
        self.steps = self.parts(MaturityStep, "steward", "level")
        self.apis = self.parts(APIVersion, "api", "version")
        self.channels = self.parts(ProjectChannel, "kind", "name")
        self.tie_ins = self.parts(TieIn, "label")
        self.groups = _Rows(self, Group, ("slug",), Group.objects.all())
        self.group_links = self.parts(ProjectGroup, "group", group=self.groups)
        self.relations = _Relations(self)

    def run(self) -> "_ProjectListImport":
        areas = {}
        for position, area in enumerate(self.listing.areas):
            what = f"area {area.name}"
            stored = self.each(area.line, what, self.areas.named, area.name, position, area.slug)
            if stored:
                areas[area.name] = stored[0]
                self.count("areas", stored[1], area.name)
        for record in self.listing.projects:
            if record.area not in areas:
                continue
            what = f"project {record.name}"
            outcome = self.each(record.line, what, self.row, record, areas[record.area])
            if outcome:
                self.count("projects on the list", outcome, record.name)
        return self

    def group(self, slug: str, name: str) -> Group:
        """The group of this directory, created when missing as import_keps creates one."""
        group = self.groups.get(slug=slug)
        if group is None:
            default_name, kind = group_name_and_kind(slug)
            group = self.groups.add(Group(slug=slug, name=name or default_name, kind=kind))
            self.count("groups", "created", slug)
        return group

    def row(self, record: ProjectRecord, area: ProjectArea) -> str:
        """One row of the project list; its outcome."""
        projects = self.projects
        # By the project's own link: a repository artifact may be another project's too.
        address = record.homepage_url or record.repository_url
        project = projects.find(record.name, address, slug=record.slug)
        outcomes = []
        if project is None:
            project = projects.add(
                Project(slug=record.slug, name=record.name, area=area, **_project_fields(record))
            )
            outcomes.append("created")
        else:
            changed = projects.change(project, {"area": area, **_project_fields(record)})
            outcomes.append("updated" if changed else "unchanged")
        for step in record.steps:
            key = {"project": project, "steward": step.steward, "level": step.level}
            given = {"date": step.date, "decision_url": step.decision_url}
            fields = {name: value for name, value in given.items() if value}
            if self.steps.get(**key) is None:
                fields = {"date": self.as_of, **fields}
            outcomes.append(self.steps.set(key, fields)[1])
        for each in record.groups:
            key = {"project": project, "group": self.group(each.slug, each.name)}
            outcomes.append(self.group_links.set(key, {"relation": each.relation})[1])
        for api, version in record.apis:
            if self.apis.get(project=project, api=api, version=version) is None:
                self.apis.add(APIVersion(project=project, api=api, version=version))
                outcomes.append("updated")
        for kind, name, url in record.channels:
            if self.channels.get(project=project, kind=kind, name=name) is None:
                self.channels.add(ProjectChannel(project=project, kind=kind, name=name, url=url))
                outcomes.append("updated")
        for index, tie_in in enumerate(record.tie_ins):
            status = {"status": tie_in.status} if tie_in.status else {}
            fields = {"url": tie_in.url, "position": index, **status}
            outcomes.append(
                self.tie_ins.set({"project": project, "label": tie_in.label}, fields)[1]
            )
        if record.previous:
            earlier = projects.find(record.previous)
            if earlier is None:
                raise ValidationError(
                    f"previous project {record.previous!r} is not a known project"
                )
            outcomes.append(self.relations.give_way(earlier, project, RelationKind.SUCCEEDED_BY))
        return _outcome(*outcomes)


@transaction.atomic
@freshness.bumped_once()
def project_list_import(
    *, listing: ProjectList, as_of: datetime.date, dry_run: bool = False
) -> DocumentReport:
    """Bring the project list in line with the read table: areas, projects, their maturity (a
    level new to a project is dated `as_of`, the day the list stated it, unless the list dates
    it), API versions, channels, tie-ins and groups (those missing created). `dry_run`
    reports the same and writes nothing."""
    return _ProjectListImport(listing, as_of).run().finish(dry_run)


# The status page


class _StatusImport(_Import):
    def __init__(self, page: StatusPage, project_slug: str, releases_of: str, area_name: str):
        super().__init__(page.problems, areas=True)
        self.page = page
        self.slugs = (project_slug, releases_of)
        self.area_name = area_name
        projects = self.projects
        self.releases = _Rows(
            self,
            Release,
            ("project", "major", "minor", "patch"),
            Release.objects.filter(project__slug=releases_of),
            project=projects,
        )
        features = Feature.objects.filter(project__slug=project_slug)
        self.features = _Rows(self, Feature, ("project", "name"), features, project=projects)
        self.statuses = _Rows(
            self,
            FeatureStatus,
            ("feature", "release"),
            FeatureStatus.objects.filter(feature__project__slug=project_slug),
            feature=self.features,
            release=self.releases,
        )
        self.recommendations = _Rows(
            self,
            DeploymentRecommendation,
            ("area", "name"),
            DeploymentRecommendation.objects.all(),
            area=self.areas,
        )
        works = FutureWork.objects.all()
        self.future_work = _Rows(self, FutureWork, ("slug",), works, project=projects)

    def whole_page(self, what: str) -> None:
        """What follows is the page's, not a record's: what it cannot store fails the import."""
        self.record = _Record(0, what)
        self.records.append(self.record)

    def project(self, slug: str, name: str) -> Project:
        project = self.projects.get(slug=slug)
        if project is None:
            project = self.projects.add(Project(slug=slug, name=name, area=None))
            self.count("projects", "created", slug)
        return project

    def release(self, releaser: Project, version: str, day: datetime.date | None) -> Release:
        parsed = parse_release_version(version) or (0, 0, 0)
        key = dict(zip(("major", "minor", "patch"), parsed, strict=True))
        release = self.releases.get(project=releaser, **key)
        if release is None:
            release = self.releases.add(
                Release(project=releaser, version=version, release_date=day)
            )
            self.count("releases", "created", version)
        elif day and release.release_date != day:
            self.releases.change(release, {"release_date": day})
            self.count("releases", "updated", version)
        else:
            self.count("releases", "unchanged", version)
        return release

    def run(self) -> "_StatusImport":
        page = self.page
        project_slug, releases_of = self.slugs
        self.whole_page("the page's projects and releases")
        name = page.title.removeprefix("Status of ").strip() or project_slug
        project = self.project(project_slug, name)
        releaser = self.project(releases_of, releases_of.replace("-", " ").title())
        releases = {
            version: self.release(releaser, version, page.release_dates.get(version))
            for version in page.releases
        }
        for position, feature in enumerate(page.features):
            what = f"feature {feature.name}"
            outcome = self.each(
                feature.line, what, self.feature, project, feature, position, releases
            )
            if outcome:
                self.count("features", outcome, feature.name)
        area = None
        if page.recommendations:
            self.whole_page("the page's area")
            area, outcome = self.areas.named(self.area_name)
            if outcome == "created":
                self.count("areas", "created", self.area_name)
        for position, recommendation in enumerate(page.recommendations):
            key = {"area": area, "name": recommendation.name}
            fields = {
                "url": recommendation.url,
                "notes": body_text(recommendation.notes).strip(),
                "position": position,
            }
            what = f"recommendation {recommendation.name}"
            stored = self.each(recommendation.line, what, self.recommendations.set, key, fields)
            if stored:
                self.count("recommendations", stored[1], recommendation.name)
        for position, work in enumerate(page.future_work):
            fields = {
                "title": work.title,
                "description": body_text(work.description).strip(),
                "status": work.status,
                "status_url": work.status_url,
                "project": project,
                "position": position,
            }
            what = f"future work {work.title}"
            stored = self.each(work.line, what, self.future_work.set, {"slug": work.slug}, fields)
            if stored:
                self.count("future work", stored[1], work.title)
        return self

    def feature(
        self, project: Project, feature: FeatureRecord, position: int, releases: dict
    ) -> str:
        """A row of the feature table, as services.feature_create and feature_status_set
        store it; its outcome."""
        row = self.features.get(project=project, name=feature.name)
        outcomes = ["unchanged" if row else "created"]
        row = row or self.features.add(
            Feature(project=project, name=feature.name, position=position)
        )
        for version, supported in feature.supported.items():
            pulls = feature.pull_requests[version] if supported else []
            key = {"feature": row, "release": releases[version]}
            stored = self.statuses.get(**key)
            if stored and (stored.supported, stored.pull_requests) == (supported, pulls):
                continue
            self.statuses.set(key, {"supported": supported, "pull_requests": pulls, "note": ""})
            outcomes.append("updated")
        return _outcome(*outcomes)


@transaction.atomic
@freshness.bumped_once()
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
    return _StatusImport(page, project_slug, releases_of, area_name).run().finish(dry_run)
