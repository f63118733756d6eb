"""A small, realistic community built through the services, for page, API and browser tests.

Every person has a private email and every committee a private mailing list, so a test can
check that none of them leaks. `python manage.py shell -c "from tests.governance.community
import build_community; build_community()"` fills a development database with it.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from governance import services
from governance.models import (
    ChannelKind,
    CommitteePurpose,
    Group,
    GroupKind,
    GroupStatus,
    Person,
    RoleKind,
)

PEOPLE = [
    # handle, name, affiliation, time zone
    ("deads2k", "David Eads", "Red Hat", "America/New_York"),
    ("fedebongio", "Federico Bongiovanni", "Google", "America/Los_Angeles"),
    ("jpbetz", "Joe Betz", "Google", "America/Los_Angeles"),
    ("sttts", "Stefan Schimanski", "Upbound", "Europe/Berlin"),
    ("mrunalp", "Mrunal Patel", "Red Hat", "America/Los_Angeles"),
    ("SergeyKanzhelev", "Sergey Kanzhelev", "Google", "America/Los_Angeles"),
    ("dchen1107", "Dawn Chen", "Google", "America/Los_Angeles"),
    ("thockin", "Tim Hockin", "Google", "America/Los_Angeles"),
    ("aojea", "Antonio Ojea", "Google", "Europe/Madrid"),
    ("danwinship", "Dan Winship", "Red Hat", "America/New_York"),
    ("katcosgrove", "Kat Cosgrove", "Minimus", "America/Chicago"),
    ("BenTheElder", "Benjamin Elder", "Google", "America/Los_Angeles"),
    ("pacoxu", "Paco Xu", "DaoCloud", "Asia/Shanghai"),
    ("ritazh", "Rita Zhang", "Microsoft", "America/Los_Angeles"),
    ("saschagrunert", "Sascha Grunert", "Red Hat", "Europe/Berlin"),
    ("soltysh", "Maciej Szulik", "Defense Unicorns", "Europe/Warsaw"),
    ("stmcginnis", "Sean McGinnis", "Lambda, Inc", "America/Chicago"),
    ("divya-mohan0209", "Divya Mohan", "SUSE", "Asia/Kolkata"),
    ("tabbysable", "Tabitha Sable", "Datadog", "America/New_York"),
    ("cjcullen", "CJ Cullen", "Google", "America/Los_Angeles"),
    ("alculquicondor", "Aldo Culquicondor", "Google", "America/New_York"),
    ("mwielgus", "Marcin Wielgus", "Google", "Europe/Warsaw"),
    ("lavalamp", "Daniel Smith", "Google", "America/Los_Angeles"),
    ("derekwaynecarr", "Derek Carr", "Red Hat", "America/New_York"),
    ("pwittrock", "Phillip Wittrock", "Apple", "America/Los_Angeles"),
]

GROUPS = [
    # kind, slug, name, label, mission
    (
        GroupKind.SIG,
        "sig-api-machinery",
        "API Machinery",
        "api-machinery",
        "Covers all aspects of API server, API registration and discovery, generic API CRUD "
        "semantics, admission control, encoding/decoding, conversion, defaulting, persistence "
        "layer (etcd), OpenAPI, CustomResourceDefinition, garbage collection, and client "
        "libraries.",
    ),
    (
        GroupKind.SIG,
        "sig-node",
        "Node",
        "node",
        "SIG Node is responsible for the components that support the controlled interactions "
        "between pods and host resources.",
    ),
    (
        GroupKind.SIG,
        "sig-network",
        "Network",
        "network",
        "Covers networking in Kubernetes: services, ingress, network policy and DNS.",
    ),
    (
        GroupKind.SIG,
        "sig-service-catalog",
        "Service Catalog",
        "service-catalog",
        "Brought the Open Service Broker API to Kubernetes.",
    ),
    (
        GroupKind.WORKING_GROUP,
        "wg-batch",
        "Batch",
        "batch",
        "Discuss and enhance the support for batch (e.g. HPC, AI/ML, data analytics, CI) "
        "workloads in core Kubernetes.",
    ),
    (
        GroupKind.WORKING_GROUP,
        "wg-device-management",
        "Device Management",
        "device-management",
        "Enable simple and efficient configuration, sharing, and allocation of accelerators "
        "and other specialized devices.",
    ),
    (
        GroupKind.USER_GROUP,
        "ug-berlin",
        "Users in Berlin",
        "",
        "People who run Kubernetes in and around Berlin, meeting to share what they learnt.",
    ),
    (
        GroupKind.COMMITTEE,
        "committee-steering",
        "Steering",
        "steering",
        "The governing body of the project, providing decision-making and oversight "
        "pertaining to the project bylaws, sub-organizations, and financial planning.",
    ),
    (
        GroupKind.COMMITTEE,
        "committee-code-of-conduct",
        "Code of Conduct",
        "code-of-conduct",
        "The body responsible for enforcing and maintaining the Code of Conduct.",
    ),
    (
        GroupKind.COMMITTEE,
        "committee-security-response",
        "Security Response",
        "security-response",
        "The body responsible for receiving and responding to reports of security issues.",
    ),
]

# slug: [(handle, kind, years ago it started, years ago it ended or None)]
ROLES = {
    "sig-api-machinery": [
        ("deads2k", RoleKind.CHAIR, 6, None),
        ("fedebongio", RoleKind.CHAIR, 5, None),
        ("deads2k", RoleKind.TECH_LEAD, 6, None),
        ("jpbetz", RoleKind.TECH_LEAD, 3, None),
        ("sttts", RoleKind.TECH_LEAD, 4, None),
        ("lavalamp", RoleKind.CHAIR, 8, 2),
        ("lavalamp", RoleKind.TECH_LEAD, 8, 2),
        # Chaired once and leads again now: not emeritus.
        ("jpbetz", RoleKind.CHAIR, 5, 4),
        ("saschagrunert", RoleKind.LIAISON, 1, None),
    ],
    "sig-node": [
        ("mrunalp", RoleKind.CHAIR, 4, None),
        ("SergeyKanzhelev", RoleKind.CHAIR, 3, None),
        ("dchen1107", RoleKind.TECH_LEAD, 8, None),
        ("derekwaynecarr", RoleKind.CHAIR, 8, 3),
        ("katcosgrove", RoleKind.LIAISON, 1, None),
    ],
    "sig-network": [
        ("thockin", RoleKind.CHAIR, 8, None),
        ("aojea", RoleKind.CHAIR, 2, None),
        ("danwinship", RoleKind.TECH_LEAD, 3, None),
        ("thockin", RoleKind.TECH_LEAD, 8, None),
    ],
    "sig-service-catalog": [
        ("pwittrock", RoleKind.CHAIR, 7, 5),
    ],
    "wg-batch": [
        ("alculquicondor", RoleKind.CHAIR, 3, None),
        ("mwielgus", RoleKind.CHAIR, 3, None),
        ("katcosgrove", RoleKind.LIAISON, 1, None),
    ],
    "wg-device-management": [
        ("SergeyKanzhelev", RoleKind.CHAIR, 1, None),
    ],
    "ug-berlin": [
        ("sttts", RoleKind.LEAD, 2, None),
    ],
    "committee-steering": [
        ("BenTheElder", RoleKind.MEMBER, 2, None),
        ("aojea", RoleKind.MEMBER, 1, None),
        ("katcosgrove", RoleKind.MEMBER, 2, None),
        ("pacoxu", RoleKind.MEMBER, 1, None),
        ("ritazh", RoleKind.MEMBER, 2, None),
        ("saschagrunert", RoleKind.MEMBER, 1, None),
        ("soltysh", RoleKind.MEMBER, 2, None),
        ("derekwaynecarr", RoleKind.MEMBER, 6, 2),
    ],
    "committee-code-of-conduct": [
        ("stmcginnis", RoleKind.CHAIR, 2, None),
        ("divya-mohan0209", RoleKind.MEMBER, 2, None),
        ("BenTheElder", RoleKind.LIAISON, 1, None),
    ],
    "committee-security-response": [
        ("tabbysable", RoleKind.MEMBER, 3, None),
        ("cjcullen", RoleKind.MEMBER, 5, None),
        ("ritazh", RoleKind.MEMBER, 4, 1),
    ],
}


@dataclass
class Community:
    """What `build_community` made, and the strings no public response may contain."""

    people: dict[str, Person] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    return today.replace(year=today.year - years, day=1)


def build_community(today: datetime.date | None = None) -> Community:
    today = today or timezone.localdate()
    community = Community()
    for handle, name, affiliation, time_zone in PEOPLE:
        private_email = f"{handle.lower()}@private-mail.example"
        community.people[handle] = services.person_create(
            handle=handle,
            name=name,
            affiliation=affiliation,
            time_zone=time_zone,
            private_email=private_email,
        )
        community.secrets.append(private_email)
    services.person_update(person=community.people["thockin"], public_email="thockin@example.org")

    for kind, slug, name, label, mission in GROUPS:
        community.groups[slug] = services.group_create(
            kind=kind, slug=slug, name=name, label=label, mission=mission
        )
    groups = community.groups
    services.group_update(
        group=groups["sig-service-catalog"],
        status=GroupStatus.ARCHIVED,
        status_since=_years_ago(today, 5),
        status_reason="The Open Service Broker API moved out of the project.",
    )
    services.group_update(
        group=groups["wg-device-management"],
        status=GroupStatus.FORMING,
        stakeholder_groups=[groups["sig-node"]],
    )
    services.group_update(
        group=groups["wg-batch"], stakeholder_groups=[groups["sig-node"], groups["sig-network"]]
    )
    services.committee_set(
        group=groups["committee-steering"],
        purpose=CommitteePurpose.STEERING,
        seats=7,
        term_months=24,
        max_seats_per_affiliation=2,
    )
    services.committee_set(
        group=groups["committee-code-of-conduct"],
        purpose=CommitteePurpose.CODE_OF_CONDUCT,
        seats=5,
        term_months=24,
        reporting_email="conduct@kubernetes.io",
        reporting_url="https://www.kubernetes.dev/docs/code-of-conduct/report/",
    )
    services.committee_set(
        group=groups["committee-security-response"],
        purpose=CommitteePurpose.SECURITY_RESPONSE,
        reporting_email="security@kubernetes.io",
        reporting_url="https://kubernetes.io/docs/reference/issues-security/security/",
    )

    for slug, roles in ROLES.items():
        for handle, kind, started, ended in roles:
            services.role_create(
                person=community.people[handle],
                group=groups[slug],
                kind=kind,
                start=_years_ago(today, started),
                end=_years_ago(today, ended) if ended is not None else None,
            )

    for slug, group in groups.items():
        if group.kind != GroupKind.USER_GROUP:
            services.channel_create(group=group, kind=ChannelKind.SLACK, name=slug)
            services.channel_create(
                group=group,
                kind=ChannelKind.MAILING_LIST,
                name=f"kubernetes-{slug}@googlegroups.com",
                url=f"https://groups.google.com/g/kubernetes-{slug}",
            )
        if group.kind == GroupKind.COMMITTEE:
            private_list = f"{slug}-private@kubernetes.io"
            services.channel_create(
                group=group, kind=ChannelKind.PRIVATE_MAILING_LIST, name=private_list
            )
            community.secrets.append(private_list)
    hidden_team = "sig-node-embargoed-fixes"
    services.channel_create(
        group=groups["sig-node"],
        kind=ChannelKind.GITHUB_TEAM,
        name=hidden_team,
        description="Fixes under embargo",
        is_private=True,
    )
    community.secrets.append(hidden_team)
    services.channel_create(
        group=groups["sig-node"],
        kind=ChannelKind.GITHUB_TEAM,
        name="sig-node-pr-reviews",
        description="PR reviews",
    )

    owners = "https://raw.githubusercontent.com/kubernetes/{repo}/master/{path}OWNERS"
    people = community.people
    for slug, name, description, repos, leads in [
        (
            "sig-api-machinery",
            "component-base",
            "Shared building blocks of the control-plane binaries.",
            [("component-base", ""), ("kubernetes", "staging/src/k8s.io/component-base/")],
            ["sttts"],
        ),
        (
            "sig-api-machinery",
            "server-crd",
            "",
            [("apiextensions-apiserver", "")],
            ["deads2k", "jpbetz"],
        ),
        ("sig-node", "kubelet", "The node agent.", [("kubernetes", "pkg/kubelet/")], []),
        ("sig-node", "cri-api", "", [("cri-api", "")], ["mrunalp"]),
        ("sig-network", "kube-proxy", "", [("kubernetes", "pkg/proxy/")], ["danwinship"]),
    ]:
        subproject = services.subproject_create(
            group=groups[slug],
            name=name,
            description=description,
            owners_files=[owners.format(repo=repo, path=path) for repo, path in repos],
            leads=[people[handle] for handle in leads],
        )
        if name == "kubelet":
            services.channel_create(
                group=groups[slug], subproject=subproject, kind=ChannelKind.SLACK, name="kubelet"
            )
    return community
