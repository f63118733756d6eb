"""Writes to projects, releases and proposals: validated, atomic, each rule in one place."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from governance import services as governance_services
from governance.models import Group, Person
from projects.importers.kep_yaml import (
    KepDirectory,
    KepImportReport,
    KepRecord,
    Problem,
    group_name_and_kind,
)
from projects.models import (
    APIVersion,
    Feature,
    FeatureGate,
    FeatureStatus,
    MaturityStep,
    Project,
    ProjectArea,
    ProjectChannel,
    ProjectGroup,
    Proposal,
    ProposalPerson,
    Release,
    Stage,
    TieIn,
    milestone_field,
    parse_release_version,
)

Role = ProposalPerson.Role


def _save(instance, fields: Mapping[str, Any] | None = None):
    """Set `fields` on `instance`, validate it with its model's messages, save it."""
    for name, value in (fields or {}).items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def area_create(*, slug: str, name: str, position: int = 0, description: str = "") -> ProjectArea:
    return _save(ProjectArea(slug=slug, name=name, position=position, description=description))


@transaction.atomic
def area_update(*, area: ProjectArea, **fields: Any) -> ProjectArea:
    return _save(area, fields)


@transaction.atomic
def project_create(*, slug: str, name: str, area: ProjectArea, **fields: Any) -> Project:
    return _save(Project(slug=slug, name=name, area=area), fields)


@transaction.atomic
def project_update(*, project: Project, **fields: Any) -> Project:
    return _save(project, fields)


@transaction.atomic
def project_link_group(*, project: Project, group: Group, relation: str) -> ProjectGroup:
    """Link `group` to `project` as owner or related group (changing an existing link)."""
    link = ProjectGroup.objects.filter(project=project, group=group).first()
    return _save(link or ProjectGroup(project=project, group=group), {"relation": relation})


@transaction.atomic
def maturity_step_add(
    *, project: Project, steward: str, level: str, date: datetime.date, decision_url: str = ""
) -> MaturityStep:
    step = MaturityStep(
        project=project, steward=steward, level=level, date=date, decision_url=decision_url
    )
    return _save(step)


@transaction.atomic
def api_version_add(*, project: Project, api: str, version: str) -> APIVersion:
    return _save(APIVersion(project=project, api=api, version=version))


@transaction.atomic
def channel_add(
    *, project: Project, kind: str, name: str, url: str, is_private: bool = False
) -> ProjectChannel:
    channel = ProjectChannel(project=project, kind=kind, name=name, url=url, is_private=is_private)
    return _save(channel)


@transaction.atomic
def tie_in_add(*, project: Project, label: str, url: str, position: int = 0) -> TieIn:
    return _save(TieIn(project=project, label=label, url=url, position=position))


@transaction.atomic
def release_create(*, project: Project, version: str, **dates: datetime.date | None) -> Release:
    return _save(Release(project=project, version=version), dates)


@transaction.atomic
def release_update(*, release: Release, **fields: Any) -> Release:
    return _save(release, fields)


@transaction.atomic
def feature_create(
    *, project: Project, name: str, description: str = "", position: int = 0
) -> Feature:
    return _save(Feature(project=project, name=name, description=description, position=position))


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
    fields = {"supported": supported, "pull_requests": list(pull_requests), "note": note}
    return _save(status or FeatureStatus(feature=feature, release=release), fields)


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


