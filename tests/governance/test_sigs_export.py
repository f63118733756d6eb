"""export_sigs: sigs.yaml-compatible YAML from the database, public unless asked otherwise."""

import datetime
import functools
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from governance.exporters.sigs_yaml import dump, sigs_document
from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import (
    CONTACT_KEYS,
    GROUP_KEYS,
    TOP_KEYS,
    parse,
)
from governance.models import Group, Person, Subproject
from governance.services import subproject_upsert
from governance.signals import sigs_group_exporting, sigs_subproject_exporting
from tests.factories import GroupFactory, RoleFactory
from tests.governance.snapshot import governance_snapshot

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)


def import_text(text: str):
    return sigs_import(document=parse(text), allow_removals=True)


def import_fixture(name: str):
    return import_text((DATA / name).read_text())


def group(document: dict, slug: str) -> dict:
    every = [entry for key in ("sigs", "workinggroups", "committees") for entry in document[key]]
    return next(entry for entry in every if entry["dir"] == slug)


def walk_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in walk_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in walk_keys(item)}
    return set()


def test_public_export_leaves_private_data_out():
    import_fixture("sigs_small.yaml")

    text = dump(sigs_document())

    # The only addresses are where anyone reports to the code of conduct and security
    # response committees: public, though sigs.yaml calls them private lists.
    public = ("conduct@kubernetes.io", "security@kubernetes.io", "groups.google.com")
    assert "@" not in functools.reduce(lambda rest, part: rest.replace(part, ""), public, text)
    document = yaml.safe_load(text)
    assert "email" not in walk_keys(document)
    assert group(document, "committee-code-of-conduct")["contact"]["private_mailing_list"] == (
        "conduct@kubernetes.io"
    )
    steering = group(document, "committee-steering")
    assert steering["contact"] == {
        "slack": "steering-committee",
        "mailing_list": "https://groups.google.com/a/kubernetes.io/g/steering",
        "teams": [{"name": "steering-committee", "description": "General Discussion"}],
    }
    assert document["gb_rep"] == {
        "github": "cblecker",
        "name": "Christoph Blecker",
        "company": "Red Hat",
    }


def test_include_private_adds_emails_and_private_lists():
    import_fixture("sigs_small.yaml")

    document = sigs_document(include_private=True)

    steering = group(document, "committee-steering")
    assert steering["contact"]["private_mailing_list"] == "steering-private@kubernetes.io"
    assert steering["leadership"]["chairs"][0] == {
        "github": "BenTheElder",
        "name": "Benjamin Elder",
        "company": "Google",
        "email": "bentheelder@google.com",
    }
    assert document["gb_rep"]["email"] == "cblecker@gmail.com"


def test_the_export_has_the_file_s_keys_in_the_file_s_order():
    import_fixture("sigs_small.yaml")

    document = yaml.safe_load(dump(sigs_document(include_private=True)))
    original = yaml.safe_load((DATA / "sigs_small.yaml").read_text())

    assert list(document) == list(TOP_KEYS) == list(original)
    network, source = group(document, "sig-network"), group(original, "sig-network")
    assert list(network) == [key for key in GROUP_KEYS if key in source]
    assert list(network["contact"]) == [key for key in CONTACT_KEYS if key in source["contact"]]
    gateway = network["subprojects"][1]
    assert list(gateway) == ["name", "contact", "owners", "leads"]
    assert network["charter_link"] == "charter.md"
    assert network["leadership"]["emeritus_leads"] == [
        {"github": "caseydavenport", "name": "Casey Davenport"},
        {"github": "shaneutt", "name": "Shane Utt"},
    ]
    assert group(document, "wg-ai-gateway")["stakeholder_sigs"] == ["Multicluster", "Network"]
    assert group(document, "committee-steering")["charter_link"] == (
        "https://git.k8s.io/steering/charter.md"
    )
    assert document["usergroups"] == []


def test_emeritus_leads_come_from_past_roles_and_archived_groups_are_left_out(time_machine):
    import_fixture("sigs_small.yaml")
    time_machine.move_to(datetime.datetime(2026, 4, 6, 12), tick=False)
    import_fixture("sigs_newer.yaml")

    document = sigs_document()

    network = group(document, "sig-network")
    assert [lead["github"] for lead in network["leadership"]["emeritus_leads"]] == [
        "caseydavenport",
        "mikezappa87",
        "shaneutt",
    ]
    assert document["workinggroups"] == []


def test_a_round_trip_through_the_export_changes_nothing():
    import_fixture("sigs_small.yaml")
    before = governance_snapshot()
    exported = dump(sigs_document(include_private=True))
    Group.objects.all().delete()
    Person.objects.all().delete()

    report = import_text(exported)

    assert report.problems == []
    assert governance_snapshot() == before


@pytest.mark.shared_data
def test_a_round_trip_of_the_real_file_changes_nothing(shared_data):
    import_text((shared_data / "kubernetes-community" / "sigs.yaml").read_text())
    before = governance_snapshot()
    exported = dump(sigs_document(include_private=True))
    Group.objects.all().delete()
    Person.objects.all().delete()

    import_text(exported)

    assert governance_snapshot() == before


def test_receivers_add_meetings_to_the_export():
    import_fixture("sigs_small.yaml")

    def group_meetings(sender, *, group, data, include_private, **kwargs):
        data["meetings"].append({"description": f"{group.name} weekly", "private": False})

    def subproject_meetings(sender, *, subproject, data, include_private, **kwargs):
        if subproject.name == "gateway-api":
            data["meetings"] = [{"description": "Gateway API Meeting"}]

    sigs_group_exporting.connect(group_meetings, sender=Group)
    sigs_subproject_exporting.connect(subproject_meetings, sender=Subproject)
    try:
        document = sigs_document()
    finally:
        sigs_group_exporting.disconnect(group_meetings, sender=Group)
        sigs_subproject_exporting.disconnect(subproject_meetings, sender=Subproject)

    network = group(document, "sig-network")
    assert network["meetings"] == [{"description": "Network weekly", "private": False}]
    assert list(network)[-3:] == ["meetings", "contact", "subprojects"]
    gateway = network["subprojects"][1]
    assert list(gateway) == ["name", "contact", "owners", "leads", "meetings"]
    assert "meetings" not in network["subprojects"][0]


def test_the_export_query_count_does_not_grow_with_groups(django_assert_num_queries):
    import_fixture("sigs_small.yaml")
    with django_assert_num_queries(8):
        sigs_document()

    for index in range(3):
        role = RoleFactory(group=GroupFactory())
        subproject_upsert(group=role.group, name=f"extra-{index}", leads=[role.person])

    with django_assert_num_queries(8):
        document = sigs_document()
    assert len(document["sigs"]) == 5


def test_command_writes_yaml_to_standard_output():
    import_fixture("sigs_small.yaml")
    public, private = StringIO(), StringIO()

    call_command("export_sigs", stdout=public)
    call_command("export_sigs", "--include-private", stdout=private)

    assert yaml.safe_load(public.getvalue()) == sigs_document()
    assert yaml.safe_load(private.getvalue()) == sigs_document(include_private=True)
    assert "bowei@google.com" in private.getvalue()
    assert "bowei@google.com" not in public.getvalue()
