"""Writes to projects, releases, proposals and the landscape notebook: validated, atomic, each
rule in one place."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError, Q, RestrictedError
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from common.services import model_set_related, model_update
from governance.models import Group, Person
from projects.models import (
    APIVersion,
    DeploymentRecommendation,
    Evaluation,
    EvaluationRequest,
    EvaluationUpdate,
    Feature,
    FeatureGate,
    FeatureStatus,
    FutureWork,
    LandscapeCategory,
    MaturityStep,
    Project,
    ProjectArea,
    ProjectChannel,
    ProjectGroup,
    ProjectRelation,
    Proposal,
    ProposalPerson,
    Release,
    TieIn,
)

Role = ProposalPerson.Role


@transaction.atomic
def area_create(*, slug: str, name: str, position: int = 0, description: str = "") -> ProjectArea:
    area = ProjectArea()
    fields = {"slug": slug, "name": name, "position": position, "description": description}
    model_update(instance=area, fields=fields)
    return area


@transaction.atomic
def area_update(*, area: ProjectArea, **fields: Any) -> ProjectArea:
    model_update(instance=area, fields=fields)
    return area


@transaction.atomic
def project_create(
    *, slug: str, name: str, area: ProjectArea | None = None, **fields: Any
) -> Project:
    project = Project(area=area)
    model_update(instance=project, fields={"slug": slug, "name": name, **fields})
    return project


@transaction.atomic
def project_update(*, project: Project, **fields: Any) -> Project:
    """Change `project`'s fields; a name that is not one of its fields is a TypeError."""
    model_update(instance=project, fields=fields)
    return project


@transaction.atomic
def release_create(*, project: Project, version: str, **dates: datetime.date | None) -> Release:
    release = Release(project=project)
    model_update(instance=release, fields={"version": version, **dates})
    return release


@transaction.atomic
def release_update(*, release: Release, **fields: Any) -> Release:
    model_update(instance=release, fields=fields)
    return release


@transaction.atomic
def feature_create(
    *, project: Project, name: str, description: str = "", position: int = 0
) -> Feature:
    feature = Feature(project=project)
    fields = {"name": name, "description": description, "position": position}
    model_update(instance=feature, fields=fields)
    return feature


@transaction.atomic
def feature_update(*, feature: Feature, **fields: Any) -> Feature:
    model_update(instance=feature, fields=fields)
    return feature


@transaction.atomic
def feature_delete(*, feature: Feature) -> None:
    _delete(feature)


@transaction.atomic
def feature_status_set(
    *,
    feature: Feature,
    release: Release,
    supported: bool,
    pull_requests: Sequence[str] = (),
    note: str = "",
) -> FeatureStatus:
    """Record whether `feature` works in `release` (replacing what was recorded)."""
    status = FeatureStatus.objects.filter(feature=feature, release=release).first()
    status = status or FeatureStatus(feature=feature, release=release)
    fields = {"supported": supported, "pull_requests": list(pull_requests), "note": note}
    model_update(instance=status, fields=fields)
    return status


def _delete(record: Model) -> None:
    """Delete `record`; while other records still refer to it, a ValidationError naming them."""
    try:
        record.delete()
    except (ProtectedError, RestrictedError) as error:
        holders = sorted({f"{each._meta.verbose_name} {each}" for each in error.args[1]})
        more = f" and {len(holders) - 5} more" if len(holders) > 5 else ""
        raise ValidationError(
            f"{record} is still referred to by {', '.join(holders[:5])}{more}; "
            "change or delete those first."
        ) from error


@transaction.atomic
def area_delete(*, area: ProjectArea) -> None:
    _delete(area)


@transaction.atomic
def project_delete(*, project: Project) -> None:
    _delete(project)


@transaction.atomic
def release_delete(*, release: Release) -> None:
    _delete(release)


def _unique(people: Iterable[Person]) -> list[Person]:
    """`people` without repeats, in order: a file may name an author twice."""
    seen: dict[int, Person] = {}
    for person in people:
        seen.setdefault(person.pk, person)
    return list(seen.values())


@dataclass(frozen=True)
class ProposalLinks:
    """Who and what a proposal is linked to. A link left None stays as it is on an update
    (and empty on a creation); a given one replaces what was there."""

    participating_groups: Sequence[Group] | None = None
    authors: Sequence[Person] | None = None
    reviewers: Sequence[Person] | None = None
    approvers: Sequence[Person] | None = None
    prr_approvers: Mapping[str, Person] | None = None  # {stage: approver}
    feature_gates: Mapping[str, Sequence[str]] | None = None  # {gate: components}
    replaces: Sequence[Proposal] | None = None


