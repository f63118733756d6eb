"""Read the project list README (azure-container-compute-upstream-README.md): the "Project list"
table by area, each project with its artifacts, goal, state and API versions, channels and the
products it is used in (with their status when the cell gives one).

A copy may say more, in Agora's extensions of the format: a "[repository](…)" artifact beside a
homepage; in the state cell, several steps, each with its date and decision ("CNCF: graduated
(2018-03-06, [decision](…))"); and columns the header names: "Previous project" (the project
this one succeeded), "License", "Groups" (`sig-auth (owner)`, or linked to the group's
directory to name it: `[Auth](…/sig-auth) (related)`) and "Slug" (the address of a project, or
of an area on its row, when it is not made from the name).

Nothing here writes: projects.importers.landscape_apply stores what is read.
"""

import dataclasses
import datetime
import re

from django.core.validators import slug_re
from django.utils.text import slugify

from projects.importers.documents import LINK, LineProblem
from projects.models import API_VERSION, ChannelKind, MaturityLevel, ProjectGroup, TieInStatus

BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
TAGS = re.compile(r"</?(?:ul|li)>", re.IGNORECASE)
# "Azure: incubating", "CNCF: graduated", "CNCF: graduated (2018-03-06, [decision](url))".
STATE = re.compile(
    r"^(?P<steward>[\w .-]+?):\s*(?P<level>[A-Za-z]+)\s*"
    r"(?:\((?P<date>[^,()]*?)\s*(?:,\s*\[[^\]]*\]\((?P<decision>[^)\s]*)\))?\s*\))?\s*$"
)
# A group by its directory, and how it stands to the project: "sig-auth (owner)".
GROUP = re.compile(r"(?P<slug>[-a-zA-Z0-9_]+)\s*(?:\(\s*(?P<relation>\w+)\s*\))?")
RELATIONS = {relation.value for relation in ProjectGroup.Relation}
LEVELS = {level.value: level.value for level in MaturityLevel} | {"incubation": "incubating"}
# What a tie-in's text says of its status: "(public preview)", "(generally available)".
TIE_IN_STATUS = [
    (re.compile(r"\bpreview\b", re.IGNORECASE), TieInStatus.PREVIEW),
    (re.compile(r"\bgenerally available\b|\bGA\b"), TieInStatus.GA),
    (re.compile(r"\bplanned\b", re.IGNORECASE), TieInStatus.PLANNED),
    (re.compile(r"\bretired\b", re.IGNORECASE), TieInStatus.RETIRED),
]
COLUMNS = {
    "area": "project area",
    "project": "project",
    "goal": "goal",
    "state": "project state",
    "communication": "communication",
    "use": "use on",
    "previous": "previous project",
    "license": "license",
    "groups": "group",
    "slug": "slug",
}


@dataclasses.dataclass
class TieInRecord:
    label: str
    url: str
    status: str = ""


@dataclasses.dataclass
class StepRecord:
    """A maturity step; without a date, one the list states (the import dates it)."""

    steward: str
    level: str
    date: datetime.date | None = None
    decision_url: str = ""


@dataclasses.dataclass
class GroupRecord:
    slug: str
    name: str  # the link's text; empty for a group named by its directory alone
    relation: str


@dataclasses.dataclass
class AreaRecord:
    line: int
    name: str
    given_slug: str = ""

    @property
    def slug(self) -> str:
        return self.given_slug or slugify(self.name)[:80]


@dataclasses.dataclass
class ProjectRecord:
    """A row of the table."""

    line: int
    area: str
    name: str
    homepage_url: str = ""
    repository_url: str = ""
    releases_url: str = ""
    tests_dashboard_url: str = ""
    goal: str = ""
    license: str = ""
    steps: list[StepRecord] = dataclasses.field(default_factory=list)
    apis: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    channels: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    tie_ins: list[TieInRecord] = dataclasses.field(default_factory=list)
    groups: list[GroupRecord] = dataclasses.field(default_factory=list)
    previous: str = ""
    given_slug: str = ""

    @property
    def slug(self) -> str:
        return self.given_slug or slugify(self.name)[:80]


@dataclasses.dataclass
class ProjectList:
    areas: list[AreaRecord] = dataclasses.field(default_factory=list)
    projects: list[ProjectRecord] = dataclasses.field(default_factory=list)
    rows: int = 0
    problems: list[LineProblem] = dataclasses.field(default_factory=list)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _parts(cell: str) -> list[str]:
    """A cell's pieces, split where it breaks a line or starts a list item."""
    return [part.strip() for part in BREAK.split(TAGS.sub("<br>", cell)) if part.strip()]


def _channel_kind(label: str, url: str) -> str:
    if label.startswith("#") or "slack.com" in url:
        return ChannelKind.SLACK
    if "@" in label or "groups.google.com" in url:
        return ChannelKind.MAILING_LIST
    if "issues" in label.lower() or url.rstrip("/").endswith("/issues"):
        return ChannelKind.ISSUE_TRACKER
    if "forum" in label.lower() or "discuss" in url:
        return ChannelKind.FORUM
    return ChannelKind.OTHER


