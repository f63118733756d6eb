"""The demo community's project list, Kubernetes releases, feature status table, proposals and
landscape notebook (the feature table, future work, landscape and the proposals' keps/ tree
from `demo_data/`, through the importers).

The projects of the list are written here, in bulk (common.bulk), not read from a document:
they hold what the project list README cannot say (licenses, a repository beside a homepage,
each maturity step with its date and decision, the groups that own or work on them).

`load()` is called by `manage.py load_demo`; it only adds what is missing, so it can run again.
"""

from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models.functions import Lower

from common.bulk import BulkWrite
from governance.models import Group, GroupKind, Person
from projects import services
from projects.importers.documents import read_document
from projects.importers.kep_apply import keps_import
from projects.importers.kep_yaml import read_keps
from projects.importers.landscape_apply import (
    landscape_import,
    project_list_import,
    status_import,
)
from projects.importers.landscape_notes import read_landscape_notes
from projects.importers.project_list import read_project_list
from projects.importers.status_page import read_status_page
from projects.models import (
    RELEASE_DATE_FIELDS,
    APIVersion,
    ChannelKind,
    MaturityLevel,
    MaturityStep,
    Project,
    ProjectArea,
    ProjectChannel,
    ProjectGroup,
    Proposal,
    ProposalStatus,
    Release,
    Stage,
    TieIn,
    parse_release_version,
)

SLACK = "https://kubernetes.slack.com/messages/"
CNCF_SLACK = "https://cloud-native.slack.com/messages/"
MS_DOCS = "https://learn.microsoft.com/azure/"

AREAS = [
    ("cluster-management", "Kubernetes cluster management"),
    ("enhancements", "Kubernetes enhancements"),
    ("governance-security", "Governance and security"),
    ("service-mesh", "Service mesh"),
    ("container-runtime", "Container runtime"),
]

# slug: name, as sigs.yaml (and governance's demo) names them.
GROUPS = {
    "sig-auth": "Auth",
    "sig-windows": "Windows",
    "sig-node": "Node",
    "sig-network": "Network",
    "sig-cloud-provider": "Cloud Provider",
    "sig-cluster-lifecycle": "Cluster Lifecycle",
    "sig-storage": "Storage",
}

# handle: (name, affiliation); an empty affiliation is one the demo does not claim.
PEOPLE = {
    "ritazh": ("Rita Zhang", "Microsoft"),
    "aramase": ("Anish Ramasekar", "Microsoft"),
    "enj": ("Mo Khan", "Microsoft"),
    "marosset": ("Mark Rossetti", "Microsoft"),
    "ambguo": ("Ambrose Guo", "Microsoft"),
    "jsturtevant": ("James Sturtevant", "Microsoft"),
    "palnabarun": ("Nabarun Pal", "VMware"),
    "100mik": ("", ""),
    "nabokihms": ("Maksim Nabokikh", "Flant"),
    "deads2k": ("David Eads", "Red Hat"),
    "liggitt": ("Jordan Liggitt", "Google"),
    "smarterclayton": ("Clayton Coleman", ""),
    "tallclair": ("Tim Allclair", "Google"),
    "Random-Liu": ("Lantao Liu", "Google"),
    "yujuhong": ("Yu-Ju Hong", "Google"),
    "SergeyKanzhelev": ("Sergey Kanzhelev", "Google"),
    "matthyx": ("Matthias Bertschy", ""),
    "mrunalp": ("Mrunal Patel", "Red Hat"),
    "thockin": ("Tim Hockin", "Google"),
    "wojtek-t": ("Wojciech Tyczyński", "Google"),
    "wzshiming": ("Shiming Zhang", "DaoCloud"),
    "danwinship": ("Dan Winship", "Red Hat"),
    "andrewsykim": ("Andrew Sy Kim", "Google"),
    "cheftako": ("Walter Fender", "Google"),
    "elmiko": ("Michael McCune", "Red Hat"),
}

