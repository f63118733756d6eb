"""The demo community's people, groups, roles, committees, channels and subprojects.

Everyone here is invented (example.org addresses, made-up companies). `load()` is idempotent:
every write goes through an upsert service, so a second run saves nothing.
"""

import datetime

from governance.models import (
    ChannelKind,
    CommitteePurpose,
    Group,
    GroupKind,
    Person,
    Role,
    RoleKind,
)
from governance.services import (
    channel_upsert,
    committee_set,
    group_stakeholders_set,
    group_upsert,
    person_upsert,
    role_create,
    subproject_upsert,
)

REPOSITORY = "https://github.com/agora-demo"
LISTS = "https://groups.example.org/g"

# handle: (name, affiliation, IANA time zone)
PEOPLE = {
    "amara-okafor": ("Amara Okafor", "Northwind Systems", "Africa/Lagos"),
    "lukas-brandt": ("Lukas Brandt", "Contoso Cloud", "Europe/Berlin"),
    "mei-lin-chen": ("Mei-Lin Chen", "Fabrikam Labs", "Asia/Taipei"),
    "derek-vance": ("Derek Vance", "Tailspin Networks", "America/Los_Angeles"),
    "priya-raman": ("Priya Raman", "Contoso Cloud", "Asia/Kolkata"),
    "tomas-novak": ("Tomáš Novák", "Northwind Systems", "Europe/Prague"),
    "sofia-marquez": ("Sofía Márquez", "Woodgrove Bank", "America/Mexico_City"),
    "kenji-watanabe": ("Kenji Watanabe", "Fabrikam Labs", "Asia/Tokyo"),
    "seun-adeyemi": ("Oluwaseun Adeyemi", "Tailspin Networks", "Europe/London"),
    "ryan-jacobs": ("Ryan Jacobs", "Contoso Cloud", "America/New_York"),
    "anika-sharma": ("Anika Sharma", "Contoso Cloud", "America/Toronto"),
    "pavel-ivanov": ("Pavel Ivanov", "Northwind Systems", "Europe/Amsterdam"),
    "li-wei": ("Li Wei", "Fabrikam Labs", "Asia/Shanghai"),
    "grace-oconnor": ("Grace O'Connor", "Woodgrove Bank", "Europe/Dublin"),
    "marco-bianchi": ("Marco Bianchi", "Tailspin Networks", "Europe/Rome"),
    "david-kim": ("David Kim", "Contoso Cloud", "America/Los_Angeles"),
    "fatima-benali": ("Fatima Zahra Benali", "Contoso Cloud", "Africa/Casablanca"),
    "jon-eriksson": ("Jon Eriksson", "Northwind Systems", "Europe/Stockholm"),
    "noor-haddad": ("Noor Haddad", "Tailspin Networks", "Asia/Dubai"),
    "ben-carter": ("Ben Carter", "Woodgrove Bank", "America/Chicago"),
    "yuki-tanaka": ("Yuki Tanaka", "Fabrikam Labs", "Asia/Tokyo"),
    "elena-popescu": ("Elena Popescu", "Northwind Systems", "Europe/Bucharest"),
    "sam-osei": ("Samuel Osei", "Contoso Cloud", "Africa/Accra"),
    "hannah-weber": ("Hannah Weber", "Fabrikam Labs", "Europe/Berlin"),
    "jeremy-hart": ("Jeremy Hart", "Contoso Cloud", "America/Denver"),
    "lucia-ferreira": ("Lucía Ferreira", "Tailspin Networks", "America/Sao_Paulo"),
    "ivan-petrov": ("Ivan Petrov", "Woodgrove Bank", "Europe/Sofia"),
    "chloe-martin": ("Chloé Martin", "Fabrikam Labs", "Europe/Paris"),
    "rosa-delgado": ("Rosa Delgado", "Northwind Systems", "America/Bogota"),
    "tariq-hassan": ("Tariq Hassan", "Contoso Cloud", "Asia/Karachi"),
}

BOOTSTRAP = datetime.date(2025, 1, 6)
ELECTED = datetime.date(2025, 10, 1)