@dataclass
class StoredLinks:
    """What a proposal is linked to now, as read from the database (empty for a new one)."""

    participating_groups: set[int] = field(default_factory=set)
    replaces: set[int] = field(default_factory=set)
    # role -> [(stage, person id)] in order of position
    participants: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    feature_gates: dict[str, FeatureGate] = field(default_factory=dict)


@dataclass
class LinkChanges:
    """What `proposal_link_changes` found to write; empty when the links hold what is given."""

    participating_groups: list[Group] | None = None  # the new set, when it changed
    replaces: list[Proposal] | None = None
    stale_roles: list[str] = field(default_factory=list)  # their rows are replaced by `rows`
    rows: list[ProposalPerson] = field(default_factory=list)
    stale_gates: list[str] = field(default_factory=list)
    gates: list[tuple[FeatureGate, list[str]]] = field(default_factory=list)  # (gate, components)

    def __bool__(self) -> bool:
        return bool(
            self.participating_groups is not None
            or self.replaces is not None
            or self.stale_roles
            or self.stale_gates
            or self.gates
        )


def proposal_link_changes(
    proposal: Proposal, links: ProposalLinks, stored: StoredLinks
) -> LinkChanges:
    """The writes that bring `proposal`'s links from `stored` to `links` (None leaves a link as
    it is); a link that already holds what is given is not written again (no history entry)."""
    changes = LinkChanges()
    for name, wanted in [
        ("participating_groups", links.participating_groups),
        ("replaces", links.replaces),
    ]:
        if wanted is not None and {each.pk for each in wanted} != getattr(stored, name):
            setattr(changes, name, list(wanted))
    people_by_role: list[tuple[str, list[tuple[str, Person]]]] = [
        (role, [("", person) for person in _unique(people)])
        for role, people in [
            (Role.AUTHOR, links.authors),
            (Role.REVIEWER, links.reviewers),
            (Role.APPROVER, links.approvers),
        ]
        if people is not None
    ]
    if links.prr_approvers is not None:
        people_by_role.append((Role.PRR_APPROVER, list(links.prr_approvers.items())))
    for role, entries in people_by_role:
        if stored.participants.get(role, []) != [(stage, person.pk) for stage, person in entries]:
            changes.stale_roles.append(role)
            changes.rows += [
                ProposalPerson(
                    proposal=proposal, person=person, role=role, stage=stage, position=position
                )
                for position, (stage, person) in enumerate(entries)
            ]
    if links.feature_gates is not None:
        gates = stored.feature_gates
        changes.stale_gates = [name for name in gates if name not in links.feature_gates]
        for name, components in links.feature_gates.items():
            gate = gates.get(name)
            if gate is None or gate.components != list(components):
                gate = gate or FeatureGate(proposal=proposal, name=name)
                changes.gates.append((gate, list(components)))
    return changes


def participant_check(row: ProposalPerson) -> None:
    """The query-free checks of a new participant row: rows never repeat a person in a role
    (see _unique) and only production-readiness approvers have a stage, so the constraints
    hold."""
    row.clean_fields(exclude=["proposal", "person"])


def _stored_links(proposal: Proposal, links: ProposalLinks) -> StoredLinks:
    """What `proposal` is linked to now, read only for the links that are given."""
    stored = StoredLinks()
    if proposal.pk is None:
        return stored
    if links.participating_groups is not None:
        groups = proposal.participating_groups.values_list("pk", flat=True)
        stored.participating_groups = set(groups)
    if links.replaces is not None:
        stored.replaces = set(proposal.replaces.values_list("pk", flat=True))
    if any(
        each is not None
        for each in [links.authors, links.reviewers, links.approvers, links.prr_approvers]
    ):
        for role, stage, person_id in proposal.participants.values_list(
            "role", "stage", "person_id"
        ):
            stored.participants.setdefault(role, []).append((stage, person_id))
    if links.feature_gates is not None:
        stored.feature_gates = {gate.name: gate for gate in proposal.feature_gates.all()}
    return stored


