"""import_keps over real proposals cannot lose them: the audit's malformed kep.yaml and
production-readiness files, cut from real ones, are skipped or reported with the file's path,
and no proposal stored before is changed by them.

Three real KEPs (with their production-readiness files) are imported once for the module; each
test imports a changed copy of them in a transaction rolled back.
"""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command

from governance.importers.limited_yaml import MAX_BYTES
from governance.models import Group
from projects.models import Proposal
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]

KEPS = [
    "sig-auth/1205-bound-service-account-tokens",
    "sig-node/2133-kubelet-credential-providers",
    "sig-storage/2451-service-account-token-volumes",
]
PRR = ["sig-auth/1205.yaml", "sig-node/2133.yaml"]
BOUND_TOKENS = "keps/sig-auth/1205-bound-service-account-tokens/kep.yaml"
BOUND_TOKENS_PRR = "keps/prod-readiness/sig-auth/1205.yaml"


def copy_keps(shared_data: Path, target: Path) -> Path:
    """A keps/ directory holding the real KEPS and PRR files."""
    real = shared_data / "kubernetes-enhancements" / "keps"
    keps = target / "keps"
    for directory in KEPS:
        shutil.copytree(real / directory, keps / directory)
    for file in PRR:
        (keps / "prod-readiness" / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(real / "prod-readiness" / file, keps / "prod-readiness" / file)
    return keps


def import_keps(keps: Path, *options: str) -> str:
    out = StringIO()
    call_command("import_keps", str(keps), *options, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def real(shared_data, tmp_path_factory, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ProjectFactory(slug="kubernetes", name="Kubernetes")
        import_keps(copy_keps(shared_data, tmp_path_factory.mktemp("real")))
        yield
        call_command("flush", interactive=False)


def proposals() -> list[tuple]:
    """Every proposal with its links, and the number of rows of every projects table."""
    rows = [
        (
            p.source_path,
            p.number,
            p.title,
            p.owning_group.slug if p.owning_group else "",
            p.status,
            tuple(p.flags),
            tuple(sorted((x.role, x.stage, x.person.handle) for x in p.participants.all())),
            tuple(sorted(g.name for g in p.feature_gates.all())),
        )
        for p in Proposal.objects.select_related("owning_group").prefetch_related(
            "participants__person", "feature_gates"
        )
    ]
    counts = {model.__name__: model.objects.count() for model in apps.get_models()}
    return [*sorted(rows), tuple(sorted(counts.items()))]


@pytest.fixture
def keps(real, shared_data, tmp_path):
    """A fresh copy of the imported files, to change; and what is stored before."""
    return copy_keps(shared_data, tmp_path), proposals()


def bomb(depth: int = 9) -> list:
    laughs: list = ["@lol"] * 9
    for _ in range(depth - 1):
        laughs = [laughs] * 9
    return laughs


def edit(text: str, **changes) -> str:
    data = yaml.safe_load(text)
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False)


# (name, file under keps/, mutation of its text, the reason given for skipping it)
SKIPPED = [
    ("text", "kep-number: 1205\n", "kep-number: abc\n", "kep-number 'abc' is not a proposal"),
    ("negative", "kep-number: 1205\n", "kep-number: -1205\n", "kep-number -1205 is not a"),
    ("a list", "kep-number: 1205\n", "kep-number: [1205]\n", "kep-number [1205] is not a"),
    ("a mapping", "kep-number: 1205\n", "kep-number: {n: 1205}\n", "kep-number {'n': 1205} is"),
    ("a fraction", "kep-number: 1205\n", "kep-number: 1205.5\n", "kep-number 1205.5 is not a"),
    ("a boolean", "kep-number: 1205\n", "kep-number: yes\n", "kep-number True is not a"),
    (
        "duplicated",
        "kep-number: 1205\n",
        "kep-number: 1205\nkep-number: 2451\n",
        "kep-number (line 3, column 1): the key 'kep-number' is given twice",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [case[1:] for case in SKIPPED],
    ids=[case[0] for case in SKIPPED],
)
def test_a_bad_kep_number_skips_its_file_and_leaves_the_proposal_as_it_was(keps, old, new, reason):
    directory, before = keps
    path = directory.parent / BOUND_TOKENS
    path.write_text(path.read_text().replace(old, new, 1))

    output = import_keps(directory)

    assert f"  {BOUND_TOKENS}: " in output and reason in output
    assert proposals() == before
    assert Proposal.objects.get(number=1205).title == "Bound Service Account Tokens"


def alias_bomb_in_reviewers(text: str) -> str:
    return edit(text, reviewers=bomb())


def alias_bomb_in_milestones(text: str) -> str:
    return edit(text, milestone={"alpha": bomb(8), "beta": "v1.21"})


def recursive_alias(text: str) -> str:
    return text + "see-also: &loop [*loop]\n"


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (alias_bomb_in_reviewers, "reviewers[0][0][0] (line 13, column 7): its aliases expand"),
        (alias_bomb_in_milestones, "its aliases expand to more than 500,000 values"),
        (recursive_alias, "an alias of a value holding it"),
        (lambda text: text + "x: " + "[" * 60 + "]" * 60 + "\n", "nested deeper than 50"),
        (lambda text: text + "#" * MAX_BYTES, "bytes, more than the 5,242,880 a file may hold"),
        (lambda text: "- " + text.replace("\n", "\n  "), "not a mapping of keys but list"),
        (lambda text: text.replace("status:", "status: [", 1), "not valid YAML"),
    ],
    ids=[
        "alias bomb",
        "alias bomb in a mapping",
        "recursive alias",
        "deep",
        "oversized",
        "list",
        "not YAML",
    ],
)
def test_an_unreadable_kep_yaml_is_skipped_with_the_reason(keps, mutate, reason):
    directory, before = keps
    path = directory.parent / BOUND_TOKENS
    path.write_text(mutate(path.read_text()))

    output = import_keps(directory)

    assert f"Skipped 1 file(s):\n  {BOUND_TOKENS}: " in output and reason in output
    assert proposals() == before


@pytest.mark.parametrize(
    "mutate",
    [
        lambda text: edit(text, beta={"approver": bomb()}),
        lambda text: text + "stable: &loop [*loop]\n",
        lambda text: text + "beta: {approver: '@x'}\n",
    ],
    ids=["alias bomb", "recursive alias", "duplicate stage"],
)
def test_an_unreadable_production_readiness_file_keeps_the_approvers(keps, mutate):
    directory, _ = keps
    path = directory.parent / BOUND_TOKENS_PRR
    path.write_text(mutate(path.read_text()))

    output = import_keps(directory)

    assert f"  {BOUND_TOKENS_PRR}: " in output and ": ignored" in output
    bound = Proposal.objects.get(number=1205)
    approvers = bound.participants.filter(role="prr_approver").values_list(
        "stage", "person__handle"
    )
    assert sorted(approvers) == [("beta", "deads2k"), ("stable", "deads2k")]
    assert bound.flags == [f"{BOUND_TOKENS_PRR} could not be read: its approvers are kept"]


def test_a_nul_in_a_title_is_removed_and_flagged_at_its_field(keps):
    directory, _ = keps
    path = directory.parent / BOUND_TOKENS
    path.write_text(path.read_text().replace("Bound Service", "Bound\x00 Service", 1))

    output = import_keps(directory)

    assert "title: control character(s) removed: U+0000" in output
    bound = Proposal.objects.get(number=1205)
    assert bound.title == "Bound Service Account Tokens"
    assert bound.flags == ["title: control character(s) removed: U+0000 CONTROL"]


@pytest.mark.parametrize(
    ("directory", "owner"),
    [("sig-new/1205-bound-tokens-again", "sig-new"), ("sig-node/9999-tokens", "sig-node")],
    ids=["a new group", "another known group"],
)
def test_a_new_file_claiming_another_groups_number_is_not_stored(keps, directory, owner):
    copied, before = keps
    claim = copied / directory / "kep.yaml"
    claim.parent.mkdir(parents=True)
    source = (copied.parent / BOUND_TOKENS).read_text()
    claim.write_text(source.replace("owning-sig: sig-auth", f"owning-sig: {owner}"))

    output = import_keps(copied)

    assert (
        f"  keps/{directory}/kep.yaml: kep-number 1205 is KEP-1205 of sig-auth "
        f"({BOUND_TOKENS}), not a proposal of {owner}: not stored\n"
    ) in output
    assert proposals() == before
    assert not Group.objects.filter(slug="sig-new").exists()


def test_dry_run_prints_the_changes_and_writes_nothing(keps):
    directory, before = keps
    path = directory.parent / BOUND_TOKENS
    path.write_text(path.read_text().replace("status: implemented", "status: withdrawn", 1))
    new = directory / "sig-auth/5000-new/kep.yaml"
    new.parent.mkdir()
    new.write_text("title: New\nkep-number: 5000\nowning-sig: sig-auth\nauthors: ['@newcomer']\n")

    output = import_keps(directory, "--dry-run")

    assert "Dry run: nothing was written." in output
    assert f"  updated: {BOUND_TOKENS} (KEP-1205)\n" in output
    assert "  imported: keps/sig-auth/5000-new/kep.yaml (KEP-5000)\n" in output
    assert "Created 1 people: newcomer" in output
    assert proposals() == before
