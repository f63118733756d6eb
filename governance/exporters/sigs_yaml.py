"""Writing sigs.yaml from the database: the file's keys, in the file's order.

The export is public by default: people's private emails and private channels are left out
unless `include_private` is set (for staff and operators, e.g. to move the data to another
instance). Importing what `sigs_document(include_private=True)` gives into an empty database
recreates the same groups, people, roles, channels and subprojects.
"""

from typing import Any

import yaml
from django.db.models import Prefetch

from governance import privacy
from governance.importers.sigs_yaml import (
    CHANNEL_KINDS,
    CONTACT_KEYS,
    DEFAULT_CHARTER_BASE,
    GROUP_KEYS,
    GROUP_LISTS,
    REPORTING_PURPOSES,
    SUBPROJECT_KEYS,
    chairs_role_kind,
    emeritus_role_kinds,
)
from governance.models import (
    Channel,
    ChannelKind,
    CommitteePurpose,
    Group,
    GroupStatus,
    Person,
    Role,
    RoleKind,
    Subproject,
)
from governance.signals import sigs_group_exporting, sigs_subproject_exporting


def sigs_document(
    *, include_private: bool = False, charter_base: str = DEFAULT_CHARTER_BASE
) -> dict[str, Any]:
    """The active groups of sigs.yaml's kinds, and the governing board representative."""
    groups = (
        Group.objects.active()
        .filter(kind__in=GROUP_LISTS.values())
        .order_by("slug")
        .select_related("committee")
        .prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("person")),
            Prefetch(
                "channels",
                queryset=Channel.objects.filter(subproject__isnull=True),
                to_attr="own_channels",
            ),
            "stakeholder_groups",
            Prefetch(
                "subprojects",
                queryset=Subproject.objects.order_by("name").prefetch_related("leads", "channels"),
            ),
        )
    )
    exporter = _Exporter(include_private=include_private, charter_base=charter_base.rstrip("/"))
    document: dict[str, Any] = {key: [] for key in GROUP_LISTS}
    kinds = {kind: key for key, kind in GROUP_LISTS.items()}
    for group in groups:
        document[kinds[group.kind]].append(exporter.group(group))
    rep = (
        Role.objects.current()
        .filter(kind=RoleKind.BOARD_REP, group__committee__purpose=CommitteePurpose.STEERING)
        .exclude(group__status=GroupStatus.ARCHIVED)
        .select_related("person")
        .order_by("person__handle")
        .first()
    )
    if rep:
        document["gb_rep"] = exporter.person(rep.person)
    return document


def dump(document: dict[str, Any]) -> str:
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as sigs.yaml does."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _ordered(mapping: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: mapping[key] for key in keys if key in mapping}


class _Exporter:
    def __init__(self, *, include_private: bool, charter_base: str):
        self.include_private = include_private
        self.charter_base = charter_base

    def person(self, person: Person, *, company: bool = True) -> dict[str, str]:
        entry = {"github": person.handle}
        if person.name:
            entry["name"] = person.name
        if company and person.affiliation:
            entry["company"] = person.affiliation
        if email := privacy.private_email(person, include_private=self.include_private):
            entry["email"] = email
        return entry

    def group(self, group: Group) -> dict[str, Any]:
        roles = sorted(group.roles.all(), key=lambda role: role.person.handle)
        current = [role for role in roles if role.is_current]
        chair_kinds = {RoleKind.CHAIR, chairs_role_kind(group.kind)}
        leadership: dict[str, Any] = {
            "chairs": [self.person(r.person) for r in current if r.kind in chair_kinds]
        }
        tech_leads = [self.person(r.person) for r in current if r.kind == RoleKind.TECH_LEAD]
        if tech_leads:
            leadership["tech_leads"] = tech_leads
        past_kinds = emeritus_role_kinds(group.kind)
        emeritus = list(
            {r.person.pk: r.person for r in roles if r.kind in past_kinds and r.has_ended}.values()
        )
        if emeritus:
            leadership["emeritus_leads"] = [self.person(p, company=False) for p in emeritus]
        data: dict[str, Any] = {
            "dir": group.slug,
            "name": group.name,
            "mission_statement": group.mission,
            "leadership": leadership,
            "meetings": [],
            "contact": self.contact(group.own_channels),
        }
        if group.charter_url:
            prefix = f"{self.charter_base}/{group.slug}/"
            data["charter_link"] = group.charter_url.removeprefix(prefix)
        stakeholders = sorted(sig.name for sig in group.stakeholder_groups.all())
        if stakeholders:
            data["stakeholder_sigs"] = stakeholders
        if group.label:
            data["label"] = group.label
        committee = getattr(group, "committee", None)
        if committee and committee.purpose in REPORTING_PURPOSES:
            # Where anyone reports is public: sigs.yaml calls it the private list.
            address = committee.reporting_email or committee.reporting_url
            if address:
                data["contact"]["private_mailing_list"] = address
        liaison = next((r.person for r in current if r.kind == RoleKind.LIAISON), None)
        if liaison:
            data["contact"]["liaison"] = self.person(liaison, company=False)
        subprojects = [self.subproject(subproject) for subproject in group.subprojects.all()]
        if subprojects:
            data["subprojects"] = subprojects
        sigs_group_exporting.send(
            sender=Group, group=group, data=data, include_private=self.include_private
        )
        data["contact"] = _ordered(data["contact"], CONTACT_KEYS)
        return _ordered(data, GROUP_KEYS)

    def contact(self, channels: list[Channel]) -> dict[str, Any]:
        """sigs.yaml has one Slack channel and one list of each kind: the first is written."""
        contact: dict[str, Any] = {}
        keys = {kind: key for key, kind in CHANNEL_KINDS.items()}
        for channel in sorted(channels, key=lambda c: (c.kind, c.name)):
            if not privacy.channel_shown(channel, include_private=self.include_private):
                continue
            if channel.kind == ChannelKind.GITHUB_TEAM:
                team = {"name": channel.name}
                if channel.description:
                    team["description"] = channel.description
                contact.setdefault("teams", []).append(team)
            elif channel.kind in keys:
                contact.setdefault(keys[channel.kind], channel.url or channel.name)
        return contact

    def subproject(self, subproject: Subproject) -> dict[str, Any]:
        data: dict[str, Any] = {"name": subproject.name, "owners": subproject.owners_files}
        if subproject.description:
            data["description"] = subproject.description
        contact = self.contact(list(subproject.channels.all()))
        if contact:
            data["contact"] = _ordered(contact, CONTACT_KEYS)
        leads = sorted(subproject.leads.all(), key=lambda person: person.handle)
        if leads:
            data["leads"] = [self.person(person) for person in leads]
        sigs_subproject_exporting.send(
            sender=Subproject,
            subproject=subproject,
            data=data,
            include_private=self.include_private,
        )
        return _ordered(data, SUBPROJECT_KEYS)
