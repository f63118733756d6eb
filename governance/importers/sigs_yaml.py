"""Reading Kubernetes' sigs.yaml into plain records, each with its place in the file.

Parsing never writes: `governance.importers.sigs_apply.sigs_import` applies a `SigsDocument`.
Every data problem (unknown key, duplicate entry, invisible character, missing or invalid handle,
bad URL, one person written differently in two places) is collected with its place, such as
"sigs[3] (sig-node).leadership.chairs[1]", and only the bad record is skipped.

The `meetings` lists of groups and subprojects belong to the meetings app: they are kept raw in
`GroupRecord.data` / `SubprojectRecord.data` and read through `governance.signals`.
"""

import dataclasses
import unicodedata
from collections import Counter
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug

from governance.importers.limited_yaml import YamlFileError, read_yaml
from governance.models import (
    LEADERSHIP_KINDS,
    ChannelKind,
    CommitteePurpose,
    GroupKind,
    RoleKind,
    handle_validator,
    validate_http_url,
)
from governance.timezones import validate_time_zone

DEFAULT_CHARTER_BASE = "https://github.com/kubernetes/community/blob/master"

# The file's lists of groups, in the file's order.
GROUP_LISTS = {
    "sigs": GroupKind.SIG,
    "workinggroups": GroupKind.WORKING_GROUP,
    "usergroups": GroupKind.USER_GROUP,
    "committees": GroupKind.COMMITTEE,
}
# Every key the file may hold, in the file's own order: the exporter writes this order too.
TOP_KEYS = (*GROUP_LISTS, "gb_rep")
GROUP_KEYS = (
    "dir",
    "name",
    "mission_statement",
    "charter_link",
    "stakeholder_sigs",
    "label",
    "leadership",
    "meetings",
    "contact",
    "subprojects",
)
LEADERSHIP_KEYS = ("chairs", "tech_leads", "emeritus_leads")
CONTACT_KEYS = ("slack", "mailing_list", "private_mailing_list", "teams", "liaison")
SUBPROJECT_KEYS = ("name", "description", "contact", "owners", "leads", "meetings")
SUBPROJECT_CONTACT_KEYS = ("slack", "mailing_list", "private_mailing_list", "teams")
PERSON_KEYS = ("github", "name", "company", "email", "agora")
# What sigs.yaml cannot say of a person, in an `agora:` mapping: `time_zone` (an IANA zone).
PERSON_AGORA_KEYS = ("time_zone",)
TEAM_KEYS = ("name", "description")
# The channels a contact mapping can hold, by key.
CHANNEL_KINDS = {
    "slack": ChannelKind.SLACK,
    "mailing_list": ChannelKind.MAILING_LIST,
    "private_mailing_list": ChannelKind.PRIVATE_MAILING_LIST,
    "teams": ChannelKind.GITHUB_TEAM,
}

# What a group holds that is read as one piece: a value of another type skips the group.
# (Its meetings are the meetings app's to check.)
GROUP_SHAPES = {
    "leadership": dict,
    "contact": dict,
    "subprojects": list,
    "stakeholder_sigs": list,
}
LEADERSHIP_SHAPE = list
# Committees whose private_mailing_list is where anyone reports: their public address.
REPORTING_PURPOSES = {CommitteePurpose.CODE_OF_CONDUCT, CommitteePurpose.SECURITY_RESPONSE}
# Outcomes that take something away: the import's removal limit counts them.
REMOVALS = {"archived", "ended", "removed"}


def chairs_role_kind(group_kind: str) -> str:
    """The role of the people a group's "chairs" list names: a committee's are its members."""
    return RoleKind.MEMBER if group_kind == GroupKind.COMMITTEE else RoleKind.CHAIR


def emeritus_role_kinds(group_kind: str) -> tuple[str, ...]:
    """The past roles that make someone one of a group's "emeritus_leads"."""
    return (*LEADERSHIP_KINDS, chairs_role_kind(group_kind))


# Characters that cannot be seen but change a value: zero-width spaces, BOMs, controls, NBSP.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zs", "Zl", "Zp"}


