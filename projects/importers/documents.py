"""What the readers of the community's Markdown documents share (the landscape notes, the project
list README, the status page): problems with their line, dates and links as these documents
write them, and the report an import prints."""

import dataclasses
import datetime
import re
from collections import Counter
from pathlib import Path

# A Markdown link: [label](target).
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
URL = re.compile(r"https?://[^\s)<>\]]+")
# The documents write dates as the US does: 06/02/2018.
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Documents are small; a larger file is not one of them.
MAX_DOCUMENT_BYTES = 1_000_000


@dataclasses.dataclass(frozen=True)
class LineProblem:
    """Something a reader could not read, and the line where it is."""

    line: int
    message: str

    def __str__(self):
        # Line 0: the file as a whole (what it no longer has).
        return f"line {self.line}: {self.message}" if self.line else self.message


def read_document(path: Path) -> list[str]:
    """The lines of the document at `path` (OSError when it cannot be read, ValueError when it
    is too large or not text)."""
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise ValueError(f"{path} is over {MAX_DOCUMENT_BYTES:,} bytes: not a document")
    text = path.read_bytes().decode("utf-8")
    return text.replace("\x00", "").splitlines()


def parse_us_date(text: str) -> datetime.date | None:
    """The date of "06/02/2018" (month first); None when it is not a date."""
    match = US_DATE.fullmatch(text.strip())
    if not match:
        return None
    month, day, year = map(int, match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def first_url(text: str) -> str:
    match = URL.search(text)
    return match.group(0) if match else ""


@dataclasses.dataclass
class DocumentReport:
    """What an import of one document did: outcomes by kind, problems with their lines, and a
    line per record created or changed."""

    outcomes: dict[str, Counter] = dataclasses.field(default_factory=dict)
    problems: list[LineProblem] = dataclasses.field(default_factory=list)
    changed: list[str] = dataclasses.field(default_factory=list)
    refused: str = ""

    def count(self, kind: str, outcome: str, name: str) -> None:
        self.outcomes.setdefault(kind, Counter())[outcome] += 1
        if outcome != "unchanged":
            self.changed.append(f"{outcome}: {kind} {name}")

    @property
    def has_changes(self) -> bool:
        return bool(self.changed)

    def lines(self) -> list[str]:
        lines = []
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s), each kept or skipped as it says:")
            lines += [f"  {problem}" for problem in sorted(self.problems, key=lambda p: p.line)]
        for kind, counts in self.outcomes.items():
            parts = ", ".join(
                f"{counts[each]} {each}" for each in ("created", "updated", "unchanged")
            )
            lines.append(f"{kind}: {parts}")
        if not self.has_changes and not self.refused:
            lines.append("No changes.")
        return lines
