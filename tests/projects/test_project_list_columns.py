"""Agora's extensions of the project list format: a repository artifact, dated maturity steps
with their decision, and the License, Groups and Slug columns; read, each bad cell reported at
its line and left out, stored, and a second import of the same list changing nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Group, GroupKind
from projects.importers.landscape_apply import project_list_import
from projects.importers.project_list import GroupRecord, StepRecord, read_project_list
from projects.models import Project, ProjectArea
from tests.factories import GroupFactory

HEADER = [
    "## Project list",
    "| Project Area | Project & (artifacts) | Goal | Project State & <br> API Version "
    "| Communication | Use on Azure | License | Groups | Slug |",
    "|---|---|---|---|---|---|---|---|---|",
    "| Kubernetes cluster management | | | | | | | | cluster-management |",
]
GATEKEEPER = (
    "| | [OPA Gatekeeper](https://open-policy-agent.github.io/gatekeeper/) <br> "
    "([repository](https://github.com/open-policy-agent/gatekeeper)) | Policies "
    "| CNCF: sandbox (2018-03-29) <br> CNCF: graduated (2021-01-29, "
    "[decision](https://www.cncf.io/announcements/2021/02/04/opa-graduation/)) <br> Azure: beta "
    "<br> API: templates.gatekeeper.sh: v1 | | | Apache-2.0 "
    "| [Auth](https://github.com/kubernetes/community/tree/master/sig-auth) (owner), "
    "sig-storage (related) | gatekeeper |"
)

NODE_README = "https://github.com/kubernetes/community/blob/master/sig-node/README.md"


def _list(*rows: str):
    return read_project_list([*HEADER, *rows])


def test_the_columns_and_dated_steps_are_read():
    listing = _list(GATEKEEPER)
    assert listing.problems == []
    assert [(area.name, area.slug) for area in listing.areas] == [
        ("Kubernetes cluster management", "cluster-management")
    ]
    (record,) = listing.projects
    assert (record.slug, record.license) == ("gatekeeper", "Apache-2.0")
    assert (record.homepage_url, record.repository_url) == (
        "https://open-policy-agent.github.io/gatekeeper/",
        "https://github.com/open-policy-agent/gatekeeper",
    )
    assert record.steps == [
        StepRecord("CNCF", "sandbox", datetime.date(2018, 3, 29)),
        StepRecord(
            "CNCF",
            "graduated",
            datetime.date(2021, 1, 29),
            "https://www.cncf.io/announcements/2021/02/04/opa-graduation/",
        ),
        StepRecord("Azure", "beta"),
    ]
    assert record.groups == [
        GroupRecord("sig-auth", "Auth", "owner"),
        GroupRecord("sig-storage", "", "related"),
    ]


def test_a_bad_cell_is_reported_at_its_line_and_left_out():
    # A link names a group by the directory its address ends in: not a file in it.
    listing = _list(
        "| | [Moby](https://github.com/moby/moby) | Engine | Docker: stable (2017-13-01) <br> "
        "Docker: beta (2016-01-01) <br> Docker: beta | | | MIT | sig-node (boss), sig-node "
        f"(related), [SIG Node]({NODE_README}) (owner) | Moby Engine |"
    )
    assert [str(problem) for problem in listing.problems] == [
        "line 5: Moby: state 'Docker: stable (2017-13-01)': '2017-13-01' is not a date "
        "(YYYY-MM-DD): left out",
        "line 5: Moby: state 'Docker: beta' not understood: left out",
        "line 5: Moby: group 'sig-node (boss)' not understood: left out",
        f"line 5: Moby: group '[SIG Node]({NODE_README}) (owner)' not understood: left out",
        "line 5: Moby: slug 'Moby Engine' is not a slug: left out",
    ]
    (record,) = listing.projects
    assert (record.slug, record.license) == ("moby", "MIT")
    assert record.steps == [StepRecord("Docker", "beta", datetime.date(2016, 1, 1))]
    assert record.groups == [GroupRecord("sig-node", "", "related")]


@pytest.mark.django_db
def test_the_columns_are_stored_and_an_unchanged_import_changes_nothing():
    storage = GroupFactory(slug="sig-storage", name="Storage (from sigs.yaml)")
    as_of = datetime.date(2023, 11, 1)
    report = project_list_import(listing=_list(GATEKEEPER), as_of=as_of)
    assert report.problems == []
    assert "created: groups sig-auth" in report.changed
    gatekeeper = Project.objects.get(slug="gatekeeper")
    assert gatekeeper.area == ProjectArea.objects.get(slug="cluster-management")
    assert (gatekeeper.license, gatekeeper.repository_url) == (
        "Apache-2.0",
        "https://github.com/open-policy-agent/gatekeeper",
    )
    assert [
        (step.steward, step.level, step.date, step.decision_url)
        for step in gatekeeper.maturity_steps.all()
    ] == [
        ("CNCF", "sandbox", datetime.date(2018, 3, 29), ""),
        (
            "CNCF",
            "graduated",
            datetime.date(2021, 1, 29),
            "https://www.cncf.io/announcements/2021/02/04/opa-graduation/",
        ),
        ("Azure", "beta", as_of, ""),
    ]
    auth = Group.objects.get(slug="sig-auth")
    assert (auth.name, auth.kind) == ("Auth", GroupKind.SIG)
    assert sorted(gatekeeper.group_links.values_list("group__slug", "relation")) == [
        ("sig-auth", "owner"),
        ("sig-storage", "related"),
    ]
    storage.refresh_from_db()
    assert storage.name == "Storage (from sigs.yaml)"

    with CaptureQueriesContext(connection) as queries:
        again = project_list_import(listing=_list(GATEKEEPER), as_of=datetime.date(2024, 1, 1))
    assert not again.has_changes, again.changed
    assert not [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]

    moved = GATEKEEPER.replace("(2018-03-29)", "(2018-04-01)").replace("(related)", "(owner)")
    changed = project_list_import(listing=_list(moved), as_of=as_of)
    assert changed.changed == ["updated: projects on the list OPA Gatekeeper"]
    assert gatekeeper.maturity_steps.get(level="sandbox").date == datetime.date(2018, 4, 1)
    assert gatekeeper.group_links.get(group=storage).relation == "owner"
