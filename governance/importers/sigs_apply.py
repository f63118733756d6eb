"""Applying a parsed sigs.yaml: the import's orchestration, above governance.services.

`governance.importers.sigs_yaml` parses without writing; `sigs_import` brings the database in
line with the `SigsDocument` it gives and reports what it changed. It works in phases, so that
its statements do not grow with the file: it reads what exists in a fixed number of queries,
decides in memory what to create, change, end and remove (validating each record, with the
models' own rules: `Role.check_term`, `Role.check_seat`), and writes each model at once
(`common.bulk.BulkWrite`), many-to-many lists (subproject leads, stakeholder SIGs) included.
New committee charters, a few per file, go through the service.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from common import freshness
from common.bulk import BulkWrite, optimistically
from common.services import validate_fields
from governance.importers.sigs_yaml import (
    CHANNEL_KINDS,
    GROUP_LISTS,
    REPORTING_PURPOSES,
    ChannelRecord,
    GroupRecord,
    ImportReport,
    Mention,
    SigsDocument,
    SubprojectRecord,
    chairs_role_kind,
    emeritus_role_kinds,
)
from governance.models import (
    SEAT_KINDS,
    Channel,
    ChannelKind,
    Committee,
    CommitteePurpose,
    Group,
    GroupKind,
    GroupStatus,
    Person,
    Role,
    RoleKind,
    Subproject,
)
from governance.services import (
    archived_fields,
    channel_new,
    committee_set,
)
from governance.signals import ImportedRecord, sigs_imported

SIGS_COMMITTEE_PURPOSES = {
    "committee-steering": CommitteePurpose.STEERING,
    "committee-code-of-conduct": CommitteePurpose.CODE_OF_CONDUCT,
    "committee-security-response": CommitteePurpose.SECURITY_RESPONSE,
}
ARCHIVED_REASON = "No longer listed in sigs.yaml."


def sigs_import(
    *,
    document: SigsDocument,
    on: datetime.date | None = None,
    allow_removals: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Bring the database in line with a parsed sigs.yaml, in one transaction.

    Only what changed is saved (a second import of the same file writes nothing, not even
    history). Current roles missing from the file end on `on` (default today), before the
    file's new roles start, so seat limits count the final roster; emeritus leads become
    leadership roles ending on `on` the first time they are seen; channels and subprojects
    missing from the file are removed, groups missing from it are archived.
    A record the database refuses is reported with its place and skipped.

    Nothing is written when `dry_run`, nor when the import would end, archive or remove more
    than settings.AGORA_IMPORT_REMOVAL_SHARE of the groups, roles, subprojects or channels
    there are, unless `allow_removals`: the report says what it would have changed
    (`changed`, `removals`) and why it was not applied (`refused`).
    """
    return optimistically(
        partial(_apply, document, on or timezone.localdate(), allow_removals, dry_run)
    )


def _apply(
    document: SigsDocument, on: datetime.date, allow_removals: bool, dry_run: bool
) -> ImportReport:
    with transaction.atomic(), freshness.bumped_once():
        report = _SigsImport(document, on).run()
        over = report.removals_over(settings.AGORA_IMPORT_REMOVAL_SHARE)
        if over and not allow_removals:
            parts = ", ".join(
                f"{removed} of {existing} {entity}" for entity, (removed, existing) in over.items()
            )
            report.refused = (
                f"it would end, archive or remove {parts}, more than "
                f"{settings.AGORA_IMPORT_REMOVAL_SHARE:.0%} of them"
            )
        if dry_run or report.refused:
            transaction.set_rollback(True)
    return report


