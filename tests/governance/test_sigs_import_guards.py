"""import_sigs over the real community cannot lose it: the audit's malformed files, cut from the
real sigs.yaml, are refused or reported with their place, and nothing stored is lost.

The real file is imported once for the module; each test runs in a transaction rolled back.
"""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from governance.importers.limited_yaml import MAX_BYTES
from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import parse
from governance.models import Group, GroupStatus, Role
from tests.governance.conftest import disconnect_other_apps
from tests.governance.snapshot import governance_snapshot, row_counts

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]

SIG_AUTH = 3  # sigs[3] is sig-auth in the real file


def real_text(shared_data: Path) -> str:
    return (shared_data / "kubernetes-community" / "sigs.yaml").read_text()


@pytest.fixture(scope="module")
def real(shared_data, django_db_setup, django_db_blocker):
    """The real sigs.yaml, imported (governance's part only, for speed) and kept for the module."""
    text = real_text(shared_data)
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        disconnect_other_apps(patch)
        sigs_import(document=parse(text))
        yield text
        call_command("flush", interactive=False)


@pytest.fixture
def stored(real):
    """What the database holds before the test, to compare with what it holds after."""
    return governance_snapshot(), row_counts()


def data(text: str) -> dict:
    return yaml.safe_load(text)


def dump(document) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def bomb(depth: int = 9) -> list:
    """A billion laughs: 9 lists of 9 lists of ... "lol", written with anchors and aliases."""
    laughs: list = ["lol"] * 9
    for _ in range(depth - 1):
        laughs = [laughs] * 9
    return laughs