# Projects by area, in the seed's order. Maturity steps: (steward, level, date, decision URL).
PROJECTS = [
    {
        "slug": "kubernetes",
        "name": "Kubernetes",
        "area": "cluster-management",
        "goal": "Production-grade container orchestration: deploys, scales and manages "
        "containerized applications.",
        "homepage_url": "https://kubernetes.io",
        "repository_url": "https://github.com/kubernetes/kubernetes",
        "releases_url": "https://github.com/kubernetes/kubernetes/releases",
        "tests_dashboard_url": "https://testgrid.k8s.io/sig-release-master-blocking",
        "license": "Apache-2.0",
        "maturity": [
            (
                "CNCF",
                MaturityLevel.GRADUATED,
                "2018-03-06",
                "https://www.cncf.io/announcements/2018/03/06/cloud-native-computing-foundation-"
                "announces-kubernetes-first-graduated-project/",
            )
        ],
        "channels": [
            (ChannelKind.SLACK, "#kubernetes-users", SLACK + "kubernetes-users"),
            (ChannelKind.FORUM, "discuss.kubernetes.io", "https://discuss.kubernetes.io"),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/kubernetes/kubernetes/issues",
            ),
        ],
        "tie_ins": [("Azure Kubernetes Service (AKS)", MS_DOCS + "aks/")],
    },
    {
        "slug": "aks-engine",
        "name": "AKS Engine",
        "area": "cluster-management",
        "goal": "Generates Azure Resource Manager templates for self-managed Kubernetes clusters "
        "on Azure and Azure Stack Hub.",
        "repository_url": "https://github.com/Azure/aks-engine",
        "releases_url": "https://github.com/Azure/aks-engine/releases",
        "license": "MIT",
        "maturity": [("Microsoft", MaturityLevel.STABLE, "2019-08-01", "")],
        "groups": [("sig-cloud-provider", ProjectGroup.Relation.RELATED)],
        "channels": [
            (ChannelKind.SLACK, "#aks-engine-users", SLACK + "aks-engine-users"),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/Azure/aks-engine/issues",
            ),
        ],
        "tie_ins": [
            (
                "Kubernetes on Azure Stack Hub",
                MS_DOCS + "azure-stack/user/azure-stack-kubernetes-aks-engine-overview",
            )
        ],
    },
    {
        "slug": "cluster-api-provider-azure",
        "name": "Cluster API Provider Azure",
        "area": "cluster-management",
        "goal": "Declarative, Kubernetes-style APIs to create, configure and manage Kubernetes "
        "clusters on Azure.",
        "homepage_url": "https://capz.sigs.k8s.io",
        "repository_url": "https://github.com/kubernetes-sigs/cluster-api-provider-azure",
        "releases_url": "https://github.com/kubernetes-sigs/cluster-api-provider-azure/releases",
        "tests_dashboard_url": "https://testgrid.k8s.io/sig-cluster-lifecycle-cluster-api-provider-azure",
        "license": "Apache-2.0",
        "maturity": [
            ("Kubernetes", MaturityLevel.ALPHA, "2019-06-01", ""),
            ("Kubernetes", MaturityLevel.BETA, "2021-10-01", ""),
        ],
        "apis": [
            ("infrastructure.cluster.x-k8s.io", v) for v in ["v1alpha3", "v1alpha4", "v1beta1"]
        ],
        "groups": [("sig-cluster-lifecycle", ProjectGroup.Relation.OWNER)],
        "channels": [
            (ChannelKind.SLACK, "#cluster-api-azure", SLACK + "cluster-api-azure"),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/kubernetes-sigs/cluster-api-provider-azure/issues",
            ),
        ],
    },
    {
        "slug": "cloud-provider-azure",
        "name": "Kubernetes on Azure (cloud provider)",
        "area": "cluster-management",
        "goal": "Runs Kubernetes on Azure: load balancers, routes, disks and files, nodes in "
        "availability sets.",
        "homepage_url": "https://cloud-provider-azure.sigs.k8s.io",
        "repository_url": "https://github.com/kubernetes-sigs/cloud-provider-azure",
        "releases_url": "https://github.com/kubernetes-sigs/cloud-provider-azure/releases",
        "tests_dashboard_url": "https://testgrid.k8s.io/provider-azure-master-signal",
        "license": "Apache-2.0",
        "maturity": [("Kubernetes", MaturityLevel.STABLE, "2016-09-26", "")],
        "groups": [("sig-cloud-provider", ProjectGroup.Relation.OWNER)],
        "channels": [(ChannelKind.SLACK, "#provider-azure", SLACK + "provider-azure")],
        "tie_ins": [("Azure Kubernetes Service (AKS)", MS_DOCS + "aks/")],
    },
    {
        "slug": "virtual-kubelet",
        "name": "Virtual Kubelet",
        "area": "cluster-management",
        "goal": "A kubelet that masquerades as a node, so Kubernetes schedules pods onto "
        "serverless container platforms.",
        "homepage_url": "https://virtual-kubelet.io",
        "repository_url": "https://github.com/virtual-kubelet/virtual-kubelet",
        "releases_url": "https://github.com/virtual-kubelet/virtual-kubelet/releases",
        "license": "Apache-2.0",
        "maturity": [("CNCF", MaturityLevel.SANDBOX, "2018-12-04", "")],
        "groups": [("sig-node", ProjectGroup.Relation.RELATED)],
        "channels": [
            (ChannelKind.SLACK, "#virtual-kubelet", SLACK + "virtual-kubelet"),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/virtual-kubelet/virtual-kubelet/issues",
            ),
        ],
        "tie_ins": [
            ("AKS virtual nodes (Azure Container Instances)", MS_DOCS + "aks/virtual-nodes")
        ],
    },
    {
        "slug": "windows-containers",
        "name": "Windows containers",
        "area": "enhancements",
        "goal": "Windows Server nodes and containers in Kubernetes clusters, scheduled alongside "
        "Linux ones.",
        "homepage_url": "https://kubernetes.io/docs/concepts/windows/",
        "repository_url": "https://github.com/kubernetes-sigs/windows-testing",
        "tests_dashboard_url": "https://testgrid.k8s.io/sig-windows-signal",
        "license": "Apache-2.0",
        "maturity": [
            ("Kubernetes", MaturityLevel.ALPHA, "2016-12-12", ""),
            ("Kubernetes", MaturityLevel.BETA, "2017-12-15", ""),
            (
                "Kubernetes",
                MaturityLevel.STABLE,
                "2019-03-25",
                "https://kubernetes.io/blog/2019/03/25/kubernetes-1-14-release-announcement/",
            ),
        ],
        "groups": [("sig-windows", ProjectGroup.Relation.OWNER)],
        "channels": [(ChannelKind.SLACK, "#sig-windows", SLACK + "sig-windows")],
        "tie_ins": [("AKS Windows node pools", MS_DOCS + "aks/windows-faq")],
    },
    {
        "slug": "dual-stack",
        "name": "IPv4/IPv6 dual-stack",
        "area": "enhancements",
        "goal": "Pods and Services with both an IPv4 and an IPv6 address.",
        "homepage_url": "https://kubernetes.io/docs/concepts/services-networking/dual-stack/",
        "repository_url": "https://github.com/kubernetes/kubernetes",
        "license": "Apache-2.0",
        "maturity": [
            ("Kubernetes", MaturityLevel.ALPHA, "2019-09-18", ""),
            ("Kubernetes", MaturityLevel.BETA, "2021-04-08", ""),
            (
                "Kubernetes",
                MaturityLevel.STABLE,
                "2021-12-07",
                "https://github.com/kubernetes/enhancements/issues/563",
            ),
        ],
        "groups": [("sig-network", ProjectGroup.Relation.OWNER)],
        "channels": [(ChannelKind.SLACK, "#sig-network", SLACK + "sig-network")],
        "tie_ins": [("AKS dual-stack networking", MS_DOCS + "aks/configure-kubenet-dual-stack")],
    },
    {
        "slug": "aad-pod-identity",
        "name": "AAD Pod Identity",
        "area": "governance-security",
        "goal": "Gives pods Azure Active Directory identities, so applications reach Azure "
        "resources without secrets in code.",
        "homepage_url": "https://azure.github.io/aad-pod-identity/",
        "repository_url": "https://github.com/Azure/aad-pod-identity",
        "releases_url": "https://github.com/Azure/aad-pod-identity/releases",
        "license": "MIT",
        "maturity": [("Microsoft", MaturityLevel.BETA, "2019-04-01", "")],
        "apis": [("aadpodidentity.k8s.io", "v1")],
        "channels": [
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/Azure/aad-pod-identity/issues",
            )
        ],
        "tie_ins": [("AKS pod-managed identities", MS_DOCS + "aks/use-azure-ad-pod-identity")],
    },
    {
        "slug": "gatekeeper",
        "name": "OPA Gatekeeper",
        "area": "governance-security",
        "goal": "Enforces Open Policy Agent policies at admission and audits the resources "
        "already in a cluster.",
        "homepage_url": "https://open-policy-agent.github.io/gatekeeper/",
        "repository_url": "https://github.com/open-policy-agent/gatekeeper",
        "releases_url": "https://github.com/open-policy-agent/gatekeeper/releases",
        "license": "Apache-2.0",
        "maturity": [
            ("CNCF", MaturityLevel.SANDBOX, "2018-03-29", ""),
            ("CNCF", MaturityLevel.INCUBATING, "2019-04-02", ""),
            (
                "CNCF",
                MaturityLevel.GRADUATED,
                "2021-01-29",
                "https://www.cncf.io/announcements/2021/02/04/cloud-native-computing-foundation-"
                "announces-open-policy-agent-graduation/",
            ),
        ],
        "apis": [
            *(("templates.gatekeeper.sh", v) for v in ["v1alpha1", "v1beta1", "v1"]),
            ("constraints.gatekeeper.sh", "v1beta1"),
        ],
        "channels": [
            (
                ChannelKind.SLACK,
                "#opa-gatekeeper",
                "https://openpolicyagent.slack.com/messages/opa-gatekeeper",
            ),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/open-policy-agent/gatekeeper/issues",
            ),
        ],
        "tie_ins": [
            (
                "Azure Policy for Kubernetes",
                MS_DOCS + "governance/policy/concepts/policy-for-kubernetes",
            )
        ],
    },
    {
        "slug": "secrets-store-csi-driver",
        "name": "Secrets Store CSI Driver",
        "area": "governance-security",
        "goal": "Mounts secrets, keys and certificates from external stores into pods as a "
        "CSI volume.",
        "homepage_url": "https://secrets-store-csi-driver.sigs.k8s.io",
        "repository_url": "https://github.com/kubernetes-sigs/secrets-store-csi-driver",
        "releases_url": "https://github.com/kubernetes-sigs/secrets-store-csi-driver/releases",
        "tests_dashboard_url": "https://testgrid.k8s.io/sig-auth-secrets-store-csi-driver",
        "license": "Apache-2.0",
        "maturity": [
            ("Kubernetes", MaturityLevel.ALPHA, "2019-05-01", ""),
            (
                "Kubernetes",
                MaturityLevel.STABLE,
                "2021-04-13",
                "https://kubernetes.io/blog/2021/04/13/secrets-store-csi-driver-1-0/",
            ),
        ],
        "apis": [("secrets-store.csi.x-k8s.io", v) for v in ["v1alpha1", "v1"]],
        "groups": [
            ("sig-auth", ProjectGroup.Relation.OWNER),
            ("sig-storage", ProjectGroup.Relation.RELATED),
        ],
        "channels": [
            (ChannelKind.SLACK, "#csi-secrets-store", SLACK + "csi-secrets-store"),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/kubernetes-sigs/secrets-store-csi-driver/issues",
            ),
        ],
        "tie_ins": [
            ("AKS Key Vault secrets provider add-on", MS_DOCS + "aks/csi-secrets-store-driver")
        ],
    },
    {
        "slug": "secrets-store-csi-driver-provider-azure",
        "name": "Azure Key Vault provider for Secrets Store CSI Driver",
        "area": "governance-security",
        "goal": "Brings Azure Key Vault secrets, keys and certificates to the Secrets Store "
        "CSI Driver.",
        "homepage_url": "https://azure.github.io/secrets-store-csi-driver-provider-azure/",
        "repository_url": "https://github.com/Azure/secrets-store-csi-driver-provider-azure",
        "releases_url": "https://github.com/Azure/secrets-store-csi-driver-provider-azure/releases",
        "license": "MIT",
        "maturity": [("Microsoft", MaturityLevel.STABLE, "2021-06-01", "")],
        "channels": [
            (ChannelKind.SLACK, "#csi-secrets-store", SLACK + "csi-secrets-store"),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues",
            ),
        ],
        "tie_ins": [
            ("AKS Key Vault secrets provider add-on", MS_DOCS + "aks/csi-secrets-store-driver")
        ],
    },
    {
        "slug": "smi",
        "name": "Service Mesh Interface (SMI)",
        "area": "service-mesh",
        "goal": "A standard interface for service meshes on Kubernetes: traffic policy, "
        "telemetry and traffic management.",
        "homepage_url": "https://smi-spec.io",
        "repository_url": "https://github.com/servicemeshinterface/smi-spec",
        "releases_url": "https://github.com/servicemeshinterface/smi-spec/releases",
        "license": "Apache-2.0",
        "maturity": [("CNCF", MaturityLevel.SANDBOX, "2020-04-21", "")],
        "apis": [
            ("access.smi-spec.io", "v1alpha3"),
            ("specs.smi-spec.io", "v1alpha4"),
            *(("split.smi-spec.io", v) for v in ["v1alpha1", "v1alpha2", "v1alpha3", "v1alpha4"]),
            ("metrics.smi-spec.io", "v1alpha1"),
        ],
        "channels": [(ChannelKind.SLACK, "#smi", CNCF_SLACK + "smi")],
        "tie_ins": [
            ("Open Service Mesh", "https://openservicemesh.io"),
            ("Linkerd", "https://linkerd.io"),
        ],
    },
    {
        "slug": "open-service-mesh",
        "name": "Open Service Mesh (OSM)",
        "area": "service-mesh",
        "goal": "A lightweight, extensible service mesh built on Envoy that implements SMI.",
        "homepage_url": "https://openservicemesh.io",
        "repository_url": "https://github.com/openservicemesh/osm",
        "releases_url": "https://github.com/openservicemesh/osm/releases",
        "license": "Apache-2.0",
        "maturity": [("CNCF", MaturityLevel.SANDBOX, "2020-09-08", "")],
        "apis": [
            *(("config.openservicemesh.io", v) for v in ["v1alpha1", "v1alpha2"]),
            ("policy.openservicemesh.io", "v1alpha1"),
        ],
        "channels": [
            (ChannelKind.SLACK, "#openservicemesh", CNCF_SLACK + "openservicemesh"),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/openservicemesh/osm/issues",
            ),
        ],
        "tie_ins": [("AKS Open Service Mesh add-on", MS_DOCS + "aks/open-service-mesh-about")],
    },
    {
        "slug": "moby",
        "name": "Moby",
        "area": "container-runtime",
        "goal": "An open framework to assemble container systems; the upstream of Docker Engine.",
        "homepage_url": "https://mobyproject.org",
        "repository_url": "https://github.com/moby/moby",
        "releases_url": "https://github.com/moby/moby/releases",
        "license": "Apache-2.0",
        "maturity": [("Docker", MaturityLevel.STABLE, "2017-04-18", "")],
        "channels": [
            (ChannelKind.FORUM, "Moby forums", "https://forums.mobyproject.org"),
            (ChannelKind.ISSUE_TRACKER, "GitHub", "https://github.com/moby/moby/issues"),
        ],
        "tie_ins": [
            ("Docker Engine", "https://docs.docker.com/engine/"),
            ("Azure IoT Edge (Moby engine)", MS_DOCS + "iot-edge/"),
        ],
    },
    {
        "slug": "containerd",
        "name": "containerd",
        "area": "container-runtime",
        "goal": "An industry-standard container runtime with an emphasis on simplicity, "
        "robustness and portability.",
        "homepage_url": "https://containerd.io",
        "repository_url": "https://github.com/containerd/containerd",
        "releases_url": "https://github.com/containerd/containerd/releases",
        "license": "Apache-2.0",
        "maturity": [
            ("CNCF", MaturityLevel.INCUBATING, "2017-03-29", ""),
            (
                "CNCF",
                MaturityLevel.GRADUATED,
                "2019-02-28",
                "https://www.cncf.io/announcements/2019/02/28/cncf-announces-containerd-graduation/",
            ),
        ],
        "apis": [("runtime.v1 (Kubernetes CRI)", v) for v in ["v1alpha2", "v1"]],
        "groups": [("sig-node", ProjectGroup.Relation.RELATED)],
        "channels": [
            (ChannelKind.SLACK, "#containerd", CNCF_SLACK + "containerd"),
            (
                ChannelKind.FORUM,
                "GitHub discussions",
                "https://github.com/containerd/containerd/discussions",
            ),
            (
                ChannelKind.ISSUE_TRACKER,
                "GitHub",
                "https://github.com/containerd/containerd/issues",
            ),
        ],
        "tie_ins": [("AKS node container runtime", MS_DOCS + "aks/cluster-configuration")],
    },
]

