"""The landscape imports at any size: a second import of an unchanged document writes nothing
and runs the same statements for N records as for 2N."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import freshness
from projects.importers.landscape_apply import (
    landscape_import,
    project_list_import,
    status_import,
)
from projects.importers.landscape_notes import read_landscape_notes
from projects.importers.project_list import read_project_list
from projects.importers.status_page import read_status_page
from projects.models import Evaluation, EvaluationUpdate, FeatureStatus, Project, ProjectRelation

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _notes(count: int) -> list[str]:
    lines = []
    for category in range(2):
        lines += [f"# Category {category}", "What it holds.", ""]
        for number in range(category, count, 2):
            lines += [
                f"## tool-{number}",
                "",
                f"*Date: 01/{number % 28 + 1:02}/2018, v{number}.0*",
                "",
                f"[tool-{number}](https://github.com/example/tool-{number}) does a thing; "
                f"it was renamed to [tool-{number}-next](https://github.com/example/next-{number}).",
                "",
                "*References*",
                "",
                f"- [design](https://example.com/design/{number})",
                "",
                f"*Update on 02/{number % 28 + 1:02}/2019, v{number}.1*",
                "",
                "More of it.",
                "",
            ]
    # A comparison, then the notes' TODO list as the seed document writes it ("(TODO: basic, P2)").
    lines += ["## tool-0 vs. tool-1", "", "*Date: 03/01/2019*", "", "Both.", "", "# TODOs", ""]
    lines += [f"- todo-{number} (TODO: basic, P{number % 3})" for number in range(count)]
    return lines


def _project_list(count: int) -> list[str]:
    lines = [
        "## Project list",
        "| Project Area | Project & (artifacts) | Goal | Project State & <br> API Version "
        "| Communication | Use on Azure | Previous project |",
        "|---|---|---|---|---|---|---|",
        "| Area | | | | | | |",
    ]
    for number in range(count):
        previous = f"Project {number - 1}" if number else ""
        lines.append(
            f"| | [Project {number}](https://github.com/example/p{number}) <br> "
            f"([releases](https://github.com/example/p{number}/releases)) | Goal {number} "
            f"| CNCF: sandbox <br> API: example.io: v1beta{number % 3 + 1} "
            f"| [#p{number}](https://example.slack.com/messages/p{number}) "
            f"| [Product {number}](https://example.com/product/{number}) (public preview) "
            f"| {previous} |"
        )
    return lines


def _status_page(count: int) -> list[str]:
    lines = [
        "# Status of Example",
        "## Features Status",
        "| Feature | K8s 1.3.x | K8s 1.4.6 | K8s 1.5.1 |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| Feature {number} |   | ✓ [#{number}](https://github.com/example/pull/{number}) | ✓ |"
        for number in range(count)
    ]
    lines += [" * Kubernetes 1.4 was released on September 26, 2016.", ""]
    lines += ["## Recommended Cluster Deployment Strategy", ""]
    for number in range(count):
        lines += [f"### [Way {number}](https://example.com/way/{number})", f"  * Notes {number}."]
    lines += ["## Future Work", ""]
    for number in range(count):
        lines += [
            f"{number + 1}. **Work {number}**",
            f"  * **Status**: [Work In Progress](https://example.com/work/{number})",
            "  * **Description**:",
            f"    * Build thing {number}.",
        ]
    return lines


def _landscape(count: int):
    return landscape_import(notes=read_landscape_notes(_notes(count)))


def _listed(count: int):
    listing = read_project_list(_project_list(count))
    return project_list_import(listing=listing, as_of=datetime.date(2024, 1, 1))


def _status(count: int):
    return status_import(
        page=read_status_page(_status_page(count)),
        project_slug="example",
        releases_of="kubernetes",
        area_name="Cluster management",
    )


@pytest.mark.parametrize("run", [_landscape, _listed, _status])
def test_an_unchanged_import_writes_nothing_and_costs_the_same_statements_at_any_size(run):
    statements = []
    for count in (6, 12):
        first = run(count)
        assert first.has_changes and not [p for p in first.problems if "not stored" in p.message]
        with CaptureQueriesContext(connection) as queries:
            again = run(count)
        assert not again.has_changes, again.changed
        assert [q["sql"] for q in queries if q["sql"].startswith(WRITES)] == []
        statements.append(len(queries))
    assert statements[0] == statements[1]


def test_the_notes_import_whole_at_any_size():
    _landscape(12)
    assert Evaluation.objects.count() == 13
    assert EvaluationUpdate.objects.count() == 12
    renamed = ProjectRelation.objects.get(earlier__slug="tool-3")
    assert (renamed.later.slug, renamed.date) == ("tool-3-next", datetime.date(2018, 1, 4))
    comparison = Evaluation.objects.get(slug="tool-0-vs-tool-1")
    assert sorted(comparison.compared.values_list("slug", flat=True)) == ["tool-0", "tool-1"]
    assert comparison.history.latest().compared.count() == 2


def test_the_list_and_the_status_page_import_whole_at_any_size():
    _listed(12)
    assert Project.objects.filter(area__isnull=False).count() == 12
    assert ProjectRelation.objects.count() == 11
    assert Project.objects.get(slug="project-7").api_versions.get().track == 1  # beta
    _status(12)
    assert FeatureStatus.objects.filter(supported=True).count() == 24


def test_a_row_the_database_refuses_is_reported_with_its_line_and_the_others_written():
    lines = _status_page(3)
    lines[lines.index("  * **Status**: [Work In Progress](https://example.com/work/1)")] = (
        "  * **Status**: In progress"
    )
    _status(3)  # the project, its releases and future work
    report = status_import(
        page=read_status_page(lines),
        project_slug="other",
        releases_of="kubernetes",
        area_name="Cluster management",
    )
    line = lines.index("2. **Work 1**") + 1
    assert [str(p) for p in report.problems if "not stored" in p.message] == [
        f"line {line}: future work Work 1: not stored: Work in progress needs a link to where "
        "it is."
    ]
    assert report.outcomes["future work"]["updated"] == 2  # now of the other project


def test_a_row_that_breaks_a_rule_leaves_nothing_of_its_record():
    lines = _project_list(2)
    lines[-1] = lines[-1].replace("| Project 0 |", "| Project 9 |")
    report = project_list_import(listing=read_project_list(lines), as_of=datetime.date(2024, 1, 1))
    assert [str(p) for p in report.problems] == [
        "line 6: project Project 1: not stored: previous project 'Project 9' is not a known project"
    ]
    assert list(Project.objects.values_list("slug", flat=True)) == ["project-0"]
    assert report.changed == ["created: areas Area", "created: projects on the list Project 0"]


def test_an_entry_renamed_to_itself_leaves_nothing_and_an_entry_given_twice_holds_the_last():
    lines = [
        "# Cluster",
        "## tool",
        "*Date: 01/02/2018*",
        "[tool](https://github.com/x/tool) does it.",
        "*Update on 02/02/2018, v2*",
        "first",
        "## tool",
        "*Date: 01/03/2018*",
        "[tool](https://github.com/x/tool) does it again.",
        "*Update on 03/02/2018, v3*",
        "second",
        "## loop",
        "*Date: 01/03/2018*",
        "[loop](https://github.com/x/loop) was renamed to [loop](https://github.com/x/loop).",
    ]
    report = landscape_import(notes=read_landscape_notes(lines))
    assert [str(p) for p in report.problems] == [
        "line 12: entry loop: not stored: A project cannot give way to itself."
    ]
    assert list(Project.objects.values_list("slug", flat=True)) == ["tool"]
    tool = Evaluation.objects.get()
    assert tool.evaluated_on == datetime.date(2018, 1, 3)
    assert [(u.version, u.body) for u in tool.updates.all()] == [("v3", "second")]


@pytest.mark.parametrize("run", [_landscape, _listed, _status])
def test_an_import_replaces_the_data_version_once(run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run(6)
    assert callbacks.count(freshness.bump) == 1
