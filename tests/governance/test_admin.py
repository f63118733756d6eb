"""The admin, where governance is edited: every page loads, rules show, history is kept."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance import services
from governance.models import Channel, Committee, Group, Person, Role, Subproject

pytestmark = pytest.mark.django_db

MODELS = [Person, Group, Role, Subproject, Channel, Committee]


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:governance_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_add_and_change_pages_load(admin, community, model):
    instance = model.objects.first()
    for url in [
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", instance.pk),
        admin_url(model, "history", instance.pk),
    ]:
        assert admin.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_search_and_filters_load(admin, community, model):
    response = admin.get(admin_url(model, "changelist"), {"q": "node"})
    assert response.status_code == 200


def test_a_role_breaking_the_affiliation_cap_shows_why_in_the_form(admin, community):
    soltysh = Role.objects.get(person__handle="soltysh", group__slug="committee-steering")
    services.role_end(role=soltysh)
    response = admin.post(
        admin_url(Role, "add"),
        {
            "person": Person.objects.get(handle="thockin").pk,
            "group": Group.objects.get(slug="committee-steering").pk,
            "kind": "member",
            "start": "",
            "end": "",
        },
    )
    assert response.status_code == 200
    assert (
        "Google would hold 3 seats of Steering; at most 2 may be held by one affiliation."
        in response.content.decode()
    )
    assert not Role.objects.filter(person__handle="thockin", group__slug="committee-steering")


def test_history_records_who_changed_what(admin, admin_user, community):
    role = Role.objects.get(person__handle="thockin", group__slug="sig-network", kind="chair")
    response = admin.post(
        admin_url(Role, "change", role.pk),
        {
            "person": role.person_id,
            "group": role.group_id,
            "kind": "chair",
            "start": role.start.isoformat(),
            "end": "2025-06-01",
        },
    )
    assert response.status_code == 302, response.content.decode()
    latest = role.history.first()
    assert latest.history_user == admin_user
    html = admin.get(admin_url(Role, "history", role.pk)).content.decode()
    assert "chief" in html
    assert "<strong>End:</strong>" in html and "2025-06-01" in html


def test_a_private_mailing_list_left_public_is_refused_with_the_reason(admin, community):
    response = admin.post(
        admin_url(Channel, "add"),
        {
            "group": Group.objects.get(slug="sig-node").pk,
            "kind": "private_mailing_list",
            "name": "leads@example.org",
            "url": "",
            "description": "",
        },
    )
    assert response.status_code == 200
    assert "A private mailing list must be marked private." in response.content.decode()
    assert not Channel.objects.filter(name="leads@example.org")


def test_a_person_and_their_link_are_added_and_removed_through_the_admin(admin, community):
    inlines = {
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    person = {"handle": "jane", "name": "Jane Doe", "time_zone": "Europe/Berlin"}
    link = {"links-0-label": "Blog", "links-0-url": "https://jane.example.org/"}
    response = admin.post(admin_url(Person, "add"), {**person, **inlines, **link})
    assert response.status_code == 302, response.content.decode()
    jane = Person.objects.get(handle="jane")
    assert [(link.label, link.url) for link in jane.links.all()] == [
        ("Blog", "https://jane.example.org/")
    ]
    response = admin.post(admin_url(Person, "delete", jane.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(handle="jane").exists()


def test_a_groups_stakeholders_are_changed_through_the_admin(admin, community):
    group = Group.objects.filter(kind="wg").first()
    sig = Group.objects.get(slug="sig-node")
    data = {
        "kind": group.kind,
        "name": group.name,
        "slug": group.slug,
        "label": group.label,
        "mission": group.mission,
        "charter_url": group.charter_url,
        "status": group.status,
        "status_since": group.status_since.isoformat() if group.status_since else "",
        "status_reason": group.status_reason,
        "stakeholder_groups": [sig.pk],
    }
    for prefix in ["committee", "roles", "channels", "subprojects"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin.post(admin_url(Group, "change", group.pk), data)
    assert response.status_code == 302, response.content.decode()
    assert list(group.stakeholder_groups.all()) == [sig]
