"""Apply a read keps/ directory (projects.importers.kep_yaml) to a project's proposals: the
import's orchestration, above projects.services, whose rules it applies.

What exists is read in a fixed number of queries, each file is worked out in memory, and what
changed is written in bulk (common.bulk), so an unchanged import writes nothing and costs the
same few statements at any size.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from common import freshness
from common.bulk import BulkWrite, M, optimistically
from common.services import refusal_text
from governance.models import Group, Person
from projects import services
from projects.importers.kep_yaml import (
    KepDirectory,
    KepImportReport,
    KepRecord,
    Problem,
    group_name_and_kind,
)
from projects.models import (
    FeatureGate,
    Project,
    Proposal,
    ProposalPerson,
    Release,
    Stage,
    milestone_field,
    parse_release_version,
)

# The release fields of a proposal, each cached from the releases read once.
RELEASE_FIELDS = ["latest_milestone", *(milestone_field(stage) for stage in Stage.values)]


def _in_claim_order(records: Sequence[KepRecord]) -> list[KepRecord]:
    """`records` by path, except that a file losing its number to another comes last.

    Where files share a number, it goes to the one with a production-readiness file for it
    (the KEP tools find that file by number), else to the first by path; importing that one
    first lets the import keep the others without a number, flagged.
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
    return f"not stored: {refusal_text(error)}"


def _check_gate(gate: FeatureGate) -> None:
    """A feature gate's own fields; its proposal may be written in the same batch."""
    gate.full_clean(exclude=["proposal"], validate_unique=False, validate_constraints=False)


@dataclass
class _File:
    """A file that passed the checks, with what it names and what it created."""

    record: KepRecord
    problems: list[str]
    names: list[Model]  # the groups, people and releases it links
    participating: list[Group] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # the proposal's, as the file says
    created: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)
    notes: list[str] = field(default_factory=list)