# slug: (kind, name, label, mission)
GROUPS = {
    "committee-steering": (
        GroupKind.COMMITTEE,
        "Steering",
        "steering",
        "The bootstrap steering committee: it governs the project, charters its SIGs and "
        "working groups, and runs the first election.",
    ),
    "committee-security-response": (
        GroupKind.COMMITTEE,
        "Security Response",
        "security-response",
        "Receives reports of security issues privately, coordinates the fix and the disclosure.",
    ),
    "committee-code-of-conduct": (
        GroupKind.COMMITTEE,
        "Code of Conduct",
        "code-of-conduct",
        "Enforces and maintains the code of conduct; reports are handled in confidence.",
    ),
    "sig-architecture": (
        GroupKind.SIG,
        "Architecture",
        "architecture",
        "Oversees the project's architecture and APIs: API conventions, API reviews, "
        "deprecation policy, conformance and the enhancement proposal process.",
    ),
    "sig-network": (
        GroupKind.SIG,
        "Network",
        "network",
        "Covers networking: Services, DNS, network policy and the Gateway API.",
    ),
    "sig-node": (
        GroupKind.SIG,
        "Node",
        "node",
        "Covers the node agent, the container runtime interface and pod lifecycle.",
    ),
    "sig-storage": (
        GroupKind.SIG,
        "Storage",
        "storage",
        "Covers volumes, storage classes, snapshots and the CSI drivers.",
    ),
    "sig-windows": (
        GroupKind.SIG,
        "Windows",
        "windows",
        "Makes Windows nodes and workloads first-class members of a cluster.",
    ),
    "sig-auth": (
        GroupKind.SIG,
        "Auth",
        "auth",
        "Covers authentication, authorization, audit and the security of the control plane.",
    ),
    "sig-release": (
        GroupKind.SIG,
        "Release",
        "release",
        "Ships the releases: schedule, release team, tooling, artifacts and signing.",
    ),
    "wg-lts": (
        GroupKind.WORKING_GROUP,
        "LTS",
        "lts",
        "Explores how long releases are supported and what a long-term support release would take.",
    ),
    "wg-gateway-api": (
        GroupKind.WORKING_GROUP,
        "Gateway API",
        "gateway-api",
        "Brings the Gateway API to general availability with its implementations.",
    ),
}

COMMITTEES = {
    "committee-steering": {
        "purpose": CommitteePurpose.STEERING,
        "seats": 3,
        "term_months": 24,
        "max_seats_per_affiliation": 1,
    },
    "committee-security-response": {
        "purpose": CommitteePurpose.SECURITY_RESPONSE,
        "reporting_email": "security@example.org",
        "reporting_url": "https://agora-demo.example.org/security/",
    },
    "committee-code-of-conduct": {
        "purpose": CommitteePurpose.CODE_OF_CONDUCT,
        "reporting_email": "conduct@example.org",
    },
}

STAKEHOLDERS = {
    "wg-lts": ["sig-architecture", "sig-node", "sig-release"],
    "wg-gateway-api": ["sig-network"],
}