# Kubernetes releases: version: (cycle start, enhancements freeze, code freeze, release).
RELEASES = {
    "v1.3": (None, None, None, "2016-07-01"),
    "v1.4": (None, None, None, "2016-09-26"),
    "v1.5": (None, None, None, "2016-12-12"),
    "v1.21": (None, None, None, "2021-04-08"),
    "v1.22": (None, None, None, "2021-08-04"),
    "v1.23": (None, None, None, "2021-12-07"),
    "v1.24": (None, None, None, "2022-05-03"),
    "v1.25": (None, None, None, "2022-08-23"),
    "v1.26": (None, None, None, "2022-12-08"),
    "v1.27": (None, None, None, "2023-04-11"),
    "v1.28": ("2023-05-15", "2023-06-16", "2023-07-19", "2023-08-15"),
    "v1.29": ("2023-09-05", "2023-10-06", "2023-11-01", "2023-12-13"),
    "v1.30": ("2024-01-08", "2024-02-09", "2024-03-06", "2024-04-17"),
}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _written(*writes: BulkWrite) -> None:
    """Write each in turn; the demo's own data is never refused."""
    for write in writes:
        refused = write.write()
        if refused:
            raise ValueError(f"the demo's {write.model.__name__} rows do not store: {refused}")


def _groups() -> dict[str, Group]:
    """The GROUPS, those missing created as SIGs."""
    groups = {group.slug: group for group in Group.objects.filter(slug__in=GROUPS)}
    write = BulkWrite(Group)
    for slug, name in GROUPS.items():
        if slug not in groups:
            groups[slug] = write.create(Group(slug=slug, name=name, kind=GroupKind.SIG))
    _written(write)
    return groups


