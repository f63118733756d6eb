"""Writes: the editing rules refuse, the import keeps and flags, relations are replaced whole."""

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import FeatureStatus, ProposalPerson, ProposalStatus, Stage
from tests.factories import GroupFactory, PersonFactory
from tests.projects.factories import FeatureFactory, ProjectFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kubernetes():
    project = ProjectFactory(slug="kubernetes", name="Kubernetes")
    for version in ["v1.25", "v1.27", "v1.29"]:
        ReleaseFactory(project=project, version=version)
    return project


def _release(project, version):
    return project.releases.with_version(version).get()


def test_proposal_create_sets_people_in_order_and_gates(kubernetes):
    ritazh, aramase, enj, deads2k = (
        PersonFactory(handle=h) for h in ["ritazh", "aramase", "enj", "deads2k"]
    )
    proposal = services.proposal_create(
        project=kubernetes,
        number=3299,
        title="KMS v2 Improvements",
        owning_group=GroupFactory(slug="sig-auth"),
        status=ProposalStatus.IMPLEMENTABLE,
        stage=Stage.STABLE,
        latest_milestone=_release(kubernetes, "v1.29"),
        alpha_milestone=_release(kubernetes, "v1.25"),
        beta_milestone=_release(kubernetes, "v1.27"),
        stable_milestone=_release(kubernetes, "v1.29"),
        links=services.ProposalLinks(
            authors=[ritazh, aramase, ritazh],
            reviewers=[enj],
            prr_approvers={Stage.ALPHA: deads2k, Stage.BETA: deads2k},
            feature_gates={"KMSv2": ["kube-apiserver"]},
        ),
    )
    assert proposal.slug == "3299-kms-v2-improvements"
    authors = proposal.participants.filter(role=ProposalPerson.Role.AUTHOR)
    assert [link.person.handle for link in authors] == ["ritazh", "aramase"]
    prr = proposal.participants.filter(role=ProposalPerson.Role.PRR_APPROVER)
    assert sorted(prr.values_list("stage", flat=True)) == ["alpha", "beta"]
    assert proposal.feature_gates.get().components == ["kube-apiserver"]


def test_proposal_create_refuses_a_broken_rule_and_saves_nothing(kubernetes):
    with pytest.raises(ValidationError) as error:
        services.proposal_create(
            project=kubernetes,
            number=1,
            title="Done too early",
            owning_group=GroupFactory(),
            status=ProposalStatus.IMPLEMENTED,
            stage=Stage.BETA,
            latest_milestone=_release(kubernetes, "v1.29"),
            links=services.ProposalLinks(authors=[PersonFactory()]),
        )
    assert "must be at stage stable" in error.value.message_dict["stage"][0]
    assert not kubernetes.proposals.exists()


def test_proposal_update_replaces_only_the_relations_given(kubernetes):
    first, second = PersonFactory(), PersonFactory()
    proposal = services.proposal_create(
        project=kubernetes,
        number=7,
        title="T",
        owning_group=GroupFactory(),
        links=services.ProposalLinks(authors=[first]),
    )
    services.proposal_update(
        proposal=proposal, links=services.ProposalLinks(reviewers=[second]), title="New title"
    )
    proposal.refresh_from_db()
    assert proposal.title == "New title"
    assert {(p.role, p.person) for p in proposal.participants.all()} == {
        ("author", first),
        ("reviewer", second),
    }


def _import(project, **fields):
    values = {
        "source_path": "keps/sig-auth/3299-kms-v2-improvements/kep.yaml",
        "title": "KMS v2 Improvements",
        "number": 3299,
        "slug": "3299-kms-v2-improvements",
        "owning_group": GroupFactory(),
        **fields,
    }
    proposal, _ = services.proposal_import(project=project, **values)
    return proposal


def test_import_keeps_a_proposal_that_breaks_rules_and_flags_each(kubernetes):
    proposal = _import(
        kubernetes,
        status=ProposalStatus.IMPLEMENTED,
        stage=Stage.BETA,
        problems=["status 'imlpemented' read as implemented"],
    )
    assert proposal.flags == [
        "status 'imlpemented' read as implemented",
        "An implemented proposal must be at stage stable (it has stage beta).",
        "An implemented proposal needs a latest milestone.",
    ]
    assert proposal.is_flagged


def test_import_of_the_same_file_updates_the_proposal(kubernetes):
    first = _import(kubernetes, problems=["x"])
    again = _import(kubernetes, title="KMS v2")
    assert again.pk == first.pk
    assert (again.title, again.flags) == ("KMS v2", [])


def test_import_keeps_a_duplicate_number_without_it_and_says_where(kubernetes):
    _import(
        kubernetes,
        source_path="keps/sig-node/2133-kubelet-credential-providers/kep.yaml",
        number=2133,
        slug="2133-kubelet-credential-providers",
    )
    second = _import(
        kubernetes,
        source_path="keps/sig-cloud-provider/2133-out-of-tree-credential-provider/kep.yaml",
        number=2133,
        slug="2133-out-of-tree-credential-provider",
    )
    assert second.number is None
    assert second.flags == [
        "Number 2133 is also used by keps/sig-node/2133-kubelet-credential-providers/kep.yaml; "
        "kept without a number."
    ]
    assert second.get_absolute_url() == "/enhancements/2133-out-of-tree-credential-provider/"


def test_import_refuses_values_the_database_cannot_hold(kubernetes):
    with pytest.raises(ValidationError) as error:
        _import(
            kubernetes,
            tracking_issue_url="not a url",
            links=services.ProposalLinks(authors=[PersonFactory()]),
        )
    assert "tracking_issue_url" in error.value.message_dict
    assert not kubernetes.proposals.exists()


def test_clearing_flags_requires_the_rules_to_hold(kubernetes):
    proposal = _import(kubernetes, status=ProposalStatus.IMPLEMENTED, stage=Stage.BETA)
    with pytest.raises(ValidationError) as error:
        services.proposal_clear_flags(proposal=proposal)
    assert "still breaks a rule" in error.value.messages[0]
    assert proposal.flags  # unchanged in memory too
    proposal.stage, proposal.latest_milestone = Stage.STABLE, _release(kubernetes, "v1.29")
    services.proposal_clear_flags(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.flags == []


def test_feature_status_set_replaces_the_cell(kubernetes):
    feature = FeatureFactory(name="Azure Disk")
    release = _release(kubernetes, "v1.25")
    services.feature_status_set(feature=feature, release=release, supported=False)
    services.feature_status_set(
        feature=feature,
        release=release,
        supported=True,
        pull_requests=["https://github.com/kubernetes/kubernetes/pull/29836"],
    )
    status = FeatureStatus.objects.get()
    assert status.supported and len(status.pull_requests) == 1


def test_a_feature_not_supported_has_no_delivering_prs(kubernetes):
    with pytest.raises(ValidationError) as error:
        services.feature_status_set(
            feature=FeatureFactory(),
            release=_release(kubernetes, "v1.25"),
            supported=False,
            pull_requests=["https://github.com/kubernetes/kubernetes/pull/1"],
        )
    assert error.value.message_dict["pull_requests"] == [
        "A feature not supported in a release has no delivering PRs."
    ]


def test_a_misspelt_field_is_refused_and_nothing_changes():
    project = ProjectFactory(slug="kubelet", name="Kubelet")
    with pytest.raises(TypeError, match="nmae"):
        services.project_update(project=project, nmae="Renamed")
    project.refresh_from_db()
    assert project.name == "Kubelet"
    services.project_update(project=project, name="Renamed")
    project.refresh_from_db()
    assert project.name == "Renamed"