# (group, handle, kind, start, end): a role with an end in the past makes an emeritus lead.
ROLES = [
    ("committee-steering", "amara-okafor", RoleKind.MEMBER, BOOTSTRAP, None),
    ("committee-steering", "lukas-brandt", RoleKind.MEMBER, BOOTSTRAP, None),
    ("committee-steering", "mei-lin-chen", RoleKind.MEMBER, BOOTSTRAP, None),
    ("committee-security-response", "noor-haddad", RoleKind.MEMBER, ELECTED, None),
    ("committee-security-response", "ivan-petrov", RoleKind.MEMBER, ELECTED, None),
    ("committee-security-response", "chloe-martin", RoleKind.MEMBER, ELECTED, None),
    ("committee-code-of-conduct", "rosa-delgado", RoleKind.MEMBER, ELECTED, None),
    ("committee-code-of-conduct", "tariq-hassan", RoleKind.MEMBER, ELECTED, None),
    ("sig-architecture", "derek-vance", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-architecture", "priya-raman", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-architecture", "tomas-novak", RoleKind.TECH_LEAD, BOOTSTRAP, None),
    ("sig-architecture", "mei-lin-chen", RoleKind.LIAISON, BOOTSTRAP, None),
    ("sig-network", "sofia-marquez", RoleKind.CHAIR, datetime.date(2023, 9, 1), None),
    ("sig-network", "kenji-watanabe", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-network", "seun-adeyemi", RoleKind.TECH_LEAD, BOOTSTRAP, None),
    ("sig-network", "ryan-jacobs", RoleKind.CHAIR, datetime.date(2019, 3, 1), BOOTSTRAP),
    ("sig-network", "amara-okafor", RoleKind.LIAISON, BOOTSTRAP, None),
    ("sig-node", "anika-sharma", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-node", "pavel-ivanov", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-node", "li-wei", RoleKind.TECH_LEAD, BOOTSTRAP, None),
    ("sig-node", "amara-okafor", RoleKind.LIAISON, BOOTSTRAP, None),
    ("sig-storage", "grace-oconnor", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-storage", "marco-bianchi", RoleKind.CHAIR, BOOTSTRAP, None),
    (
        "sig-storage",
        "david-kim",
        RoleKind.TECH_LEAD,
        datetime.date(2018, 6, 1),
        datetime.date(2024, 6, 1),
    ),
    ("sig-storage", "lukas-brandt", RoleKind.LIAISON, BOOTSTRAP, None),
    ("sig-windows", "fatima-benali", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-windows", "jon-eriksson", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-windows", "mei-lin-chen", RoleKind.LIAISON, BOOTSTRAP, None),
    ("sig-auth", "noor-haddad", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-auth", "ben-carter", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-auth", "yuki-tanaka", RoleKind.TECH_LEAD, BOOTSTRAP, None),
    ("sig-auth", "lukas-brandt", RoleKind.LIAISON, BOOTSTRAP, None),
    ("sig-release", "elena-popescu", RoleKind.CHAIR, BOOTSTRAP, None),
    ("sig-release", "sam-osei", RoleKind.CHAIR, ELECTED, None),
    ("sig-release", "hannah-weber", RoleKind.CHAIR, datetime.date(2020, 1, 1), ELECTED),
    ("sig-release", "mei-lin-chen", RoleKind.LIAISON, BOOTSTRAP, None),
    ("wg-lts", "jeremy-hart", RoleKind.CHAIR, ELECTED, None),
    ("wg-lts", "priya-raman", RoleKind.CHAIR, ELECTED, None),
    ("wg-lts", "lukas-brandt", RoleKind.LIAISON, ELECTED, None),
    ("wg-gateway-api", "kenji-watanabe", RoleKind.CHAIR, BOOTSTRAP, None),
    ("wg-gateway-api", "lucia-ferreira", RoleKind.CHAIR, BOOTSTRAP, None),
    ("wg-gateway-api", "amara-okafor", RoleKind.LIAISON, BOOTSTRAP, None),
]

# group: [(name, description, leads)]
SUBPROJECTS = {
    "sig-architecture": [
        (
            "api-reviews",
            "Reviews every change to the project's APIs against the API conventions.",
            ["derek-vance", "tomas-novak"],
        ),
        ("conformance-definition", "Which behaviour every conformant cluster must have.", []),
        ("enhancements", "The enhancement proposal process and its tooling.", ["priya-raman"]),
    ],
    "sig-network": [
        ("dns", "Cluster DNS and its add-ons.", []),
        ("network-policy", "The network policy API and its conformance.", ["seun-adeyemi"]),
    ],
    "sig-node": [
        ("kubelet", "The node agent.", ["li-wei"]),
        ("cri-api", "The container runtime interface.", []),
    ],
    "sig-storage": [("csi-drivers", "Reference CSI drivers and their tests.", ["marco-bianchi"])],
    "sig-windows": [("windows-testing", "Test infrastructure for Windows nodes.", [])],
    "sig-auth": [("audit-logging", "Audit policy and the audit log pipeline.", ["yuki-tanaka"])],
    "sig-release": [
        ("release-engineering", "Build, package, sign and publish releases.", ["sam-osei"]),
        ("release-team", "The team that runs each release cycle.", ["elena-popescu"]),
    ],
    "wg-gateway-api": [("gateway-api", "The Gateway API and its CRDs.", ["lucia-ferreira"])],
}

# Private mailing lists: only staff see them.
PRIVATE_LISTS = {
    "committee-steering": "steering-private@example.org",
    "committee-security-response": "security-response-private@example.org",
    "sig-release": "release-managers-private@example.org",
}


def load() -> None:
    people = {
        handle: person_upsert(
            handle=handle,
            name=name,
            affiliation=affiliation,
            time_zone=time_zone,
            private_email=f"{handle.replace('-', '.')}@example.com",
        )[0]
        for handle, (name, affiliation, time_zone) in PEOPLE.items()
    }
    groups = {}
    for slug, (kind, name, label, mission) in GROUPS.items():
        groups[slug] = group_upsert(
            slug=slug,
            kind=kind,
            name=name,
            label=label,
            mission=mission,
            charter_url=f"{REPOSITORY}/community/blob/main/{slug}/charter.md",
        )[0]
        _channels(groups[slug], slug)
    for slug, charter in COMMITTEES.items():
        committee_set(group=groups[slug], **charter)
    for slug, stakeholders in STAKEHOLDERS.items():
        group_stakeholders_set(
            group=groups[slug], stakeholders=[groups[sig] for sig in stakeholders]
        )
    for slug, handle, kind, start, end in ROLES:
        _role(person=people[handle], group=groups[slug], kind=kind, start=start, end=end)
    for slug, subprojects in SUBPROJECTS.items():
        for name, description, leads in subprojects:
            subproject = subproject_upsert(
                group=groups[slug],
                name=name,
                description=description,
                owners_files=[f"{REPOSITORY}/{name}/blob/main/OWNERS"],
                leads=[people[handle] for handle in leads],
            )[0]
            channel_upsert(
                group=groups[slug],
                subproject=subproject,
                kind=ChannelKind.SLACK,
                name=f"{slug.removeprefix('sig-')}-{name}",
            )


def _channels(group: Group, slug: str) -> None:
    channel_upsert(group=group, kind=ChannelKind.SLACK, name=slug)
    channel_upsert(group=group, kind=ChannelKind.MAILING_LIST, name=slug, url=f"{LISTS}/{slug}")
    channel_upsert(
        group=group,
        kind=ChannelKind.GITHUB_TEAM,
        name=f"{slug}-leads",
        description="Chairs and technical leads",
    )
    if slug in PRIVATE_LISTS:
        channel_upsert(group=group, kind=ChannelKind.PRIVATE_MAILING_LIST, name=PRIVATE_LISTS[slug])


def _role(
    *,
    person: Person,
    group: Group,
    kind: str,
    start: datetime.date | None,
    end: datetime.date | None,
) -> None:
    if not Role.objects.filter(person=person, group=group, kind=kind, start=start).exists():
        role_create(person=person, group=group, kind=kind, start=start, end=end)
