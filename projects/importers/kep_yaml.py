"""Reading kubernetes/enhancements' keps/ directory into plain records, each with its problems.

Parsing never writes: `projects.importers.kep_apply.keps_import` applies a `KepDirectory`.

What is read:
- keps/<sig>/[<area>/]<number>-<name>/kep.yaml: one proposal each. keps/NNNN-kep-template/ is
  the format's own template, not under a SIG directory: it is ignored, not imported.
- the README.md beside a kep.yaml: the text of its "## Summary" section, as the proposal's
  summary (empty without one).
- keps/prod-readiness/<sig>/<number>.yaml: the production-readiness approver of each stage of
  proposal <number> of <sig>, found by its path as the KEP tools do (prod-readiness/template/
  is ignored).

A file that cannot be read as YAML holding a mapping is skipped with the reason. Everything else
is read, normalised where the meaning is clear, and every change or loss of a value is a problem
of the record, which the import stores as the proposal's flags:
- status and stage: a typo ("imlpemented"), a note ("implemented (alpha)") or a synonym
  ("superseded" is replaced) is read as the status it means; the template's "a|b|c" or an
  unknown word is read as provisional / no stage.
- releases: "1.25" is v1.25. Placeholders (null, "", TBD, TODO, N/A, "0.0") mean "not decided":
  empty, and not a problem. "x.y" and "never" are left empty, "v1.21, v1.37" is read as v1.21.
- people: "@x", "x", "“@x”" and "@x " are @x; TBD and none are no one; "@x - for the API" is @x;
  a SIG or a sentence where a handle belongs is left out.
- kep-number 0, missing or a placeholder: kept without a number; a number unlike its
  directory's is flagged. Any other kep-number that is not a positive whole number (text, a
  negative number, a list) skips the file: read as "no number", it would be matched to, and
  overwrite, whichever proposal its path or name finds.

Files are read by governance's limited YAML reader: a key given twice, an alias bomb or an
oversized file skips the file; a control character is removed from its value, flagged.

Not read, as proposals have no place for them: editor (replaced by approvers in the format),
see-also, metrics.
"""

import dataclasses
import datetime
import difflib
import re
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from governance.importers.limited_yaml import BaseLoader, YamlFileError, read_yaml
from governance.models import GroupKind, handle_validator
from projects.models import ProposalStatus, Stage, parse_release_version, release_version_label

ENHANCEMENTS_REPOSITORY = "https://github.com/kubernetes/enhancements"
KEP_FILE = "kep.yaml"
README_FILE = "README.md"
# A Markdown heading of level 1 or 2, which ends the summary.
HEADING = re.compile(r"^#{1,2}\s")
PRR_DIRECTORY = "prod-readiness"

# Values that stand for "not decided yet" where a release, person, group or gate is expected.
PLACEHOLDERS = {"", "tbd", "todo", "n/a", "na", "none", "null", "-"}
# Early KEPs were generated with latest-milestone "0.0" before one was chosen.
RELEASE_PLACEHOLDERS = PLACEHOLDERS | {"0.0"}
RELEASE_IN_TEXT = re.compile(r"v?\d{1,4}\.\d{1,4}(?:\.\d{1,4})?")
# Words the files use for a status that is not one of the format's.
STATUS_SYNONYMS = {
    "superseded": ProposalStatus.REPLACED,
    # A feature removed after it shipped: its stage says "removed".
    "removed": ProposalStatus.IMPLEMENTED,
}
# Short names the files use for groups whose directory is spelt out in sigs.yaml.
GROUP_ALIASES = {
    "sig-arch": "sig-architecture",
    "sig-apimachinery": "sig-api-machinery",
    "sig-machinery": "sig-api-machinery",
    "sig-scheduler": "sig-scheduling",
    "sig-contribex": "sig-contributor-experience",
}
GROUP_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
GROUP_PREFIXES = {
    "sig": ("SIG", GroupKind.SIG),
    "wg": ("WG", GroupKind.WORKING_GROUP),
    "ug": ("UG", GroupKind.USER_GROUP),
    "committee": ("Committee", GroupKind.COMMITTEE),
}
# A handle at the start of a longer entry: "@deads2k - For Kube API Server portion of KEP".
LEADING_HANDLE = re.compile(r"@([A-Za-z0-9-]+)(?![\w./-])")
# Straight, curly and back quotes around a handle.
QUOTES = "\"'`\u201c\u201d\u2018\u2019"