def _areas() -> dict[str, ProjectArea]:
    areas = {area.slug: area for area in ProjectArea.objects.filter(slug__in=dict(AREAS))}
    write = BulkWrite(ProjectArea)
    for position, (slug, name) in enumerate(AREAS):
        if slug not in areas:
            areas[slug] = write.create(ProjectArea(slug=slug, name=name, position=position))
    _written(write)
    return areas


def _people() -> None:
    """The PEOPLE, found by handle in any case; the demo fills their name and affiliation if
    missing."""
    stored: dict[str, Person] = {}
    handles = [handle.lower() for handle in PEOPLE]
    for person in Person.objects.alias(key=Lower("handle")).filter(key__in=handles).order_by("pk"):
        stored.setdefault(person.handle.lower(), person)
    write = BulkWrite(Person)
    for handle, (name, affiliation) in PEOPLE.items():
        person = stored.get(handle.lower())
        if person is None:
            write.create(Person(handle=handle, name=name, affiliation=affiliation))
            continue
        missing = {"name": name, "affiliation": affiliation}
        write.update(
            person,
            {
                field: value
                for field, value in missing.items()
                if value and not getattr(person, field)
            },
        )
    _written(write)


# The parts of a project in PROJECTS: key -> (model, the fields each tuple gives).
PARTS = {
    "groups": (ProjectGroup, ("group", "relation")),
    "maturity": (MaturityStep, ("steward", "level", "date", "decision_url")),
    "apis": (APIVersion, ("api", "version")),
    "channels": (ProjectChannel, ("kind", "name", "url")),
    "tie_ins": (TieIn, ("label", "url", "position")),
}