def _attempt(report: ImportReport, place: str, service: Callable, **kwargs: Any):
    """Call a service; a record it refuses is reported at `place` and skipped (None)."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        report.problem(place, _skipped(error))
        return None


def _skipped(error: ValidationError) -> str:
    return f"{' '.join(error.messages)} Skipped."


# What the report says of a record waiting to be written: its place, and its count (entity,
# outcome, label) to take back if the database refuses it.
Pending = tuple[str, tuple[str, str, str] | None]


class _SigsImport:
    def __init__(self, document: SigsDocument, on: datetime.date):
        self.document = document
        self.on = on
        self.report = ImportReport(problems=list(document.problems))
        self.people: dict[str, Person] = {}
        self.groups: dict[str, Group] = {}
        self.pending: dict[int, Pending] = {}
        # Role's clean() rules are applied in memory (check_term, check_seat): fields alone here.
        self.roles = BulkWrite(Role, validate=partial(validate_fields, clean=False))
        # Links (a channel's, a charter, OWNERS files) are checked by the reader
        # (sigs_yaml._Parser.url) with the checks their fields make: not again here.
        self.channels_written = BulkWrite(
            Channel, validate=partial(validate_fields, exclude=["url"])
        )
        self.subprojects_written = BulkWrite(
            Subproject, validate=partial(validate_fields, exclude=["owners_files"])
        )
        self.groups_written = BulkWrite(Group, validate=self.check_group)
        # Each committee holds its group, read as a committee (what Committee.group's
        # limit_choices_to asks): not looked up again.
        self.committees_written = BulkWrite(
            Committee, validate=partial(validate_fields, exclude=["group"])
        )

    def run(self) -> ImportReport:
        self.report.existing.update(
            {
                "groups": Group.objects.active().filter(kind__in=GROUP_LISTS.values()).count(),
                "roles": Role.objects.current(self.on).count(),
                "subprojects": Subproject.objects.count(),
                "channels": Channel.objects.filter(kind__in=CHANNEL_KINDS.values()).count(),
            }
        )
        self.import_people()
        accepted = self.import_groups()
        self.read_stored()
        imported = []
        for record, group, outcome in accepted:
            self.report.count("groups", outcome, label=group.slug)
            self.group(group, record)
            imported.append((group, record, self.subprojects(group, record)))
        sigs = {
            group.name.casefold(): group
            for group in sorted(self.groups.values(), key=lambda group: group.name)
            if group.kind == GroupKind.SIG and group.status != GroupStatus.ARCHIVED
        }
        for group, record, _ in imported:
            self.stakeholders(group, record, sigs)
        self.archive_missing()
        self.board_rep()
        refused = self.write()
        sigs_imported.send(
            sender=Group,
            imported=[
                entry
                for group, record, subprojects in imported
                for entry in [
                    ImportedRecord(group, None, record.data, record.place),
                    *(
                        ImportedRecord(group, subproject, subrecord.data, subrecord.place)
                        for subproject, subrecord in subprojects
                        if id(subproject) not in refused
                    ),
                ]
            ],
            report=self.report,
            on=self.on,
        )
        return self.report

    # People and groups, written first: the rest refers to them

    def import_people(self) -> None:
        stored: dict[str, Person] = {
            person.handle.casefold(): person
            for person in Person.objects.alias(key=Lower("handle")).filter(
                key__in=list(self.document.people)
            )
        }
        # Person.clean()'s rule, with the seats the stored people hold read at once.
        seats = Committee.seats_held(person.pk for person in stored.values())

        def check(person: Person) -> None:
            validate_fields(person, clean=False)
            if person.pk and person.affiliation:
                person.check_affiliation(seats.get(person.pk, []))

        written = BulkWrite(Person, validate=check)
        for key, record in self.document.people.items():
            fields: dict[str, Any] = {"name": record.name} if record.name else {}
            if record.affiliation is not None:
                fields["affiliation"] = record.affiliation
            if record.email is not None:
                fields["private_email"] = record.email
            if record.time_zone is not None:
                fields["time_zone"] = record.time_zone
            person = stored.get(key)
            try:
                if person is None:
                    person = written.create(Person(handle=record.handle, **fields))
                    outcome = "created"
                else:
                    changed = written.update(person, {"handle": record.handle, **fields})
                    outcome = "updated" if changed else "unchanged"
            except ValidationError as error:
                self.report.problem(record.place, _skipped(error))
                continue
            self.people[key] = person
            self.counted(person, record.place, "people", outcome, f"@{record.handle}")
        refused = self.written(written)
        self.people = {key: p for key, p in self.people.items() if id(p) not in refused}

    def import_groups(self) -> list[tuple[GroupRecord, Group, str]]:
        """Create and update the file's groups (archived ones come back); each accepted
        record with its group and outcome, counted later in the file's order."""
        self.groups = {
            group.slug: group
            for group in Group.objects.filter(
                Q(slug__in=[record.slug for record in self.document.groups])
                | Q(kind__in=GROUP_LISTS.values())
            )
        }
        # Read here, so that Group.clean()'s rule (check_group) needs no query per group; each
        # holds its group (validating a change of its charter looks none up).
        by_pk = {group.pk: group for group in self.groups.values()}
        self.committees = {}
        for committee in Committee.objects.filter(group__in=list(by_pk)):
            committee.group = by_pk[committee.group_id]
            self.committees[committee.group_id] = committee
        written = BulkWrite(Group, validate=self.check_group)
        accepted = []
        for record in self.document.groups:
            fields: dict[str, Any] = {
                "kind": record.kind,
                "name": record.name,
                "mission": record.mission,
                "label": record.label,
            }
            if record.charter_url is not None:
                fields["charter_url"] = record.charter_url
            group = self.groups.get(record.slug)
            try:
                if group is None:
                    group = written.create(Group(slug=record.slug, **fields))
                    outcome = "created"
                else:
                    if group.status == GroupStatus.ARCHIVED:
                        fields.update(
                            status=GroupStatus.ACTIVE, status_since=self.on, status_reason=""
                        )
                    outcome = "updated" if written.update(group, fields) else "unchanged"
            except ValidationError as error:
                self.report.problem(record.place, _skipped(error))
                continue
            self.groups[record.slug] = group
            self.pending[id(group)] = (record.place, None)
            accepted.append((record, group, outcome))
        refused = self.written(written)
        return [entry for entry in accepted if id(entry[1]) not in refused]

    def check_group(self, group: Group) -> None:
        """Group.clean(), with the committee charters read at once (import_groups); the
        charter link is the reader's."""
        validate_fields(group, clean=False, exclude=["charter_url"])
        if group.pk:
            group.check_kind(chartered=group.pk in self.committees)

    def read_stored(self) -> None:
        """What the groups hold: their roles, channels, subprojects with their leads,
        committee charters and stakeholder SIGs."""
        groups = {group.pk: group for group in self.groups.values() if group.pk}
        # Each record holds the instances this import works on (and validation looks none up).
        self.group_roles: dict[int, list[Role]] = defaultdict(list)
        for role in Role.objects.filter(group__in=groups).select_related("person"):
            # The person as this import leaves them (their affiliation counts for seats).
            role.person = self.people.get(role.person.handle.casefold(), role.person)
            role.group = groups[role.group_id]
            self.group_roles[role.group_id].append(role)
        self.stored_subprojects: dict[int, list[Subproject]] = defaultdict(list)
        subprojects = {}
        for subproject in Subproject.objects.filter(group__in=groups).order_by("pk"):
            subproject.group = groups[subproject.group_id]
            subprojects[subproject.pk] = subproject
            self.stored_subprojects[subproject.group_id].append(subproject)
        self.stored_channels: dict[tuple, dict[tuple[str, str], Channel]] = defaultdict(dict)
        for channel in Channel.objects.filter(group__in=groups, kind__in=CHANNEL_KINDS.values()):
            channel.group = groups[channel.group_id]
            channel.subproject = subprojects.get(channel.subproject_id)
            owner = (channel.group_id, channel.subproject_id)
            self.stored_channels[owner][channel.kind, channel.name] = channel
        self.leads: dict[int, set[int]] = defaultdict(set)
        for subproject_id, person_id in Subproject.leads.through.objects.filter(
            subproject__group__in=groups
        ).values_list("subproject_id", "person_id"):
            self.leads[subproject_id].add(person_id)
        self.stakeholder_ids: dict[int, set[int]] = defaultdict(set)
        for from_id, to_id in Group.stakeholder_groups.through.objects.filter(
            from_group__in=groups
        ).values_list("from_group_id", "to_group_id"):
            self.stakeholder_ids[from_id].add(to_id)

    # Deciding, in memory

    def group(self, group: Group, record: GroupRecord) -> None:
        channels = record.channels
        if group.kind == GroupKind.COMMITTEE:
            channels = self.committee(group, record)
        chair_kind = chairs_role_kind(group.kind)
        current = self.current_roles(group, (chair_kind, RoleKind.TECH_LEAD, RoleKind.LIAISON))
        wanted = [(mention, chair_kind) for mention in record.chairs]
        wanted += [(mention, RoleKind.TECH_LEAD) for mention in record.tech_leads]
        if record.liaison:
            wanted.append((record.liaison, RoleKind.LIAISON))
        self.set_roles(group, current, wanted)
        self.emeritus(group, record.emeritus_leads)
        self.sync_channels(group, None, channels, record.unread_channel_kinds)

    def committee(self, group: Group, record: GroupRecord) -> list[ChannelRecord]:
        """Give a committee its charter; the private list of a committee people report to
        is its public reporting address. Returns the channels left to store as channels."""
        committee = self.committees.get(group.pk)
        if committee is None:
            purpose = SIGS_COMMITTEE_PURPOSES.get(group.slug, CommitteePurpose.OTHER)
            committee = _attempt(
                self.report, record.place, committee_set, group=group, purpose=purpose
            )
            if committee is None:
                return record.channels
            self.committees[group.pk] = committee
            self.report.count("committee charters", "created", label=group.slug)
        reporting = next(
            (c for c in record.channels if c.kind == ChannelKind.PRIVATE_MAILING_LIST), None
        )
        if committee.purpose not in REPORTING_PURPOSES or reporting is None:
            return record.channels
        address = (
            {"reporting_url": reporting.url}
            if reporting.url
            else {"reporting_email": reporting.name}
        )
        try:
            changed = self.committees_written.update(committee, address)
        except ValidationError as error:
            self.report.problem(reporting.place, _skipped(error))
        else:
            outcome = "updated" if changed else "unchanged"
            self.counted(committee, reporting.place, "reporting addresses", outcome, group.slug)
        return [channel for channel in record.channels if channel is not reporting]

    def current_roles(self, group: Group, kinds: tuple[str, ...]) -> list[Role]:
        return [
            role
            for role in self.group_roles[group.pk]
            if role.kind in kinds and role.is_current_on(self.on)
        ]

    def set_roles(self, group: Group, current: list[Role], wanted: list[tuple[Mention, str]]):
        """End the current roles no longer wanted, then start the wanted ones not held yet
        (in this order, so that seat limits count the roster the file gives)."""
        held = {(role.person.handle.casefold(), role.kind): role for role in current}
        wanted_keys = {(mention.key, kind) for mention, kind in wanted}
        for key, role in held.items():
            place = f"{group.slug}: @{role.person.handle}"
            if key not in wanted_keys and self.end_role(role, place):
                self.counted(role, place, "roles", "ended", _role_label(role, group))
        for mention, kind in wanted:
            person = self.people.get(mention.key)
            if (mention.key, kind) in held:
                self.report.count("roles", "unchanged")
                continue
            if person is None:
                continue
            # A person back in a role they held before starts a new term today.
            returning = any(
                role.person_id == person.pk
                and role.kind == kind
                and role.end
                and role.end <= self.on
                for role in self.group_roles[group.pk]
            )
            role = Role(person=person, group=group, kind=kind, start=self.on if returning else None)
            if self.start_role(role, mention.place):
                self.counted(role, mention.place, "roles", "started", _role_label(role, group))

    def end_role(self, role: Role, place: str) -> bool:
        """End a current role on the import's day. A shorter term breaks none of Role's rules
        (the database checks that it ends after it starts)."""
        try:
            self.roles.update(role, {"end": self.on})
        except ValidationError as error:
            self.report.problem(place, _skipped(error))
            return False
        return True

    def start_role(self, role: Role, place: str) -> bool:
        """Validate a new role with Role's rules, against the roles in memory."""
        try:
            self.check_role(role)
            self.roles.create(role)
        except ValidationError as error:
            self.report.problem(place, _skipped(error))
            return False
        self.group_roles[role.group.pk].append(role)
        return True

    def check_role(self, role: Role) -> None:
        """Role.clean(), with the group's roles as this import leaves them."""
        others = [other for other in self.group_roles[role.group.pk] if other is not role]
        if role.has_term_rules:
            role.check_term(
                other
                for other in others
                if (other.person_id, other.kind) == (role.person.pk, role.kind)
            )
        committee = self.committees.get(role.group.pk)
        if committee and role.holds_seat:
            holders = {
                other.person
                for other in others
                if other.kind in SEAT_KINDS
                and other.is_current
                and other.person_id != role.person.pk
            }
            role.check_seat(committee, holders)

    def emeritus(self, group: Group, mentions: list[Mention]) -> None:
        """An emeritus lead without a past leadership role gets one, ended on a day the file
        does not tell (never the import's day)."""
        kinds = emeritus_role_kinds(group.kind)
        past = {
            role.person.handle.casefold()
            for role in self.group_roles[group.pk]
            if role.kind in kinds
            and (role.end_unknown or (role.end is not None and role.end <= self.on))
        }
        for mention in mentions:
            person = self.people.get(mention.key)
            if mention.key in past or person is None:
                continue
            role = Role(person=person, group=group, kind=RoleKind.LEAD, end_unknown=True)
            if self.start_role(role, mention.place):
                label = f"@{person.handle} of {group}"
                self.counted(role, mention.place, "emeritus roles", "created", label)

    def sync_channels(
        self,
        group: Group,
        subproject: Subproject | None,
        records: list[ChannelRecord],
        unread_kinds: set[str],
    ) -> None:
        """Sync the kinds of channel sigs.yaml holds; other kinds (a forum) are the admins'."""
        synced = {str(kind) for kind in CHANNEL_KINDS.values()} - unread_kinds
        # A subproject new in this import has no channels yet.
        stored = (
            self.stored_channels[group.pk, subproject.pk if subproject else None]
            if subproject is None or subproject.pk
            else {}
        )
        for record in records:
            channel = stored.get((record.kind, record.name))
            try:
                if channel is None:
                    channel = self.channels_written.create(
                        channel_new(
                            group=group,
                            subproject=subproject,
                            kind=record.kind,
                            name=record.name,
                            url=record.url,
                            description=record.description,
                        )
                    )
                    outcome = "created"
                else:
                    changed = self.channels_written.update(
                        channel, {"url": record.url, "description": record.description}
                    )
                    outcome = "updated" if changed else "unchanged"
            except ValidationError as error:
                self.report.problem(record.place, _skipped(error))
                continue
            label = _channel_label(channel, group, subproject)
            self.counted(channel, record.place, "channels", outcome, label)
        listed = {(record.kind, record.name) for record in records}
        for key, channel in stored.items():
            if channel.kind in synced and key not in listed:
                self.channels_written.delete([channel])
                self.report.count(
                    "channels", "removed", label=_channel_label(channel, group, subproject)
                )

    def subprojects(
        self, group: Group, record: GroupRecord
    ) -> list[tuple[Subproject, SubprojectRecord]]:
        stored = {subproject.name: subproject for subproject in self.stored_subprojects[group.pk]}
        imported = []
        for subrecord in record.subprojects:
            fields = {"description": subrecord.description, "owners_files": subrecord.owners_files}
            leads = [self.people[m.key] for m in subrecord.leads if m.key in self.people]
            subproject = stored.get(subrecord.name)
            try:
                if subproject is None:
                    subproject = self.subprojects_written.create(
                        Subproject(group=group, name=subrecord.name, **fields)
                    )
                    outcome, changed = "created", ["leads"] if leads else []
                else:
                    changed = self.subprojects_written.update(subproject, fields)
                    if {lead.pk for lead in leads} != self.leads[subproject.pk]:
                        changed.append("leads")
                    outcome = "updated" if changed else "unchanged"
            except ValidationError as error:
                self.report.problem(subrecord.place, _skipped(error))
                continue
            if "leads" in changed:
                self.subprojects_written.relate(subproject, "leads", leads)
            label = f"{group.slug}/{subrecord.name}"
            self.counted(subproject, subrecord.place, "subprojects", outcome, label)
            self.sync_channels(
                group, subproject, subrecord.channels, subrecord.unread_channel_kinds
            )
            imported.append((subproject, subrecord))
        listed = {subrecord.name for subrecord in record.subprojects}
        for name, subproject in stored.items():
            if name not in listed:
                self.subprojects_written.delete([subproject])
                self.report.count("subprojects", "removed", label=f"{group.slug}/{name}")
        return imported

    def stakeholders(self, group: Group, record: GroupRecord, sigs: dict[str, Group]) -> None:
        wanted = []
        for name, place in record.stakeholder_names:
            sig = sigs.get(name.casefold())
            if sig is None:
                self.report.problem(place, f"there is no SIG named {name!r}: skipped")
            else:
                wanted.append(sig)
        if {sig.pk for sig in wanted} != self.stakeholder_ids[group.pk]:
            self.groups_written.relate(group, "stakeholder_groups", wanted)
            self.report.count("stakeholder lists", "updated", label=group.slug)

    def board_rep(self) -> None:
        """gb_rep: the steering committee's representative on the governing board."""
        by_pk = {group.pk: group for group in self.groups.values()}
        steering = next(
            (
                by_pk[committee.group_id]
                for committee in self.committees.values()
                if committee.purpose == CommitteePurpose.STEERING
                and by_pk[committee.group_id].status != GroupStatus.ARCHIVED
            ),
            None,
        )
        if steering is None:
            if self.document.board_rep:
                self.report.problem("gb_rep", "there is no steering committee: skipped")
            return
        rep = self.document.board_rep
        current = self.current_roles(steering, (RoleKind.BOARD_REP,))
        self.set_roles(steering, current, [(rep, RoleKind.BOARD_REP)] if rep else [])

    def archive_missing(self) -> None:
        """Groups of the file's kinds that it no longer lists are archived, never deleted."""
        missing = [
            group
            for slug, group in sorted(
                self.groups.items(), key=lambda item: (item[1].kind, item[1].name)
            )
            if group.kind in GROUP_LISTS.values()
            and group.status != GroupStatus.ARCHIVED
            and slug not in self.document.listed_slugs
        ]
        if not self.document.every_group_identified:
            if missing:
                self.report.problem(
                    "sigs.yaml", "a group has no dir: groups missing from the file stay active"
                )
            return
        for group in missing:
            # As group_archive does: it is archived, its current roles end.
            current = self.current_roles(group, tuple(RoleKind))
            try:
                self.groups_written.update(
                    group, archived_fields(reason=ARCHIVED_REASON, on=self.on)
                )
            except ValidationError as error:
                self.report.problem(group.slug, _skipped(error))
                continue
            for role in current:
                self.roles.update(role, {"end": self.on})
                self.counted(role, group.slug, "roles", "ended", _role_label(role, group))
            self.counted(group, group.slug, "groups", "archived", group.slug)

    # Writing

    def counted(self, record: Any, place: str, entity: str, outcome: str, label: str) -> None:
        """Count a record's outcome, to take back if the database refuses it."""
        self.report.count(entity, outcome, label=label)
        if outcome != "unchanged":
            self.pending[id(record)] = (place, (entity, outcome, label))

    def written(self, bulk: BulkWrite) -> set[int]:
        """Write what `bulk` holds; the records the database refused are reported at their
        place and not counted (their ids)."""
        refused = set()
        for record, error in bulk.write():
            place, counted = self.pending[id(record)]
            self.report.problem(place, _skipped(error))
            if counted:
                self.report.uncount(*counted)
            refused.add(id(record))
        return refused

    def write(self) -> set[int]:
        """Write the decided changes, each model at once; the ids of the refused records."""
        refused = self.written(self.subprojects_written)
        # The channels of a subproject the database refused are not written either.
        for channel in list(self.channels_written.created):
            if id(channel.subproject) in refused:
                self.channels_written.created.remove(channel)
                self.report.uncount(*self.pending[id(channel)][1])
        refused |= self.written(self.channels_written)
        refused |= self.written(self.roles)
        refused |= self.written(self.groups_written)
        refused |= self.written(self.committees_written)
        return refused


# The kinds' labels are read from their enums: get_kind_display() copies the choices each time.
def _role_label(role: Role, group: Group) -> str:
    return f"@{role.person.handle}, {RoleKind(role.kind).label.lower()} of {group.slug}"


def _channel_label(channel: Channel, group: Group, subproject: Subproject | None) -> str:
    owner = f"{group.slug}/{subproject.name}" if subproject else group.slug
    return f"{ChannelKind(channel.kind).label.lower()} {channel.name} of {owner}"
