"""import_keps: real kep.yaml files with their mistakes, read, imported once, flagged, and never
half-stored. Fixtures in tests/projects/data/keps are cut from kubernetes/enhancements."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import freshness
from governance.models import Group, GroupKind, Person
from projects.importers.kep_yaml import parse_kep
from projects.models import Proposal, ProposalPerson, ProposalStatus, Release, Stage
from tests.factories import GroupFactory, PersonFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "keps"
INVALID = "keps/sig-api-machinery/4355-coordinated-leader-election/kep.yaml"
# The groups import_sigs would have left; sig-cloud-provider is missing on purpose.
KNOWN_GROUPS = [
    "sig-api-machinery",
    "sig-apps",
    "sig-architecture",
    "sig-auth",
    "sig-autoscaling",
    "sig-cli",
    "sig-cluster-lifecycle",
    "sig-instrumentation",
    "sig-multicluster",
    "sig-network",
    "sig-node",
    "sig-release",
    "sig-scalability",
    "sig-scheduling",
    "sig-security",
    "sig-storage",
    "sig-testing",
    "sig-windows",
]
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def kubernetes():
    return ProjectFactory(slug="kubernetes", name="Kubernetes")


@pytest.fixture
def groups():
    return {slug: GroupFactory(slug=slug) for slug in KNOWN_GROUPS}


def import_keps(directory: Path = DATA, *args: str) -> str:
    out = StringIO()
    call_command("import_keps", str(directory), *args, stdout=out)
    return out.getvalue()


def proposal(directory: str) -> Proposal:
    return Proposal.objects.get(source_path=f"keps/{directory}/kep.yaml")


def handles(proposal: Proposal, role: str) -> list[str]:
    return [link.person.handle for link in proposal.participants.filter(role=role)]


def read(text: str, path: str = "keps/sig-node/1234-example/kep.yaml"):
    return parse_kep(f"title: Example\nkep-number: 1234\nowning-sig: sig-node\n{text}", path=path)


# Reading: each spelling the real files use.


@pytest.mark.parametrize(
    ("written", "status", "problem"),
    [
        ("implemented", ProposalStatus.IMPLEMENTED, None),
        ("imlpemented", ProposalStatus.IMPLEMENTED, "status 'imlpemented' read as implemented"),
        (
            "implemented (alpha)",
            ProposalStatus.IMPLEMENTED,
            "status 'implemented (alpha)' read as implemented",
        ),
        ("superseded", ProposalStatus.REPLACED, "status 'superseded' read as replaced"),
        ("removed", ProposalStatus.IMPLEMENTED, "status 'removed' read as implemented"),
        (
            "provisional|implementable|implemented|deferred|rejected|withdrawn|replaced",
            ProposalStatus.PROVISIONAL,
            "status 'provisional|implementable|implemented|deferred|rejected|withdrawn|"
            "replaced' is the template's list of choices: read as provisional",
        ),
        ("done", ProposalStatus.PROVISIONAL, "status 'done' is not a status: read as provisional"),
    ],
)
def test_statuses_are_read_as_what_they_mean_and_each_change_is_a_problem(written, status, problem):
    record = read(f"status: {written}\n")
    assert record.status == status
    assert record.problems == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("written", "stage", "problem"),
    [
        ("stable", Stage.STABLE, None),
        ("alpha (deprecated)", Stage.ALPHA, "stage 'alpha (deprecated)' read as alpha"),
        ("alpha|beta|stable", "", "stage 'alpha|beta|stable' is the template's list of choices"),
    ],
)
def test_stages(written, stage, problem):
    record = read(f"status: provisional\nstage: {written}\n")
    assert record.stage == stage
    assert [p.partition(": left")[0] for p in record.problems] == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("written", "version", "problem"),
    [
        ('"v1.25"', "v1.25", None),
        ('"1.25"', "v1.25", None),
        ('"0.0"', "", None),
        ('"TBD"', "", None),
        ('""', "", None),
        ("null", "", None),
        ('"x.y"', "", "stable milestone 'x.y' is not a release: left empty"),
        ('"never"', "", "stable milestone 'never' is not a release: left empty"),
        ('"v1.21, v1.37"', "v1.21", "stable milestone 'v1.21, v1.37' read as v1.21"),
    ],
)
def test_milestone_spellings(written, version, problem):
    record = read(
        f"status: provisional\nlatest-milestone: {written}\nmilestone:\n  stable: {written}\n"
    )
    assert record.latest_milestone == version
    assert record.milestones == ({"stable": version} if version else {})
    expected = [problem.replace("stable milestone", "latest-milestone"), problem] if problem else []
    assert record.problems == expected


@pytest.mark.parametrize(
    ("written", "handles_read", "problem"),
    [
        (
            '["@ritazh", "aramase", "“@enj”", "@seans3 "]',
            ["ritazh", "aramase", "enj", "seans3"],
            None,
        ),
        ('["TBD", "none", ""]', [], None),
        (
            '["@deads2k - For Kube API Server portion of KEP"]',
            ["deads2k"],
            "reviewer '@deads2k - For Kube API Server portion of KEP' read as @deads2k",
        ),
        ('["sig-node"]', [], "reviewer 'sig-node' names a group, not a person: left out"),
        (
            '["@kubernetes/wg-component-standard"]',
            [],
            "reviewer '@kubernetes/wg-component-standard' names a GitHub team, not a person: "
            "left out",
        ),
        (
            '["with input from @bgrant0607, @dchen1107"]',
            [],
            "reviewer 'with input from @bgrant0607, @dchen1107' is not a GitHub handle: left out",
        ),
    ],
)
def test_people_spellings(written, handles_read, problem):
    record = read(f"status: provisional\nreviewers: {written}\n")
    assert record.reviewers == handles_read
    assert record.problems == ([problem] if problem else [])


def test_numbers_zero_and_unlike_the_directory_are_problems():
    zero = parse_kep(
        "title: T\nkep-number: 0000\nstatus: provisional\n", path="keps/sig-x/0000-process/kep.yaml"
    )
    assert zero.number is None
    assert zero.problems == [
        "kep-number 0 is not a proposal number (they start at 1): kept without a number"
    ]
    other = parse_kep(
        "title: T\nkep-number: 1884\nstatus: provisional\n", path="keps/sig-node/2043-pods/kep.yaml"
    )
    assert other.number == 1884
    assert other.problems == ["kep-number 1884 differs from its directory's number 2043"]


# Importing the fixture directory.


def test_the_directory_imports_all_but_the_invalid_file_and_says_why(kubernetes, groups):
    output = import_keps()
    assert output.splitlines()[-2] == (
        "23 kep.yaml files: 22 imported, 0 updated, 0 unchanged, 1 skipped, 18 flagged"
    )
    assert (
        f"  {INVALID}: not valid YAML: '2023-14-05' is not a date (month must be in 1..12) "
        "(line 10, column 16)"
    ) in output
    assert kubernetes.proposals.count() == 22
    assert not Proposal.objects.filter(source_path=INVALID).exists()
    # The format's own template is no proposal.
    assert "Ignored (templates): keps/NNNN-kep-template/kep.yaml" in output
    assert not Proposal.objects.filter(title="KEP Template").exists()


def test_typos_are_stored_as_what_they_mean_and_shown_flagged(kubernetes, groups, client):
    import_keps()
    smt = proposal("sig-node/2625-cpumanager-policies-thread-placement")
    assert smt.status == ProposalStatus.IMPLEMENTED
    assert smt.flags[0] == "status 'imlpemented' read as implemented"
    assert proposal("sig-api-machinery/4153-declarative-validation").status == "replaced"
    page = client.get("/enhancements/2625/").content.decode()
    assert "Flagged for review" in page
    assert "status &#x27;imlpemented&#x27; read as implemented" in page


def test_a_proposal_breaking_the_editing_rules_is_kept_and_flagged(kubernetes, groups):
    import_keps()
    sanitization = proposal("sig-instrumentation/1753-logs-sanitization")
    assert (sanitization.status, sanitization.stage) == ("implemented", "alpha")
    assert sanitization.latest_milestone.version == "v1.24"  # written "1.24"
    assert "An implemented proposal must be at stage stable (it has stage alpha)." in (
        sanitization.flags
    )
    assert sanitization in Proposal.objects.flagged()


def test_milestones_become_releases_of_the_project(kubernetes, groups):
    import_keps()
    health = proposal("sig-storage/1432-volume-health-monitor")
    assert health.alpha_milestone.version == "v1.21"
    assert "alpha milestone 'v1.21, v1.37' read as v1.21" in health.flags
    kubelet_config = proposal("sig-node/281-dynamic-kubelet-configuration")
    assert kubelet_config.stable_milestone is None  # "never"
    assert kubelet_config.removed_milestone.version == "v1.24"
    for directory in [
        "sig-api-machinery/5000-api-linting-crd-schema-tooling",  # TBD
        "sig-instrumentation/4785-resource-state-metrics",  # ""
        "sig-scheduling/964-binpacking-priority",  # 0.0
        "sig-multicluster/1645-multi-cluster-services-api",  # none
    ]:
        assert proposal(directory).latest_milestone is None
    assert set(Release.objects.values_list("project", flat=True)) == {kubernetes.pk}
    assert Release.objects.filter(version="v1.24").count() == 1


def test_a_shared_number_stays_with_the_file_that_has_its_production_readiness_review(
    kubernetes, groups, client
):
    import_keps()
    node = proposal("sig-node/2133-kubelet-credential-providers")
    cloud = proposal("sig-cloud-provider/2133-out-of-tree-credential-provider")
    assert node.number == 2133
    assert cloud.number is None
    assert cloud.flags == [
        "Number 2133 is also used by keps/sig-node/2133-kubelet-credential-providers/kep.yaml; "
        "kept without a number."
    ]
    assert cloud.get_absolute_url() == "/enhancements/2133-out-of-tree-credential-provider/"
    assert "Out-of-Tree Credential Providers" in client.get(cloud.get_absolute_url()).text
    process = proposal("sig-architecture/0000-kep-process")
    assert process.number is None
    assert process.flags[0].startswith("kep-number 0 is not a proposal number")


def test_groups_are_linked_by_directory_and_a_missing_owner_is_created(kubernetes, groups):
    output = import_keps()
    cloud = Group.objects.get(slug="sig-cloud-provider")
    assert (cloud.name, cloud.kind) == ("SIG Cloud Provider", GroupKind.SIG)
    assert "Created 1 groups: sig-cloud-provider" in output
    assert proposal("sig-cloud-provider/2133-out-of-tree-credential-provider").owning_group == cloud
    assert (
        cloud in proposal("sig-node/2133-kubelet-credential-providers").participating_groups.all()
    )

    quota = proposal("sig-scheduling/986-resource-quota-scope-selectors")
    assert quota.owning_group == groups["sig-api-machinery"]
    assert "owning-sig sig-api-machinery differs from its directory sig-scheduling" in quota.flags
    subresource = proposal("sig-cli/2590-kubectl-subresource")
    assert groups["sig-architecture"] in subresource.participating_groups.all()
    assert "participating SIG 'sig-arch' read as sig-architecture" in subresource.flags
    # A participating group nobody owns anything in is not invented.
    versions = proposal("sig-architecture/4330-compatibility-versions")
    assert "participating SIG wg-lts is not a known group: left out" in versions.flags
    assert not Group.objects.filter(slug="wg-lts").exists()


def test_people_are_matched_ignoring_case_and_created_without_email(kubernetes, groups):
    jpbetz = PersonFactory(handle="JPBetz", public_email="jp@example.com")
    import_keps()
    validation = proposal("sig-api-machinery/4153-declarative-validation")
    assert handles(validation, "reviewer") == ["apelisse", "JPBetz", "thockin", "robscott"]
    assert Person.objects.filter(handle__iexact="jpbetz").get() == jpbetz
    publishing = proposal("sig-release/1731-publishing-packages")
    assert "neolit123" in handles(publishing, "reviewer")  # written “@neolit123”
    proxy = proposal("sig-api-machinery/1281-network-proxy")
    assert handles(proxy, "approver") == ["deads2k", "bowei"]
    assert handles(proxy, "reviewer")[:2] == ["lavalamp", "deads2k"]  # after a TBD
    assert not Person.objects.filter(handle__iexact="tbd").exists()
    windows = proposal("sig-windows/116-windows-node-support")
    assert "reviewer 'sig-node' names a group, not a person: left out" in windows.flags
    assert not Person.objects.filter(handle__startswith="sig-").exists()
    created = Person.objects.exclude(pk=jpbetz.pk)
    assert not created.exclude(public_email="", private_email="").exists()


def test_production_readiness_approvers_come_from_their_own_files(kubernetes, groups):
    output = import_keps()
    prr = ProposalPerson.Role.PRR_APPROVER
    smt = proposal("sig-node/2625-cpumanager-policies-thread-placement")
    assert list(smt.participants.filter(role=prr).values_list("stage", "person__handle")) == [
        ("alpha", "johnbelamaric"),
        ("beta", "johnbelamaric"),
        ("stable", "johnbelamaric"),
    ]
    credentials = proposal("sig-node/2133-kubelet-credential-providers")
    assert handles(credentials, prr) == ["deads2k", "deads2k"]
    assert handles(proposal("sig-cloud-provider/2133-out-of-tree-credential-provider"), prr) == []
    # 0752 is 752, not octal 490; a review for a skipped or missing proposal is reported.
    assert (
        "keps/prod-readiness/sig-network/752.yaml: kep-number 752: no proposal of sig-network"
        in output
    )
    assert (
        "keps/prod-readiness/sig-api-machinery/4355.yaml: kep-number 4355: "
        f"its proposal {INVALID} was skipped" in output
    )
    assert "keps/prod-readiness/template/nnnn.yaml" in output.splitlines()[-3]


def test_a_second_run_reports_everything_unchanged_and_writes_nothing(kubernetes, groups):
    import_keps()
    history = Proposal.history.count(), ProposalPerson.history.count(), Person.history.count()
    with CaptureQueriesContext(connection) as queries:
        output = import_keps()
    assert "0 imported, 0 updated, 22 unchanged, 1 skipped, 18 flagged" in output
    assert [q["sql"] for q in queries if q["sql"].startswith(WRITES)] == []
    assert (Proposal.history.count(), ProposalPerson.history.count(), Person.history.count()) == (
        history
    )


def _synthetic_keps(root: Path, first: int, count: int) -> Path:
    for number in range(first, first + count):
        path = root / "keps" / "sig-node" / f"{number}-feature-{number}" / "kep.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(
            f"title: Feature {number}\nkep-number: {number}\nowning-sig: sig-node\n"
            "participating-sigs: [sig-auth]\nstatus: implementable\nstage: alpha\n"
            f"latest-milestone: v1.{number}\nmilestone: {{alpha: v1.{number}}}\n"
            f"authors: ['@author-{number}', '@shared']\nreviewers: ['@reviewer-{number}']\n"
            f"feature-gates:\n  - name: Gate{number}\n    components: [kubelet]\n"
        )
    return root / "keps"


def test_an_unchanged_import_costs_the_same_statements_at_any_size(kubernetes, groups, tmp_path):
    statements = []
    for first, count in [(1, 5), (101, 10)]:
        keps = _synthetic_keps(tmp_path / str(count), first, count)
        assert f"{count} imported" in import_keps(keps)
        with CaptureQueriesContext(connection) as queries:
            assert f"0 imported, 0 updated, {count} unchanged" in import_keps(keps)
        statements.append(len(queries))
    assert statements[0] == statements[1]
    node = proposal("sig-node/107-feature-107")
    snapshot = node.history.latest().participating_groups.all()
    assert [row.group.slug for row in snapshot] == ["sig-auth"]


def test_a_changed_file_updates_its_proposal(kubernetes, groups, tmp_path):
    keps = shutil.copytree(DATA, tmp_path / "keps")
    import_keps(keps)
    path = keps / "sig-node/2625-cpumanager-policies-thread-placement/kep.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(status="implemented", title="SMT-aware CPU manager policy", authors=["@ffromani"])
    path.write_text(yaml.safe_dump(data))
    output = import_keps(keps)
    assert "0 imported, 1 updated, 21 unchanged" in output
    smt = proposal("sig-node/2625-cpumanager-policies-thread-placement")
    assert smt.title == "SMT-aware CPU manager policy"
    assert "status 'imlpemented' read as implemented" not in smt.flags
    assert handles(smt, "author") == ["ffromani"]
    assert smt.history.count() == 2


def test_a_proposal_whose_file_is_gone_is_kept_and_reported(kubernetes, groups, tmp_path):
    keps = shutil.copytree(DATA, tmp_path / "keps")
    import_keps(keps)
    shutil.rmtree(keps / "sig-node/281-dynamic-kubelet-configuration")
    output = import_keps(keps)
    assert (
        "keps/sig-node/281-dynamic-kubelet-configuration/kep.yaml: imported before, but the file "
        "is gone: kept"
    ) in output
    assert "22 kep.yaml files: 0 imported, 0 updated, 21 unchanged, 1 skipped" in output
    assert proposal("sig-node/281-dynamic-kubelet-configuration").number == 281


def test_replaced_proposals_are_linked_both_ways_once_every_file_is_in(kubernetes, tmp_path):
    keps = tmp_path / "keps"
    files = {
        "1-old": "superseded-by: ['/keps/sig-new/3-newest/']\n",
        "2-older": "",
        "3-newest": "replaces: ['KEP-2', 'https://docs.google.com/document/d/1', KEP-9]\n",
    }
    for directory, extra in files.items():
        number, _, title = directory.partition("-")
        path = keps / "sig-new" / directory / "kep.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(f"title: {title}\nkep-number: {number}\nowning-sig: sig-new\n{extra}")
    output = import_keps(keps)
    newest = proposal("sig-new/3-newest")
    assert sorted(newest.replaces.values_list("number", flat=True)) == [1, 2]
    assert list(proposal("sig-new/1-old").superseded_by.all()) == [newest]
    assert (
        "keps/sig-new/3-newest/kep.yaml: replaces KEP-9, which is not an imported proposal: "
        "not linked"
    ) in output
    assert "0 imported, 0 updated, 3 unchanged" in import_keps(keps)


def test_a_file_failing_midway_stores_nothing_of_it_and_the_rest_imports(kubernetes, tmp_path):
    keps = tmp_path / "keps"
    base = "title: {title}\nkep-number: {number}\nowning-sig: sig-new\nstatus: provisional\n"
    broken = keps / "sig-new/1-broken/kep.yaml"
    broken.parent.mkdir(parents=True)
    # The proposal, a new person and a new release are written before the gate fails.
    broken.write_text(
        base.format(title="Broken", number=1)
        + "authors: ['@ghost-writer']\nlatest-milestone: v1.99\n"
        + f"feature-gates:\n  - name: {'G' * 250}\n"
    )
    fine = keps / "sig-new/2-fine/kep.yaml"
    fine.parent.mkdir()
    fine.write_text(base.format(title="Fine", number=2) + "authors: ['@Ghost-Writer']\n")
    output = import_keps(keps)
    assert (
        "keps/sig-new/1-broken/kep.yaml: not stored: name: Ensure this value has at most 200 "
        "characters (it has 250)."
    ) in output
    assert list(kubernetes.proposals.values_list("title", flat=True)) == ["Fine"]
    assert list(Person.objects.values_list("handle", flat=True)) == ["Ghost-Writer"]
    assert not Release.objects.exists()
    assert Group.objects.get().slug == "sig-new"
    assert "Created 1 people: Ghost-Writer" in output


def test_strict_exits_non_zero_when_a_file_was_skipped(kubernetes, groups, capsys, monkeypatch):
    # manage.py closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(["manage.py", "import_keps", str(DATA), "--strict"])
    assert exit_status.value.code == 1
    assert "--strict: 1 file(s) skipped" in capsys.readouterr().err
    assert kubernetes.proposals.count() == 22  # the rest is imported all the same
    import_keps()  # without --strict a skip is reported, not an error


def test_strict_passes_when_nothing_was_skipped(kubernetes, tmp_path):
    keps = shutil.copytree(DATA, tmp_path / "keps")
    (keps / "sig-api-machinery/4355-coordinated-leader-election/kep.yaml").unlink()
    assert "0 skipped" in import_keps(keps, "--strict")


def test_an_unknown_project_or_directory_is_an_error(kubernetes, tmp_path):
    with pytest.raises(CommandError, match="No project 'etcd'"):
        import_keps(DATA, "--project", "etcd")
    with pytest.raises(CommandError, match="is not a directory"):
        import_keps(tmp_path / "missing")
    with pytest.raises(CommandError, match="sig-node is not a keps/ directory"):
        import_keps(DATA / "sig-node")


def test_a_proposal_entered_by_hand_is_taken_over_by_its_file(kubernetes, groups):
    by_hand = Proposal.objects.create(
        project=kubernetes,
        number=2625,
        slug="2625-smt",
        title="SMT",
        owning_group=groups["sig-node"],
    )
    output = import_keps()
    assert "21 imported, 1 updated" in output
    smt = proposal("sig-node/2625-cpumanager-policies-thread-placement")
    assert smt.pk == by_hand.pk
    assert smt.slug == "2625-cpumanager-policies-thread-placement"


@pytest.mark.shared_data
def test_the_real_enhancements_import_653_proposals_and_skip_2(shared_data, kubernetes):
    sigs = yaml.safe_load((shared_data / "kubernetes-community/sigs.yaml").read_text())
    for key, kind in [("sigs", GroupKind.SIG), ("workinggroups", GroupKind.WORKING_GROUP)]:
        for entry in sigs[key]:
            GroupFactory(slug=entry["dir"], name=entry["name"], kind=kind)
    for entry in sigs["committees"]:
        GroupFactory(slug=entry["dir"], name=entry["name"], kind=GroupKind.COMMITTEE)
    keps = shared_data / "kubernetes-enhancements/keps"
    output = import_keps(keps)
    lines = output.splitlines()
    assert lines[-2].startswith(
        "655 kep.yaml files: 653 imported, 0 updated, 0 unchanged, 2 skipped, "
    )
    assert lines[:3] == [
        "Skipped 2 file(s):",
        f"  {INVALID}: not valid YAML: '2023-14-05' is not a date (month must be in 1..12) "
        "(line 10, column 16)",
        "  keps/sig-scheduling/5075-dra-consumable-capacity/kep.yaml: not valid YAML: "
        "'2025-30-01' is not a date (month must be in 1..12) (line 10, column 16)",
    ]
    flagged = kubernetes.proposals.flagged()
    assert f"Flagged proposals ({flagged.count()}):" in lines
    assert "  keps/sig-node/281-dynamic-kubelet-configuration/kep.yaml (KEP-281)" in lines
    assert kubernetes.proposals.count() == 653
    again = import_keps(keps).splitlines()
    assert again[-2].startswith(
        "655 kep.yaml files: 0 imported, 0 updated, 653 unchanged, 2 skipped"
    )


def test_an_import_replaces_the_data_version_once(
    kubernetes, groups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        import_keps()
    assert callbacks.count(freshness.bump) == 1