class SigsFileError(Exception):
    """The file is refused as a whole: not YAML, not a sigs.yaml mapping, or a section of the
    wrong type (which, read as empty, would end every role it holds)."""


@dataclasses.dataclass(frozen=True)
class Problem:
    """A data problem and where it is in the file."""

    place: str
    message: str

    def __str__(self):
        return f"{self.place}: {self.message}"


@dataclasses.dataclass
class ImportReport:
    """What an import changed and the problems it found; signal receivers add to it too."""

    problems: list[Problem] = dataclasses.field(default_factory=list)
    # (entity, outcome) -> number, e.g. ("groups", "created") -> 35.
    counts: Counter = dataclasses.field(default_factory=Counter)
    # One line per change that names what changed: "groups created: sig-node".
    changed: list[str] = dataclasses.field(default_factory=list)
    # What the import ends, archives or removes, by entity ("roles": ["@x chair of sig-y"]).
    removals: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    # How many of each entity the removals are counted against, as it was before the import.
    existing: Counter = dataclasses.field(default_factory=Counter)
    # Why nothing was written ("" when the import was applied).
    refused: str = ""

    def problem(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message))

    def count(self, entity: str, outcome: str, number: int = 1, *, label: str = "") -> None:
        """Count outcomes; a `label` names the one changed, for the diff and the removal list."""
        self.counts[entity, outcome] += number
        if label and outcome != "unchanged":
            self.changed.append(f"{entity} {outcome}: {label}")
            if outcome in REMOVALS:
                self.removals.setdefault(entity, []).append(label)

    def uncount(self, entity: str, outcome: str, label: str = "") -> None:
        """Take back a count: the record was refused by the database after all."""
        self.counts[entity, outcome] -= 1
        if not self.counts[entity, outcome]:
            del self.counts[entity, outcome]
        if label and outcome != "unchanged":
            self.changed.remove(f"{entity} {outcome}: {label}")
            if outcome in REMOVALS:
                self.removals[entity].remove(label)

    def removals_over(self, share: float) -> dict[str, tuple[int, int]]:
        """Entities losing more than `share` of what existed: entity -> (removed, existing)."""
        return {
            entity: (len(labels), self.existing[entity])
            for entity, labels in self.removals.items()
            if entity in self.existing and len(labels) > share * self.existing[entity]
        }

    @property
    def changes(self) -> int:
        return sum(n for (_, outcome), n in self.counts.items() if outcome != "unchanged")

    def summary(self) -> list[str]:
        """One line per entity: "groups: 35 created, 0 updated, 0 unchanged"."""
        outcomes: dict[str, list[str]] = {}
        for (entity, outcome), number in self.counts.items():
            outcomes.setdefault(entity, []).append(f"{number} {outcome}")
        return [f"{entity}: {', '.join(parts)}" for entity, parts in outcomes.items()]


@dataclasses.dataclass(frozen=True)
class Mention:
    """A person named at one place: as a lead, liaison or subproject lead."""

    handle: str
    place: str

    @property
    def key(self) -> str:
        return self.handle.casefold()


@dataclasses.dataclass
class PersonRecord:
    """What the file says about one person, merged from every place that names them."""

    handle: str
    place: str
    name: str = ""
    affiliation: str | None = None
    email: str | None = None
    # `agora.time_zone`: None when the file does not give it.
    time_zone: str | None = None


@dataclasses.dataclass
class ChannelRecord:
    kind: str
    name: str
    place: str
    url: str = ""
    description: str = ""


@dataclasses.dataclass
class SubprojectRecord:
    name: str
    place: str
    description: str
    owners_files: list[str]
    leads: list[Mention]
    channels: list[ChannelRecord]
    # Kinds of channel whose entry could not be read: their stored channels are kept.
    unread_channel_kinds: set[str]
    data: Mapping[str, Any]


