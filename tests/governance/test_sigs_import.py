"""import_sigs: sigs.yaml into groups, people, roles, channels and subprojects."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from common import freshness
from common.bulk import bulk_written
from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import SigsFileError, parse
from governance.models import (
    Channel,
    ChannelKind,
    Committee,
    CommitteePurpose,
    Group,
    GroupKind,
    GroupStatus,
    Person,
    Role,
    RoleKind,
    Subproject,
)
from governance.services import committee_set, group_create, person_create, role_create
from governance.signals import sigs_imported
from tests.governance.snapshot import governance_snapshot, row_counts

DATA = Path(__file__).parent / "data"
DAY_ONE = datetime.date(2026, 3, 2)
DAY_TWO = datetime.date(2026, 4, 6)
DAY_THREE = datetime.date(2026, 5, 4)

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_file(time_machine):
    """Import a fixture file on a given day (the clock is moved to that day)."""

    def run(name: str, on: datetime.date = DAY_ONE, allow_removals: bool = False, **options):
        time_machine.move_to(datetime.datetime(on.year, on.month, on.day, 12), tick=False)
        document = parse((DATA / name).read_text(), **options)
        return sigs_import(document=document, allow_removals=allow_removals)

    return run


def current(group: str, kind: str) -> list[str]:
    roles = Role.objects.current().filter(group__slug=group, kind=kind)
    return sorted(roles.values_list("person__handle", flat=True))


def past(group: str) -> dict[str, datetime.date]:
    roles = Role.objects.past().filter(group__slug=group)
    return dict(roles.values_list("person__handle", "end"))


def test_the_small_file_has_no_problems_and_its_meetings_are_not_unknown_keys():
    document = parse((DATA / "sigs_small.yaml").read_text())

    assert document.problems == []
    network = next(group for group in document.groups if group.slug == "sig-network")
    assert network.data["meetings"][0]["description"] == "SIG Network Meeting"


def test_import_creates_every_group_with_its_kind(import_file):
    report = import_file("sigs_small.yaml")

    assert dict(Group.objects.values_list("slug", "kind")) == {
        "sig-multicluster": GroupKind.SIG,
        "sig-network": GroupKind.SIG,
        "wg-ai-gateway": GroupKind.WORKING_GROUP,
        "committee-code-of-conduct": GroupKind.COMMITTEE,
        "committee-security-response": GroupKind.COMMITTEE,
        "committee-steering": GroupKind.COMMITTEE,
    }
    assert report.counts["groups", "created"] == 6
    assert report.problems == []


def test_group_fields_and_charter_links(import_file):
    import_file("sigs_small.yaml")

    network = Group.objects.get(slug="sig-network")
    assert network.name == "Network"
    assert network.mission == "Covers networking in Kubernetes."
    assert network.label == "network"
    assert network.charter_url == (
        "https://github.com/kubernetes/community/blob/master/sig-network/charter.md"
    )
    steering = Group.objects.get(slug="committee-steering")
    assert steering.charter_url == "https://git.k8s.io/steering/charter.md"
    assert Group.objects.get(slug="committee-security-response").charter_url == ""


def test_charter_base_is_an_option(import_file):
    import_file("sigs_small.yaml", charter_base="https://git.example.org/community/tree/main/")

    assert Group.objects.get(slug="sig-network").charter_url == (
        "https://git.example.org/community/tree/main/sig-network/charter.md"
    )


def test_leads_and_liaisons_become_current_roles(import_file):
    report = import_file("sigs_small.yaml")

    assert current("sig-network", RoleKind.CHAIR) == ["bowei", "mikezappa87"]
    assert current("sig-network", RoleKind.TECH_LEAD) == ["aojea", "danwinship"]
    assert current("sig-network", RoleKind.LIAISON) == ["soltysh"]
    assert current("sig-multicluster", RoleKind.LIAISON) == ["aojea"]
    assert Role.objects.filter(start__isnull=False).count() == 0
    assert report.counts["roles", "started"] == 21


def test_committee_chairs_are_members_under_a_charter_of_their_purpose(import_file):
    import_file("sigs_small.yaml")

    assert dict(Committee.objects.values_list("group__slug", "purpose")) == {
        "committee-steering": CommitteePurpose.STEERING,
        "committee-code-of-conduct": CommitteePurpose.CODE_OF_CONDUCT,
        "committee-security-response": CommitteePurpose.SECURITY_RESPONSE,
    }
    assert current("committee-steering", RoleKind.MEMBER) == [
        "BenTheElder",
        "katcosgrove",
        "soltysh",
    ]
    assert current("committee-steering", RoleKind.CHAIR) == []
    # A reporting committee's "private" list is where anyone reports: its public address.
    conduct = Committee.objects.get(purpose=CommitteePurpose.CODE_OF_CONDUCT)
    security = Committee.objects.get(purpose=CommitteePurpose.SECURITY_RESPONSE)
    assert (conduct.reporting_email, security.reporting_email) == (
        "conduct@kubernetes.io",
        "security@kubernetes.io",
    )
    private = Channel.objects.filter(kind=ChannelKind.PRIVATE_MAILING_LIST)
    # The steering committee's private list is its members' own: it stays private.
    assert [(c.group.slug, c.name, c.is_private) for c in private] == [
        ("committee-steering", "steering-private@kubernetes.io", True)
    ]


def test_emeritus_leads_are_past_roles_ending_on_an_unknown_day(import_file, client):
    report = import_file("sigs_small.yaml")
    import_file("sigs_small.yaml", on=DAY_TWO)

    # The file does not say when their terms ended: no import day is made up as the end.
    assert past("sig-network") == {"caseydavenport": None, "shaneutt": None}
    assert past("committee-code-of-conduct") == {"AevaOnline": None, "cpanato": None}
    emeritus = Role.objects.get(group__slug="sig-network", person__handle="shaneutt")
    assert (emeritus.kind, emeritus.start, emeritus.end_unknown) == (RoleKind.LEAD, None, True)
    assert emeritus.is_emeritus and not emeritus.is_current
    assert report.counts["emeritus roles", "created"] == 9
    page = client.get("/groups/sig-network/").content.decode()
    assert "lead, until an unknown date" in page


def test_people_keep_their_email_private(import_file):
    report = import_file("sigs_small.yaml")

    bowei = Person.objects.get(handle="bowei")
    assert (bowei.name, bowei.affiliation) == ("Bowei Du", "Google")
    assert (bowei.private_email, bowei.public_email) == ("bowei@google.com", "")
    assert Person.objects.exclude(public_email="").count() == 0
    # Only the emeritus entry gives Carlos's address.
    assert Person.objects.get(handle="cpanato").private_email == "ctadeu@gmail.com"
    assert report.counts["people", "created"] == Person.objects.count() == 26


def test_channels_and_subprojects(import_file):
    report = import_file("sigs_small.yaml")

    multicluster = Group.objects.get(slug="sig-multicluster")
    assert sorted(multicluster.channels.values_list("kind", "name", "url", "description")) == [
        ("github_team", "sig-multicluster-api-reviews", "", "API Changes and Reviews"),
        ("github_team", "sig-multicluster-bugs", "", "Bug Triage and Troubleshooting"),
        (
            "mailing_list",
            "kubernetes-sig-multicluster",
            "https://groups.google.com/forum/#!forum/kubernetes-sig-multicluster",
            "",
        ),
        ("slack", "sig-multicluster", "", ""),
    ]
    gateway = Subproject.objects.get(group__slug="sig-network", name="gateway-api")
    assert gateway.owners_files == [
        "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/master/OWNERS",
        "https://raw.githubusercontent.com/kubernetes-sigs/gwctl/main/OWNERS",
    ]
    assert sorted(gateway.leads.values_list("handle", flat=True)) == ["robscott", "youngnick"]
    assert list(gateway.channels.values_list("kind", "name")) == [
        ("slack", "sig-network-gateway-api")
    ]
    policy = Subproject.objects.get(name="network-policy")
    assert policy.description == "Network Policy API"
    assert report.counts["subprojects", "created"] == Subproject.objects.count() == 7
    # 22 channels, 2 of them the reporting addresses of the code of conduct and security
    # response committees.
    assert report.counts["channels", "created"] == Channel.objects.count() == 20


def test_stakeholder_sigs_and_the_governing_board_representative(import_file):
    import_file("sigs_small.yaml")

    gateway = Group.objects.get(slug="wg-ai-gateway")
    assert sorted(gateway.stakeholder_groups.values_list("slug", flat=True)) == [
        "sig-multicluster",
        "sig-network",
    ]
    assert current("committee-steering", RoleKind.BOARD_REP) == ["cblecker"]


def test_a_second_import_changes_nothing(import_file):
    import_file("sigs_small.yaml")
    before = (row_counts(), governance_snapshot(), list(Person.objects.values("updated_at")))

    report = import_file("sigs_small.yaml", on=DAY_TWO)

    assert report.changes == 0
    assert report.counts["groups", "unchanged"] == 6
    assert (row_counts(), governance_snapshot(), list(Person.objects.values("updated_at"))) == (
        before
    )


def test_a_newer_file_updates_ends_removes_and_archives(import_file):
    import_file("sigs_small.yaml")

    report = import_file("sigs_newer.yaml", on=DAY_TWO, allow_removals=True)

    network = Group.objects.get(slug="sig-network")
    assert network.mission.startswith("Covers networking in Kubernetes: Services")
    assert Person.objects.get(handle="bowei").affiliation == "Google Cloud"
    assert current("sig-network", RoleKind.CHAIR) == ["bowei", "guicassolato"]
    # The departed chair is emeritus from today; listing him as such adds no second role.
    assert past("sig-network")["mikezappa87"] == DAY_TWO
    assert Role.objects.filter(person__handle="mikezappa87").count() == 1
    assert not network.channels.filter(kind=ChannelKind.GITHUB_TEAM).exists()
    assert not Subproject.objects.filter(name="external-dns").exists()
    assert not Channel.objects.filter(name="external-dns").exists()
    gateway_leads = Subproject.objects.get(name="gateway-api").leads.values_list("handle")
    assert list(gateway_leads) == [("robscott",)]
    retired = Group.objects.get(slug="wg-ai-gateway")
    assert (retired.status, retired.status_since) == (GroupStatus.ARCHIVED, DAY_TWO)
    assert retired.status_reason == "No longer listed in sigs.yaml."
    assert past("wg-ai-gateway") == {
        "katcosgrove": DAY_TWO,
        "keithmattix": DAY_TWO,
        "kflynn": DAY_TWO,
        # Emeritus in the first file: ended on a day it did not tell.
        "shaneutt": None,
        "xunzhuo": None,
    }
    assert {key: n for key, n in report.counts.items() if key[1] != "unchanged"} == {
        ("people", "created"): 1,
        ("people", "updated"): 1,
        ("groups", "updated"): 1,
        ("groups", "archived"): 1,
        ("roles", "started"): 1,
        ("roles", "ended"): 4,
        ("channels", "removed"): 1,
        ("subprojects", "updated"): 1,
        ("subprojects", "removed"): 1,
    }
    assert import_file("sigs_newer.yaml", on=DAY_THREE).changes == 0


def test_a_returning_group_and_chair_start_new_terms(import_file):
    import_file("sigs_small.yaml")
    import_file("sigs_newer.yaml", on=DAY_TWO, allow_removals=True)

    import_file("sigs_small.yaml", on=DAY_THREE, allow_removals=True)

    assert Group.objects.get(slug="wg-ai-gateway").status == GroupStatus.ACTIVE
    assert current("wg-ai-gateway", RoleKind.CHAIR) == ["keithmattix", "kflynn"]
    terms = Role.objects.filter(person__handle="mikezappa87", kind=RoleKind.CHAIR)
    assert set(terms.values_list("start", "end")) == {(None, DAY_TWO), (DAY_THREE, None)}
    assert past("sig-network")["guicassolato"] == DAY_THREE


def test_problems_are_reported_with_their_place_and_the_rest_imports(import_file):
    report = import_file("sigs_problems.yaml")

    node = "sigs[0] (sig-node)"
    problems = [str(problem) for problem in report.problems]
    for expected in [
        "sigs.yaml: unknown key 'tags': ignored",
        f"{node}: unknown key 'status': ignored",
        f"{node}.leadership: unknown key 'co_chairs': ignored",
        f"{node}.contact: unknown key 'discord': ignored",
        f"{node}.leadership.tech_leads[0]: unknown key 'pronouns': ignored",
        f"{node}.subprojects[2] (kubelet): unknown key 'homepage': ignored",
        f"{node}.leadership.chairs[1]: no github handle: skipped",
        f"{node}.leadership.chairs[2].github: 'not a handle!' is not a valid GitHub handle: "
        "skipped",
        f"{node}.leadership.chairs[3]: @mrunalp is already at {node}.leadership.chairs[0]: skipped",
        f"{node}.leadership.tech_leads[0].email: not a valid email address: skipped",
        f"{node}.contact.mailing_list: invisible character(s) removed: U+200B ZERO WIDTH SPACE",
        f"{node}.contact.liaison: @sergeykanzhelev is written @SergeyKanzhelev at "
        f"{node}.leadership.tech_leads[0]",
        f"{node}.contact.liaison: @sergeykanzhelev named 'Sergey K.' here but "
        f"'Sergey Kanzhelev' at {node}.leadership.tech_leads[0]",
        f"{node}.subprojects[0] (cri-api).owners[1]: not a valid http(s) URL: 'not a url': skipped",
        f"{node}.subprojects[0] (cri-api).leads[0]: @mrunalp with company 'Red Hat Inc.' here "
        f"but 'Red Hat' at {node}.leadership.chairs[0]",
        f"{node}.subprojects[1] (cri-api): duplicate of {node}.subprojects[0] (cri-api): skipped",
        f"sigs[1] (sig-node): duplicate of {node}: skipped",
        "workinggroups[0] (wg-lts).stakeholder_sigs[1]: there is no SIG named "
        "'Release Engineering': skipped",
        "gb_rep: there is no steering committee: skipped",
    ]:
        assert expected in problems
    assert len(problems) == 19
    # The email is private: a problem about it never repeats it.
    assert not any("sergey at google.com" in problem for problem in problems)

    assert current("sig-node", RoleKind.CHAIR) == ["mrunalp"]
    sergey = Person.objects.get(handle__iexact="sergeykanzhelev")
    assert (sergey.handle, sergey.name, sergey.private_email) == (
        "SergeyKanzhelev",
        "Sergey Kanzhelev",
        "",
    )
    assert current("sig-node", RoleKind.LIAISON) == ["SergeyKanzhelev"]
    mailing_list = Channel.objects.get(group__slug="sig-node", kind=ChannelKind.MAILING_LIST)
    assert mailing_list.url == "https://groups.google.com/forum/#!forum/kubernetes-sig-node"
    assert Subproject.objects.get(name="cri-api").owners_files == [
        "https://raw.githubusercontent.com/kubernetes/cri-api/master/OWNERS"
    ]
    assert Group.objects.get(slug="sig-node").name == "Node"
    lts = Group.objects.get(slug="wg-lts")
    assert list(lts.stakeholder_groups.values_list("slug", flat=True)) == ["sig-node"]


def test_an_unreadable_entry_leaves_what_is_stored_alone(import_file):
    import_file("sigs_small.yaml")
    text = (DATA / "sigs_small.yaml").read_text()
    broken = text.replace("kubernetes.io/g/sig-network\n", "kubernetes io/g/sig network\n")

    report = sigs_import(document=parse(broken))

    assert [str(problem) for problem in report.problems] == [
        f"sigs[1] (sig-network){place}.mailing_list: not a valid http(s) URL: "
        "'https://groups.google.com/a/kubernetes io/g/sig network': skipped"
        for place in (".contact", ".subprojects[2] (network-policy).contact")
    ]
    assert report.changes == 0
    assert Channel.objects.filter(name="sig-network", kind=ChannelKind.MAILING_LIST).count() == 2


def test_a_record_the_database_refuses_is_reported_and_skipped(import_file):
    steering = group_create(slug="committee-steering", name="Steering", kind=GroupKind.COMMITTEE)
    committee_set(group=steering, purpose=CommitteePurpose.STEERING, seats=2)

    report = import_file("sigs_small.yaml")

    assert [str(problem) for problem in report.problems] == [
        "committees[2] (committee-steering).leadership.chairs[2]: "
        "All 2 seats of Steering are held. Skipped."
    ]
    assert current("committee-steering", RoleKind.MEMBER) == ["BenTheElder", "katcosgrove"]
    assert Group.objects.count() == 6


def test_groups_missing_from_a_file_with_an_unidentified_group_stay_active(tmp_path):
    group_create(slug="sig-apps", name="Apps", kind=GroupKind.SIG)
    document = parse("sigs:\n  - name: Apps without a dir\n")

    report = sigs_import(document=document)

    assert Group.objects.get(slug="sig-apps").status == GroupStatus.ACTIVE
    assert [str(problem) for problem in report.problems] == [
        "sigs[0].dir: missing or not a slug: '': group skipped",
        "sigs.yaml: a group has no dir: groups missing from the file stay active",
    ]


def test_receivers_import_the_meetings_of_groups_and_subprojects(import_file):
    calls = []

    def on_import(sender, *, imported, report, on, **kwargs):
        for record in imported:
            meetings = record.data.get("meetings") or []
            if record.subproject is None:
                calls.append((record.place, record.group.slug, len(meetings), on))
                if meetings:
                    report.count("meetings", "created", len(meetings))
            elif meetings:
                calls.append((record.place, record.subproject.name, len(meetings), on))
                report.problem(f"{record.place}.meetings[0]", "time zone not understood")

    sigs_imported.connect(on_import, sender=Group)
    try:
        report = import_file("sigs_small.yaml")
    finally:
        sigs_imported.disconnect(on_import, sender=Group)

    gateway = "sigs[1] (sig-network).subprojects[1] (gateway-api)"
    assert calls == [
        ("sigs[0] (sig-multicluster)", "sig-multicluster", 1, DAY_ONE),
        ("sigs[1] (sig-network)", "sig-network", 1, DAY_ONE),
        (gateway, "gateway-api", 1, DAY_ONE),
        ("workinggroups[0] (wg-ai-gateway)", "wg-ai-gateway", 1, DAY_ONE),
        ("committees[0] (committee-code-of-conduct)", "committee-code-of-conduct", 0, DAY_ONE),
        ("committees[1] (committee-security-response)", "committee-security-response", 0, DAY_ONE),
        ("committees[2] (committee-steering)", "committee-steering", 1, DAY_ONE),
    ]
    assert report.counts["meetings", "created"] == 4
    assert [str(p) for p in report.problems] == [f"{gateway}.meetings[0]: time zone not understood"]
    assert "meetings: 4 created" in report.summary()


def test_a_failing_receiver_rolls_the_whole_import_back(import_file):
    def broken(sender, **kwargs):
        raise RuntimeError("meetings importer crashed")

    sigs_imported.connect(broken, sender=Group)
    try:
        with pytest.raises(RuntimeError):
            import_file("sigs_small.yaml")
    finally:
        sigs_imported.disconnect(broken, sender=Group)

    assert (Group.objects.count(), Person.objects.count(), Role.objects.count()) == (0, 0, 0)


def test_command_prints_a_summary_and_the_problems(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)
    out = StringIO()

    call_command("import_sigs", str(DATA / "sigs_problems.yaml"), stdout=out)
    call_command("import_sigs", str(DATA / "sigs_problems.yaml"), stdout=out)

    first, second = out.getvalue().split("Imported ")[1:]
    assert "  groups: 2 created\n" in first
    assert "  roles: 4 started\n" in first
    assert "19 problem(s):\n" in first
    assert "  sigs[1] (sig-node): duplicate of sigs[0] (sig-node): skipped\n" in first
    assert "  groups: 2 unchanged\n" in second
    assert "  No changes.\n" in second


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sigs: [unclosed", "not valid YAML"),
        ("- a list\n", "must be a mapping"),
    ],
)
def test_command_refuses_a_file_it_cannot_read(tmp_path, content, message):
    path = tmp_path / "sigs.yaml"
    path.write_text(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_sigs", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_sigs", str(tmp_path / "missing.yaml"), stdout=StringIO())
    with pytest.raises(SigsFileError):
        parse(content)


@pytest.mark.shared_data
def test_the_real_file(shared_data):
    text = (shared_data / "kubernetes-community" / "sigs.yaml").read_text()

    report = sigs_import(document=parse(text))

    assert report.problems == []
    kinds = Group.objects.values_list("kind", flat=True)
    assert (kinds.count(), kinds.filter(kind=GroupKind.SIG).count()) == (35, 24)
    assert (kinds.filter(kind=GroupKind.WORKING_GROUP).count(), Committee.objects.count()) == (8, 3)
    roles = Role.objects.current()
    # 112 chairs in the file: 90 of SIGs and working groups, 22 members of committees.
    assert roles.filter(kind=RoleKind.CHAIR).count() == 90
    assert roles.filter(kind=RoleKind.MEMBER).count() == 22
    assert roles.filter(kind=RoleKind.TECH_LEAD).count() == 54
    assert roles.filter(kind=RoleKind.LIAISON).count() == 34
    assert Role.objects.past().filter(kind=RoleKind.LEAD).count() == 120
    assert Subproject.objects.count() == 236
    assert Person.objects.count() == 237
    assert Person.objects.get(handle="pacoxu").name == "Paco Xu 徐俊杰"

    again = sigs_import(document=parse(text))

    assert again.changes == 0
    assert again.problems == []


PEOPLE_WITH_ZONES = """\
sigs:
  - dir: sig-node
    name: Node
    leadership:
      chairs:
        - github: ada
          agora: {time_zone: Europe/Berlin}
        - github: bob
          agora: {time_zone: Mars/Olympus}
      tech_leads:
        - github: ada
          agora: {time_zone: Asia/Tokyo}