class KepFileError(Exception):
    """The file cannot be read at all: not YAML, or not a mapping of keys."""


class _Loader(BaseLoader):  # type: ignore[valid-type,misc]  # C loader when built with libyaml
    """YAML as the KEP tools read it, with the line of a bad value in its error."""


def _construct_timestamp(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a date ({error})", node.start_mark
        ) from error


def _construct_int(loader, node):
    value = loader.construct_scalar(node)
    # YAML 1.1 reads 0752 as octal 490; a KEP number with leading zeros means 752.
    if re.fullmatch(r"0[0-7_]+", value):
        return int(value.replace("_", ""), 10)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _load_mapping(text: str) -> tuple[dict, list[str]]:
    """The file's mapping, and the problems of its values (as "key: message")."""
    try:
        read = read_yaml(text, loader=_Loader)
    except YamlFileError as error:
        raise KepFileError(str(error)) from error
    if not isinstance(read.data, dict):
        raise KepFileError(f"not a mapping of keys but {type(read.data).__name__}")
    return read.data, [f"{problem.place}: {problem.message}" for problem in read.problems]


@dataclasses.dataclass(frozen=True)
class Problem:
    """A problem and the file it is in."""

    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}"


@dataclasses.dataclass
class KepRecord:
    """What one kep.yaml (and its production-readiness file) says about a proposal."""

    path: str
    slug: str
    title: str
    number: int | None = None
    owning_sig: str = ""
    participating_sigs: list[str] = dataclasses.field(default_factory=list)
    status: str = ProposalStatus.PROVISIONAL
    stage: str = ""
    latest_milestone: str = ""
    milestones: dict[str, str] = dataclasses.field(default_factory=dict)
    authors: list[str] = dataclasses.field(default_factory=list)
    reviewers: list[str] = dataclasses.field(default_factory=list)
    approvers: list[str] = dataclasses.field(default_factory=list)
    prr_path: str = ""
    # None when the production-readiness file could not be read: the stored ones are kept.
    prr_approvers: dict[str, str] | None = dataclasses.field(default_factory=dict)
    feature_gates: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    disable_supported: bool | None = None
    creation_date: datetime.date | None = None
    last_updated: datetime.date | None = None
    tracking_issue_url: str = ""
    document_url: str = ""
    summary: str = ""
    # Numbers of the proposals this one replaces, and of those that replace it.
    replaces: list[int] = dataclasses.field(default_factory=list)
    superseded_by: list[int] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class PrrRecord:
    """What one production-readiness file says: the approver of each stage."""

    path: str
    sig: str
    number: int
    approvers: dict[str, str] = dataclasses.field(default_factory=dict)
    problems: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class KepDirectory:
    """Every readable kep.yaml as a record, and what could not be read."""

    records: list[KepRecord] = dataclasses.field(default_factory=list)
    skipped: list[Problem] = dataclasses.field(default_factory=list)
    # Problems that belong to no proposal, such as a production-readiness file for none.
    problems: list[Problem] = dataclasses.field(default_factory=list)
    ignored: list[str] = dataclasses.field(default_factory=list)
    prr_files: int = 0