def _set_links(proposal: Proposal, links: ProposalLinks) -> bool:
    """Replace each link that is given (None leaves it as it is); True when one changed."""
    changes = proposal_link_changes(proposal, links, _stored_links(proposal, links))
    if changes.participating_groups is not None:
        proposal.participating_groups.set(changes.participating_groups)
    if changes.replaces is not None:
        proposal.replaces.set(changes.replaces)
    if changes.stale_roles:
        proposal.participants.filter(role__in=changes.stale_roles).delete()
        for row in changes.rows:
            participant_check(row)
        bulk_create_with_history(changes.rows, ProposalPerson)
    if changes.stale_gates:
        proposal.feature_gates.filter(name__in=changes.stale_gates).delete()
    for gate, components in changes.gates:
        model_update(instance=gate, fields={"components": components})
    return bool(changes)


@transaction.atomic
def proposal_create(
    *,
    project: Project,
    title: str,
    number: int | None = None,
    links: ProposalLinks = ProposalLinks(),
    **fields: Any,
) -> Proposal:
    """Create a proposal that follows every editing rule; a broken rule raises its message."""
    proposal = Proposal(project=project, title=title, number=number)
    proposal.slug = fields.pop("slug", "") or slugify(f"{number or ''} {title}")[:200]
    model_update(instance=proposal, fields=fields)
    _set_links(proposal, links)
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, links: ProposalLinks = ProposalLinks(), **fields: Any
) -> Proposal:
    """Change a proposal; the editing rules apply."""
    model_update(instance=proposal, fields=fields)
    _set_links(proposal, links)
    return proposal


def _stored_values(proposal: Proposal) -> dict[str, Any]:
    """What saving `proposal` writes, to tell a change from a repeat."""
    return {
        field.attname: getattr(proposal, field.attname)
        for field in Proposal._meta.concrete_fields
        if field.attname not in ("created_at", "updated_at")
    }


def proposal_to_import(
    project: Project,
    source_path: str,
    number: int | None,
    slug: str,
    candidates: Iterable[Proposal],
) -> Proposal:
    """Of `candidates` (proposals of `project`), the one imported from `source_path` before;
    else one entered by hand (no source) with this number, or else with this slug, which the
    file takes over; else a new one."""

    def matches(each: Proposal) -> bool:
        by_hand = each.source_path == "" and (
            each.slug == slug or (number is not None and each.number == number)
        )
        return each.source_path == source_path or by_hand

    ranked = sorted(
        filter(matches, candidates),
        key=lambda each: (each.source_path != source_path, number is None or each.number != number),
    )
    return ranked[0] if ranked else Proposal(project=project)


def proposal_import_set(
    proposal: Proposal,
    *,
    holder: Proposal | None,
    source_path: str,
    problems: Sequence[str],
    fields: Mapping[str, Any],
) -> list[str]:
    """Set what a file says on `proposal` (`fields`, its title, number and slug among them),
    each broken editing rule and each of the reader's `problems` as a flag; `holder` is the
    project's other proposal holding the number, if any (the file's proposal is then kept
    without one). The columns whose value changed (all of them for a new proposal)."""
    before = _stored_values(proposal) if proposal.pk else {}
    proposal.source_path = source_path
    flags = list(problems)
    fields = dict(fields)
    number = fields.get("number")
    if number is not None and holder is not None:
        where = holder.source_path or holder.get_absolute_url()
        flags.append(f"Number {number} is also used by {where}; kept without a number.")
        fields["number"] = None
    for name, value in fields.items():
        setattr(proposal, name, value)
    flags.extend(proposal.rule_violations().values())
    proposal.flags = flags
    after = _stored_values(proposal)
    return [name for name, value in after.items() if name not in before or before[name] != value]


def proposal_import_check(proposal: Proposal) -> None:
    """The query-free checks of an imported proposal: its fields, but not its flags (the rules
    it breaks are kept as flags) nor its related rows (given as saved objects: checking each
    exists costs a query apiece)."""
    relations = [each.name for each in Proposal._meta.concrete_fields if each.is_relation]
    proposal.clean_fields(exclude=["flags", *relations])


def proposal_import_save(proposal: Proposal) -> None:
    """Check an imported proposal (proposal_import_check, the unique and check constraints)
    and save it."""
    proposal_import_check(proposal)
    proposal.validate_unique()
    proposal.validate_constraints()
    proposal.save()


