"""YAML read with limits, for every importer of an outside file (sigs.yaml, kep.yaml).

A file that would cost more than a community file can (more than MAX_BYTES, aliases expanding to
more than MAX_VALUES values, nesting deeper than MAX_DEPTH) or that is ambiguous (a key given
twice in one mapping) is refused with the place of the fault. Control characters (NUL and the
like, written raw or as escapes) are removed from the value holding them, each removal a problem
naming that value's place, so that none reaches the database.
"""

import dataclasses
import re
import unicodedata
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024
# Values once every alias is expanded: the real sigs.yaml holds about 12,000.
MAX_VALUES = 500_000
MAX_DEPTH = 50

# libyaml's loader when it is installed: several times faster on the real sigs.yaml.
BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFileError(Exception):
    """The file is refused as a whole: not YAML, or beyond a limit."""


@dataclasses.dataclass(frozen=True)
class YamlProblem:
    """A value changed while reading (a control character removed), by its place."""

    place: str
    message: str


@dataclasses.dataclass
class YamlText:
    """The data a YAML text holds, and the problems of its values."""

    data: Any
    problems: list[YamlProblem]


# Unicode's control characters (category Cc) but tab and line ends.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _is_control(char: str) -> bool:
    return CONTROLS.fullmatch(char) is not None


def _names(chars) -> str:
    return ", ".join(sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL')}" for c in chars}))


def _place(parent: str, key: str) -> str:
    if key.startswith("["):
        return f"{parent}{key}"
    return f"{parent}.{key}" if parent else key


def _mark(node: yaml.Node) -> str:
    return f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}"


class _Walk:
    """One pass over the composed nodes: counts expanded values, finds duplicates and controls."""

    def __init__(self, raw_controls: list[tuple[tuple[int, int], str]]):
        # ((line, column) in the text as loaded, character) of each raw control taken out.
        self.raw_controls = raw_controls
        self.placed: set[int] = set()
        self.sizes: dict[int, int | None] = {}
        self.problems: list[YamlProblem] = []

    def size(self, node: yaml.Node, place: str, depth: int = 0) -> int:
        """The number of values `node` stands for, aliases expanded (each node walked once)."""
        if id(node) in self.sizes:
            if self.sizes[id(node)] is None:
                raise YamlFileError(f"{place} ({_mark(node)}): an alias of a value holding it")
            return self.sizes[id(node)]
        if depth > MAX_DEPTH:
            raise YamlFileError(f"{place or 'the file'}: nested deeper than {MAX_DEPTH} levels")
        self.sizes[id(node)] = None  # being walked
        if isinstance(node, yaml.ScalarNode):
            self.scalar(node, place)
            self.sizes[id(node)] = 1
            return 1
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = [(f"[{index}]", child) for index, child in enumerate(node.value)]
        else:
            children = self.mapping(node, place)
        for key, child in children:
            total += self.size(child, _place(place, key), depth + 1)
            if total > MAX_VALUES:
                raise YamlFileError(
                    f"{place or 'the file'} ({_mark(node)}): its aliases expand to more than "
                    f"{MAX_VALUES:,} values"
                )
        self.sizes[id(node)] = total
        return total

    def mapping(self, node: yaml.Node, place: str) -> list[tuple[str, yaml.Node]]:
        children: list[tuple[str, yaml.Node]] = []
        seen: dict[tuple[str, object], str] = {}
        for key, value in node.value:
            self.size(key, _place(place, "<key>"))
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else f"<{key.id}>"
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if (key.tag, key.value) in seen:
                    raise YamlFileError(
                        f"{_place(place, name)} ({_mark(key)}): the key {name!r} is given twice "
                        f"in one mapping (first at {seen[key.tag, key.value]})"
                    )
                seen[key.tag, key.value] = _mark(key)
            children.append((name, value))
        return children

    def scalar(self, node: yaml.ScalarNode, place: str) -> None:
        start, end = node.start_mark, node.end_mark
        raw = []
        for number, (position, char) in enumerate(self.raw_controls):
            if (start.line, start.column) <= position <= (end.line, end.column):
                raw.append(char)
                self.placed.add(number)
        escaped = [char for char in node.value if _is_control(char)]
        if raw or escaped:
            node.value = "".join(char for char in node.value if not _is_control(char))
            self.problems.append(
                YamlProblem(
                    place or "the file", f"control character(s) removed: {_names(raw + escaped)}"
                )
            )


def read_yaml(text: str, *, loader: type = BaseLoader) -> YamlText:
    """Read one YAML document within the limits; raises YamlFileError naming the place."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise YamlFileError(f"{size:,} bytes, more than the {MAX_BYTES:,} a file may hold")
    # Where each raw control character was in the text the loader reads, which lacks them.
    raw_controls: list[tuple[tuple[int, int], str]] = []
    last_line, taken = -1, 0
    for match in CONTROLS.finditer(text):
        line = text.count("\n", 0, match.start())
        if line != last_line:
            last_line, taken = line, 0
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) - taken
        raw_controls.append(((line, column), match[0]))
        taken += 1
    reader = loader(CONTROLS.sub("", text))
    try:
        node = reader.get_single_node()
        if node is None:
            return YamlText(None, [])
        walk = _Walk(raw_controls)
        walk.size(node, "")
        for number, ((line, column), char) in enumerate(raw_controls):
            if number not in walk.placed:
                walk.problems.append(
                    YamlProblem(
                        f"line {line + 1}, column {column + 1}",
                        f"control character removed: {_names(char)}",
                    )
                )
        return YamlText(reader.construct_document(node), walk.problems)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise YamlFileError(f"not valid YAML: {error.problem or error.context}{where}") from error
    except yaml.YAMLError as error:
        raise YamlFileError(f"not valid YAML: {error}") from error
    except RecursionError as error:
        raise YamlFileError(f"nested deeper than {MAX_DEPTH} levels") from error
    finally:
        reader.dispose()