def _projects(areas: dict[str, ProjectArea], groups: dict[str, Group]) -> None:
    """The PROJECTS missing, with their groups, maturity, API versions, channels and tie-ins,
    written model by model."""
    stored = set(
        Project.objects.filter(slug__in=[spec["slug"] for spec in PROJECTS]).values_list(
            "slug", flat=True
        )
    )
    projects = BulkWrite(Project)
    parts = {key: BulkWrite(model) for key, (model, _) in PARTS.items()}
    for spec in PROJECTS:
        if spec["slug"] in stored:
            continue
        fields = {name: value for name, value in spec.items() if name not in PARTS}
        project = projects.create(Project(**fields | {"area": areas[spec["area"]]}))
        values = {
            "groups": [(groups[slug], relation) for slug, relation in spec.get("groups", [])],
            "maturity": [
                (steward, level, _day(day), decision)
                for steward, level, day, decision in spec.get("maturity", [])
            ],
            "apis": spec.get("apis", []),
            "channels": spec.get("channels", []),
            "tie_ins": [(label, url, n) for n, (label, url) in enumerate(spec.get("tie_ins", []))],
        }
        for key, (model, names) in PARTS.items():
            for each in values[key]:
                parts[key].create(model(project=project, **dict(zip(names, each, strict=True))))
    _written(projects, *parts.values())