@dataclasses.dataclass
class GroupRecord:
    kind: str
    slug: str
    name: str
    place: str
    mission: str
    # None when the file's link is unusable: the stored one is then left as it is.
    charter_url: str | None
    label: str
    chairs: list[Mention]
    tech_leads: list[Mention]
    emeritus_leads: list[Mention]
    liaison: Mention | None
    channels: list[ChannelRecord]
    unread_channel_kinds: set[str]
    subprojects: list[SubprojectRecord]
    stakeholder_names: list[tuple[str, str]]  # (SIG name, place)
    data: Mapping[str, Any]


@dataclasses.dataclass
class SigsDocument:
    """Everything usable in one sigs.yaml, and what was wrong with the rest."""

    groups: list[GroupRecord]
    people: dict[str, PersonRecord]  # by casefolded handle
    board_rep: Mention | None
    problems: list[Problem]
    # Every group's dir, including skipped groups'; False when some entry has no dir.
    listed_slugs: set[str]
    every_group_identified: bool


def parse(text: str, *, charter_base: str = DEFAULT_CHARTER_BASE) -> SigsDocument:
    """Read sigs.yaml text; raises SigsFileError when the file must be refused as a whole."""
    try:
        read = read_yaml(text)
    except YamlFileError as error:
        raise SigsFileError(str(error)) from error
    data = read.data
    if not isinstance(data, dict):
        raise SigsFileError("the file must be a mapping with sigs, workinggroups, … keys")
    if not GROUP_LISTS.keys() & data.keys():
        raise SigsFileError(f"none of the sections {', '.join(GROUP_LISTS)} is in the file")
    for key in GROUP_LISTS:
        if data.get(key) is not None and not isinstance(data[key], list):
            found = type(data[key]).__name__
            raise SigsFileError(f"{key}: expected a list of groups, found {found}")
        for index, entry in enumerate(data.get(key) or []):
            if not isinstance(entry, dict):
                found = type(entry).__name__
                raise SigsFileError(f"{key}[{index}]: expected a group mapping, found {found}")
    parser = _Parser(charter_base=charter_base.rstrip("/"))
    parser.problems += [Problem(each.place, each.message) for each in read.problems]
    return parser.document(data)