class _KepImport:
    """One run of keps_import: what exists read once, what changed written in bulk."""

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
        self.new_groups = BulkWrite(Group)
        self.new_people = BulkWrite(Person)
        self.new_releases = BulkWrite(Release)
        # Groups some file owns proposals in: another file naming one may create it first.
        self.owned = {record.owning_sig for record in self.records if record.owning_sig}
        self.stored = list(project.proposals.all())
        self.read_links()
        # Numbers held before this run, and the files imported before: a new file claiming
        # another group's number is not that proposal and must not pass for it.
        self.held = {p.number: p for p in self.stored if p.number is not None}
        self.known_paths = {p.source_path for p in self.stored}
        # Where a file's proposal is found, kept up to date as files are worked out.
        self.by_path = {p.source_path: p for p in self.stored if p.source_path}
        self.by_number = dict(self.held)
        self.by_hand = [p for p in self.stored if not p.source_path]
        self.imported: dict[str, Proposal] = {}
        self.outcomes: dict[str, str] = {}
        self.changes: dict[str, services.LinkChanges] = {}

    def read_links(self) -> None:
        """Each stored proposal's related rows and links, in a query apiece."""
        groups = {group.pk: group for group in self.groups.values()}
        releases = {release.pk: release for release in self.releases.values()}
        wanted = {getattr(p, f"{name}_id") for p in self.stored for name in RELEASE_FIELDS}
        missing = wanted - set(releases) - {None}
        releases |= {release.pk: release for release in Release.objects.filter(pk__in=missing)}
        self.links: dict[int, services.StoredLinks] = {}
        for proposal in self.stored:
            proposal.project = self.project
            if proposal.owning_group_id is not None:
                proposal.owning_group = groups[proposal.owning_group_id]
            for name in RELEASE_FIELDS:
                setattr(proposal, name, releases.get(getattr(proposal, f"{name}_id")))
            self.links[proposal.pk] = services.StoredLinks()
        mine = {"proposal__project": self.project}
        through = Proposal.participating_groups.through
        for proposal_id, group_id in through.objects.filter(**mine).values_list(
            "proposal_id", "group_id"
        ):
            self.links[proposal_id].participating_groups.add(group_id)
        self.rows: dict[tuple[int, str], list[ProposalPerson]] = {}
        for row in ProposalPerson.objects.filter(**mine):
            stored = self.links[row.proposal_id].participants
            stored.setdefault(row.role, []).append((row.stage, row.person_id))
            self.rows.setdefault((row.proposal_id, row.role), []).append(row)
        for gate in FeatureGate.objects.filter(**mine):
            self.links[gate.proposal_id].feature_gates[gate.name] = gate

    def run(self) -> KepImportReport:
        files = [file for file in map(self.check, _in_claim_order(self.records)) if file]
        refused: dict[int, str] = {}
        for write in (self.new_groups, self.new_people, self.new_releases):
            refused |= {id(each): _reason(error) for each, error in write.write()}
        # Each proposal's fields were checked with its file (check), before anything of the
        # file was kept; the database checks the constraints.
        proposals = BulkWrite(
            Proposal, validate=lambda proposal: None, save=services.proposal_import_save
        )
        for file in files:
            reason = next((refused[id(each)] for each in file.names if id(each) in refused), "")
            if reason:
                self.report.skipped.append(Problem(file.record.path, reason))
                continue
            try:
                self.work_out(file, proposals)
            except ValidationError as error:
                self.report.skipped.append(Problem(file.record.path, _reason(error)))
                continue
            for kind, name in file.created:
                self.report.created.setdefault(kind, []).append(name)
            self.report.problems += [Problem(file.record.path, note) for note in file.notes]
        for proposal, refusal in proposals.write():
            path = cast(Proposal, proposal).source_path
            self.report.skipped.append(Problem(path, _reason(refusal)))
            del self.imported[path], self.outcomes[path], self.changes[path]
        self.write_links()
        self.link_replacements()
        return self.finish()

    def check(self, record: KepRecord) -> _File | None:
        """`record` with the groups, people and releases it names (those missing to be
        created); None when it is skipped, with the reason, and nothing of it is kept."""
        claim = self.foreign_claim(record)
        if claim:
            self.report.skipped.append(Problem(record.path, claim))
            return None
        file = _File(record, list(record.problems), [])
        pending: list[tuple[BulkWrite, dict, Any]] = []
        try:
            for slug in record.participating_sigs:
                if slug in self.groups or slug in self.owned:
                    file.participating.append(self.group(slug, file, pending))
                else:
                    file.problems.append(f"participating SIG {slug} is not a known group: left out")
            file.fields = self.fields(record, file, pending)
            services.proposal_import_check(
                Proposal(
                    project=self.project,
                    source_path=record.path,
                    title=record.title,
                    number=record.number,
                    slug=record.slug,
                    **file.fields,
                )
            )
            for name, components in record.feature_gates.items():
                _check_gate(FeatureGate(name=name, components=list(components)))
        except ValidationError as error:
            for write, cache, key in pending:
                write.created.remove(cache.pop(key))
            self.report.skipped.append(Problem(record.path, _reason(error)))
            return None
        return file

    def fields(self, record: KepRecord, file: _File, pending: list) -> dict[str, Any]:
        """The proposal's fields as the file gives them, with its groups and releases."""
        milestones = {
            milestone_field(stage): self.release(record.milestones.get(stage, ""), file, pending)
            for stage in Stage.values
        }
        owner = self.group(record.owning_sig, file, pending) if record.owning_sig else None
        for handle in [*record.authors, *record.reviewers, *record.approvers]:
            self.person(handle, file, pending)
        for handle in (record.prr_approvers or {}).values():
            self.person(handle, file, pending)
        return {
            "owning_group": owner,
            "summary": record.summary,
            "status": record.status,
            "stage": record.stage,
            "latest_milestone": self.release(record.latest_milestone, file, pending),
            **milestones,
            "disable_supported": record.disable_supported,
            "creation_date": record.creation_date,
            "last_updated": record.last_updated,
            "tracking_issue_url": record.tracking_issue_url,
            "document_url": record.document_url,
        }

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

    def _named(self, file: _File, value: M) -> M:
        file.names.append(value)
        return value

    def group(self, slug: str, file: _File, pending: list) -> Group:
        if slug not in self.groups:
            name, kind = group_name_and_kind(slug)
            group = self.new_groups.create(Group(slug=slug, name=name, kind=kind))
            self.groups[slug] = group
            pending.append((self.new_groups, self.groups, slug))
            file.created.append(("groups", slug))
            kind_name = group.get_kind_display().lower()
            file.notes.append(f"no group {slug} existed: created {name} ({kind_name})")
        return self._named(file, self.groups[slug])

    def person(self, handle: str, file: _File, pending: list) -> Person:
        key = handle.casefold()
        if key not in self.people:
            self.people[key] = self.new_people.create(Person(handle=handle))
            pending.append((self.new_people, self.people, key))
            file.created.append(("people", handle))
        return self._named(file, self.people[key])

    def release(self, version: str, file: _File, pending: list) -> Release | None:
        key = parse_release_version(version) if version else None
        if key is None:
            return None
        if key not in self.releases:
            release = self.new_releases.create(Release(project=self.project, version=version))
            self.releases[key] = release
            pending.append((self.new_releases, self.releases, key))
            file.created.append(("releases", release.version))
        return self._named(file, self.releases[key])

    def work_out(self, file: _File, proposals: BulkWrite) -> None:
        """The proposal of an accepted file, as services.proposal_import makes it, and its
        links, collected to be written."""
        record = file.record
        candidates = [self.by_path.get(record.path), *self.by_hand]
        proposal = services.proposal_to_import(
            self.project, record.path, record.number, record.slug, filter(None, candidates)
        )
        holder = self.by_number.get(record.number)
        number_before = proposal.number
        own = {"title": record.title, "number": record.number, "slug": record.slug}
        changed = services.proposal_import_set(
            proposal,
            holder=holder if holder is not proposal else None,
            source_path=record.path,
            problems=file.problems,
            fields=own | file.fields,
        )
        links = services.ProposalLinks(
            participating_groups=file.participating,
            authors=[self.people[handle.casefold()] for handle in record.authors],
            reviewers=[self.people[handle.casefold()] for handle in record.reviewers],
            approvers=[self.people[handle.casefold()] for handle in record.approvers],
            prr_approvers=None
            if record.prr_approvers is None
            else {
                stage: self.people[handle.casefold()]
                for stage, handle in record.prr_approvers.items()
            },
            feature_gates=record.feature_gates,
        )
        stored = self.links.get(proposal.pk) or services.StoredLinks()
        changes = services.proposal_link_changes(proposal, links, stored)
        if proposal.pk is None:
            proposals.create(proposal)
            outcome = "created"
        else:
            if changed:
                proposals.changed(proposal, changed)
            outcome = "updated" if changed or changes else "unchanged"
        if changes.participating_groups is not None:
            proposals.relate(proposal, "participating_groups", changes.participating_groups)
        if proposal in self.by_hand:
            self.by_hand.remove(proposal)
        self.by_path[record.path] = proposal
        if number_before is not None and self.by_number.get(number_before) is proposal:
            del self.by_number[number_before]
        if proposal.number is not None:
            self.by_number[proposal.number] = proposal
        self.imported[record.path] = proposal
        self.outcomes[record.path] = outcome
        self.changes[record.path] = changes

    def write_links(self) -> None:
        """The people and feature gates of the proposals written, in bulk: the rows they no
        longer have deleted first, as a row replacing one may hold the same values."""
        stale_people, stale_gates = BulkWrite(ProposalPerson), BulkWrite(FeatureGate)
        # A row's checks read only its role, stage and position, which repeat from row to
        # row: each combination that passed is not checked again.
        passed: set[tuple[str, str, int]] = set()

        def check_participant(row: ProposalPerson) -> None:
            key = (row.role, row.stage, row.position)
            if key not in passed:
                services.participant_check(row)
                passed.add(key)

        people = BulkWrite(ProposalPerson, validate=check_participant)
        # Each gate's fields were checked with its file (check).
        gates = BulkWrite(FeatureGate, validate=lambda gate: None)
        for path, changes in self.changes.items():
            proposal = self.imported[path]
            for role in changes.stale_roles:
                stale_people.delete(self.rows.get((proposal.pk, role), []))
            for row in changes.rows:
                people.create(row)
            stored = self.links.get(proposal.pk, services.StoredLinks()).feature_gates
            stale_gates.delete(stored[name] for name in changes.stale_gates)
            for gate, components in changes.gates:
                if gate.pk is None:
                    gate.components = components
                    gates.create(gate)
                else:
                    gates.update(gate, {"components": components})
        for write in (stale_people, stale_gates, people, gates):
            refused = write.write()
            if refused:
                instance, error = refused[0]
                raise ValidationError(f"{instance}: {_reason(error)}")

    def link_replacements(self) -> None:
        """Link each imported proposal to those it replaces, once every file is in."""
        by_number = {p.number: p for p in self.imported.values() if p.number is not None}
        by_pk = {p.pk: p for p in self.imported.values()}
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
        write = BulkWrite(Proposal)
        for path, targets in wanted.items():
            proposal = self.imported[path]
            if current.get(proposal.pk, set()) != targets:
                write.relate(proposal, "replaces", [by_pk[pk] for pk in sorted(targets)])
                if self.outcomes[path] == "unchanged":
                    self.outcomes[path] = "updated"
        write.write()

    def finish(self) -> KepImportReport:
        report = self.report
        read = {record.path for record in self.records} | {each.path for each in report.skipped}
        imported_before = {p.source_path for p in self.stored if p.source_path}
        for path in sorted(imported_before - read):
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


def keps_import(
    *, project: Project, directory: KepDirectory, dry_run: bool = False
) -> KepImportReport:
    """Bring `project`'s proposals in line with a read keps/ directory.

    Each file is imported (created, updated, or left untouched when nothing changed) with the
    groups, people and releases it names, created when missing; or, when the database cannot
    hold one of its values, skipped with the reason and nothing of it stored. Broken editing
    rules and reading problems are kept as the proposal's flags. Once every file is in,
    proposals are linked to those they replace. A file new to the import whose number another
    group's proposal holds is skipped. `dry_run` reports the same and writes nothing.
    """
    return optimistically(partial(_apply, project, directory, dry_run))


@transaction.atomic
@freshness.bumped_once()
def _apply(project: Project, directory: KepDirectory, dry_run: bool) -> KepImportReport:
    report = _KepImport(project, directory).run()
    if dry_run:
        transaction.set_rollback(True)
    return report