class _Reader:
    def __init__(self):
        self.list = ProjectList()
        self.columns: dict[str, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.list.problems.append(LineProblem(line, message))

    def read(self, lines: list[str]) -> ProjectList:
        area, table = "", False
        for number, text in enumerate(lines, start=1):
            if text.startswith("## "):
                table = text[3:].strip().lower() == "project list"
                continue
            if not table or not text.strip().startswith("|"):
                continue
            cells = _cells(text)
            if not self.columns:
                self.columns = self.header(cells)
                continue
            if all(set(cell) <= set("-: ") for cell in cells):
                continue  # the separator row, or an empty row
            self.list.rows += 1
            first, slug = cells[0], self.columns.get("slug")
            if first and not any(
                cell for index, cell in enumerate(cells) if index not in (0, slug)
            ):
                area = first
                given = self.slug(number, area, self.cell(cells, "slug"))
                self.list.areas.append(AreaRecord(number, area, given))
            elif not area:
                self.problem(number, "a project before any area: not imported")
            else:
                record = self.project(number, area, cells)
                if record:
                    self.list.projects.append(record)
        if not self.columns:
            self.problem(1, 'no "## Project list" table: nothing to import')
        return self.list

    def header(self, cells: list[str]) -> dict[str, int]:
        found = {}
        for index, cell in enumerate(cells):
            for key, start in COLUMNS.items():
                if cell.lower().startswith(start) and key not in found:
                    found[key] = index
                    break
        return found

    def cell(self, cells: list[str], key: str) -> str:
        index = self.columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    def slug(self, number: int, name: str, cell: str) -> str:
        """The Slug cell's address, when it is one."""
        if cell and not (slug_re.match(cell) and len(cell) <= 80):
            self.problem(number, f"{name}: slug {cell!r} is not a slug: left out")
            return ""
        return cell

    def project(self, number: int, area: str, cells: list[str]) -> ProjectRecord | None:
        links = LINK.findall(self.cell(cells, "project"))
        if not links:
            self.problem(number, f"no project link in {self.cell(cells, 'project')!r}: skipped")
            return None
        name, url = links[0]
        record = ProjectRecord(number, area, name.strip())
        if "github.com/" in url:
            record.repository_url = url
        else:
            record.homepage_url = url
        for label, target in links[1:]:
            if "repositor" in label.lower():
                record.repository_url = target
            elif "release" in label.lower():
                record.releases_url = target
            elif label.lower() in ("tests", "builds"):
                record.tests_dashboard_url = target
            else:
                self.problem(number, f"{record.name}: link {label!r} not understood: left out")
        record.goal = LINK.sub(r"\1", self.cell(cells, "goal")).strip()
        self.state(number, record, self.cell(cells, "state"))
        for label, target in LINK.findall(self.cell(cells, "communication")):
            record.channels.append((_channel_kind(label, target), label.strip(), target))
        self.tie_ins(number, record, self.cell(cells, "use"))
        previous = self.cell(cells, "previous")
        previous_link = LINK.search(previous)
        record.previous = (previous_link.group(1) if previous_link else previous).strip()
        record.license = LINK.sub(r"\1", self.cell(cells, "license")).strip()
        self.groups(number, record, self.cell(cells, "groups"))
        record.given_slug = self.slug(number, record.name, self.cell(cells, "slug"))
        return record

    def state(self, number: int, record: ProjectRecord, cell: str) -> None:
        steward = ""  # "Kubernetes:" alone, then a level per feature
        for part in _parts(cell):
            label, _, value = part.partition(":")
            if label.strip().lower() in ("api", "apis"):
                self.apis(number, record, value.strip())
                continue
            if not value.strip():
                steward = label.strip()
                continue
            match = STATE.match(part)
            level = LEVELS.get(match.group("level").lower()) if match else None
            step = StepRecord(steward or match.group("steward").strip(), level) if level else None
            if not step or any((s.steward, s.level) == (step.steward, level) for s in record.steps):
                self.problem(number, f"{record.name}: state {part!r} not understood: left out")
                continue
            when, step.decision_url = match.group("date"), match.group("decision") or ""
            if when is not None:
                try:
                    step.date = datetime.date.fromisoformat(when)
                except ValueError:
                    message = f"{record.name}: state {part!r}: {when!r} is not a date (YYYY-MM-DD)"
                    self.problem(number, f"{message}: left out")
                    continue
            record.steps.append(step)

    def apis(self, number: int, record: ProjectRecord, text: str) -> None:
        if text.upper() in ("N/A", ""):
            return
        for item in text.split(";"):
            api, _, version = item.rpartition(":")
            version = version.strip()
            if API_VERSION.match(version):
                record.apis.append((api.strip() or record.name, version))
            else:
                self.problem(number, f"{record.name}: API version {item.strip()!r} not understood")

    def tie_ins(self, number: int, record: ProjectRecord, cell: str) -> None:
        for part in _parts(cell):
            links = LINK.findall(part)
            if not links:
                self.problem(number, f"{record.name}: tie-in {part!r} has no link: left out")
                continue
            label, url = links[0]
            rest = LINK.sub("", part)
            status = next((value for pattern, value in TIE_IN_STATUS if pattern.search(rest)), "")
            record.tie_ins.append(TieInRecord(label.strip(), url, status))

    def groups(self, number: int, record: ProjectRecord, cell: str) -> None:
        for part in (each.strip() for chunk in _parts(cell) for each in chunk.split(",")):
            if not part:
                continue
            link = LINK.match(part)  # its address ends in the group's directory
            name = link[1].strip() if link else ""
            text = (
                f"{link[2].rstrip('/').rpartition('/')[2]} {part[link.end() :]}" if link else part
            )
            match = GROUP.fullmatch(text.strip())
            relation = (match["relation"] or ProjectGroup.Relation.OWNER).lower() if match else ""
            if not match or relation not in RELATIONS:
                self.problem(number, f"{record.name}: group {part!r} not understood: left out")
                continue
            record.groups.append(GroupRecord(match["slug"], name, relation))


def read_project_list(lines: list[str]) -> ProjectList:
    """The areas and projects of the README's "## Project list" table."""
    return _Reader().read(lines)
