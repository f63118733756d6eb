"""Applying a parsed sigs.yaml: the import's orchestration, above governance.services.

`governance.importers.sigs_yaml` parses without writing; `sigs_import` brings the database in
line with the `SigsDocument` it gives, through the services, and reports what it changed.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
    channel_delete,
    channel_upsert,
    committee_set,
    group_archive,
    group_update,
    group_upsert,
    person_upsert,
    role_create,
    role_end,
    subproject_delete,
    subproject_upsert,
)
from governance.signals import sigs_group_imported, sigs_subproject_imported

SIGS_COMMITTEE_PURPOSES = {
    "committee-steering": CommitteePurpose.STEERING,
    "committee-code-of-conduct": CommitteePurpose.CODE_OF_CONDUCT,
    "committee-security-response": CommitteePurpose.SECURITY_RESPONSE,
}


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
    with transaction.atomic():
        report = _SigsImport(document, on or timezone.localdate()).run()
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
        report.problem(place, f"{' '.join(error.messages)} Skipped.")
        return None


class _SigsImport:
    def __init__(self, document: SigsDocument, on: datetime.date):
        self.document = document
        self.on = on
        self.report = ImportReport(problems=list(document.problems))
        self.people: dict[str, Person] = {}

    def run(self) -> ImportReport:
        self.report.existing.update(
            {
                "groups": Group.objects.active().filter(kind__in=GROUP_LISTS.values()).count(),
                "roles": Role.objects.current(self.on).count(),
                "subprojects": Subproject.objects.count(),
                "channels": Channel.objects.filter(kind__in=CHANNEL_KINDS.values()).count(),
            }
        )
        for key, person in self.document.people.items():
            fields: dict[str, Any] = {"name": person.name} if person.name else {}
            if person.affiliation is not None:
                fields["affiliation"] = person.affiliation
            if person.email is not None:
                fields["private_email"] = person.email
            if person.time_zone is not None:
                fields["time_zone"] = person.time_zone
            result = _attempt(
                self.report, person.place, person_upsert, handle=person.handle, **fields
            )
            if result:
                self.people[key] = result[0]
                self.report.count("people", result[1], label=f"@{person.handle}")
        imported = [
            (group, record, self.subprojects(group, record))
            for record in self.document.groups
            if (group := self.group(record))
        ]
        sigs = {sig.name.casefold(): sig for sig in Group.objects.active().of_kind(GroupKind.SIG)}
        for group, record, _ in imported:
            self.stakeholders(group, record, sigs)
        self.archive_missing()
        self.board_rep()
        for group, record, subprojects in imported:
            sigs_group_imported.send(
                sender=Group,
                group=group,
                data=record.data,
                place=record.place,
                report=self.report,
                on=self.on,
            )
            for subproject, subrecord in subprojects:
                sigs_subproject_imported.send(
                    sender=Subproject,
                    subproject=subproject,
                    data=subrecord.data,
                    place=subrecord.place,
                    report=self.report,
                    on=self.on,
                )
        return self.report

    def group(self, record: GroupRecord) -> Group | None:
        fields = {
            "kind": record.kind,
            "name": record.name,
            "mission": record.mission,
            "label": record.label,
        }
        if record.charter_url is not None:
            fields["charter_url"] = record.charter_url
        result = _attempt(self.report, record.place, group_upsert, slug=record.slug, **fields)
        if result is None:
            return None
        group, outcome = result
        if group.status == GroupStatus.ARCHIVED:
            group_update(
                group=group, status=GroupStatus.ACTIVE, status_since=self.on, status_reason=""
            )
            outcome = "updated"
        self.report.count("groups", outcome, label=group.slug)
        channels = record.channels
        if group.kind == GroupKind.COMMITTEE:
            channels = self.committee(group, record)
        chair_kind = chairs_role_kind(group.kind)
        current = group.roles.current(self.on).filter(
            kind__in=(chair_kind, RoleKind.TECH_LEAD, RoleKind.LIAISON)
        )
        wanted = [(mention, chair_kind) for mention in record.chairs]
        wanted += [(mention, RoleKind.TECH_LEAD) for mention in record.tech_leads]
        if record.liaison:
            wanted.append((record.liaison, RoleKind.LIAISON))
        self.roles(group, current, wanted)
        self.emeritus(group, record.emeritus_leads)
        self.channels(group, None, channels, record.unread_channel_kinds)
        return group

    def committee(self, group: Group, record: GroupRecord) -> list[ChannelRecord]:
        """Give a committee its charter; the private list of a committee people report to
        is its public reporting address. Returns the channels left to store as channels."""
        committee = Committee.objects.filter(group=group).first()
        if committee is None:
            purpose = SIGS_COMMITTEE_PURPOSES.get(group.slug, CommitteePurpose.OTHER)
            committee = _attempt(
                self.report, record.place, committee_set, group=group, purpose=purpose
            )
            if committee is None:
                return record.channels
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
        before = (committee.reporting_email, committee.reporting_url)
        if _attempt(self.report, reporting.place, committee_set, group=group, **address):
            committee.refresh_from_db()
            changed = before != (committee.reporting_email, committee.reporting_url)
            outcome = "updated" if changed else "unchanged"
            self.report.count("reporting addresses", outcome, label=group.slug)
        return [channel for channel in record.channels if channel is not reporting]

    def roles(self, group: Group, current, wanted: list[tuple[Mention, str]]) -> None:
        """End the current roles no longer wanted, then start the wanted ones not held yet
        (in this order, so that seat limits count the roster the file gives)."""
        held = {
            (role.person.handle.casefold(), role.kind): role
            for role in current.select_related("person")
        }
        wanted_keys = {(mention.key, kind) for mention, kind in wanted}
        for key, role in held.items():
            if key not in wanted_keys and _attempt(
                self.report, f"{group.slug}: @{role.person.handle}", role_end, role=role, on=self.on
            ):
                self.report.count("roles", "ended", label=_role_label(role, group))
        for mention, kind in wanted:
            person = self.people.get(mention.key)
            if (mention.key, kind) in held:
                self.report.count("roles", "unchanged")
                continue
            if person is None:
                continue
            # A person back in a role they held before starts a new term today.
            returning = group.roles.filter(person=person, kind=kind, end__lte=self.on).exists()
            started = _attempt(
                self.report,
                mention.place,
                role_create,
                person=person,
                group=group,
                kind=kind,
                start=self.on if returning else None,
            )
            if started:
                self.report.count("roles", "started", label=_role_label(started, group))

    def emeritus(self, group: Group, mentions: list[Mention]) -> None:
        """An emeritus lead without a past leadership role gets one, ended on a day the file
        does not tell (never the import's day)."""
        past = {
            role.person.handle.casefold()
            for role in group.roles.past(self.on)
            .filter(kind__in=emeritus_role_kinds(group.kind))
            .select_related("person")
        }
        for mention in mentions:
            person = self.people.get(mention.key)
            if mention.key in past or person is None:
                continue
            if _attempt(
                self.report,
                mention.place,
                role_create,
                person=person,
                group=group,
                kind=RoleKind.LEAD,
                end_unknown=True,
            ):
                self.report.count("emeritus roles", "created", label=f"@{person.handle} of {group}")

    def channels(
        self,
        group: Group,
        subproject: Subproject | None,
        records: list[ChannelRecord],
        unread_kinds: set[str],
    ) -> None:
        """Sync the kinds of channel sigs.yaml holds; other kinds (a forum) are the admins'."""
        synced = {str(kind) for kind in CHANNEL_KINDS.values()} - unread_kinds
        existing = Channel.objects.filter(group=group, subproject=subproject, kind__in=synced)
        for record in records:
            result = _attempt(
                self.report,
                record.place,
                channel_upsert,
                group=group,
                subproject=subproject,
                kind=record.kind,
                name=record.name,
                url=record.url,
                description=record.description,
            )
            if result:
                self.report.count(
                    "channels", result[1], label=_channel_label(result[0], group, subproject)
                )
        listed = {(record.kind, record.name) for record in records}
        for channel in existing:
            if (channel.kind, channel.name) not in listed:
                label = _channel_label(channel, group, subproject)
                channel_delete(channel=channel)
                self.report.count("channels", "removed", label=label)

    def subprojects(
        self, group: Group, record: GroupRecord
    ) -> list[tuple[Subproject, SubprojectRecord]]:
        imported = []
        for subrecord in record.subprojects:
            result = _attempt(
                self.report,
                subrecord.place,
                subproject_upsert,
                group=group,
                name=subrecord.name,
                description=subrecord.description,
                owners_files=subrecord.owners_files,
                leads=[self.people[m.key] for m in subrecord.leads if m.key in self.people],
            )
            if result:
                self.report.count("subprojects", result[1], label=f"{group.slug}/{subrecord.name}")
                self.channels(group, result[0], subrecord.channels, subrecord.unread_channel_kinds)
                imported.append((result[0], subrecord))
        listed = {subrecord.name for subrecord in record.subprojects}
        for subproject in group.subprojects.exclude(name__in=listed):
            label = f"{group.slug}/{subproject.name}"
            subproject_delete(subproject=subproject)
            self.report.count("subprojects", "removed", label=label)
        return imported

    def stakeholders(self, group: Group, record: GroupRecord, sigs: dict[str, Group]) -> None:
        wanted = []
        for name, place in record.stakeholder_names:
            sig = sigs.get(name.casefold())
            if sig is None:
                self.report.problem(place, f"there is no SIG named {name!r}: skipped")
            else:
                wanted.append(sig)
        if group_update(group=group, stakeholder_groups=wanted):
            self.report.count("stakeholder lists", "updated", label=group.slug)

    def board_rep(self) -> None:
        """gb_rep: the steering committee's representative on the governing board."""
        steering = (
            Group.objects.active().filter(committee__purpose=CommitteePurpose.STEERING).first()
        )
        if steering is None:
            if self.document.board_rep:
                self.report.problem("gb_rep", "there is no steering committee: skipped")
            return
        rep = self.document.board_rep
        current = steering.roles.current(self.on).filter(kind=RoleKind.BOARD_REP)
        self.roles(steering, current, [(rep, RoleKind.BOARD_REP)] if rep else [])

    def archive_missing(self) -> None:
        """Groups of the file's kinds that it no longer lists are archived, never deleted."""
        missing = (
            Group.objects.active()
            .filter(kind__in=GROUP_LISTS.values())
            .exclude(slug__in=self.document.listed_slugs)
        )
        if not self.document.every_group_identified:
            if missing.exists():
                self.report.problem(
                    "sigs.yaml", "a group has no dir: groups missing from the file stay active"
                )
            return
        for group in missing:
            for role in group.roles.current(self.on).select_related("person", "group"):
                self.report.count("roles", "ended", label=_role_label(role, group))
            group_archive(group=group, reason="No longer listed in sigs.yaml.", on=self.on)
            self.report.count("groups", "archived", label=group.slug)


def _role_label(role: Role, group: Group) -> str:
    return f"@{role.person.handle}, {role.get_kind_display().lower()} of {group.slug}"


def _channel_label(channel: Channel, group: Group, subproject: Subproject | None) -> str:
    owner = f"{group.slug}/{subproject.name}" if subproject else group.slug
    return f"{channel.get_kind_display().lower()} {channel.name} of {owner}"