def half(text: str) -> str:
    """The first half of the file's lines: valid YAML, missing 22 of its 35 groups."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[: len(lines) // 2])


def with_group(text: str, index: int, **fields) -> str:
    document = data(text)
    document["sigs"][index].update(fields)
    return dump(document)


def run(tmp_path: Path, content: str, *options: str) -> tuple[Path, str]:
    path = tmp_path / "sigs.yaml"
    path.write_text(content, encoding="utf-8")
    out = StringIO()
    call_command("import_sigs", str(path), *options, stdout=out)
    return path, out.getvalue()


def refused(tmp_path: Path, content: str, *options: str) -> tuple[str, str]:
    """The command's error and output for a file it must refuse."""
    path = tmp_path / "sigs.yaml"
    path.write_text(content, encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_sigs", str(path), *options, stdout=out)
    assert str(path) in str(error.value)
    return str(error.value), out.getvalue()


# (name, mutation of the real text, what the refusal names): files refused before any write.
UNREADABLE = [
    ("empty mapping", lambda text: "{}\n", "none of the sections sigs, workinggroups"),
    ("only an unknown key", lambda text: "groups: []\n", "none of the sections"),
    ("empty file", lambda text: "", "must be a mapping"),
    ("a list", lambda text: dump(data(text)["sigs"]), "must be a mapping"),
    (
        "sigs as text",
        lambda text: dump({**data(text), "sigs": "sig-node"}),
        "sigs: expected a list",
    ),
    (
        "committees as a mapping",
        lambda text: dump({**data(text), "committees": {"dir": "x"}}),
        "committees: expected a list of groups, found dict",
    ),
    (
        "a group as text",
        lambda text: dump({**data(text), "sigs": ["sig-node", *data(text)["sigs"][1:]]}),
        "sigs[0]: expected a group mapping, found str",
    ),
    (
        "a group as a list",
        lambda text: dump({**data(text), "workinggroups": [[1], *data(text)["workinggroups"]]}),
        "workinggroups[0]: expected a group mapping, found list",
    ),
    (
        "a duplicate sigs key",
        lambda text: text + "sigs: []\n",
        "sigs (line 4165, column 1): the key 'sigs' is given twice",
    ),
    (
        "a duplicate key inside a group",
        lambda text: text.replace("    label: api-machinery\n", "    label: a\n    label: b\n", 1),
        "sigs[0].label (line 9, column 5): the key 'label' is given twice",
    ),
    (
        "an alias bomb in one group",
        lambda text: with_group(text, SIG_AUTH, mission_statement=bomb()),
        "sigs[3].mission_statement",
    ),
    (
        "an alias bomb in the leaders",
        lambda text: with_group(text, SIG_AUTH, leadership={"chairs": bomb(7)}),
        "its aliases expand to more than",
    ),
    (
        "a recursive alias",
        lambda text: text.replace(
            "  - dir: sig-auth\n", "  - dir: sig-auth\n    x: &loop [*loop]\n"
        ),
        "sigs[3].x[0] (line 484, column 8): an alias of a value holding it",
    ),
    ("nested too deep", lambda text: text + "deep: " + "[" * 60 + "]" * 60 + "\n", "deeper"),
    ("oversized", lambda text: text + "#" * MAX_BYTES + "\n", "more than the"),
    ("not YAML", lambda text: text.replace("sigs:\n", "sigs: [\n", 1), "not valid YAML"),
    (
        "cut at half its characters",
        lambda text: text[: len(text) // 2],
        "not valid YAML: could not find expected ':' (line 1917, column 1)",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [case[1:] for case in UNREADABLE],
    ids=[case[0] for case in UNREADABLE],
)
def test_a_file_refused_as_a_whole_names_the_place_and_changes_nothing(
    real, stored, tmp_path, mutate, message
):
    error, _ = refused(tmp_path, mutate(real))

    assert message in error
    assert (governance_snapshot(), row_counts()) == stored


# Files that read as YAML but would end or archive much of the community.
REMOVING = [
    ("truncated at half", lambda text: half(text), "groups", 22, 35),
    ("sigs null", lambda text: dump({**data(text), "sigs": None}), "groups", 24, 35),
    ("no committees", lambda text: dump({**data(text), "committees": []}), "roles", 25, 201),
    (
        "every SIG without leaders",
        lambda text: dump(
            {**data(text), "sigs": [{**g, "leadership": {}} for g in data(text)["sigs"]]}
        ),
        "roles",
        115,
        201,
    ),
]


@pytest.mark.parametrize(
    ("mutate", "entity", "removed", "existing"),
    [case[1:] for case in REMOVING],
    ids=[case[0] for case in REMOVING],
)
def test_a_file_removing_more_than_the_limit_is_refused_with_the_list(
    real, stored, tmp_path, mutate, entity, removed, existing
):
    error, output = refused(tmp_path, mutate(real))

    assert f"{removed} of {existing} {entity}" in error
    assert "more than 10% of them" in error and "--allow-removals" in error
    assert "It would end, archive or remove:\n" in output
    assert (governance_snapshot(), row_counts()) == stored


def test_allow_removals_applies_the_truncated_file(real, tmp_path):
    _, output = run(tmp_path, half(real), "--allow-removals")

    assert "groups: 13 unchanged, 22 archived" in output
    assert Group.objects.filter(status=GroupStatus.ARCHIVED).count() == 22


def test_the_limit_is_a_setting(real, stored, tmp_path, settings):
    settings.AGORA_IMPORT_REMOVAL_SHARE = 0.0
    one_gone = dump(
        {**data(real), "usergroups": [], "workinggroups": data(real)["workinggroups"][1:]}
    )

    error, output = refused(tmp_path, one_gone)

    assert "1 of 35 groups" in error
    assert "  groups:\n    wg-ai-gateway\n" in output


def test_dry_run_prints_every_change_and_writes_nothing(real, stored, tmp_path):
    document = data(real)
    document["sigs"][SIG_AUTH]["mission_statement"] = "A new mission."
    document["sigs"][SIG_AUTH]["leadership"]["chairs"].pop(0)
    document["workinggroups"].pop(0)

    _, output = run(tmp_path, dump(document), "--dry-run")

    assert "Dry run: nothing was written." in output
    assert "  groups updated: sig-auth\n" in output
    assert "  groups archived: wg-ai-gateway\n" in output
    assert "  roles ended: @aramase, chair of sig-auth\n" in output
    assert (governance_snapshot(), row_counts()) == stored


def test_a_group_part_of_the_wrong_type_skips_the_group_and_keeps_its_records(
    real, stored, tmp_path
):
    chairs = set(Role.objects.current().filter(group__slug="sig-auth").values_list("pk"))

    _, output = run(tmp_path, with_group(real, SIG_AUTH, leadership="Mo Khan"))

    assert (
        "sigs[3] (sig-auth).leadership: expected a mapping, found str: group skipped, "
        "its stored records kept"
    ) in output
    assert set(Role.objects.current().filter(group__slug="sig-auth").values_list("pk")) == chairs
    assert "No changes." in output
    assert (governance_snapshot(), row_counts()) == stored


@pytest.mark.parametrize(
    "mutate",
    [
        lambda text: with_group(
            text,
            SIG_AUTH,
            mission_statement=data(text)["sigs"][SIG_AUTH]["mission_statement"] + "\0",
        ),
        lambda text: text.replace("      Covers improvements", "      Covers\0 improvements", 1),
    ],
    ids=["escaped NUL", "raw NUL"],
)
def test_a_nul_in_a_mission_is_removed_and_reported_at_its_field(real, tmp_path, mutate):
    mission = Group.objects.get(slug="sig-auth").mission

    _, output = run(tmp_path, mutate(real))

    assert "sigs[3].mission_statement: control character(s) removed: U+0000" in output
    assert Group.objects.get(slug="sig-auth").mission == mission
    assert not [
        mission for mission in Group.objects.values_list("mission", flat=True) if "\0" in mission
    ]


def test_other_control_characters_are_removed_from_names_too(real, tmp_path):
    document = data(real)
    document["sigs"][SIG_AUTH]["leadership"]["chairs"][0]["name"] += "\x07\x1b"

    _, output = run(tmp_path, dump(document))

    assert "sigs[3].leadership.chairs[0].name: control character(s) removed: U+0007" in output
    assert "No changes." in output


def test_the_governance_page_shows_the_real_reporting_addresses_not_the_leads_lists(real, client):
    html = client.get("/governance/").content.decode()

    assert 'href="mailto:conduct@kubernetes.io"' in html
    assert 'href="mailto:security@kubernetes.io"' in html
    assert "No reporting address is published yet." not in html
    assert "sig-k8s-infra-private@kubernetes.io" not in html
