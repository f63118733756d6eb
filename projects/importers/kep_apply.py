"""Apply a read keps/ directory (projects.importers.kep_yaml) to a project's proposals through
the services: the import's orchestration, above projects.services."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction

from governance import services as governance_services
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
    Project,
    Proposal,
    Release,
    Stage,
    milestone_field,
    parse_release_version,
)


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
        return services.proposal_import(
            project=self.project,
            source_path=record.path,
            title=record.title,
            number=record.number,
            slug=record.slug,
            problems=problems,
            owning_group=self.group(record.owning_sig) if record.owning_sig else None,
            links=services.ProposalLinks(
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
            release = services.release_create(project=self.project, version=version)
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