@transaction.atomic
def proposal_import(
    *,
    project: Project,
    source_path: str,
    title: str,
    number: int | None,
    slug: str,
    problems: Sequence[str] = (),
    links: ProposalLinks = ProposalLinks(),
    **fields: Any,
) -> tuple[Proposal, str]:
    """Create or refresh the proposal read from `source_path`, keeping it even when it breaks
    an editing rule: each broken rule, and each of the reader's `problems`, becomes a flag.

    Returns the proposal and "created", "updated" or "unchanged": importing the same file
    again writes nothing. `replaces` None leaves that relation as it is.
    A value the database cannot hold (a malformed URL, a title too long) raises
    ValidationError and nothing of the file is saved.
    """
    by_hand = Q(source_path="", slug=slug)
    if number is not None:
        by_hand |= Q(source_path="", number=number)
    candidates = Proposal.objects.filter(Q(source_path=source_path) | by_hand, project=project)
    proposal = proposal_to_import(project, source_path, number, slug, candidates)
    created = proposal.pk is None
    holder = None
    if number is not None:
        others = Proposal.objects.filter(project=project, number=number)
        holder = others.exclude(pk=proposal.pk).first()
    own = {"title": title, "number": number, "slug": slug}
    changed = proposal_import_set(
        proposal, holder=holder, source_path=source_path, problems=problems, fields=own | fields
    )
    if changed:
        proposal_import_save(proposal)
    related = _set_links(proposal, links)
    if created:
        return proposal, "created"
    return proposal, "updated" if changed or related else "unchanged"


@transaction.atomic
def proposal_clear_flags(*, proposal: Proposal) -> Proposal:
    """Mark a flagged proposal reviewed: it must now follow every editing rule."""
    try:
        model_update(instance=proposal, fields={"flags": []})
    except ValidationError as error:
        raise ValidationError(
            f"{proposal.label} still breaks a rule; fix it before clearing its flags: "
            + " ".join(message for messages in error.message_dict.values() for message in messages)
        ) from error
    return proposal


@transaction.atomic
def proposal_delete(*, proposal: Proposal) -> None:
    _delete(proposal)


# The rows that belong to one record and that the admin edits inline beside it.
PARTS = (
    APIVersion,
    DeploymentRecommendation,
    EvaluationUpdate,
    Feature,
    FeatureGate,
    FeatureStatus,
    MaturityStep,
    Project,
    ProjectChannel,
    ProjectGroup,
    ProjectRelation,
    ProposalPerson,
    TieIn,
)


def _check_part(part: Model) -> None:
    if not isinstance(part, PARTS):
        raise TypeError(f"{type(part).__name__} is not a part of a projects record")


@transaction.atomic
def part_save(*, part: Model, fields: Mapping[str, Any]) -> Model:
    """Create or change a row of a record (a project's tie-in, an evaluation's update)."""
    _check_part(part)
    model_update(instance=part, fields=fields)
    return part


@transaction.atomic
def part_delete(*, part: Model) -> None:
    _check_part(part)
    _delete(part)


def _upsert(model: type[Model], key: Mapping[str, Any], fields: Mapping[str, Any]):
    """The row of `model` with `key`, created or changed to hold `fields`; with "created",
    "updated" or "unchanged"."""
    row = model._default_manager.filter(**key).first()
    outcome = "created" if row is None else "unchanged"
    # A new row starts with `fields` set: model_update reads each field's value before.
    row = row or model(**key, **fields)
    if model_update(instance=row, fields=fields) and outcome == "unchanged":
        outcome = "updated"
    return row, outcome


@transaction.atomic
def tie_in_set(
    *, project: Project, label: str, url: str = "", position: int = 0, **fields: Any
) -> tuple[TieIn, str]:
    """The tie-in of `project` named `label`, with its link, order and status."""
    return _upsert(
        TieIn, {"project": project, "label": label}, {"url": url, "position": position, **fields}
    )


@transaction.atomic
def project_relation_set(
    *, earlier: Project, later: Project, kind: str, date: datetime.date | None = None, note=""
) -> tuple[ProjectRelation, str]:
    """Record that `earlier` gave way to `later` (succeeded by, renamed to, deprecated for)."""
    key = {"earlier": earlier, "later": later, "kind": kind}
    return _upsert(ProjectRelation, key, {"date": date, "note": note})


@transaction.atomic
def category_create(*, slug: str, name: str, **fields: Any) -> LandscapeCategory:
    category = LandscapeCategory()
    model_update(instance=category, fields={"slug": slug, "name": name, **fields})
    return category