def _set_links(proposal: Proposal, links: ProposalLinks) -> bool:
    """Replace each link that is given (None leaves it as it is); True when one changed.

    A link that already holds what is given is not written again (no history entry).
    """
    changed = False
    for manager, wanted in [
        (proposal.participating_groups, links.participating_groups),
        (proposal.replaces, links.replaces),
    ]:
        if wanted is not None:
            wanted = list(wanted)
            if {each.pk for each in wanted} != set(manager.values_list("pk", flat=True)):
                manager.set(wanted)  # type: ignore[attr-defined]  # both are many-to-many
                changed = True
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
    current: dict[str, list[tuple[str, int]]] = {}
    if people_by_role:
        for role, stage, person_id in proposal.participants.values_list(
            "role", "stage", "person_id"
        ):
            current.setdefault(role, []).append((stage, person_id))
    stale_roles, rows = [], []
    for role, entries in people_by_role:
        if current.get(role, []) != [(stage, person.pk) for stage, person in entries]:
            stale_roles.append(role)
            rows += [
                ProposalPerson(
                    proposal=proposal, person=person, role=role, stage=stage, position=position
                )
                for position, (stage, person) in enumerate(entries)
            ]
    if stale_roles:
        changed = True
        proposal.participants.filter(role__in=stale_roles).delete()
        for row in rows:
            # The query-free checks: rows never repeat a person in a role (see _unique) and
            # only production-readiness approvers have a stage, so the constraints hold.
            row.clean_fields(exclude=["proposal", "person"])
        bulk_create_with_history(rows, ProposalPerson)
    if links.feature_gates is not None:
        gates = {gate.name: gate for gate in proposal.feature_gates.all()}
        stale = [name for name in gates if name not in links.feature_gates]
        if stale:
            proposal.feature_gates.filter(name__in=stale).delete()
            changed = True
        for name, components in links.feature_gates.items():
            gate = gates.get(name)
            if gate is None or gate.components != list(components):
                _save(
                    gate or FeatureGate(proposal=proposal, name=name),
                    {"components": list(components)},
                )
                changed = True
    return changed


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
    _save(proposal, fields)
    _set_links(proposal, links)
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, links: ProposalLinks = ProposalLinks(), **fields: Any
) -> Proposal:
    """Change a proposal; the editing rules apply."""
    _save(proposal, fields)
    _set_links(proposal, links)
    return proposal


def _stored_values(proposal: Proposal) -> dict[str, Any]:
    """What saving `proposal` writes, to tell a change from a repeat."""
    return {
        field.attname: getattr(proposal, field.attname)
        for field in Proposal._meta.concrete_fields
        if field.attname not in ("created_at", "updated_at")
    }


def _proposal_to_import(
    project: Project, source_path: str, number: int | None, slug: str
) -> Proposal:
    """The proposal imported from `source_path` before; else one entered by hand (no source)
    with this number, or else with this slug, which the file takes over; else a new one."""
    by_hand = Q(source_path="", slug=slug)
    if number is not None:
        by_hand |= Q(source_path="", number=number)
    candidates = Proposal.objects.filter(Q(source_path=source_path) | by_hand, project=project)
    ranked = sorted(
        candidates,
        key=lambda each: (each.source_path != source_path, number is None or each.number != number),
    )
    return ranked[0] if ranked else Proposal(project=project)


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
    proposal = _proposal_to_import(project, source_path, number, slug)
    before = _stored_values(proposal) if proposal.pk else None
    proposal.source_path = source_path
    flags = list(problems)
    if number is not None:
        holder = (
            Proposal.objects.filter(project=project, number=number).exclude(pk=proposal.pk).first()
        )
        if holder is not None:
            where = holder.source_path or holder.get_absolute_url()
            flags.append(f"Number {number} is also used by {where}; kept without a number.")
            number = None
    for name, value in {"title": title, "number": number, "slug": slug, **fields}.items():
        setattr(proposal, name, value)
    flags.extend(proposal.rule_violations().values())
    proposal.flags = flags
    changed = before != _stored_values(proposal)
    if changed:
        # Related rows were given as saved objects: checking each exists costs a query apiece.
        relations = [field.name for field in Proposal._meta.concrete_fields if field.is_relation]
        proposal.clean_fields(exclude=["flags", *relations])
        proposal.validate_unique()
        proposal.validate_constraints()
        proposal.save()
    related = _set_links(proposal, links)
    if before is None:
        return proposal, "created"
    return proposal, "updated" if changed or related else "unchanged"


@transaction.atomic
def proposal_clear_flags(*, proposal: Proposal) -> Proposal:
    """Mark a flagged proposal reviewed: it must now follow every editing rule."""
    flags, proposal.flags = proposal.flags, []
    try:
        return _save(proposal)
    except ValidationError as error:
        proposal.flags = flags
        raise ValidationError(
            f"{proposal.label} still breaks a rule; fix it before clearing its flags: "
            + " ".join(message for messages in error.message_dict.values() for message in messages)
        ) from error


def _in_claim_order(records: Sequence[KepRecord]) -> list[KepRecord]:
    """`records` by path, except that a file losing its number to another comes last.

    Where files share a number, it goes to the one with a production-readiness file for it
    (the KEP tools find that file by number), else to the first by path; importing that one
    first lets proposal_import keep the others without a number, flagged.
    """
    claims: dict[int, list[KepRecord]] = {}
    for record in records:
        if record.number is not None:
            claims.setdefault(record.number, []).append(record)
    losers: set[str] = set()
    for claimants in claims.values():
        winner = next((each for each in claimants if each.prr_path), claimants[0])
        losers.update(each.path for each in claimants if each is not winner)
    return sorted(records, key=lambda record: (record.path in losers, record.path))