@dataclasses.dataclass
class KepImportReport:
    """What an import did, for the summary: outcomes, skips, problems, flags, creations."""

    files: int = 0
    outcomes: Counter = dataclasses.field(default_factory=Counter)
    skipped: list[Problem] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    # (source path, label, flags) of each imported proposal that is flagged.
    flagged: list[tuple[str, str, list[str]]] = dataclasses.field(default_factory=list)
    # "groups", "people", "releases" -> what the import created, by slug, handle or version.
    created: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    ignored: list[str] = dataclasses.field(default_factory=list)
    # One line per proposal imported or updated: "updated: keps/sig-x/1-y/kep.yaml (KEP-1)".
    changed: list[str] = dataclasses.field(default_factory=list)

    def totals(self) -> str:
        counts = ", ".join(
            f"{self.outcomes[outcome]} {outcome}"
            for outcome in ("imported", "updated", "unchanged")
        )
        return (
            f"{self.files} kep.yaml files: {counts}, {len(self.skipped)} skipped, "
            f"{len(self.flagged)} flagged"
        )

    def lines(self) -> list[str]:
        """The summary: skips, other problems, flagged proposals with their flags, totals last."""
        lines = []
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} file(s):")
            lines += [f"  {problem}" for problem in self.skipped]
        if self.problems:
            lines.append(f"Problems ({len(self.problems)}):")
            lines += [f"  {problem}" for problem in self.problems]
        if self.flagged:
            lines.append(f"Flagged proposals ({len(self.flagged)}):")
            for path, label, flags in self.flagged:
                lines.append(f"  {path} ({label})")
                lines += [f"    - {flag}" for flag in flags]
        for kind, names in self.created.items():
            names = sorted(names, key=_natural_order)
            shown = ", ".join(names) if len(names) <= 20 else f"{', '.join(names[:20])}, ..."
            lines.append(f"Created {len(names)} {kind}: {shown}")
        if self.ignored:
            lines.append(f"Ignored (templates): {', '.join(self.ignored)}")
        lines.append(self.totals())
        return lines