"""


def test_a_persons_agora_time_zone_is_imported_and_a_bad_or_second_one_reported(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)

    report = sigs_import(document=parse(PEOPLE_WITH_ZONES))

    zones = dict(Person.objects.values_list("handle", "time_zone"))
    assert zones == {"ada": "Europe/Berlin", "bob": ""}
    problems = [str(problem) for problem in report.problems]
    assert any("chairs[1].agora.time_zone" in p and "Mars/Olympus" in p for p in problems)
    assert any("in the time zone 'Asia/Tokyo' here but 'Europe/Berlin'" in p for p in problems)
    assert sigs_import(document=parse(PEOPLE_WITH_ZONES)).changes == 0


def test_an_import_replaces_the_data_version_once_when_it_commits(
    import_file, django_capture_on_commit_callbacks
):
    before = freshness.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_file("sigs_small.yaml")

    assert Group.objects.count() > 1
    assert callbacks.count(freshness.bump) == 1
    assert freshness.current() != before


SEATED_COMPANIES = """
sigs:
  - dir: sig-apps
    name: Apps
    leadership:
      chairs:
        - github: bob
          company: Acme
committees:
  - dir: committee-steering
    name: Steering
    leadership:
      chairs:
        - github: ada
        - github: bob
"""


def test_a_person_whose_new_company_breaks_a_committees_cap_is_reported_and_kept(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)
    steering = group_create(slug="committee-steering", name="Steering", kind=GroupKind.COMMITTEE)
    committee_set(group=steering, purpose=CommitteePurpose.STEERING, max_seats_per_affiliation=1)
    for handle, company in [("ada", "Acme"), ("bob", "Other")]:
        person = person_create(handle=handle, affiliation=company)
        role_create(person=person, group=steering, kind=RoleKind.MEMBER)

    report = sigs_import(document=parse(SEATED_COMPANIES))

    assert [str(problem) for problem in report.problems] == [
        "sigs[0] (sig-apps).leadership.chairs[0]: Acme would hold 2 seats of Steering; at most "
        "1 may be held by one affiliation. Skipped."
    ]
    assert Person.objects.get(handle="bob").affiliation == "Other"
    assert current("committee-steering", RoleKind.MEMBER) == ["ada", "bob"]


def test_a_chartered_committee_listed_as_a_sig_is_reported_and_kept(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12), tick=False)
    steering = group_create(slug="committee-steering", name="Steering", kind=GroupKind.COMMITTEE)
    committee_set(group=steering, purpose=CommitteePurpose.STEERING)

    report = sigs_import(document=parse("sigs:\n  - dir: committee-steering\n    name: Steering\n"))

    assert [str(problem) for problem in report.problems] == [
        "sigs[0] (committee-steering): This group has a committee charter: it must stay a "
        "committee. Skipped."
    ]
    assert Group.objects.get(slug="committee-steering").kind == GroupKind.COMMITTEE


def test_a_batch_the_database_refuses_is_written_again_one_record_at_a_time(import_file):
    """Someone adds a channel the file lists while the import runs: the database refuses the
    import's batch of channels (written without a savepoint), and the import runs again with
    a savepoint around each batch, which names that channel and writes the others."""
    runs = []

    def race(sender, **kwargs):
        runs.append(sender)
        network = Group.objects.get(slug="sig-network")
        Channel.objects.create(group=network, kind=ChannelKind.SLACK, name="sig-network")

    bulk_written.connect(race, sender=Subproject)  # written just before the channels
    try:
        report = import_file("sigs_small.yaml")
    finally:
        bulk_written.disconnect(race, sender=Subproject)

    assert runs == [Subproject, Subproject]
    assert [str(problem) for problem in report.problems] == [
        "sigs[1] (sig-network).contact.slack: This group already has this channel. Skipped."
    ]
    network = Channel.objects.filter(group__slug="sig-network", subproject=None)
    assert list(network.filter(kind=ChannelKind.SLACK).values_list("name", flat=True)) == [
        "sig-network"
    ]
    assert network.filter(kind=ChannelKind.MAILING_LIST, name="sig-network").exists()
