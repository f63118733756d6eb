"""load_demo: the demo community, from each installed app's demo module."""

from io import StringIO

import pytest
from django.core.management import call_command

from config.management.commands.load_demo import demo_modules
from governance.models import (
    Channel,
    ChannelKind,
    Committee,
    CommitteePurpose,
    Group,
    GroupKind,
    Person,
    Role,
    RoleKind,
)
from governance.services import group_create, group_update
from tests.governance.demo_app import demo as demo_app
from tests.governance.snapshot import governance_snapshot, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_governance_receivers():
    """load_demo loads every app's part: the meetings of the demo sigs.yaml are imported too."""


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_community():
    # Other apps' demos load after governance's.
    assert load_demo().splitlines()[0] == "Loaded governance.demo"

    # Other apps' demos may add the groups they need (projects adds sig-cloud-provider).
    assert set(Group.objects.values_list("slug", flat=True)) >= {
        "committee-steering",
        "committee-security-response",
        "committee-code-of-conduct",
        "sig-architecture",
        "sig-network",
        "sig-node",
        "sig-storage",
        "sig-windows",
        "sig-auth",
        "sig-release",
        "wg-lts",
        "wg-gateway-api",
    }
    steering = Committee.objects.get(purpose=CommitteePurpose.STEERING)
    assert (steering.seats, steering.max_seats_per_affiliation, steering.term_months) == (3, 1, 24)
    members = Person.objects.filter(
        roles__in=Role.objects.current().filter(group=steering.group, kind=RoleKind.MEMBER)
    )
    assert len({member.affiliation for member in members}) == members.count() == 3
    security = Committee.objects.get(purpose=CommitteePurpose.SECURITY_RESPONSE)
    assert security.reporting_email == "security@example.org"
    assert Person.objects.filter(roles__group=security.group).exclude(private_email="").count() == 3
    conduct = Committee.objects.get(purpose=CommitteePurpose.CODE_OF_CONDUCT)
    assert conduct.reporting_email == "conduct@example.org"
    assert "APIs" in Group.objects.get(slug="sig-architecture").mission
    lts = Group.objects.get(slug="wg-lts")
    assert lts.kind == GroupKind.WORKING_GROUP
    assert set(lts.stakeholder_groups.values_list("slug", flat=True)) == {
        "sig-architecture",
        "sig-node",
        "sig-release",
    }
    emeritus = [role for role in Role.objects.past() if role.is_emeritus]
    assert {role.person.handle for role in emeritus} == {"ryan-jacobs", "david-kim", "hannah-weber"}
    private = Channel.objects.filter(kind=ChannelKind.PRIVATE_MAILING_LIST)
    assert private.count() == 3
    assert all(channel.is_private for channel in private)
    assert Group.objects.get(slug="sig-release").subprojects.count() == 2
    # The people of the governance demo (other apps' demos add authors of their own).
    for person in Person.objects.filter(roles__isnull=False).distinct():
        person.full_clean()
        assert person.time_zone and person.affiliation


def test_loading_the_demo_again_changes_nothing():
    load_demo()
    before = (row_counts(), governance_snapshot())

    load_demo()

    assert (row_counts(), governance_snapshot()) == before


def test_governance_demo_loads_first_then_the_other_apps_in_order(settings):
    settings.INSTALLED_APPS = [
        "tests.governance.demo_app",
        *settings.INSTALLED_APPS,
    ]
    demo_app.loaded.clear()

    assert [module.__name__ for module in demo_modules()][:2] == [
        "governance.demo",
        "tests.governance.demo_app.demo",
    ]
    assert load_demo().splitlines()[:2] == [
        "Loaded governance.demo",
        "Loaded tests.governance.demo_app.demo",
    ]
    assert demo_app.loaded == [14]


def test_the_demo_loads_in_one_transaction(settings, monkeypatch):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.governance.demo_app"]
    monkeypatch.setattr(demo_app, "broken", True)

    with pytest.raises(RuntimeError, match="broken"):
        load_demo()

    assert not Group.objects.exists() and not Person.objects.exists()


def test_a_database_that_has_data_is_left_as_it_is():
    group_create(slug="committee-steering", name="Steering", kind=GroupKind.COMMITTEE)
    Person.objects.create(handle="ada", affiliation="Google")
    before = (row_counts(), governance_snapshot())

    out = load_demo()

    assert out == (
        "The database already has data (groups: 1, people: 1): the demo was not loaded, "
        "and nothing was changed.\n"
    )
    assert (row_counts(), governance_snapshot()) == before


def test_loading_the_demo_again_keeps_an_admin_edit():
    """`make run` loads the demo on every start: what an admin changed stays changed."""
    load_demo()
    group_update(group=Group.objects.get(slug="sig-auth"), mission="Edited by an admin.")

    assert "the demo was not loaded" in load_demo()

    assert Group.objects.get(slug="sig-auth").mission == "Edited by an admin."


@pytest.mark.shared_data
def test_the_real_file_after_the_demo_reaches_its_final_state_in_one_run(shared_data):
    load_demo()
    path = str(shared_data / "kubernetes-community" / "sigs.yaml")
    # The demo's leaders leave: far more than the removal limit, so it is asked for.
    call_command("import_sigs", path, "--allow-removals", stdout=StringIO())
    steering = Role.objects.current().filter(group__slug="committee-steering", kind=RoleKind.MEMBER)
    # The demo's charter has 3 seats: the demo's members end before the file's start.
    members = sorted(steering.values_list("person__handle", flat=True))

    out = StringIO()
    call_command("import_sigs", path, stdout=out)

    assert "  No changes.\n" in out.getvalue()
    assert members == ["BenTheElder", "katcosgrove", "pacoxu"]
    assert sorted(steering.values_list("person__handle", flat=True)) == members