@transaction.atomic
def category_update(*, category: LandscapeCategory, **fields: Any) -> LandscapeCategory:
    model_update(instance=category, fields=fields)
    return category


@transaction.atomic
def category_delete(*, category: LandscapeCategory) -> None:
    _delete(category)


@transaction.atomic
def category_set(
    *, slug: str, name: str, position: int = 0, description: str = ""
) -> tuple[LandscapeCategory, str]:
    fields = {"name": name, "position": position, "description": description}
    return _upsert(LandscapeCategory, {"slug": slug}, fields)


@dataclass(frozen=True)
class DatedNote:
    """An update of an evaluation as given to evaluation_set."""

    date: datetime.date
    version: str
    body: str


@transaction.atomic
def evaluation_set(
    *,
    slug: str,
    compared: Sequence[Project] = (),
    updates: Sequence[DatedNote] = (),
    **fields: Any,
) -> tuple[Evaluation, str]:
    """The evaluation `slug`, created or changed to hold `fields`, the projects it compares and
    exactly `updates`; "unchanged" when it held them all already."""
    evaluation, outcome = _upsert(Evaluation, {"slug": slug}, fields)
    changed = bool(model_set_related(instance=evaluation, name="compared", values=compared))
    wanted = {(update.date, update.version): update for update in updates}
    stored = {(each.date, each.version): each for each in evaluation.updates.all()}
    for key, row in stored.items():
        if key not in wanted:
            row.delete()
            changed = True
    for key, update in wanted.items():
        row = stored.get(key) or EvaluationUpdate(evaluation=evaluation)
        fields = {"date": update.date, "version": update.version, "body": update.body}
        changed |= bool(model_update(instance=row, fields=fields))
    if changed and outcome == "unchanged":
        outcome = "updated"
    return evaluation, outcome


@transaction.atomic
def evaluation_create(
    *, slug: str, title: str, compared: Sequence[Project] = (), **fields: Any
) -> Evaluation:
    evaluation = Evaluation(**fields)
    model_update(instance=evaluation, fields={"slug": slug, "title": title, **fields})
    model_set_related(instance=evaluation, name="compared", values=compared)
    return evaluation


@transaction.atomic
def evaluation_update(*, evaluation: Evaluation, **fields: Any) -> Evaluation:
    compared = fields.pop("compared", None)
    model_update(instance=evaluation, fields=fields)
    model_set_related(instance=evaluation, name="compared", values=compared)
    return evaluation


@transaction.atomic
def evaluation_delete(*, evaluation: Evaluation) -> None:
    _delete(evaluation)


@transaction.atomic
def evaluation_request_set(*, project: Project, **fields: Any) -> tuple[EvaluationRequest, str]:
    """`project` on the to-evaluate list with its link, depth, priority and note."""
    return _upsert(EvaluationRequest, {"project": project}, fields)


@transaction.atomic
def evaluation_request_create(*, project: Project, **fields: Any) -> EvaluationRequest:
    evaluation_request = EvaluationRequest(project=project, **fields)
    model_update(instance=evaluation_request, fields=fields)
    return evaluation_request


@transaction.atomic
def evaluation_request_update(
    *, evaluation_request: EvaluationRequest, **fields: Any
) -> EvaluationRequest:
    model_update(instance=evaluation_request, fields=fields)
    return evaluation_request


@transaction.atomic
def evaluation_request_delete(*, evaluation_request: EvaluationRequest) -> None:
    _delete(evaluation_request)


@transaction.atomic
def future_work_set(*, slug: str, **fields: Any) -> tuple[FutureWork, str]:
    """The future-work item `slug`, created or changed; its history keeps each status."""
    return _upsert(FutureWork, {"slug": slug}, fields)


@transaction.atomic
def future_work_create(*, slug: str, title: str, **fields: Any) -> FutureWork:
    future_work = FutureWork(**fields)
    model_update(instance=future_work, fields={"slug": slug, "title": title, **fields})
    return future_work


@transaction.atomic
def future_work_update(*, future_work: FutureWork, **fields: Any) -> FutureWork:
    """Change an item; its history (django-simple-history) keeps each status it had."""
    model_update(instance=future_work, fields=fields)
    return future_work


@transaction.atomic
def future_work_delete(*, future_work: FutureWork) -> None:
    _delete(future_work)
