"""Read the landscape notes (kubernetes-landscape-notes.md): "#" categories, "##" entries with
their date and version, body, references and dated updates, link-only entries, comparisons
("kargo vs. kops"), renames and deprecations, and the TODO list with depth and priority.

Nothing here writes: projects.importers.landscape_apply stores what is read. Text the reader
does not understand stays in the entry's body, and each such place is reported by line.
"""

import dataclasses
import datetime
import re

from django.utils.text import slugify

from projects.importers.documents import LINK, LineProblem, first_url, parse_us_date

DATE_LINE = re.compile(r"^\*Date:\s*(?P<date>[^,*]*)(?:,\s*(?P<version>[^*]*))?\*\s*$")
UPDATE_LINE = re.compile(r"^\*Update on\s+(?P<date>[^,*]*)(?:,\s*(?P<version>[^*]*))?\*\s*$")
REFERENCES_LINE = re.compile(r"^\*References?\*\s*$")
LINK_ONLY = re.compile(r"^link:\s*\[(?P<label>[^\]]*)\]\((?P<target>[^)]*)\)\s*$")
TODO_ITEM = re.compile(
    r"^- (?P<name>.+?)\s*\(TODO:\s*(?P<depth>[\w -]+?),\s*P(?P<priority>\d)\)\s*$"
)
RENAMED = re.compile(
    r"\brenamed(?: to)?\s+\[?(?P<name>[A-Za-z0-9][\w.-]*)\]?(?:\((?P<url>[^)]+)\))?"
)
DEPRECATED = re.compile(
    r"\bis\s+deprecated\s+in\s+favou?r\s+of\s+(?:the\s+)?\[?(?P<name>[A-Za-z0-9][\w.-]*)"
)
COMPARISON = re.compile(r"\s+vs\.?\s+")
TODO_HEADING = "TODOs"


@dataclasses.dataclass
class RelationRecord:
    """A rename or deprecation an entry states: to which project, on which date."""

    kind: str  # projects.models.RelationKind
    target: str
    url: str
    date: datetime.date | None


@dataclasses.dataclass
class UpdateRecord:
    line: int
    date: datetime.date
    version: str
    body: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class EntryRecord:
    """A "##" entry of the notes."""

    line: int
    category: str  # the category's slug
    title: str
    kind: str = "undated"  # projects.models.EvaluationKind
    date: datetime.date | None = None
    version: str = ""
    body: list[str] = dataclasses.field(default_factory=list)
    link: str = ""
    references: list[dict[str, str]] = dataclasses.field(default_factory=list)
    updates: list[UpdateRecord] = dataclasses.field(default_factory=list)
    compared: list[str] = dataclasses.field(default_factory=list)
    relations: list[RelationRecord] = dataclasses.field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.title)[:120]

    @property
    def url(self) -> str:
        """Where the project lives: the body's link named like the entry, else its first."""
        text = "\n".join(self.body)
        for label, target in LINK.findall(text):
            if slugify(label) == self.slug and target.startswith(("http://", "https://")):
                return target
        return first_url(text)


@dataclasses.dataclass
class CategoryRecord:
    line: int
    name: str
    description: list[str] = dataclasses.field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.name)[:80]


@dataclasses.dataclass
class TodoRecord:
    line: int
    name: str
    depth: str
    priority: int
    url: str = ""
    note: str = ""


@dataclasses.dataclass
class LandscapeNotes:
    categories: list[CategoryRecord] = dataclasses.field(default_factory=list)
    entries: list[EntryRecord] = dataclasses.field(default_factory=list)
    todos: list[TodoRecord] = dataclasses.field(default_factory=list)
    problems: list[LineProblem] = dataclasses.field(default_factory=list)


