"""What the selectors derive: emeritus leads, leaders by kind, people filters."""

import datetime

import pytest

from governance import selectors, services
from governance.models import GroupKind, RoleKind
from tests.factories import GroupFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db


def term(start: int | None, end: int | None) -> dict:
    return {
        "start": datetime.date(start, 3, 1) if start else None,
        "end": datetime.date(end, 3, 1) if end else None,
    }


def emeritus_of(group) -> dict[str, str]:
    return {
        lead.person.handle: lead.years for lead in selectors.group_detail(slug=group.slug).emeritus
    }


def test_a_lead_whose_term_ended_is_emeritus_with_the_years_served(today):
    group = GroupFactory()
    RoleFactory(
        group=group,
        person=PersonFactory(handle="old-chair"),
        kind=RoleKind.CHAIR,
        **term(2016, 2021),
    )
    RoleFactory(
        group=group,
        person=PersonFactory(handle="chair-now"),
        kind=RoleKind.CHAIR,
        **term(2021, None),
    )
    assert emeritus_of(group) == {"old-chair": "2016\N{EN DASH}2021"}


def test_every_ended_leadership_term_of_a_person_makes_one_span(today):
    group, person = GroupFactory(), PersonFactory(handle="veteran")
    RoleFactory(group=group, person=person, kind=RoleKind.TECH_LEAD, **term(2015, 2018))
    RoleFactory(group=group, person=person, kind=RoleKind.CHAIR, **term(2018, 2022))
    [lead] = selectors.group_detail(slug=group.slug).emeritus
    assert lead.years == "2015\N{EN DASH}2022"
    assert {role.kind for role in lead.roles} == {RoleKind.TECH_LEAD, RoleKind.CHAIR}


def test_someone_who_leads_the_group_now_is_not_emeritus(today):
    group, person = GroupFactory(), PersonFactory()
    RoleFactory(group=group, person=person, kind=RoleKind.CHAIR, **term(2016, 2020))
    RoleFactory(group=group, person=person, kind=RoleKind.TECH_LEAD, **term(2020, None))
    assert emeritus_of(group) == {}


def test_leading_another_group_now_does_not_hide_emeritus_status(today):
    group, person = GroupFactory(), PersonFactory(handle="mover")
    RoleFactory(group=group, person=person, kind=RoleKind.CHAIR, **term(2016, 2020))
    RoleFactory(person=person, kind=RoleKind.CHAIR, **term(2020, None))
    assert emeritus_of(group) == {"mover": "2016\N{EN DASH}2020"}


def test_past_members_and_liaisons_are_not_emeritus_leads(today):
    group = GroupFactory()
    RoleFactory(group=group, kind=RoleKind.MEMBER, **term(2016, 2020))
    RoleFactory(group=group, kind=RoleKind.LIAISON, **term(2016, 2020))
    assert emeritus_of(group) == {}


def test_a_term_ending_later_is_not_emeritus_yet(today):
    group = GroupFactory()
    RoleFactory(
        group=group,
        kind=RoleKind.CHAIR,
        start=datetime.date(2020, 1, 1),
        end=today + datetime.timedelta(days=1),
    )
    assert emeritus_of(group) == {}


def test_emeritus_years_when_the_start_is_unknown_or_the_same_year(today):
    group = GroupFactory()
    RoleFactory(group=group, person=PersonFactory(handle="unknown-start"), **term(None, 2019))
    RoleFactory(
        group=group,
        person=PersonFactory(handle="brief"),
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2019, 9, 1),
    )
    assert emeritus_of(group) == {"unknown-start": "until 2019", "brief": "2019"}


def test_emeritus_leads_are_listed_most_recent_first(today):
    group = GroupFactory()
    RoleFactory(group=group, person=PersonFactory(handle="earlier"), **term(2010, 2015))
    RoleFactory(group=group, person=PersonFactory(handle="later"), **term(2012, 2020))
    assert list(emeritus_of(group)) == ["later", "earlier"]


def test_group_detail_of_an_unknown_slug_is_none():
    assert selectors.group_detail(slug="sig-nothing") is None


def test_committee_members_are_their_seat_holders_sorted_chairs_first(today):
    committee = GroupFactory(kind=GroupKind.COMMITTEE, name="Conduct")
    services.committee_set(
        group=committee, purpose="code_of_conduct", reporting_email="c@example.org"
    )
    RoleFactory(group=committee, person=PersonFactory(handle="zed"), kind=RoleKind.CHAIR)
    RoleFactory(group=committee, person=PersonFactory(handle="amy"), kind=RoleKind.MEMBER)
    RoleFactory(group=committee, person=PersonFactory(handle="liaison"), kind=RoleKind.LIAISON)
    RoleFactory(
        group=committee,
        person=PersonFactory(handle="gone"),
        kind=RoleKind.MEMBER,
        **term(2019, 2021),
    )
    conduct = selectors.governance_overview()["code_of_conduct"]
    assert [role.person.handle for role in conduct.members] == ["zed", "amy"]
    assert [person.handle for person in conduct.liaisons] == ["liaison"]


def test_filter_people_by_current_group_affiliation_and_text(today):
    node = GroupFactory(slug="sig-node")
    jane = PersonFactory(handle="jane", name="Jane Doe", affiliation="Red Hat")
    PersonFactory(handle="john", affiliation="Red Hat")
    former = PersonFactory(handle="former", affiliation="Red Hat")
    RoleFactory(group=node, person=jane)
    RoleFactory(group=node, person=former, **term(2019, 2021))

    def handles(**filters):
        page = selectors.person_list(**filters)
        return [person.handle for person in page.object_list]

    assert handles(group="sig-node") == ["jane"]
    assert handles(affiliation="red hat") == ["former", "jane", "john"]
    assert handles(q="doe") == ["jane"]
    assert handles(group="sig-node", affiliation="Google") == []
