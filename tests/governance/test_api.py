"""The governance REST API: anonymous reads, staff writes through the services, privacy."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from governance import services
from governance.models import Channel, Person, Role, RoleKind, Subproject
from tests.governance.factories import populate

pytestmark = pytest.mark.django_db


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- reading -------------------------------------------------------------------------------


def test_anyone_reads_people_without_private_fields(api_client, community):
    people = results(api_client.get("/api/v1/people/"))
    assert len(people) == 25
    deads = next(person for person in people if person["handle"] == "deads2k")
    assert deads == {
        "handle": "deads2k",
        "name": "David Eads",
        "pronouns": "",
        "affiliation": "Red Hat",
        "time_zone": "America/New_York",
        "public_email": "",
        "links": [],
        "html_url": "http://testserver/people/deads2k/",
    }


def test_staff_see_private_emails(staff_api, community):
    person = staff_api.get("/api/v1/people/deads2k/").json()
    assert person["private_email"] == "deads2k@private-mail.example"


def test_a_person_is_found_by_handle_in_any_case(api_client, community):
    response = api_client.get("/api/v1/people/BENTHEELDER/")
    assert response.status_code == 200
    assert response.json()["handle"] == "BenTheElder"


def test_unknown_person_is_404(api_client, db):
    assert api_client.get("/api/v1/people/nobody/").status_code == 404


def test_a_group_nests_its_current_leads_and_public_channels(api_client, community):
    group = api_client.get("/api/v1/groups/sig-node/").json()
    assert group["kind"] == "sig"
    assert {(lead["handle"], lead["kind"]) for lead in group["current_leads"]} == {
        ("mrunalp", "chair"),
        ("SergeyKanzhelev", "chair"),
        ("dchen1107", "tech_lead"),
    }
    assert {channel["name"] for channel in group["channels"]} == {
        "sig-node",
        "kubernetes-sig-node@googlegroups.com",
        "sig-node-pr-reviews",
    }
    assert group["html_url"] == "http://testserver/groups/sig-node/"


def test_staff_see_private_channels_of_a_group(staff_api, community):
    group = staff_api.get("/api/v1/groups/sig-node/").json()
    private = [channel["name"] for channel in group["channels"] if channel["is_private"]]
    assert private == ["sig-node-embargoed-fixes"]


def test_private_channels_are_not_listed_or_found_anonymously(api_client, staff_api, community):
    names = {
        channel["name"] for channel in results(api_client.get("/api/v1/channels/?page_size=200"))
    }
    assert "sig-node-embargoed-fixes" not in names
    assert "committee-steering-private@kubernetes.io" not in names
    hidden = Channel.objects.get(name="sig-node-embargoed-fixes")
    assert api_client.get(f"/api/v1/channels/{hidden.pk}/").status_code == 404
    assert staff_api.get(f"/api/v1/channels/{hidden.pk}/").json()["is_private"] is True


def test_committees_are_found_by_group_slug_with_their_members(api_client, community):
    steering = api_client.get("/api/v1/committees/committee-steering/").json()
    assert steering["purpose"] == "steering"
    assert steering["seats"] == 7
    assert steering["max_seats_per_affiliation"] == 2
    assert len(steering["members"]) == 7


def test_subprojects_list_owners_files_and_leads(api_client, community):
    [subproject] = results(
        api_client.get("/api/v1/subprojects/?group=sig-api-machinery&page_size=1")
    )
    assert subproject["name"] == "component-base"
    assert subproject["leads"] == ["sttts"]
    assert subproject["owners_files"][0].startswith("https://raw.githubusercontent.com/")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/api/v1/people/?affiliation=red%20hat",
            {"danwinship", "deads2k", "derekwaynecarr", "mrunalp", "saschagrunert"},
        ),
        ("/api/v1/people/?group=sig-network", {"thockin", "aojea", "danwinship"}),
        ("/api/v1/people/?group=sig-network&affiliation=Google", {"thockin", "aojea"}),
        ("/api/v1/people/?q=kanzh", {"SergeyKanzhelev"}),
        (
            "/api/v1/groups/?kind=committee",
            {"committee-steering", "committee-code-of-conduct", "committee-security-response"},
        ),
        ("/api/v1/groups/?status=archived", {"sig-service-catalog"}),
        ("/api/v1/committees/?purpose=security_response", {"committee-security-response"}),
    ],
)
def test_filters(api_client, community, url, expected):
    rows = results(api_client.get(url))
    assert {row.get("handle") or row.get("slug") or row["group"] for row in rows} == expected


def test_roles_filter_by_group_person_kind_and_current(api_client, community):
    def roles(query):
        return {
            (r["person"], r["kind"]) for r in results(api_client.get(f"/api/v1/roles/?{query}"))
        }

    assert roles("group=sig-api-machinery&kind=chair&current=true") == {
        ("deads2k", "chair"),
        ("fedebongio", "chair"),
    }
    assert roles("group=sig-api-machinery&current=false") == {
        ("lavalamp", "chair"),
        ("lavalamp", "tech_lead"),
        ("jpbetz", "chair"),
    }
    assert roles("person=KATCOSGROVE&kind=liaison") == {("katcosgrove", "liaison")}


def test_a_role_says_whether_it_is_current_or_emeritus(api_client, community):
    [role] = results(api_client.get("/api/v1/roles/?person=lavalamp&kind=chair"))
    assert role["is_current"] is False
    assert role["is_emeritus"] is True


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/?affilation=Google",
        "/api/v1/groups/?type=sig",
        "/api/v1/roles/?current=true&gruop=sig-node",
    ],
)
def test_an_unknown_filter_is_a_400_naming_it(api_client, db, url):
    response = api_client.get(url)
    assert response.status_code == 400
    [name] = response.json()
    assert name in url
    assert response.json()[name][0].startswith("Unknown filter; allowed:")


def test_an_invalid_filter_value_is_a_400(api_client, db):
    response = api_client.get("/api/v1/groups/?kind=guild")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_lists_are_paginated(api_client, community):
    body = api_client.get("/api/v1/people/?page_size=10&page=2").json()
    assert body["count"] == 25
    assert len(body["results"]) == 10
    assert body["next"].endswith("page=3&page_size=10")


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/people/", 4),
        ("/api/v1/groups/", 5),
        ("/api/v1/roles/", 2),
        ("/api/v1/subprojects/", 4),
        ("/api/v1/channels/", 2),
        ("/api/v1/committees/", 4),
    ],
)
def test_list_endpoints_make_the_same_queries_for_n_and_3n_rows(
    api_client, django_assert_num_queries, today, url, queries
):
    populate(1, today)
    with django_assert_num_queries(queries):
        results(api_client.get(url))
    populate(2, today)
    with django_assert_num_queries(queries):
        results(api_client.get(url))


# --- writing -------------------------------------------------------------------------------


def test_anonymous_writes_are_refused(api_client, community):
    assert api_client.post("/api/v1/people/", {"handle": "newbie"}).status_code == 403
    assert api_client.patch("/api/v1/groups/sig-node/", {"name": "Nodes"}).status_code == 403
    assert not Person.objects.filter(handle="newbie").exists()


def test_writes_by_a_user_who_is_not_staff_are_refused(db):
    user = get_user_model().objects.create_user("reader")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert client.post("/api/v1/people/", {"handle": "newbie"}).status_code == 403


def test_staff_create_a_person_and_the_history_names_them(staff_api, staff_user, db):
    response = staff_api.post(
        "/api/v1/people/",
        {
            "handle": "newbie",
            "name": "New Bie",
            "time_zone": "Europe/Berlin",
            "private_email": "n@x.example",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["private_email"] == "n@x.example"
    person = Person.objects.get(handle="newbie")
    assert person.history.get().history_user == staff_user


def test_staff_update_a_person(staff_api, community):
    response = staff_api.patch("/api/v1/people/deads2k/", {"pronouns": "he/him"})
    assert response.status_code == 200
    assert Person.objects.get(handle="deads2k").pronouns == "he/him"


def test_staff_create_a_group_with_stakeholders(staff_api, community):
    response = staff_api.post(
        "/api/v1/groups/",
        {
            "slug": "wg-serving",
            "name": "Serving",
            "kind": "wg",
            "stakeholder_groups": ["sig-node", "sig-network"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(body["stakeholder_groups"]) == ["sig-network", "sig-node"]
    assert body["current_leads"] == [] and body["channels"] == []


def test_staff_give_and_end_a_role(staff_api, community, today):
    response = staff_api.post(
        "/api/v1/roles/", {"person": "JPBETZ", "group": "sig-node", "kind": "tech_lead"}
    )
    assert response.status_code == 201, response.content
    role_id = response.json()["id"]
    assert response.json()["person"] == "jpbetz"
    response = staff_api.post(f"/api/v1/roles/{role_id}/end/", {"on": "2025-06-15"})
    assert response.status_code == 200
    assert response.json()["end"] == "2025-06-15"
    assert response.json()["is_current"] is False


def test_staff_create_a_subproject_and_its_channel(staff_api, community):
    response = staff_api.post(
        "/api/v1/subprojects/",
        {
            "group": "sig-network",
            "name": "gateway-api",
            "leads": ["aojea"],
            "owners_files": [
                "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/main/OWNERS"
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    subproject_id = response.json()["id"]
    response = staff_api.post(
        "/api/v1/channels/",
        {
            "group": "sig-network",
            "subproject": subproject_id,
            "kind": "slack",
            "name": "gateway-api",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["link"] == "https://kubernetes.slack.com/messages/gateway-api"
    assert (
        staff_api.get(f"/api/v1/subprojects/{subproject_id}/").json()["channels"][0]["name"]
        == "gateway-api"
    )


def test_a_private_mailing_list_created_public_is_a_400_naming_the_field(staff_api, community):
    channel = {"group": "sig-node", "kind": "private_mailing_list", "name": "leads@example.org"}
    response = staff_api.post("/api/v1/channels/", {**channel, "is_private": False})
    assert response.status_code == 400
    assert response.json() == {"is_private": ["A private mailing list must be marked private."]}
    response = staff_api.post("/api/v1/channels/", channel, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["is_private"] is True


def test_staff_change_a_committee_charter(staff_api, community):
    response = staff_api.patch("/api/v1/committees/committee-steering/", {"term_months": 36})
    assert response.status_code == 200, response.content
    assert response.json()["term_months"] == 36


def test_groups_people_and_roles_are_not_deleted_through_the_api(staff_api, community):
    role = Role.objects.first()
    assert staff_api.delete("/api/v1/groups/sig-node/").status_code == 405
    assert staff_api.delete(f"/api/v1/people/{role.person.handle}/").status_code == 405
    assert staff_api.delete(f"/api/v1/roles/{role.pk}/").status_code == 405


def test_staff_delete_a_channel_and_a_subproject_with_204(staff_api, api_client, community):
    channel = Channel.objects.public().first()
    subproject = Subproject.objects.first()
    channel_url = f"/api/v1/channels/{channel.pk}/"
    subproject_url = f"/api/v1/subprojects/{subproject.pk}/"
    assert api_client.delete(channel_url).status_code == 403
    assert staff_api.delete("/api/v1/channels/").status_code == 405
    assert staff_api.delete(channel_url).status_code == 204
    assert staff_api.get(channel_url).status_code == 404
    assert staff_api.delete(subproject_url).status_code == 204
    assert not Subproject.objects.filter(pk=subproject.pk).exists()


# --- validation errors name the field -------------------------------------------------------


def test_a_time_zone_typo_is_a_400_suggesting_the_zone(staff_api, db):
    response = staff_api.post("/api/v1/people/", {"handle": "jane", "time_zone": "Europe/Berln"})
    assert response.status_code == 400
    assert "Did you mean Europe/Berlin" in response.json()["time_zone"][0]


def test_a_handle_taken_in_another_case_is_a_400_on_the_handle(staff_api, community):
    response = staff_api.post("/api/v1/people/", {"handle": "Thockin"})
    assert response.status_code == 400
    assert "Jane and jane are one person" in response.json()["handle"][0]


def test_a_full_committee_is_a_400_on_the_person(staff_api, community):
    response = staff_api.post(
        "/api/v1/roles/", {"person": "thockin", "group": "committee-steering", "kind": "member"}
    )
    assert response.status_code == 400
    assert response.json() == {"person": ["All 7 seats of Steering are held."]}


def test_breaking_the_affiliation_cap_is_a_400_on_the_person(staff_api, community):
    services.role_end(
        role=Role.objects.get(person__handle="soltysh", group__slug="committee-steering")
    )
    response = staff_api.post(
        "/api/v1/roles/", {"person": "thockin", "group": "committee-steering", "kind": "member"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "person": [
            "Google would hold 3 seats of Steering; at most 2 may be held by one affiliation."
        ]
    }


def test_breaking_the_cap_by_changing_employer_is_a_400_on_the_affiliation(staff_api, community):
    response = staff_api.patch("/api/v1/people/soltysh/", {"affiliation": "Google"})
    assert response.status_code == 400
    assert response.json() == {
        "affiliation": [
            "Google would hold 3 seats of Steering; at most 2 may be held by one affiliation."
        ]
    }
    assert Person.objects.get(handle="soltysh").affiliation == "Defense Unicorns"


def test_a_role_ending_before_it_starts_is_a_400(staff_api, community):
    response = staff_api.post(
        "/api/v1/roles/",
        {
            "person": "thockin",
            "group": "sig-node",
            "kind": "chair",
            "start": "2025-01-01",
            "end": "2024-01-01",
        },
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A role must end after it starts."]}


def test_a_group_needs_its_kind_and_an_archived_group_its_reason(staff_api, db):
    response = staff_api.post("/api/v1/groups/", {"slug": "sig-x", "name": "X"})
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    response = staff_api.post(
        "/api/v1/groups/", {"slug": "sig-x", "name": "X", "kind": "sig", "status": "archived"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["An archived group needs the reason it was archived."]
    }


def test_an_unknown_group_in_a_role_is_a_400_on_the_group(staff_api, community):
    response = staff_api.post(
        "/api/v1/roles/", {"person": "thockin", "group": "sig-nope", "kind": "chair"}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["group"]


def test_a_second_charter_for_a_group_is_a_400(staff_api, community):
    response = staff_api.post(
        "/api/v1/committees/", {"group": "committee-steering", "purpose": "other"}
    )
    assert response.status_code == 400
    assert response.json()["group"] == ["This group already has a committee charter."]


def test_a_failed_write_changes_nothing(staff_api, community):
    before = Role.objects.count()
    staff_api.post(
        "/api/v1/roles/",
        {"person": "thockin", "group": "committee-steering", "kind": RoleKind.MEMBER},
    )
    assert Role.objects.count() == before


# --- schema and docs -----------------------------------------------------------------------


def test_the_schema_and_docs_load_without_a_cdn(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/people/{handle}/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html