def _natural_order(name: str) -> list:
    """Sort key putting v1.9 before v1.10 and ignoring case: handles and versions alike."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]


def group_name_and_kind(slug: str) -> tuple[str, str]:
    """A readable name and the kind of a group known only by its directory: sig-foo-bar."""
    prefix, _, rest = slug.partition("-")
    label, kind = GROUP_PREFIXES.get(prefix, ("", GroupKind.SIG))
    words = (rest if label else slug).replace("-", " ").title()
    return f"{label} {words}".strip(), kind


def _is_handle(text: str) -> bool:
    try:
        handle_validator(text)
    except ValidationError:
        return False
    return True


def _directory_number(directory: str) -> int | None:
    match = re.match(r"(\d+)-", directory)
    return int(match[1]) if match else None


def _reading(text: str, choices: list[str], synonyms: dict[str, str]) -> str | None:
    """The choice a misspelt or annotated word means, if that is clear."""
    head = re.sub(r"\s*\(.*\)$", "", text)
    if head in choices:
        return head
    if head in synonyms:
        return synonyms[head]
    close = difflib.get_close_matches(head, choices, n=1, cutoff=0.8)
    return close[0] if close else None


class _Reader:
    """Reads the values of one file, collecting a problem for each value it had to change."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def text(self, value: Any) -> str:
        return "" if value is None else str(value).strip()

    def choice(self, value: Any, key: str, choices, synonyms, default: str) -> str:
        text = self.text(value).lower()
        if text in choices:
            return text
        outcome = f"read as {default}" if default else "left empty"
        if "|" in text:
            self.problem(f"{key} {value!r} is the template's list of choices: {outcome}")
            return default
        reading = _reading(text, list(choices), synonyms)
        if reading:
            self.problem(f"{key} {value!r} read as {reading}")
            return reading
        if text:
            self.problem(f"{key} {value!r} is not a {key}: {outcome}")
        elif default:
            self.problem(f"no {key}: {outcome}")
        return default

    def number(self, value: Any, directory: str) -> int | None:
        """The proposal's number; None (flagged) when it has none yet. Raises KepFileError for
        a value that is no number at all, which must not be read as "none"."""
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            number = value
        elif isinstance(value, str) and value.strip().isdigit():
            number = int(value)
        elif value is None or (isinstance(value, str) and value.strip().lower() in PLACEHOLDERS):
            self.problem(f"kep-number {value!r} is not a number: kept without a number")
            return None
        else:
            raise KepFileError(
                f"kep-number {value!r} is not a proposal number: skipped, nothing of the file "
                "is stored"
            )
        if number < 1:
            self.problem(
                f"kep-number {value!r} is not a proposal number (they start at 1): "
                "kept without a number"
            )
            return None
        expected = _directory_number(directory)
        if expected is not None and expected != number:
            self.problem(f"kep-number {number} differs from its directory's number {expected}")
        return number

    def release(self, value: Any, what: str) -> str:
        """A release label such as "v1.25", or "" when none is given."""
        text = self.text(value)
        if text.lower() in RELEASE_PLACEHOLDERS:
            return ""
        parsed = parse_release_version(text)
        if parsed and not isinstance(value, float):
            return release_version_label(parsed)
        found = RELEASE_IN_TEXT.findall(text)
        if found:
            label = release_version_label(parse_release_version(found[0]))
            self.problem(f"{what} {value!r} read as {label}")
            return label
        self.problem(f"{what} {value!r} is not a release: left empty")
        return ""

    def milestones(self, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(f"milestone {value!r} is not a release per stage: left empty")
            return {}
        milestones = {}
        for stage, release in value.items():
            key = self.text(stage).lower()
            if key not in Stage.values:
                self.problem(f"milestone {stage!r} is not a stage: left out")
                continue
            label = self.release(release, f"{key} milestone")
            if label:
                milestones[key] = label
        return milestones

    def handle(self, entry: Any, role: str) -> str:
        """The GitHub handle an entry names, or "" for no one."""
        text = self.text(entry).strip(QUOTES).strip()
        if text.lower() in PLACEHOLDERS:
            return ""
        bare = text.removeprefix("@")
        if "/" in bare and all(map(_is_handle, bare.split("/"))):
            self.problem(f"{role} {entry!r} names a GitHub team, not a person: left out")
            return ""
        if GROUP_SLUG.fullmatch(bare) and bare.partition("-")[0] in GROUP_PREFIXES:
            self.problem(f"{role} {entry!r} names a group, not a person: left out")
            return ""
        if _is_handle(bare):
            return bare
        match = LEADING_HANDLE.match(text)
        if match and _is_handle(match[1]):
            self.problem(f"{role} {entry!r} read as @{match[1]}")
            return match[1]
        self.problem(f"{role} {entry!r} is not a GitHub handle: left out")
        return ""

    def handles(self, value: Any, key: str, role: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(f"{key} {value!r} is not a list of people: left out")
            return []
        return [handle for entry in value if (handle := self.handle(entry, role))]

    def group(self, value: Any, role: str) -> str:
        text = self.text(value).lower()
        if text in PLACEHOLDERS:
            return ""
        if text in GROUP_ALIASES:
            self.problem(f"{role} {value!r} read as {GROUP_ALIASES[text]}")
            return GROUP_ALIASES[text]
        if not GROUP_SLUG.fullmatch(text):
            self.problem(f"{role} {value!r} is not a group's directory name: left out")
            return ""
        return text

    def groups(self, value: Any, key: str, role: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            value = [value]
        slugs = [slug for entry in value if (slug := self.group(entry, role))]
        return list(dict.fromkeys(slugs))

    def date(self, value: Any, key: str) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = self.text(value)
        if text.lower() in PLACEHOLDERS:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                pass
        self.problem(f"{key} {value!r} is not a date: left empty")
        return None

    def boolean(self, value: Any, key: str) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.problem(f"{key} {value!r} is not true or false: left empty")
        return None

    def feature_gates(self, value: Any) -> dict[str, list[str]]:
        if value is None:
            return {}
        if not isinstance(value, list):
            self.problem(f"feature-gates {value!r} is not a list: left out")
            return {}
        gates: dict[str, list[str]] = {}
        for entry in value:
            if not isinstance(entry, dict):
                self.problem(f"feature gate {entry!r} is not a name with components: left out")
                continue
            name = self.text(entry.get("name"))
            if name.lower() in PLACEHOLDERS:
                continue
            components = entry.get("components") or []
            if not isinstance(components, list):
                components = [components]
            named = [text for component in components if (text := self.text(component))]
            gate = gates.setdefault(name, [])
            gate += [component for component in named if component not in gate]
        return gates

    def references(self, value: Any) -> list[int]:
        """Numbers of the proposals named by "KEP-123", "123" or "/keps/sig-x/123-name";
        other entries name documents outside keps/ and are not proposals."""
        entries = value if isinstance(value, list) else [value]
        numbers = []
        for entry in entries:
            text = self.text(entry)
            match = re.fullmatch(r"(?:KEP-?)?(\d{1,5})", text, re.IGNORECASE)
            if match is None and "keps/" in text:
                parts = [part for part in text.split("/") if not part.endswith(".md")]
                match = next(filter(None, (re.match(r"(\d{1,5})-", part) for part in parts)), None)
            if match and int(match[1]) > 0:
                numbers.append(int(match[1]))
        return numbers


def parse_kep(text: str, *, path: str, repository: str = ENHANCEMENTS_REPOSITORY) -> KepRecord:
    """Read the kep.yaml at `path` (keps/<sig>/.../<number>-<name>/kep.yaml) into a record."""
    data, problems = _load_mapping(text)
    reader = _Reader()
    reader.problems += problems
    parts = PurePosixPath(path).parts
    directory, directory_sig = parts[-2], parts[1]
    title = reader.text(data.get("title"))
    if not title:
        reader.problem("no title: titled after its directory")
    number = reader.number(data.get("kep-number"), directory)
    owning_sig = reader.group(data.get("owning-sig"), "owning-sig")
    if owning_sig and owning_sig != directory_sig:
        reader.problem(f"owning-sig {owning_sig} differs from its directory {directory_sig}")
    record = KepRecord(
        path=path,
        slug=slugify(directory)[:200],
        title=title or directory,
        number=number,
        owning_sig=owning_sig,
        participating_sigs=reader.groups(
            data.get("participating-sigs"), "participating-sigs", "participating SIG"
        ),
        status=reader.choice(
            data.get("status"),
            "status",
            ProposalStatus.values,
            STATUS_SYNONYMS,
            ProposalStatus.PROVISIONAL,
        ),
        stage=reader.choice(data.get("stage"), "stage", Stage.values, {}, ""),
        latest_milestone=reader.release(data.get("latest-milestone"), "latest-milestone"),
        milestones=reader.milestones(data.get("milestone")),
        authors=reader.handles(data.get("authors"), "authors", "author"),
        reviewers=reader.handles(data.get("reviewers"), "reviewers", "reviewer"),
        approvers=reader.handles(data.get("approvers"), "approvers", "approver"),
        feature_gates=reader.feature_gates(data.get("feature-gates")),
        disable_supported=reader.boolean(data.get("disable-supported"), "disable-supported"),
        creation_date=reader.date(data.get("creation-date"), "creation-date"),
        last_updated=reader.date(data.get("last-updated"), "last-updated"),
        tracking_issue_url=f"{repository}/issues/{number}" if number else "",
        document_url=f"{repository}/tree/master/{PurePosixPath(path).parent}",
        replaces=[n for n in reader.references(data.get("replaces")) if n != number],
        superseded_by=[n for n in reader.references(data.get("superseded-by")) if n != number],
    )
    record.problems = reader.problems
    return record


def parse_prr(text: str, *, path: str) -> PrrRecord:
    """Read keps/prod-readiness/<sig>/<number>.yaml: {stage: {approver: "@handle"}}."""
    data, problems = _load_mapping(text)
    reader = _Reader()
    reader.problems += problems
    file = PurePosixPath(path)
    record = PrrRecord(path=path, sig=file.parent.name, number=int(file.stem))
    for key, value in data.items():
        if key == "kep-number":
            if value != record.number:
                reader.problem(f"says kep-number {value!r}; its file name says {record.number}")
        elif str(key) in Stage.values and isinstance(value, dict):
            handle = reader.handle(value.get("approver"), f"{key} approver")
            if handle:
                record.approvers[str(key)] = handle
        else:
            reader.problem(f"{key!r}: {value!r} is not a stage's approver: left out")
    record.problems = reader.problems
    return record


def _prr_owner(by_number: dict[int, list[KepRecord]], sig: str, number: int) -> KepRecord | None:
    """The proposal of `number` in `sig` (or the only one of that number)."""
    claimants = by_number.get(number, [])
    record = next((each for each in claimants if each.owning_sig == sig), None)
    if record is None and len(claimants) == 1:
        record = claimants[0]
    return record


def _attach_prr(
    directory: KepDirectory, prr: PrrRecord, by_number: dict[int, list[KepRecord]]
) -> None:
    """Give `prr` to the proposal of its number in its SIG (or the only one of its number)."""
    record = _prr_owner(by_number, prr.sig, prr.number)
    if record is None:
        skipped = [
            problem.path
            for problem in directory.skipped
            if _directory_number(PurePosixPath(problem.path).parent.name) == prr.number
        ]
        reason = (
            f"its proposal {skipped[0]} was skipped"
            if skipped
            else f"no proposal of {prr.sig} has this number"
        )
        directory.problems.append(Problem(prr.path, f"kep-number {prr.number}: {reason}: ignored"))
        return
    record.prr_path = prr.path
    record.prr_approvers = prr.approvers
    record.problems += [f"{prr.path}: {message}" for message in prr.problems]


def read_summary(text: str) -> str:
    """The text of a KEP README's "## Summary" section ("" without one)."""
    lines: list[str] | None = None
    for line in text.splitlines():
        if lines is None:
            if line.strip().lower() == "## summary":
                lines = []
        elif HEADING.match(line):
            break
        else:
            lines.append(line)
    return "\n".join(lines or []).strip()


def read_keps(root: Path, *, repository: str = ENHANCEMENTS_REPOSITORY) -> KepDirectory:
    """Read every kep.yaml under `root` (the keps/ directory, or the repository holding it)."""
    if (root / "keps").is_dir():
        root = root / "keps"
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a directory")
    if root.name != "keps":
        # Paths are stored as keps/<sig>/...: a SIG's directory alone would be misread.
        raise FileNotFoundError(f"{root} is not a keps/ directory")
    directory = KepDirectory()
    for relative in sorted(file.relative_to(root).as_posix() for file in root.rglob(KEP_FILE)):
        path = f"keps/{relative}"
        parts = PurePosixPath(relative).parts
        if len(parts) < 3 or parts[0] == PRR_DIRECTORY:
            directory.ignored.append(path)
            continue
        try:
            text = (root / relative).read_text(encoding="utf-8")
            record = parse_kep(text, path=path, repository=repository)
            readme = (root / relative).with_name(README_FILE)
            if readme.is_file():
                record.summary = read_summary(readme.read_text(encoding="utf-8"))
            directory.records.append(record)
        except (OSError, UnicodeDecodeError, KepFileError) as error:
            directory.skipped.append(Problem(path, str(error)))
    by_number: dict[int, list[KepRecord]] = {}
    for record in directory.records:
        by_number.setdefault(record.number, []).append(record)
    prr_root = root / PRR_DIRECTORY
    files = sorted(file.relative_to(root).as_posix() for file in prr_root.glob("*/*.yaml"))
    for relative in files:
        path = f"keps/{relative}"
        if not PurePosixPath(relative).stem.isdigit():
            directory.ignored.append(path)
            continue
        directory.prr_files += 1
        try:
            prr = parse_prr((root / relative).read_text(encoding="utf-8"), path=path)
        except (OSError, UnicodeDecodeError, KepFileError) as error:
            directory.problems.append(Problem(path, f"{error}: ignored"))
            file = PurePosixPath(relative)
            owner = _prr_owner(by_number, file.parent.name, int(file.stem))
            if owner is not None:
                # Read as "no approvers", it would remove the stored ones.
                owner.prr_path, owner.prr_approvers = path, None
                owner.problems.append(f"{path} could not be read: its approvers are kept")
            continue
        _attach_prr(directory, prr, by_number)
    return directory