class _Parser:
    def __init__(self, *, charter_base: str):
        self.charter_base = charter_base
        self.problems: list[Problem] = []
        self.people: dict[str, PersonRecord] = {}

    def problem(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message))

    def document(self, data: dict) -> SigsDocument:
        self.known_keys(data, TOP_KEYS, "sigs.yaml")
        groups: list[GroupRecord] = []
        seen: dict[str, str] = {}
        listed: set[str] = set()
        identified = True
        for list_key in GROUP_LISTS:
            for index, entry in enumerate(self.sequence(data.get(list_key), list_key)):
                label = entry.get("dir") if isinstance(entry, dict) else None
                if isinstance(label, str):
                    listed.add(label.strip())
                identified = identified and isinstance(label, str)
                place = f"{list_key}[{index}]" + (f" ({label})" if isinstance(label, str) else "")
                group = self.group(entry, place, kind=GROUP_LISTS[list_key])
                if group is None:
                    continue
                if group.slug in seen:
                    self.problem(place, f"duplicate of {seen[group.slug]}: skipped")
                    continue
                seen[group.slug] = place
                groups.append(group)
        board_rep = None
        if data.get("gb_rep") is not None:
            board_rep = self.person(data["gb_rep"], "gb_rep")
        return SigsDocument(groups, self.people, board_rep, self.problems, listed, identified)

    # Shapes

    def shaped(self, entry: dict, place: str) -> bool:
        """Whether a group's parts have their types: one that has not would read as empty and
        end what the group holds, so the group is skipped and its stored records kept."""
        parts = [(f"{place}.{key}", entry.get(key), shape) for key, shape in GROUP_SHAPES.items()]
        if isinstance(entry.get("leadership"), dict):
            parts += [
                (f"{place}.leadership.{key}", entry["leadership"].get(key), LEADERSHIP_SHAPE)
                for key in LEADERSHIP_KEYS
            ]
        for part, value, shape in parts:
            if value is not None and not isinstance(value, shape):
                expected = "a mapping" if shape is dict else "a list"
                self.problem(
                    part,
                    f"expected {expected}, found {type(value).__name__}: "
                    "group skipped, its stored records kept",
                )
                return False
        return True

    def known_keys(self, mapping: dict, keys: tuple[str, ...], place: str) -> None:
        for key in mapping:
            if key not in keys:
                self.problem(place, f"unknown key {key!r}: ignored")

    def mapping(self, value: Any, place: str, keys: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.problem(place, f"expected a mapping, found {type(value).__name__}: skipped")
            return None
        self.known_keys(value, keys, place)
        return value

    def sequence(self, value: Any, place: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(place, f"expected a list, found {type(value).__name__}: skipped")
            return []
        return value

    def text(self, value: Any, place: str) -> str:
        """Free text (mission, description): kept as written, surrounding blanks removed."""
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(place, f"expected text, found {type(value).__name__}: ignored")
            return ""
        return value.strip()

    def token(self, value: Any, place: str) -> str:
        """A one-line value (handle, name, URL, channel): invisible characters are removed."""
        value = self.text(value, place)
        invisible = [char for char in value if _is_invisible(char)]
        if invisible:
            names = ", ".join(
                sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL')}" for c in invisible})
            )
            self.problem(place, f"invisible character(s) removed: {names}")
            value = "".join(char for char in value if not _is_invisible(char))
        return value

    def url(self, value: Any, place: str) -> str | None:
        url = self.token(value, place)
        try:
            validate_http_url(url)
        except ValidationError:
            self.problem(place, f"not a valid http(s) URL: {url!r}: skipped")
            return None
        return url

    # Records

    def group(self, entry: Any, place: str, *, kind: str) -> GroupRecord | None:
        entry = self.mapping(entry, place, GROUP_KEYS)
        if entry is None or not self.shaped(entry, place):
            return None
        slug = self.token(entry.get("dir"), f"{place}.dir")
        name = self.token(entry.get("name"), f"{place}.name")
        try:
            validate_slug(slug)
        except ValidationError:
            self.problem(f"{place}.dir", f"missing or not a slug: {slug!r}: group skipped")
            return None
        if not name:
            self.problem(f"{place}.name", "missing: group skipped")
            return None
        leadership = self.mapping(
            entry.get("leadership") or {}, f"{place}.leadership", LEADERSHIP_KEYS
        )
        leadership = leadership or {}
        # Read in the file's order, so that a person's first place is the first one in the file.
        stakeholder_names = self.stakeholders(
            entry.get("stakeholder_sigs"), f"{place}.stakeholder_sigs"
        )
        leaders = {
            key: self.people_list(leadership.get(key), f"{place}.leadership.{key}")
            for key in LEADERSHIP_KEYS
        }
        contact = self.mapping(entry.get("contact") or {}, f"{place}.contact", CONTACT_KEYS)
        channels, unread = self.channels(contact, f"{place}.contact")
        liaison = None
        if contact and contact.get("liaison") is not None:
            liaison = self.person(contact["liaison"], f"{place}.contact.liaison")
        return GroupRecord(
            kind=kind,
            slug=slug,
            name=name,
            place=place,
            mission=self.text(entry.get("mission_statement"), f"{place}.mission_statement"),
            charter_url=self.charter(entry.get("charter_link"), f"{place}.charter_link", slug),
            label=self.token(entry.get("label"), f"{place}.label"),
            chairs=leaders["chairs"],
            tech_leads=leaders["tech_leads"],
            emeritus_leads=leaders["emeritus_leads"],
            liaison=liaison,
            channels=channels,
            unread_channel_kinds=unread,
            subprojects=self.subprojects(entry.get("subprojects"), f"{place}.subprojects"),
            stakeholder_names=stakeholder_names,
            data=entry,
        )

    def charter(self, value: Any, place: str, slug: str) -> str | None:
        link = self.token(value, place)
        if not link:
            return ""
        if "://" not in link:
            link = f"{self.charter_base}/{slug}/{link.lstrip('/')}"
        return self.url(link, place)

    def stakeholders(self, value: Any, place: str) -> list[tuple[str, str]]:
        names: list[tuple[str, str]] = []
        for index, entry in enumerate(self.sequence(value, place)):
            name = self.token(entry, f"{place}[{index}]")
            if not name:
                continue
            if any(name.casefold() == seen.casefold() for seen, _ in names):
                self.problem(f"{place}[{index}]", f"duplicate stakeholder {name!r}: skipped")
                continue
            names.append((name, f"{place}[{index}]"))
        return names

    def people_list(self, value: Any, place: str) -> list[Mention]:
        mentions: list[Mention] = []
        for index, entry in enumerate(self.sequence(value, place)):
            mention = self.person(entry, f"{place}[{index}]")
            if mention is None:
                continue
            duplicate = next((m for m in mentions if m.key == mention.key), None)
            if duplicate:
                self.problem(
                    mention.place, f"@{mention.handle} is already at {duplicate.place}: skipped"
                )
                continue
            mentions.append(mention)
        return mentions

    def person(self, entry: Any, place: str) -> Mention | None:
        entry = self.mapping(entry, place, PERSON_KEYS)
        if entry is None:
            return None
        handle = self.token(entry.get("github"), f"{place}.github")
        if not handle:
            self.problem(place, "no github handle: skipped")
            return None
        try:
            handle_validator(handle)
        except ValidationError:
            self.problem(f"{place}.github", f"{handle!r} is not a valid GitHub handle: skipped")
            return None
        record = PersonRecord(handle=handle, place=place, name=self.token(entry.get("name"), place))
        if entry.get("company") is not None:
            record.affiliation = self.token(entry["company"], f"{place}.company")
        if entry.get("email") is not None:
            record.email = self.email(entry["email"], f"{place}.email")
        if entry.get("agora") is not None:
            record.time_zone = self.person_time_zone(entry["agora"], f"{place}.agora")
        self.merge(record)
        return Mention(handle, place)

    def person_time_zone(self, value: Any, place: str) -> str | None:
        agora = self.mapping(value, place, PERSON_AGORA_KEYS)
        if agora is None or agora.get("time_zone") is None:
            return None
        zone = self.token(agora["time_zone"], f"{place}.time_zone")
        try:
            validate_time_zone(zone)
        except ValidationError as error:
            self.problem(f"{place}.time_zone", f"{' '.join(error.messages)} Skipped.")
            return None
        return zone

    def email(self, value: Any, place: str) -> str | None:
        email = self.token(value, place)
        try:
            validate_email(email)
        except ValidationError:
            # The address is private: the report does not repeat it.
            self.problem(place, "not a valid email address: skipped")
            return None
        return email

    def merge(self, record: PersonRecord) -> None:
        """Keep one record per person; report where two places disagree (first place wins)."""
        first = self.people.setdefault(record.handle.casefold(), record)
        if first is record:
            return
        if first.handle != record.handle:
            self.problem(
                record.place, f"@{record.handle} is written @{first.handle} at {first.place}"
            )
        for field, label in (
            ("name", "named"),
            ("affiliation", "with company"),
            ("time_zone", "in the time zone"),
        ):
            mine, theirs = getattr(record, field), getattr(first, field)
            if mine and theirs and mine != theirs:
                self.problem(
                    record.place,
                    f"@{record.handle} {label} {mine!r} here but {theirs!r} at {first.place}",
                )
            elif mine and not theirs:
                setattr(first, field, mine)
        if record.email and first.email and record.email.casefold() != first.email.casefold():
            self.problem(record.place, f"@{record.handle} has another email at {first.place}")
        elif record.email and not first.email:
            first.email = record.email

    def channels(self, contact: dict | None, place: str) -> tuple[list[ChannelRecord], set[str]]:
        """A contact's channels, and the kinds whose entry was unreadable (None: every kind)."""
        if contact is None:
            return [], set(CHANNEL_KINDS.values())
        channels: list[ChannelRecord] = []
        unread: set[str] = set()
        if contact.get("slack") is not None:
            name = self.token(contact["slack"], f"{place}.slack")
            if name:
                channels.append(ChannelRecord(ChannelKind.SLACK, name, f"{place}.slack"))
            else:
                unread.add(ChannelKind.SLACK)
        for key in ("mailing_list", "private_mailing_list"):
            if contact.get(key) is not None:
                channel = self.mailing_list(contact[key], f"{place}.{key}", CHANNEL_KINDS[key])
                if channel:
                    channels.append(channel)
                else:
                    unread.add(CHANNEL_KINDS[key])
        teams = contact.get("teams")
        if teams is not None and not isinstance(teams, list):
            unread.add(ChannelKind.GITHUB_TEAM)
        for index, team in enumerate(self.sequence(teams, f"{place}.teams")):
            team_place = f"{place}.teams[{index}]"
            fields = self.mapping(team, team_place, TEAM_KEYS)
            name = self.token(fields.get("name"), f"{team_place}.name") if fields else None
            if not name:
                if fields is not None:
                    self.problem(team_place, "a team without a name: skipped")
                unread.add(ChannelKind.GITHUB_TEAM)
                continue
            description = self.text(fields.get("description"), f"{team_place}.description")
            channels.append(
                ChannelRecord(ChannelKind.GITHUB_TEAM, name, team_place, description=description)
            )
        unique: list[ChannelRecord] = []
        for channel in channels:
            same = next(
                (c for c in unique if (c.kind, c.name) == (channel.kind, channel.name)), None
            )
            if same:
                self.problem(channel.place, f"duplicate of {same.place}: skipped")
            else:
                unique.append(channel)
        return unique, unread

    def mailing_list(self, value: Any, place: str, kind: str) -> ChannelRecord | None:
        """A list given as an address, or as a web page whose last part names it."""
        address = self.token(value, place)
        if not address:
            return None
        if "://" not in address:
            email = self.email(address, place)
            return ChannelRecord(kind, email, place) if email else None
        url = self.url(address, place)
        if url is None:
            return None
        parts = urlsplit(url)
        # Google Groups' old pages name the list in the fragment: "#!forum/kubernetes-sig-auth".
        path = parts.fragment if parts.fragment.startswith("!forum/") else parts.path
        name = path.rstrip("/").rsplit("/", 1)[-1] or parts.netloc
        return ChannelRecord(kind, name, place, url=url)

    def subprojects(self, value: Any, place: str) -> list[SubprojectRecord]:
        subprojects: list[SubprojectRecord] = []
        seen: dict[str, str] = {}
        for index, entry in enumerate(self.sequence(value, place)):
            label = entry.get("name") if isinstance(entry, dict) else None
            entry_place = f"{place}[{index}]" + (f" ({label})" if isinstance(label, str) else "")
            subproject = self.subproject(entry, entry_place)
            if subproject is None:
                continue
            if subproject.name in seen:
                self.problem(entry_place, f"duplicate of {seen[subproject.name]}: skipped")
                continue
            seen[subproject.name] = entry_place
            subprojects.append(subproject)
        return subprojects

    def subproject(self, entry: Any, place: str) -> SubprojectRecord | None:
        entry = self.mapping(entry, place, SUBPROJECT_KEYS)
        if entry is None:
            return None
        name = self.token(entry.get("name"), f"{place}.name")
        if not name:
            self.problem(place, "a subproject without a name: skipped")
            return None
        owners: list[str] = []
        for index, owner in enumerate(self.sequence(entry.get("owners"), f"{place}.owners")):
            url = self.url(owner, f"{place}.owners[{index}]")
            if url in owners:
                self.problem(f"{place}.owners[{index}]", f"duplicate {url}: skipped")
            elif url:
                owners.append(url)
        contact = self.mapping(
            entry.get("contact") or {}, f"{place}.contact", SUBPROJECT_CONTACT_KEYS
        )
        channels, unread = self.channels(contact, f"{place}.contact")
        return SubprojectRecord(
            name=name,
            place=place,
            description=self.text(entry.get("description"), f"{place}.description"),
            owners_files=owners,
            leads=self.people_list(entry.get("leads"), f"{place}.leads"),
            channels=channels,
            unread_channel_kinds=unread,
            data=entry,
        )


def _is_invisible(char: str) -> bool:
    return char != " " and unicodedata.category(char) in _INVISIBLE_CATEGORIES
