"""The pages a reader sees: project list, enhancements with filters and counts, a proposal, a
release's tracking view; each list page in a fixed number of queries."""

import re
from html import unescape

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from governance.models import Group, Person
from projects import services
from projects.models import Proposal, ProposalStatus, Stage
from tests.factories import PersonFactory
from tests.projects.factories import ProposalFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _text(html: str) -> str:
    """The page's text with tags dropped and spaces collapsed, as a reader sees it."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# ---- /projects/ -------------------------------------------------------------------------


def test_project_list_reads_like_the_seed_table(client, demo_data):
    html = _html(client, "/projects/")
    text = _text(html)
    areas = [
        "Kubernetes cluster management",
        "Kubernetes enhancements",
        "Governance and security",
        "Service mesh",
        "Container runtime",
    ]
    assert [text.index(area) for area in areas] == sorted(text.index(area) for area in areas)
    # A row: name with artifact links, goal, state with the newest API version, channels, tie-ins.
    assert 'href="https://github.com/servicemeshinterface/smi-spec"' in html
    assert "A standard interface for service meshes on Kubernetes" in text
    assert "Sandbox CNCF" in text
    assert "split.smi-spec.io v1alpha4" in text
    assert "split.smi-spec.io v1alpha3" not in text  # only the newest version in the list
    assert "Slack #smi" in text
    assert "AKS Open Service Mesh add-on" in text
    assert "Graduated CNCF" in text  # containerd, from its latest maturity step


def test_project_list_filters_by_area_and_maturity_with_counts(client, demo_data):
    html = _html(client, "/projects/?area=service-mesh")
    text = _text(html)
    assert "Open Service Mesh" in text and "containerd" not in text
    assert "3 projects match these filters" in text  # Istio, Open Service Mesh, SMI
    assert '<option value="container-runtime">Container runtime (2)</option>' in html
    graduated = _text(_html(client, "/projects/?maturity=graduated"))
    for name in ["Kubernetes", "OPA Gatekeeper", "containerd", "Istio"]:
        assert name in graduated
    assert "Moby" not in graduated
    assert "4 projects match" in graduated


def test_project_list_sorts_by_maturity_within_each_area(client, demo_data):
    text = _text(_html(client, "/projects/?sort=maturity&area=governance-security"))
    order = [
        "OPA Gatekeeper",
        "Azure Key Vault provider",
        "Secrets Store CSI Driver",
        "AAD Pod Identity",
    ]
    positions = [text.index(name) for name in order]
    assert positions[0] < positions[3] and positions[2] < positions[3]


def test_private_channels_show_only_to_staff(client, admin_client, private_channel):
    assert "containerd-security" not in _html(client, "/projects/")
    assert "containerd-security" not in _html(client, "/projects/containerd/")
    assert "containerd-security" in _html(admin_client, "/projects/containerd/")


def test_project_page_shows_timeline_api_versions_matrix_and_proposals(client, demo_data):
    text = _text(_html(client, "/projects/gatekeeper/"))
    assert text.index("29 Mar 2018 Sandbox CNCF") < text.index("2 Apr 2019 Incubating CNCF")
    assert "29 Jan 2021 Graduated CNCF · decision (current)" in text
    assert "templates.gatekeeper.sh v1alpha1 → v1beta1 → v1 (newest)" in text

    html = _html(client, "/projects/cloud-provider-azure/")
    text = _text(html)
    assert "Feature status by release" in text
    assert "Kubernetes v1.3 Kubernetes v1.4 Kubernetes v1.5" in text
    assert "Azure Disk ✗ Not supported ✓ Supported #29836 ✓ Supported #30091" in text
    assert 'href="https://github.com/kubernetes/kubernetes/pull/29836"' in html

    text = _text(_html(client, "/projects/kubernetes/"))
    assert "9 proposals" in text and "KEP-3299" in text


def test_unknown_project_is_404(client, db):
    assert client.get("/projects/nope/").status_code == 404


def test_project_list_queries_do_not_grow_with_projects(client, build_projects):
    build_projects(2)
    few = _queries(client, "/projects/")
    build_projects(4)
    assert _queries(client, "/projects/") == few


def test_project_list_query_count_is_pinned(client, build_projects, django_assert_num_queries):
    build_projects(3)
    # Counts by area and by level, areas, projects, their APIs, channels, tie-ins and groups.
    with django_assert_num_queries(8):
        client.get("/projects/?sort=maturity")


# ---- /enhancements/ ---------------------------------------------------------------------


def test_sig_auth_implemented_is_one_link_with_its_count(client, demo_data):
    html = _html(client, "/enhancements/")
    link = re.search(r'<a href="(/enhancements/\?[^"]*)">2 implemented</a>', html)
    assert link, "the group overview links sig-auth's implemented proposals"
    url = link.group(1).replace("&amp;", "&")
    assert url == "/enhancements/?group=sig-auth&status=implemented"
    text = _text(_html(client, url))
    assert "2 proposals matching" in text
    assert "KEP-2579" in text and "KEP-3325" in text
    assert "KEP-3299" not in text  # sig-auth, but not done yet


def test_v129_at_beta_is_one_link_with_its_count(client, demo_data):
    html = _html(client, "/enhancements/")
    link = re.search(
        r'<a href="(/enhancements/\?milestone=v1.29&amp;stage=beta)">3 at beta</a>', html
    )
    assert link
    text = _text(_html(client, link.group(1).replace("&amp;", "&")))
    assert "3 proposals matching" in text
    for kep in ["KEP-753", "KEP-2681", "KEP-2395"]:
        assert kep in text
    assert "KEP-3221" not in text  # alpha in v1.29


def test_filter_options_show_counts_given_the_other_filters(client, demo_data):
    html = _html(client, "/enhancements/?group=sig-auth")
    assert '<option value="implemented">Implemented (2)</option>' in html
    assert '<option value="implementable">Implementable (3)</option>' in html
    html = _html(client, "/enhancements/?milestone=v1.29")
    assert '<option value="beta">Beta (3)</option>' in html
    assert '<option value="alpha">Alpha (2)</option>' in html
    assert '<option value="sig-auth">Auth (3)</option>' in html


def test_proposals_our_company_leads(client, demo_data):
    text = _text(_html(client, "/enhancements/?affiliation=microsoft"))
    assert "4 proposals matching" in text
    for kep in ["KEP-3299", "KEP-3221", "KEP-3331", "KEP-1981"]:
        assert kep in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=KMSv2", {"KEP-3299"}),
        ("q=3331", {"KEP-3331"}),
        ("author=NABOKIHMS", {"KEP-3331", "KEP-3325"}),
        ("stage=alpha", {"KEP-3221", "KEP-3331"}),
        ("milestone=v1.28&stage=stable", {"KEP-3325"}),
    ],
)
def test_filters(client, demo_data, query, expected):
    text = _text(_html(client, f"/enhancements/?{query}"))
    assert set(re.findall(r"KEP-\d+", text.split("matching")[1])) >= expected
    assert f"{len(expected)} proposal" in text


def test_sorting_by_latest_milestone_reads_versions_as_numbers(client, build_proposals):
    project = build_proposals(0)
    old = ProposalFactory(
        project=project, latest_milestone=ReleaseFactory(project=project, version="v1.9")
    )
    new = ProposalFactory(
        project=project, latest_milestone=ReleaseFactory(project=project, version="v1.10")
    )
    text = _text(_html(client, "/enhancements/?sort=-milestone"))
    assert text.index(new.label) < text.index(old.label)


def test_enhancements_paginate(client, build_proposals):
    build_proposals(55)
    first = _text(_html(client, "/enhancements/?group="))
    assert "55 proposals" in first and "Page 1 of 2" in first
    second = _text(_html(client, "/enhancements/?page=2"))
    assert second.count("KEP-") >= 5 and "Page 2 of 2" in second


def test_enhancements_queries_do_not_grow_with_proposals(client, build_proposals):
    build_proposals(3)
    few = _queries(client, "/enhancements/")
    few_filtered = _queries(client, "/enhancements/?group=sig-0&milestone=v1.29&stage=beta&q=P")
    build_proposals(6)
    assert _queries(client, "/enhancements/") == few
    assert (
        _queries(client, "/enhancements/?group=sig-0&milestone=v1.29&stage=beta&q=P")
        == few_filtered
    )


def test_enhancements_query_count_is_pinned(client, build_proposals, django_assert_num_queries):
    build_proposals(3)
    # Releases, stage/milestone rows, groups, projects (2), authors, affiliations, flagged,
    # the count, the page and its authors.
    with django_assert_num_queries(11):
        client.get("/enhancements/")


# ---- /enhancements/<number>/ ------------------------------------------------------------


def test_proposal_page_shows_everything(client, demo_data):
    text = _text(_html(client, "/enhancements/1981/"))
    for expected in [
        "KEP-1981 Support for Windows Privileged Containers",
        "Owning group Windows",
        "Participating groups Auth Node Storage",
        "Status Implemented",
        "Stage Stable",
        "Latest milestone v1.26",
        "WindowsHostProcessContainers on kube-apiserver, kubelet",
        "Can be disabled yes",
        "Created 9 Oct 2020",
        "@ambguo Microsoft @marosset Microsoft",
        "@deads2k Red Hat for alpha, beta, stable",
        "Alpha in v1.22",
        "Stable in v1.26 released 8 Dec 2022 (current stage)",
        "Tracking issue kubernetes/enhancements#1981",
    ]:
        assert expected in text, expected


def test_proposal_page_shows_replacements_and_stage_history(client, demo_data):
    kms = Proposal.objects.get(number=3299)
    old = ProposalFactory(
        project=kms.project, number=3130, title="KMS Observability", status=ProposalStatus.REPLACED
    )
    kms.replaces.add(old)
    assert "Superseded by KEP-3299 KMS v2 Improvements" in _text(
        _html(client, "/enhancements/3130/")
    )
    text = _text(_html(client, "/enhancements/3331/"))
    assert "Replaces" not in text
    history = text.split("Stage history")[1]
    assert history.index("v1.28") < history.index("v1.29")


def test_proposal_page_includes_the_sections_other_apps_add(client, settings, tmp_path):
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "agendas.html").write_text(
        '<section id="agendas"><h2>Agendas naming {{ proposal.label }}</h2></section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.AGORA_PROPOSAL_PAGE_SECTIONS = ["extra/agendas.html"]
    ProposalFactory(number=3299)

    assert "<h2>Agendas naming KEP-3299</h2>" in _html(client, "/enhancements/3299/")


def test_a_flagged_proposal_is_shown_as_flagged(client, demo_data):
    project = Proposal.objects.get(number=3299).project
    services.proposal_import(
        project=project,
        source_path="keps/sig-node/9999-example/kep.yaml",
        number=9999,
        slug="9999-example",
        title="Example",
        status=ProposalStatus.IMPLEMENTED,
        stage=Stage.BETA,
        problems=["status 'imlpemented' read as implemented"],
    )
    text = _text(_html(client, "/enhancements/9999/"))
    assert "Flagged for review" in text
    assert "status 'imlpemented' read as implemented" in text
    assert "An implemented proposal must be at stage stable (it has stage beta)." in text
    listing = _html(client, "/enhancements/?flagged=yes")
    assert "Flagged only (1)" in _text(listing) and "9999" in listing and "KEP-3299" not in listing


def test_a_proposal_without_a_number_has_a_page_at_its_slug(client, demo_data):
    project = Proposal.objects.get(number=3299).project
    ProposalFactory(project=project, number=None, slug="0000-kep-process", title="KEP process")
    assert "KEP process" in _html(client, "/enhancements/0000-kep-process/")


def test_a_number_shared_by_two_projects_asks_which(client, demo_data):
    ProposalFactory(number=3299, title="Another project's 3299")
    text = _text(_html(client, "/enhancements/3299/"))
    assert "Several projects use this number" in text
    assert "KMS v2" in _html(client, "/enhancements/3299/?project=kubernetes")


def test_unknown_proposal_is_404(client, db):
    assert client.get("/enhancements/424242/").status_code == 404


def test_private_email_never_shows(client, demo_data):
    person = Person.objects.get(handle="ritazh")
    person.private_email = "rita-private@example.com"
    person.save()
    for url in ["/enhancements/", "/enhancements/3299/", "/releases/v1.29/", "/api/v1/proposals/"]:
        assert "rita-private@example.com" not in client.get(url).content.decode(), url


# ---- /releases/ -------------------------------------------------------------------------


def test_release_page_tracks_by_stage_group_and_slips(client, demo_data):
    html = _html(client, "/releases/v1.29/")
    text = _text(html)
    assert "Enhancements freeze Fri 6 Oct 2023" in text
    assert "Tracked: 6 proposals" in text
    assert "2 alpha 3 beta 1 stable 6 in all" in text
    assert 'href="/enhancements/?milestone=v1.29&amp;stage=beta"' in html
    by_group = text.split("By group")[1].split("Slipped")[0]
    assert by_group.index("Auth (3)") < by_group.index("Node (1)")
    assert "KEP-3299 KMS v2 Improvements stable Implementable" in by_group
    slipped = text.split("Slipped from v1.28")[1]
    assert "KEP-3331 Structured Authentication Config sig-auth alpha Now targets v1.29" in slipped


def test_release_page_reports_a_planned_stage_not_reached(client, build_proposals):
    project = build_proposals(0)
    v128, v129 = project.releases.all()
    late = ProposalFactory(
        project=project,
        stage=Stage.ALPHA,
        alpha_milestone=v128,
        beta_milestone=v128,
        latest_milestone=v129,
        status=ProposalStatus.IMPLEMENTABLE,
    )
    text = _text(_html(client, "/releases/v1.29/"))
    assert f"{late.label} {late.title}" in text.split("Slipped from v1.28")[1]
    assert "Still alpha" in text


def test_release_versions_accept_no_v_and_order_numerically(client, build_proposals):
    project = build_proposals(0)
    for version in ["v1.9", "v1.10"]:
        ReleaseFactory(project=project, version=version)
    assert "Kubernetes v1.29" in _html(client, "/releases/1.29/")
    text = _text(_html(client, "/releases/"))
    assert text.index("v1.29") < text.index("v1.28") < text.index("v1.10") < text.index("v1.9")
    assert client.get("/releases/v9.99/").status_code == 404
    assert client.get("/releases/TBD/").status_code == 404


def test_a_version_shared_by_two_projects_asks_which(client, demo_data):
    ReleaseFactory(version="v1.29")
    assert "Several projects use this number" in _html(client, "/releases/v1.29/")
    assert "Tracked: 6 proposals" in _text(_html(client, "/releases/v1.29/?project=kubernetes"))


def test_release_page_queries_do_not_grow(client, build_proposals):
    build_proposals(3)
    few = _queries(client, "/releases/v1.29/")
    build_proposals(6)
    assert _queries(client, "/releases/v1.29/") == few


# ---- includes for group and person pages ------------------------------------------------


def test_group_include_lists_owned_and_participating_proposals(
    demo_data, django_assert_num_queries
):
    group = Group.objects.get(slug="sig-auth")
    with django_assert_num_queries(4):
        html = render_to_string("projects/_group_proposals.html", {"group": group})
    text = _text(html)
    assert "Owned by this group" in text and "KEP-3299" in text
    assert "Owned by another group, with this group taking part" in text and "KEP-1981" in text
    assert 'href="/enhancements/?group=sig-auth&amp;status=implemented"' in html


def test_person_include_lists_what_they_author_and_approve(demo_data, django_assert_num_queries):
    person = Person.objects.get(handle="deads2k")
    with django_assert_num_queries(1):
        html = render_to_string("projects/_person_proposals.html", {"person": person})
    text = _text(html)
    approves = text.split("Approves")[1]
    assert "KEP-3221" in approves and "KEP-1981" in approves
    assert "Authored" not in text
    assert (
        render_to_string("projects/_person_proposals.html", {"person": PersonFactory()}).strip()
        == ""
    )
