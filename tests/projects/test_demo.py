"""The demo: the seed's project list, releases, feature table and KEPs, loaded once however
often it runs, and alongside governance's own demo people and groups."""

import pytest

from governance.models import Group, Person
from projects import demo
from projects.models import (
    Evaluation,
    Feature,
    FeatureStatus,
    FutureWork,
    Project,
    Proposal,
    Release,
)
from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Project, Release, Feature, FeatureStatus, Proposal, Person)]


def test_demo_loads_once(db):
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first
    # 17 projects on the list and 39 the landscape notes name (virtual-kubelet is both).
    assert first[:5] == [56, 13, 7, 21, 9]
    assert Project.objects.filter(area__isnull=False).count() == 17
    istio = Project.objects.get(slug="istio")
    assert istio.relations_in.get().earlier.slug == "open-service-mesh"
    assert istio.tie_ins.get().status == "preview"
    assert (Evaluation.objects.count(), FutureWork.objects.count()) == (33, 5)


def test_demo_reuses_people_and_groups_that_exist(db):
    rita = PersonFactory(handle="RitaZh", name="", affiliation="")
    auth = GroupFactory(slug="sig-auth", name="SIG Auth (from sigs.yaml)")
    demo.load()
    rita.refresh_from_db()
    assert (rita.name, rita.affiliation) == ("Rita Zhang", "Microsoft")
    assert Proposal.objects.get(number=3299).owning_group == auth
    assert Group.objects.get(slug="sig-auth").name == "SIG Auth (from sigs.yaml)"
    assert Person.objects.filter(handle__iexact="ritazh").count() == 1


def test_demo_keeps_what_governance_already_says_about_a_person(db):
    PersonFactory(handle="deads2k", name="David", affiliation="Example Corp")
    demo.load()
    assert Person.objects.get(handle="deads2k").affiliation == "Example Corp"
