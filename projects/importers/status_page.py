"""Read a status page (status-of-kubernetes-on-azure.md): the feature x release table with the
pull requests that delivered each feature, the release dates below it, the recommended
deployment mechanisms ("###" headings with notes) and the numbered future-work list, each item
with its status (a link when in progress) and description.

Nothing here writes: projects.importers.landscape_apply stores what is read.
"""

import dataclasses
import datetime
import re

from django.utils.text import slugify

from projects.importers.documents import LINK, URL, LineProblem
from projects.models import FutureWorkStatus, parse_release_version

RELEASE_COLUMN = re.compile(r"(?:K8s|Kubernetes)\s+v?(\d+\.\d+)", re.IGNORECASE)
RELEASED = re.compile(r"(?:Kubernetes|K8s)\s+v?(\d+\.\d+) was released on (.+?)\.?\s*$")
SUPPORTED = {"✓", "✔", "yes", "x"}
FUTURE_ITEM = re.compile(r"^\d+\.\s+\*\*(?P<title>.+?)\*\*\s*$")
FIELD = re.compile(r"^[*-]\s+\*\*(?P<name>\w+)\*\*:\s*(?P<value>.*)$")
STATUSES = {
    "work in progress": FutureWorkStatus.IN_PROGRESS,
    "in progress": FutureWorkStatus.IN_PROGRESS,
    "not started": FutureWorkStatus.NOT_STARTED,
    "done": FutureWorkStatus.DONE,
    "dropped": FutureWorkStatus.DROPPED,
}


@dataclasses.dataclass
class FeatureRecord:
    line: int
    name: str
    supported: dict[str, bool]  # release version (v1.4) -> supported
    pull_requests: dict[str, list[str]]  # release version -> the pull requests delivering it


@dataclasses.dataclass
class RecommendationRecord:
    line: int
    name: str
    url: str
    notes: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class FutureWorkRecord:
    line: int
    title: str
    status: str = ""
    status_url: str = ""
    description: list[str] = dataclasses.field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.title)[:120]


@dataclasses.dataclass
class StatusPage:
    title: str = ""
    releases: list[str] = dataclasses.field(default_factory=list)
    features: list[FeatureRecord] = dataclasses.field(default_factory=list)
    release_dates: dict[str, datetime.date] = dataclasses.field(default_factory=dict)
    recommendations: list[RecommendationRecord] = dataclasses.field(default_factory=list)
    future_work: list[FutureWorkRecord] = dataclasses.field(default_factory=list)
    problems: list[LineProblem] = dataclasses.field(default_factory=list)


def _version(text: str) -> str:
    parsed = parse_release_version(text)
    return f"v{parsed[0]}.{parsed[1]}" if parsed else ""


class _Reader:
    def __init__(self):
        self.page = StatusPage()
        self.section = ""
        self.columns: list[str] | None = None
        self.recommendation: RecommendationRecord | None = None
        self.item: FutureWorkRecord | None = None

    def problem(self, line: int, message: str) -> None:
        self.page.problems.append(LineProblem(line, message))

    def read(self, lines: list[str]) -> StatusPage:
        for number, text in enumerate(lines, start=1):
            if text.startswith("# ") and not self.page.title:
                self.page.title = text[2:].strip()
            elif text.startswith("## "):
                self.finish_item()
                heading = text[3:].strip().lower()
                self.section = next(
                    (name for name in ("feature", "recommended", "future") if name in heading), ""
                )
                if not self.section:
                    self.problem(number, f"section {text[3:].strip()!r} not understood: skipped")
            elif self.section == "feature":
                self.feature_line(number, text)
            elif self.section == "recommended":
                self.recommendation_line(number, text)
            elif self.section == "future":
                self.future_line(number, text)
        self.finish_item()
        return self.page

    def feature_line(self, number: int, text: str) -> None:
        stripped = text.strip()
        released = RELEASED.search(stripped)
        if released:
            try:
                day = datetime.datetime.strptime(released.group(2).strip(), "%B %d, %Y").date()
            except ValueError:
                self.problem(number, f"release date {released.group(2)!r} is not a date")
            else:
                self.page.release_dates[_version(released.group(1))] = day
            return
        if not stripped.startswith("|"):
            if stripped:
                self.problem(number, f"{stripped!r} not understood: left out")
            return
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        if self.columns is None:
            self.columns = cells
            self.page.releases = [
                _version(match.group(1)) for cell in cells if (match := RELEASE_COLUMN.search(cell))
            ]
            return
        if all(set(cell) <= set("-: ") for cell in cells):
            return
        row = dict(zip(self.columns, cells, strict=False))
        name = cells[0]
        supported, pulls = {}, {}
        for column, value in row.items():
            match = RELEASE_COLUMN.search(column)
            if match:
                version = _version(match.group(1))
                mark = LINK.sub("", value).strip().lower()
                supported[version] = mark in SUPPORTED
                if not supported[version] and mark:
                    self.problem(
                        number, f"{name}: {value!r} for {version} is not a tick: not supported"
                    )
                pulls[version] = URL.findall(value)
        # Pull requests of their own column delivered the feature where it is first supported.
        first = next((version for version, yes in supported.items() if yes), None)
        for column, value in row.items():
            if "PR" in column and first:
                pulls[first] = [*pulls[first], *URL.findall(value)]
        self.page.features.append(FeatureRecord(number, name, supported, pulls))

    def recommendation_line(self, number: int, text: str) -> None:
        if text.startswith("### "):
            heading = text[4:].strip()
            link = LINK.fullmatch(heading)
            name, url = (link.group(1), link.group(2)) if link else (heading, "")
            self.recommendation = RecommendationRecord(number, name.strip(), url)
            self.page.recommendations.append(self.recommendation)
        elif self.recommendation is not None:
            self.recommendation.notes.append(text)
        elif text.strip():
            self.problem(number, f"{text.strip()!r} before the first recommendation: left out")

    def future_line(self, number: int, text: str) -> None:
        stripped = text.strip()
        item = FUTURE_ITEM.match(stripped)
        field = FIELD.match(stripped)
        if item:
            self.finish_item()
            self.item = FutureWorkRecord(number, item.group("title").strip())
        elif self.item is None:
            return  # the list's introduction
        elif field and field.group("name").lower() == "status":
            self.status(number, field.group("value"))
        elif field and field.group("name").lower() == "description":
            if field.group("value").strip():
                self.item.description.append(field.group("value").strip())
        elif stripped:
            self.item.description.append(re.sub(r"^\s{0,4}", "", text))

    def status(self, number: int, value: str) -> None:
        assert self.item is not None
        link = LINK.search(value)
        label = (link.group(1) if link else value).strip()
        status = STATUSES.get(label.lower().rstrip("."))
        if status is None:
            self.problem(
                number,
                f"{self.item.title}: status {label!r} not understood: not started, "
                "the text kept in the description",
            )
            self.item.description.insert(0, f"Status: {value.strip()}")
            status = FutureWorkStatus.NOT_STARTED
        self.item.status = status
        self.item.status_url = link.group(2) if link else ""

    def finish_item(self) -> None:
        item = self.item
        if item is None:
            return
        if not item.status:
            self.problem(
                item.line,
                f"{item.title!r} has no status: not a future-work item, not imported "
                f"({len(item.description)} line(s) under it)",
            )
        else:
            self.page.future_work.append(item)
        self.item = None


def read_status_page(lines: list[str]) -> StatusPage:
    """The feature table, release dates, recommendations and future work of a status page."""
    return _Reader().read(lines)