def _releases(kubernetes: Project) -> dict[str, Release]:
    """The RELEASES of Kubernetes, those missing created with their dates."""
    stored = {release.sort_key: release for release in kubernetes.releases.all()}
    write = BulkWrite(Release)
    releases = {}
    for version, dates in RELEASES.items():
        release = stored.get(parse_release_version(version))
        releases[version] = release or write.create(
            Release(
                project=kubernetes,
                version=version,
                **dict(zip(RELEASE_DATE_FIELDS, map(_day, dates), strict=True)),
            )
        )
    _written(write)
    return releases


DEMO_DATA = Path(__file__).parent / "demo_data"


def _first_plan(kubernetes: Project, auth: Group, v128: Release) -> None:
    """KEP-3331 as first planned, for v1.28: its file (now for v1.29) takes it over, so the
    release page shows it slipped. A file holds only what a proposal says now."""
    services.proposal_create(
        project=kubernetes,
        number=3331,
        title="Structured Authentication Config",
        owning_group=auth,
        status=ProposalStatus.IMPLEMENTABLE,
        stage=Stage.ALPHA,
        latest_milestone=v128,
        alpha_milestone=v128,
    )


def _import_documents() -> None:
    """The projects the community moved to, the feature table, deployment recommendations,
    future work and landscape, from the demo's copies of the community's documents, through
    their importers."""
    for report in [
        project_list_import(
            listing=read_project_list(read_document(DEMO_DATA / "project-list.md")),
            as_of=date(2023, 11, 1),
        ),
        status_import(
            page=read_status_page(read_document(DEMO_DATA / "status-page.md")),
            project_slug="cloud-provider-azure",
            releases_of="kubernetes",
            area_name="Kubernetes cluster management",
        ),
        landscape_import(
            notes=read_landscape_notes(read_document(DEMO_DATA / "landscape-notes.md"))
        ),
    ]:
        refused = [str(problem) for problem in report.problems if "not stored" in problem.message]
        if refused:
            raise ValueError(f"the demo's documents do not import: {refused}")


@transaction.atomic
def load():
    """Add the demo's project list, releases, feature table and proposals that are missing."""
    groups = _groups()
    _projects(_areas(), groups)
    kubernetes = Project.objects.get(slug="kubernetes")
    releases = _releases(kubernetes)
    _import_documents()
    _people()
    keps = read_keps(DEMO_DATA / "keps")
    paths = {record.path for record in keps.records}
    imported = kubernetes.proposals.filter(source_path__in=paths).values_list("source_path")
    if len(imported) == len(paths):
        return  # imported before: a second import would undo what a person changed since
    if not Proposal.objects.filter(project=kubernetes, number=3331).exists():
        _first_plan(kubernetes, groups["sig-auth"], releases["v1.28"])
    report = keps_import(project=kubernetes, directory=keps)
    if report.skipped or report.flagged:
        raise ValueError(f"the demo's keps/ does not import: {report.lines()}")