def _reason(error: Exception) -> str:
    """Why a file was not stored, naming the field at fault."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        messages = [
            " ".join(each) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(each)}"
            for field, each in error.message_dict.items()
        ]
    elif isinstance(error, ValidationError):
        messages = error.messages
    else:
        messages = [str(error)]
    return "not stored: " + "; ".join(messages)


class _KepImport:
    """One run of keps_import, with the groups, people and releases it links loaded once."""

    def __init__(self, project: Project, directory: KepDirectory):
        self.project = project
        self.records = directory.records
        self.report = KepImportReport(
            files=len(directory.records) + len(directory.skipped),
            skipped=list(directory.skipped),
            problems=list(directory.problems),
            ignored=list(directory.ignored),
        )
        self.groups = {group.slug: group for group in Group.objects.all()}
        self.people = {person.handle.casefold(): person for person in Person.objects.all()}
        self.releases = {release.sort_key: release for release in project.releases.all()}
        # Groups some file owns proposals in: another file naming one may create it first.
        self.owned = {record.owning_sig for record in self.records if record.owning_sig}
        # Numbers held before this run, and the files imported before: a new file claiming
        # another group's number is not that proposal and must not pass for it.
        self.held = {
            proposal.number: proposal
            for proposal in project.proposals.exclude(number=None).select_related("owning_group")
        }
        self.known_paths = set(project.proposals.values_list("source_path", flat=True))
        self.imported: dict[str, Proposal] = {}
        self.outcomes: dict[str, str] = {}
        # What the current file created (cache, key, kind, name) and noted, kept if it commits.
        self.pending: list[tuple[dict, Any, str, str]] = []
        self.notes: list[str] = []

    def run(self) -> KepImportReport:
        for record in _in_claim_order(self.records):
            claim = self.foreign_claim(record)
            if claim:
                self.report.skipped.append(Problem(record.path, claim))
                continue
            try:
                with transaction.atomic():
                    proposal, outcome = self.apply(record)
            except (ValidationError, DatabaseError) as error:
                for cache, key, _, _ in self.pending:
                    del cache[key]
                self.report.skipped.append(Problem(record.path, _reason(error)))
            else:
                for _, _, kind, name in self.pending:
                    self.report.created.setdefault(kind, []).append(name)
                self.report.problems += [Problem(record.path, note) for note in self.notes]
                self.imported[record.path] = proposal
                self.outcomes[record.path] = outcome
            self.pending, self.notes = [], []
        self.link_replacements()
        report = self.report
        read = {record.path for record in self.records} | {each.path for each in report.skipped}
        imported_before = self.project.proposals.exclude(source_path="")
        for path in sorted(set(imported_before.values_list("source_path", flat=True)) - read):
            report.problems.append(Problem(path, "imported before, but the file is gone: kept"))
        report.skipped.sort(key=lambda problem: problem.path)
        report.problems.sort(key=lambda problem: problem.path)
        names = {"created": "imported", "updated": "updated", "unchanged": "unchanged"}
        report.outcomes.update(names[outcome] for outcome in self.outcomes.values())
        report.flagged = [
            (path, proposal.label, proposal.flags)
            for path, proposal in sorted(self.imported.items())
            if proposal.flags
        ]
        report.changed = [
            f"{names[outcome]}: {path} ({self.imported[path].label})"
            for path, outcome in sorted(self.outcomes.items())
            if outcome != "unchanged"
        ]
        return report

    def foreign_claim(self, record: KepRecord) -> str:
        """Why a file new to the import is refused the number another group's proposal holds
        ("" when it is not)."""
        holder = self.held.get(record.number)
        if holder is None or record.path in self.known_paths:
            return ""
        owner = holder.owning_group.slug if holder.owning_group else ""
        if owner == record.owning_sig:
            return ""
        where = holder.source_path or holder.get_absolute_url()
        return (
            f"kep-number {record.number} is {holder.label} of {owner or 'no group'} ({where}), "
            f"not a proposal of {record.owning_sig or 'no group'}: not stored"
        )

    def apply(self, record: KepRecord) -> tuple[Proposal, str]:
        problems = list(record.problems)
        participating = []
        for slug in record.participating_sigs:
            if slug in self.groups or slug in self.owned:
                participating.append(self.group(slug))
            else:
                problems.append(f"participating SIG {slug} is not a known group: left out")
        milestones = {
            milestone_field(stage): self.release(record.milestones.get(stage, ""))
            for stage in Stage.values
        }
        return proposal_import(
            project=self.project,
            source_path=record.path,
            title=record.title,
            number=record.number,
            slug=record.slug,
            problems=problems,
            owning_group=self.group(record.owning_sig) if record.owning_sig else None,
            links=ProposalLinks(
                participating_groups=participating,
                authors=[self.person(handle) for handle in record.authors],
                reviewers=[self.person(handle) for handle in record.reviewers],
                approvers=[self.person(handle) for handle in record.approvers],
                prr_approvers=None
                if record.prr_approvers is None
                else {stage: self.person(handle) for stage, handle in record.prr_approvers.items()},
                feature_gates=record.feature_gates,
            ),
            status=record.status,
            stage=record.stage,
            latest_milestone=self.release(record.latest_milestone),
            **milestones,
            disable_supported=record.disable_supported,
            creation_date=record.creation_date,
            last_updated=record.last_updated,
            tracking_issue_url=record.tracking_issue_url,
            document_url=record.document_url,
        )

    def _created(self, cache: dict, key: Any, kind: str, name: str, value) -> None:
        cache[key] = value
        self.pending.append((cache, key, kind, name))

    def group(self, slug: str) -> Group:
        if slug not in self.groups:
            name, kind = group_name_and_kind(slug)
            group = governance_services.group_create(slug=slug, name=name, kind=kind)
            self._created(self.groups, slug, "groups", slug, group)
            kind_name = group.get_kind_display().lower()
            self.notes.append(f"no group {slug} existed: created {name} ({kind_name})")
        return self.groups[slug]

    def person(self, handle: str) -> Person:
        key = handle.casefold()
        if key not in self.people:
            person = governance_services.person_create(handle=handle)
            self._created(self.people, key, "people", handle, person)
        return self.people[key]

    def release(self, version: str) -> Release | None:
        key = parse_release_version(version) if version else None
        if key is None:
            return None
        if key not in self.releases:
            release = release_create(project=self.project, version=version)
            self._created(self.releases, key, "releases", release.version, release)
        return self.releases[key]

    def link_replacements(self) -> None:
        """Link each imported proposal to those it replaces, once every file is in."""
        by_number = {p.number: p for p in self.imported.values() if p.number is not None}
        wanted: dict[str, set[int]] = {path: set() for path in self.imported}
        for record in self.records:
            proposal = self.imported.get(record.path)
            if proposal is None:
                continue
            for key, numbers in [
                ("replaces", record.replaces),
                ("superseded-by", record.superseded_by),
            ]:
                for number in numbers:
                    other = by_number.get(number)
                    if other is None:
                        message = (
                            f"{key} KEP-{number}, which is not an imported proposal: not linked"
                        )
                        self.report.problems.append(Problem(record.path, message))
                    elif key == "replaces":
                        wanted[record.path].add(other.pk)
                    else:
                        wanted[other.source_path].add(proposal.pk)
        current: dict[int, set[int]] = {}
        links = Proposal.replaces.through.objects.filter(from_proposal__project=self.project)
        for source, target in links.values_list("from_proposal_id", "to_proposal_id"):
            current.setdefault(source, set()).add(target)
        for path, targets in wanted.items():
            proposal = self.imported[path]
            if current.get(proposal.pk, set()) != targets:
                proposal.replaces.set(targets)
                if self.outcomes[path] == "unchanged":
                    self.outcomes[path] = "updated"


@transaction.atomic
def keps_import(
    *, project: Project, directory: KepDirectory, dry_run: bool = False
) -> KepImportReport:
    """Bring `project`'s proposals in line with a read keps/ directory, one file at a time.

    Each file is atomic: it is imported (created, updated, or left untouched when nothing
    changed) with the groups, people and releases it names, created when missing; or, when the
    database cannot hold one of its values, skipped with the reason and nothing of it stored.
    Broken editing rules and reading problems are kept as the proposal's flags. Once every file
    is in, proposals are linked to those they replace. A file new to the import whose number
    another group's proposal holds is skipped. `dry_run` reports the same and writes nothing.
    """
    # One transaction, a savepoint per file: a commit per file makes SQLite several times slower.
    report = _KepImport(project, directory).run()
    if dry_run:
        transaction.set_rollback(True)
    return report