def _without_table_of_contents(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of the lines outside the doctoc-generated table of contents."""
    numbered, inside = [], False
    for number, text in enumerate(lines, start=1):
        if "START doctoc" in text:
            inside = True
        elif "END doctoc" in text:
            inside = False
        elif not inside:
            numbered.append((number, text))
    return numbered


def _reference(item: str) -> dict[str, str] | None:
    """{label, url} of a reference list item ("[design doc](https://...)" or a bare URL)."""
    link = LINK.fullmatch(item.strip())
    if link and link.group(2).startswith(("http://", "https://")):
        return {"label": link.group(1), "url": link.group(2)}
    url = first_url(item)
    if url and url == item.strip():
        return {"label": url, "url": url}
    return None


class _Reader:
    def __init__(self):
        self.notes = LandscapeNotes()
        self.category: CategoryRecord | None = None
        self.entry: EntryRecord | None = None
        self.target: list[str] | None = None  # where body lines go
        self.in_references = False
        self.in_todos = False
        self.todo: TodoRecord | None = None

    def problem(self, line: int, message: str) -> None:
        self.notes.problems.append(LineProblem(line, message))

    def read(self, lines: list[str]) -> LandscapeNotes:
        for number, text in _without_table_of_contents(lines):
            if text.startswith("# "):
                self.heading(number, text[2:].strip())
            elif text.startswith("## "):
                self.start_entry(number, text[3:].strip())
            elif self.in_todos:
                self.todo_line(number, text)
            elif self.entry is not None:
                self.entry_line(number, text)
            elif self.category is not None:
                self.category.description.append(text)
            elif text.strip():
                self.problem(number, "text before the first category: not imported")
        self.finish_entry()
        return self.notes

    def heading(self, number: int, name: str) -> None:
        self.finish_entry()
        self.in_todos = name == TODO_HEADING
        if not self.in_todos:
            self.category = CategoryRecord(number, name)
            self.notes.categories.append(self.category)

    def start_entry(self, number: int, title: str) -> None:
        self.finish_entry()
        if self.category is None or self.in_todos:
            self.problem(number, f"entry {title!r} outside a category: not imported")
            return
        self.entry = EntryRecord(number, self.category.slug, title)
        self.target = self.entry.body
        self.in_references = False
        parts = COMPARISON.split(title)
        if len(parts) >= 2:
            self.entry.kind = "comparison"
            self.entry.compared = parts

    def entry_line(self, number: int, text: str) -> None:
        entry = self.entry
        assert entry is not None and self.target is not None
        stripped = text.strip()
        dated = DATE_LINE.match(stripped)
        update = UPDATE_LINE.match(stripped)
        link = LINK_ONLY.match(stripped)
        if dated and entry.date is None and not entry.updates:
            day = parse_us_date(dated.group("date"))
            if day is None:
                self.problem(number, f"{entry.title}: {dated.group('date')!r} is not a date: kept")
                self.target.append(text)
            else:
                entry.date, entry.version = day, (dated.group("version") or "").strip()
                entry.kind = "evaluated"
        elif update:
            day = parse_us_date(update.group("date"))
            if day is None:
                self.problem(
                    number, f"{entry.title}: update {update.group('date')!r} is not a date"
                )
                self.target.append(text)
            else:
                record = UpdateRecord(number, day, (update.group("version") or "").strip())
                entry.updates.append(record)
                self.target = record.body
                self.in_references = False
        elif link and not any(each.strip() for each in entry.body) and entry.date is None:
            entry.link = link.group("target")
            entry.kind = "link"
        elif REFERENCES_LINE.match(stripped):
            self.in_references = True
        elif self.in_references and stripped.startswith("- "):
            reference = _reference(stripped[2:])
            if reference is None:
                self.problem(number, f"{entry.title}: reference {stripped!r} has no URL: kept")
                self.target.append(text)
            else:
                entry.references.append(reference)
        else:
            if stripped and self.in_references:
                self.in_references = False
            self.target.append(text)

    def finish_entry(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if entry.kind == "undated":
            self.problem(entry.line, f"{entry.title}: no date line: kept as undated notes")
        for body, day in [(entry.body, entry.date)] + [(u.body, u.date) for u in entry.updates]:
            text = "\n".join(body)
            for match in RENAMED.finditer(text):
                entry.relations.append(
                    RelationRecord("renamed_to", match.group("name"), match.group("url") or "", day)
                )
            for match in DEPRECATED.finditer(text):
                entry.relations.append(
                    RelationRecord("deprecated_for", match.group("name"), "", day)
                )
        self.notes.entries.append(entry)
        self.entry = None

    def todo_line(self, number: int, text: str) -> None:
        item = TODO_ITEM.match(text.strip())
        if item:
            self.todo = TodoRecord(
                number,
                item.group("name"),
                item.group("depth").strip(),
                int(item.group("priority")),
            )
            self.notes.todos.append(self.todo)
        elif text.strip().startswith("- "):
            self.todo = None
            self.problem(number, f"to-evaluate item {text.strip()!r} has no (TODO: depth, Pn)")
        elif text.strip() and self.todo is not None:
            url = first_url(text)
            if url and url == text.strip() and not self.todo.url:
                self.todo.url = url
            else:
                self.todo.note = " ".join(filter(None, [self.todo.note, text.strip()]))
        elif text.strip():
            self.problem(number, f"{text.strip()!r} in the TODO list: not imported")


def read_landscape_notes(lines: list[str]) -> LandscapeNotes:
    """The categories, entries and to-evaluate items of the notes' `lines`."""
    return _Reader().read(lines)


def body_text(lines: list[str]) -> str:
    """An entry's or update's Markdown, without the blank lines around it."""
    return "\n".join(lines).strip("\n")
