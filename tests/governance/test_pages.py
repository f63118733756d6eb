"""The public governance pages: what a reader sees, and a query count that does not grow."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance import services
from governance.models import CommitteePurpose, GroupKind, RoleKind
from tests.factories import GroupFactory, PersonFactory, RoleFactory
from tests.governance.factories import ChannelFactory, SubprojectFactory, populate

pytestmark = pytest.mark.django_db


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


# Pages and the queries they may make, however many rows there are.
LIST_PAGES = [
    (reverse("governance:group-list"), 3),
    (reverse("governance:person-list"), 6),
    (reverse("governance:governance"), 4),
    (reverse("home"), 3),  # groups by kind, people, next meetings
    (reverse("home") + "?q=sig", 9),  # one per kind of result (config.search.KINDS)
]


@pytest.mark.parametrize(("url", "queries"), LIST_PAGES)
def test_list_pages_make_the_same_queries_for_n_and_3n_rows(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, today, url, queries
):
    # Committed, as in production: cached reads (the home page's next meetings) see the change.
    with django_capture_on_commit_callbacks(execute=True):
        populate(1, today)
    with django_assert_num_queries(queries):
        page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        populate(2, today)
    with django_assert_num_queries(queries):
        page(client, url)


def test_the_home_page_computes_its_next_meetings_once_per_change(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, today
):
    with django_capture_on_commit_callbacks(execute=True):
        populate(2, today)
    first = page(client, reverse("home"))
    with django_assert_num_queries(2):  # groups by kind, people: the meetings come from the cache
        assert page(client, reverse("home")) == first


def test_group_page_makes_the_same_queries_however_big_the_group(
    client, django_assert_num_queries, today, settings
):
    settings.AGORA_GROUP_PAGE_SECTIONS = []  # other apps pin their own sections' queries
    group = GroupFactory(kind=GroupKind.WORKING_GROUP)

    def grow(rows):
        for _ in range(rows):
            RoleFactory(group=group, kind=RoleKind.CHAIR, start=today.replace(year=2020))
            RoleFactory(
                group=group,
                kind=RoleKind.CHAIR,
                start=today.replace(year=2018),
                end=today.replace(year=2020),
            )
            ChannelFactory(group=group)
            SubprojectFactory(group=group, leads=[PersonFactory(), PersonFactory()])
            group.stakeholder_groups.add(GroupFactory())

    # One of them reads who changed the group last ("changed by").
    grow(2)
    with django_assert_num_queries(9):
        page(client, group.get_absolute_url())
    grow(4)
    with django_assert_num_queries(9):
        page(client, group.get_absolute_url())


def test_person_page_makes_the_same_queries_however_many_roles(
    client, django_assert_num_queries, today, settings
):
    settings.AGORA_PERSON_PAGE_SECTIONS = []  # other apps pin their own sections' queries
    person = PersonFactory()

    def grow(rows):
        for _ in range(rows):
            RoleFactory(person=person, kind=RoleKind.CHAIR)
            RoleFactory(
                person=person,
                kind=RoleKind.CHAIR,
                start=today.replace(year=2018),
                end=today.replace(year=2020),
            )
            SubprojectFactory(leads=[person])

    grow(2)
    with django_assert_num_queries(4):
        page(client, person.get_absolute_url())
    grow(4)
    with django_assert_num_queries(4):
        page(client, person.get_absolute_url())


def test_group_list_shows_each_kind_with_leads_contacts_and_status(client, community):
    html = page(client, "/groups/")
    for heading in ["Special interest groups", "Working groups", "Committees", "User groups"]:
        assert f">{heading}</h2>" in html
    assert '<a href="/groups/sig-network/">Network</a>' in html
    assert '<a href="/people/thockin/">Tim Hockin</a>' in html
    assert 'href="https://kubernetes.slack.com/messages/sig-network">#sig-network</a>' in html
    assert 'href="https://groups.google.com/g/kubernetes-sig-network">Mailing list</a>' in html
    assert 'class="badge warn">Archived</span>' in html
    assert 'class="badge info">Forming</span>' in html
    # A committee lists its members; a user group its leads.
    assert '<th scope="col">Members</th>' in html
    assert '<th scope="col">Leads</th>' in html


def test_group_list_leaves_out_past_leads(client, community):
    html = page(client, "/groups/")
    assert "Daniel Smith" not in html  # lavalamp chaired API Machinery until two years ago


def test_group_page_shows_mission_leads_emeritus_and_subprojects(client, community):
    html = page(client, "/groups/sig-api-machinery/")
    assert "<h1>API Machinery</h1>" in html
    assert "Covers all aspects of API server" in html
    assert 'href="/people/deads2k/">David Eads</a> <span class="muted">(Red Hat)</span>' in html
    assert "Steering liaison" in html and "Sascha Grunert" in html
    assert "Emeritus leads (1)" in html
    emeritus = '<span class="muted">chair, technical lead, 2017\N{EN DASH}2023</span>'
    assert f"Daniel Smith</a> {emeritus}" in html
    # Joe Betz chaired once and leads again: not emeritus.
    assert html.count("Joe Betz") == 2  # tech lead, and lead of the server-crd subproject
    assert ">kubernetes/kubernetes staging/src/k8s.io/component-base</a>" in html
    assert "Shared building blocks" in html


def test_group_page_shows_public_channels_only(client, community):
    html = page(client, "/groups/sig-node/")
    assert "sig-node-pr-reviews" in html
    assert "sig-node-embargoed-fixes" not in html
    assert "#kubelet" in html  # the subproject's Slack channel


def test_group_page_links_stakeholders_both_ways(client, community):
    assert 'href="/groups/sig-node/">Node</a>' in page(client, "/groups/wg-batch/")
    html = page(client, "/groups/sig-node/")
    assert "Stakeholder of" in html and 'href="/groups/wg-batch/">Batch</a>' in html


def test_committee_page_shows_its_charter(client, community):
    html = page(client, "/groups/committee-steering/")
    assert "Committee charter" in html
    assert "<dt>Seats</dt><dd>7</dd>" in html
    assert "At most 2 seats per employer" in html
    assert "committee-steering-private@kubernetes.io" not in html


def test_archived_group_says_why(client, community):
    html = page(client, "/groups/sig-service-catalog/")
    assert "The Open Service Broker API moved out of the project." in html


def test_unknown_group_is_404(client, db):
    page(client, "/groups/sig-nothing/", status=404)


def test_group_page_includes_the_sections_other_apps_add(client, community, settings, tmp_path):
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "meetings.html").write_text(
        '<section id="meetings"><h2>Meetings of {{ detail.group.name }}</h2></section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.AGORA_GROUP_PAGE_SECTIONS = ["extra/meetings.html"]
    assert "<h2>Meetings of Node</h2>" in page(client, "/groups/sig-node/")


def test_people_directory_filters_by_group_and_affiliation(client, community):
    html = page(client, "/people/?group=sig-network&affiliation=Google")
    assert "Tim Hockin" in html and "Antonio Ojea" in html
    assert "Dan Winship" not in html  # Red Hat
    assert "David Eads" not in html  # not in SIG Network
    assert '<option value="sig-network" selected>Network</option>' in html
    assert "2 people match." in html


def test_people_directory_searches_by_name(client, community):
    html = page(client, "/people/?q=hockin")
    assert "Tim Hockin" in html and "1 person matches." in html


def test_people_directory_reports_an_unknown_group(client, community):
    html = page(client, "/people/?group=sig-nothing")
    assert "Select a valid choice." in html
    assert "25 people." in html


def test_people_directory_pages_keep_the_filters(client, db):
    for n in range(55):
        PersonFactory(handle=f"p{n:02}", affiliation="Acme")
    html = page(client, "/people/?affiliation=Acme")
    assert "Page 1 of 2" in html
    assert 'href="?affiliation=Acme&amp;page=2"' in html
    assert "p54" in page(client, "/people/?affiliation=Acme&page=2")


def test_person_page_shows_current_and_past_roles(client, community):
    html = page(client, "/people/derekwaynecarr/")
    assert "<h1>Derek Carr" in html
    assert "No current roles." in html
    assert "Past roles" in html and "emeritus" in html
    html = page(client, "/people/sttts/")
    assert 'href="/groups/ug-berlin/">Users in Berlin</a>' in html
    assert "Subprojects led" in html and "component-base" in html
    assert "Europe/Berlin" in html


def test_person_page_shows_the_public_email_only(client, community):
    html = page(client, "/people/thockin/")
    assert "thockin@example.org" in html
    assert "private-mail.example" not in html


def test_person_handle_is_case_insensitive_and_redirects_to_the_canonical_one(client, community):
    response = client.get("/people/BENTHEELDER/")
    assert response.status_code == 301
    assert response["Location"] == "/people/BenTheElder/"
    page(client, "/people/BenTheElder/")


def test_unknown_person_is_404(client, db):
    page(client, "/people/nobody/", status=404)


def test_governance_page_shows_committees_and_where_to_report(client, community):
    html = page(client, "/governance/")
    assert "Steering committee" in html
    assert "<dt>Seats</dt><dd>7" in html and "24 months" in html
    assert "At most 2 seats held by people of one employer" in html
    assert 'href="mailto:conduct@kubernetes.io"' in html
    assert "read by the committee's members: Sean McGinnis, Divya Mohan." in html
    assert 'href="mailto:security@kubernetes.io"' in html
    assert "private-mail.example" not in html
    assert "-private@kubernetes.io" not in html


def test_governance_page_shows_term_ends_and_elections_due(client, today, settings):
    settings.AGORA_ELECTION_DUE_WEEKS = 4
    group = GroupFactory(kind=GroupKind.COMMITTEE, name="Steering", slug="committee-steering")
    services.committee_set(group=group, purpose=CommitteePurpose.STEERING, seats=3)
    soon = RoleFactory(group=group, kind=RoleKind.MEMBER, end=today + datetime.timedelta(days=20))
    RoleFactory(group=group, kind=RoleKind.MEMBER, end=today + datetime.timedelta(days=60))
    RoleFactory(group=group, kind=RoleKind.MEMBER)
    html = page(client, "/governance/")
    ends = (today + datetime.timedelta(days=20)).strftime("%-d %B %Y")
    assert "Steering</a>: election due, 1 term ending from <time datetime=" in html
    assert f">{ends}</time> (@{soon.person.handle})" in html
    assert html.count("no end recorded") == 1
    assert "Term ends" in html
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    assert f"(@{soon.person.handle})" in page(client, reverse("admin:index"))
    settings.AGORA_ELECTION_DUE_WEEKS = 1
    assert "No term ends in the next 1 weeks." in page(client, "/governance/")


def test_governance_page_without_committees_says_so(client, db):
    html = page(client, "/governance/")
    assert html.count("Not recorded yet.") == 3
    assert html.count("No reporting address is published yet.") == 2


def test_governance_page_lists_other_committees(client, today):
    group = GroupFactory(kind=GroupKind.COMMITTEE, name="Elections", slug="committee-elections")
    services.committee_set(group=group, purpose=CommitteePurpose.OTHER, seats=3)
    html = page(client, "/governance/")
    assert '<h2 id="committee-elections">Elections</h2>' in html


def test_home_counts_the_community(client, community):
    html = page(client, "/")
    assert "<strong>3</strong> special interest groups" in html  # the archived one is left out
    assert "<strong>1</strong> user group<" in html
    assert "<strong>25</strong> people" in html


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("machinery", "API Machinery"),  # name
        ("wg-batch", "Batch"),  # slug
        ("device-management", "Device Management"),  # label
        ("accelerators", "Device Management"),  # mission
        ("THOCKIN", "Tim Hockin"),  # handle
        ("Wielgus", "Marcin Wielgus"),  # name
        ("DaoCloud", "Paco Xu"),  # affiliation
    ],
)
def test_search_finds_groups_and_people(client, community, query, found):
    html = page(client, f"/?q={query}")
    assert f"Search results for “{query}”" in html
    assert f">{found}</a>" in html


def test_search_never_matches_private_emails(client, community):
    html = page(client, "/?q=private-mail")
    assert "0 results found." in html


def test_search_needs_two_letters(client, community):
    assert "Type at least two letters" in page(client, "/?q=a")
