"""Invariants of projects, releases and proposals, and the editing rules with their messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from projects.models import (
    APIVersion,
    MaturityLevel,
    MaturityStep,
    Project,
    Proposal,
    ProposalPerson,
    ProposalStatus,
    Release,
    Stage,
    parse_release_version,
)
from tests.factories import PersonFactory
from tests.projects.factories import (
    ProjectFactory,
    ProposalFactory,
    ProposalPersonFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("v1.29", (1, 29, 0)), ("1.9", (1, 9, 0)), ("v1.29.3", (1, 29, 3)), (" v2.0 ", (2, 0, 0))],
)
def test_release_versions_parse(text, parsed):
    assert parse_release_version(text) == parsed


@pytest.mark.parametrize("text", ["0.0", "TBD", "", "v1", "1.29-beta", "None"])
def test_non_versions_do_not_parse_except_zero(text):
    # "0.0" is a well-formed version; the importer decides it means "no milestone".
    assert (parse_release_version(text) is None) == (text != "0.0")


def test_releases_sort_by_number_not_by_string():
    project = ProjectFactory()
    for version in ["v1.10", "v1.9", "1.29", "v1.3", "v1.29.1"]:
        Release.objects.create(project=project, version=version)
    versions = list(Release.objects.filter(project=project).values_list("version", flat=True))
    assert versions == ["v1.3", "v1.9", "v1.10", "v1.29", "v1.29.1"]


def test_release_version_is_written_with_a_v():
    release = Release(project=ProjectFactory(), version="1.29")
    release.full_clean()
    release.save()
    assert release.version == "v1.29"
    assert release.sort_key == (1, 29, 0)


def test_a_malformed_release_version_is_refused_with_the_expected_form():
    release = Release(project=ProjectFactory(), version="TBD")
    with pytest.raises(ValidationError) as error:
        release.full_clean()
    assert "write it as v1.29" in error.value.message_dict["version"][0]


def test_a_release_cannot_be_added_twice_even_written_differently():
    project = ProjectFactory()
    Release.objects.create(project=project, version="v1.29")
    with pytest.raises(ValidationError) as error:
        Release(project=project, version="1.29").full_clean()
    assert "already has this release" in str(error.value)


def test_release_dates_must_fall_in_cycle_order():
    release = Release(
        project=ProjectFactory(),
        version="v1.29",
        start_date=datetime.date(2023, 9, 5),
        enhancements_freeze=datetime.date(2023, 10, 6),
        code_freeze=datetime.date(2023, 10, 1),
    )
    with pytest.raises(ValidationError) as error:
        release.full_clean()
    assert error.value.message_dict["code_freeze"] == [
        "The code freeze (2023-10-01) cannot come before the enhancements freeze (2023-10-06)."
    ]


def test_release_dates_are_checked_by_the_database_too():
    with pytest.raises(IntegrityError):
        Release.objects.create(
            project=ProjectFactory(),
            version="v1.29",
            code_freeze=datetime.date(2023, 11, 1),
            release_date=datetime.date(2023, 10, 1),
        )


def test_previous_release_is_by_number():
    project = ProjectFactory()
    releases = {v: Release.objects.create(project=project, version=v) for v in ["v1.9", "v1.10"]}
    Release.objects.create(project=ProjectFactory(), version="v1.9.5")
    assert releases["v1.10"].previous() == releases["v1.9"]
    assert releases["v1.9"].previous() is None


def test_api_versions_sort_by_the_kubernetes_convention():
    project = ProjectFactory()
    for version in ["v1", "v1beta1", "v2alpha1", "v1alpha3", "v1alpha1", "v1beta2"]:
        APIVersion.objects.create(project=project, api="split.smi-spec.io", version=version)
    assert list(project.api_versions.values_list("version", flat=True)) == [
        "v1alpha1",
        "v1alpha3",
        "v1beta1",
        "v1beta2",
        "v1",
        "v2alpha1",
    ]


def test_an_api_version_not_in_the_convention_is_refused():
    version = APIVersion(project=ProjectFactory(), api="apimodel", version="vlabs")
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "write v1, v2beta1 or v1alpha3" in error.value.message_dict["version"][0]


def test_current_maturity_is_the_latest_step():
    project = ProjectFactory()
    for level, date in [
        (MaturityLevel.SANDBOX, datetime.date(2017, 3, 29)),
        (MaturityLevel.GRADUATED, datetime.date(2019, 2, 28)),
        (MaturityLevel.INCUBATING, datetime.date(2018, 1, 1)),
    ]:
        MaturityStep.objects.create(project=project, steward="CNCF", level=level, date=date)
    other = ProjectFactory()
    annotated = Project.objects.with_current_maturity().get(pk=project.pk)
    assert (annotated.current_level, annotated.current_steward) == ("graduated", "CNCF")
    assert list(Project.objects.at_level("graduated")) == [project]
    assert Project.objects.with_current_maturity().get(pk=other.pk).current_level is None


def _rules(proposal: Proposal) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        proposal.full_clean()
    return error.value.message_dict


def test_implemented_requires_stable():
    release = ReleaseFactory(version="v1.29")
    proposal = ProposalFactory.build(
        project=release.project,
        owning_group=ProposalFactory().owning_group,
        status=ProposalStatus.IMPLEMENTED,
        stage=Stage.BETA,
        latest_milestone=release,
    )
    assert _rules(proposal) == {
        "stage": ["An implemented proposal must be at stage stable (it has stage beta)."]
    }


def test_implementable_requires_a_stage_and_a_latest_milestone():
    proposal = ProposalFactory.build(
        project=ProjectFactory(),
        owning_group=ProposalFactory().owning_group,
        status=ProposalStatus.IMPLEMENTABLE,
    )
    assert _rules(proposal) == {
        "stage": ["An implementable proposal needs a stage."],
        "latest_milestone": ["An implementable proposal needs a latest milestone."],
    }


def test_a_stage_milestone_cannot_be_earlier_than_the_previous_stage():
    project = ProjectFactory()
    v125, v127, v124 = (
        ReleaseFactory(project=project, version=v) for v in ["v1.25", "v1.27", "1.24"]
    )
    proposal = ProposalFactory(project=project)
    proposal.alpha_milestone, proposal.beta_milestone, proposal.stable_milestone = v125, v127, v124
    assert _rules(proposal) == {
        "stable_milestone": [
            "The stable milestone (v1.24) cannot be earlier than the beta milestone (v1.27)."
        ]
    }
    proposal.stable_milestone = v127  # beta and stable in one release is allowed
    proposal.full_clean()


def test_milestones_must_be_releases_of_the_proposals_project():
    proposal = ProposalFactory()
    proposal.alpha_milestone = ReleaseFactory(version="v1.29")
    assert "is a release of another project" in _rules(proposal)["alpha_milestone"][0]


def test_a_proposal_needs_an_owning_group():
    proposal = ProposalFactory(owning_group=None)
    assert _rules(proposal) == {"owning_group": ["A proposal needs an owning group."]}


def test_numbers_are_unique_within_a_project_only():
    first = ProposalFactory(number=3299)
    ProposalFactory(number=3299)  # another project
    duplicate = ProposalFactory.build(
        project=first.project, number=3299, slug="other", owning_group=first.owning_group
    )
    assert _rules(duplicate) == {
        "__all__": ["This project already has a proposal with this number."]
    }


def test_number_zero_is_refused_and_no_number_is_allowed_many_times():
    project = ProjectFactory()
    ProposalFactory(project=project, number=None, slug="0000-kep-process")
    ProposalFactory(project=project, number=None, slug="0000-community-forum")
    with pytest.raises(IntegrityError):
        ProposalFactory(project=project, number=0)


def test_only_production_readiness_approvers_approve_a_stage():
    with pytest.raises(IntegrityError):
        ProposalPersonFactory(role=ProposalPerson.Role.REVIEWER, stage=Stage.BETA)


def test_a_person_has_a_part_in_a_proposal_once():
    link = ProposalPersonFactory()
    with pytest.raises(IntegrityError):
        ProposalPersonFactory(proposal=link.proposal, person=link.person)


def test_targeting_a_release_at_a_stage():
    project = ProjectFactory()
    v128, v129, v130 = (
        ReleaseFactory(project=project, version=v) for v in ["v1.28", "v1.29", "v1.30"]
    )
    beta_in_129 = ProposalFactory(project=project, alpha_milestone=v128, beta_milestone=v129)
    now_beta_latest_129 = ProposalFactory(project=project, stage=Stage.BETA, latest_milestone=v129)
    alpha_in_129 = ProposalFactory(project=project, alpha_milestone=v129, beta_milestone=v130)
    ProposalFactory(project=project, beta_milestone=v130, latest_milestone=v130)
    at_beta = set(Proposal.objects.targeting("1.29", Stage.BETA))
    assert at_beta == {beta_in_129, now_beta_latest_129}
    assert set(Proposal.objects.targeting("v1.29")) == {
        beta_in_129,
        now_beta_latest_129,
        alpha_in_129,
    }
    assert set(Proposal.objects.for_release(v129)) == at_beta | {alpha_in_129}
    assert not Proposal.objects.targeting("TBD").exists()


def test_search_reads_number_title_and_feature_gates():
    kms = ProposalFactory(number=3299, title="KMS v2 Improvements")
    kms.feature_gates.create(name="KMSv2", components=["kube-apiserver"])
    ProposalFactory(number=1981, title="Windows privileged containers")
    assert list(Proposal.objects.search("kep-3299")) == [kms]
    assert list(Proposal.objects.search("improvements")) == [kms]
    assert list(Proposal.objects.search("kmsv2")) == [kms]


def test_author_affiliation_counts_authors_only():
    led = ProposalPersonFactory(person=PersonFactory(affiliation="Microsoft")).proposal
    ProposalPersonFactory(
        person=PersonFactory(affiliation="Microsoft"), role=ProposalPerson.Role.REVIEWER
    )
    assert list(Proposal.objects.with_author_affiliation("microsoft")) == [led]
