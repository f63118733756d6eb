"""Who may write what: every API write, every admin write and every form of the site, tried
by every kind of user.

The writes are discovered, not listed: the API's from the URL resolver (every route of a
viewset with a POST, PUT, PATCH or DELETE action it answers), the admin's from each app's
ModelAdmin (its actions, Django's delete_selected included, its change and delete forms and
its editable lists), the site's from the templates that post a form. A new one fails
`test_every_write_has_a_request` until it is given a request here; from then on everyone tries
it. A write someone may make must answer 2xx or 3xx and change the database; any other must be
refused (401 or 403, or the sign-in redirect of the admin and the site for those not signed
in) and change nothing.

The community is built once per module; each attempt runs in its own savepoint.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.urls import get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.elections import services as election_services
from governance.elections.models import Candidate, Election, ExceptionRequest
from governance.models import (
    Channel,
    Committee,
    Group,
    GroupKind,
    Person,
    Role,
    RoleKind,
    Subproject,
)
from meetings import services as meeting_services
from meetings.importers.apply import meeting_import
from meetings.importers.sigs_yaml import read_meeting
from meetings.models import Meeting, Occurrence, Schedule
from notifications.models import Subscription
from notifications.tokens import subscription_token
from projects import services as project_services
from projects.models import (
    Evaluation,
    EvaluationRequest,
    Feature,
    FutureWork,
    LandscapeCategory,
    Project,
    ProjectArea,
    Proposal,
    Release,
)
from tests.admin_forms import changelist_data, form_data
from tests.factories import GroupFactory, PersonFactory, RoleFactory, staff_with_permissions
from tests.meetings.factories import MeetingFactory, ScheduleFactory
from tests.notifications.factories import SubscriptionFactory
from tests.privacy import Route, lookup_kwargs, routes
from tests.projects.factories import (
    FeatureFactory,
    ProjectAreaFactory,
    ProjectFactory,
    ProposalFactory,
    ReleaseFactory,
)

APPS = ("governance", "meetings", "projects", "notifications")
USERS = [
    "anonymous",
    "stranger",  # signed in, no role, not staff
    "other_lead",  # chairs another group
    "lead",  # chairs the group whose records are written
    "liaison_emeritus",  # its liaison now, its chair once
    "liaison",  # its liaison
    "emeritus",  # its chair once
    "committee_member",  # holds a member seat of the Steering committee
    "organiser",  # named an organiser of the group's weekly meeting
    "group_organiser",  # a member of another group, named an organiser of the weekly meeting
    "staff_bare",  # staff without any model permission
    "staff_view",  # staff who may view every model, change none
    "staff_permitted",  # staff holding every model permission of the apps
    "superuser",
]
STAFF_WRITERS = frozenset({"staff_permitted", "superuser"})
# Subscribing, and what the holder of a subscription's mailed link does with it.
EVERYONE = frozenset(USERS)
LEAD_WRITERS = STAFF_WRITERS | {"lead"}
# Writes within the weekly meeting: its organisers make them too.
MEETING_WRITERS = LEAD_WRITERS | {"organiser", "group_organiser"}
COMMITTEE_WRITERS = STAFF_WRITERS | {"committee_member"}
# API records that their group's leads write (governance.permissions), by router basename.
LEADS_WRITE = {"meeting", "schedule", "occurrence"}
# API writes that stay within one meeting, which its organisers make too, by route name.
WITHIN_MEETING = {
    "api:meeting-detail": ("put", "patch"),
    "api:schedule-list": ("post",),
    "api:schedule-detail": ("put", "patch", "delete"),
    "api:occurrence-list": ("post",),
    "api:occurrence-detail": ("put", "patch"),
    "api:occurrence-agenda": ("put",),
}
WRITE_METHODS = ("post", "put", "patch", "delete")
# A Monday of the meeting's weekly schedule with a record and an agenda, and the next one.
RECORDED = datetime.date(2026, 1, 12)
NEXT_MONDAY = datetime.date(2026, 1, 19)
# Tables a request writes whoever makes it.
UNWATCHED_TABLES = {"django_session"}


@dataclass
class Community:
    """The records the writes aim at, the users who try them, and the database as built."""

    objects: dict[str, object]
    clients: dict[str, APIClient]
    state: dict[str, list[str]] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def database_state() -> dict[str, list[str]]:
    """Every row of every table but the sessions'."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            if table in UNWATCHED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            state[table] = sorted(map(repr, cursor.fetchall()))
    return state


def changed_tables(before: dict[str, list[str]]) -> list[str]:
    after = database_state()
    return [table for table in after if after[table] != before.get(table)]


def _user(username: str, **fields):
    return get_user_model().objects.create_user(username, password="pw", **fields)


def _build() -> Community:
    group = GroupFactory(slug="sig-a", name="SIG A", leads_add_members=True)
    other = GroupFactory(slug="sig-b", name="SIG B")
    users = {
        "stranger": _user("stranger"),
        "other_lead": _user("other-lead"),
        "lead": _user("lead"),
        "liaison_emeritus": _user("liaison-emeritus"),
        "liaison": _user("liaison"),
        "emeritus": _user("emeritus"),
        "committee_member": _user("committee-member"),
        "organiser": _user("organiser"),
        "group_organiser": _user("group-organiser"),
        "staff_bare": _user("staff-bare", is_staff=True),
        "staff_view": _user("staff-view", is_staff=True),
        "staff_permitted": staff_with_permissions("staff-permitted", apps=APPS),
        "superuser": get_user_model().objects.create_superuser("root", "root@example.org", "pw"),
    }
    users["staff_view"].user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=APPS, codename__startswith="view_")
    )
    RoleFactory(person=PersonFactory(handle="lead", user=users["lead"]), group=group)
    RoleFactory(person=PersonFactory(handle="other-lead", user=users["other_lead"]), group=other)
    liaison_emeritus = PersonFactory(handle="liaison-emeritus", user=users["liaison_emeritus"])
    liaison = PersonFactory(handle="liaison", user=users["liaison"])
    emeritus = PersonFactory(handle="emeritus", user=users["emeritus"])
    for person in (liaison_emeritus, liaison):
        RoleFactory(person=person, group=group, kind=RoleKind.LIAISON)
    for person in (liaison_emeritus, emeritus):
        RoleFactory(
            person=person,
            group=group,
            kind=RoleKind.CHAIR,
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2022, 1, 1),
        )
    member = PersonFactory(handle="member")
    committee_group = GroupFactory(slug="steering", name="Steering", kind=GroupKind.COMMITTEE)
    RoleFactory(
        person=PersonFactory(handle="committee-member", user=users["committee_member"]),
        group=committee_group,
        kind=RoleKind.MEMBER,
    )
    # The committee's liaison to SIG A holds no seat: it writes nothing of the committee's.
    RoleFactory(person=liaison, group=committee_group, kind=RoleKind.LIAISON)
    committee_meeting = MeetingFactory(
        group=committee_group, slug="community-forum", title="Community forum"
    )
    committee_schedule = ScheduleFactory(
        meeting=committee_meeting, first_date=datetime.date(2026, 1, 5)
    )
    meeting = MeetingFactory(group=group, slug="sig-a-weekly", title="SIG A weekly")
    meeting.organisers.set([PersonFactory(handle="organiser", user=users["organiser"])])
    helpers = GroupFactory(slug="sig-helpers", name="SIG Helpers")
    RoleFactory(
        person=PersonFactory(handle="group-organiser", user=users["group_organiser"]),
        group=helpers,
        kind=RoleKind.MEMBER,
    )
    meeting.organising_groups.set([helpers])
    schedule = ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 1, 5))
    meeting_services.agenda_save(
        schedule=schedule,
        original_date=RECORDED,
        items=[{"title": "Triage"}],
        minutes="",
        recording_url="",
        expected_version=meeting_services.UNSAVED_VERSION,
    )
    reading = read_meeting(
        {
            "description": "Biweekly Thursday PT (Pacific Time)",
            "frequency": "biweekly",
            "day": "Thursday",
            "time": "09:00",
            "tz": "PT (Pacific Time)",
        },
        on=datetime.date(2026, 1, 5),
    )
    _, (unconfirmed,), _ = meeting_import(
        group=group,
        subproject=None,
        slug="sig-a-triage",
        reading=reading,
        on=datetime.date(2026, 1, 5),
    )
    area = ProjectAreaFactory(slug="runtime", name="Runtime")
    project = ProjectFactory(slug="kubelet", name="Kubelet", area=area)
    release = ReleaseFactory(project=project, version="v1.30")
    now = timezone.now()
    days = datetime.timedelta(days=1)

    def election(slug: str, first_day: int):
        """An election of the steering committee whose timeline starts `first_day` days
        from now: nominations 10 days, voting 5 days later for 10 days."""
        start = now + first_day * days
        return election_services.election_create(
            group=committee_group,
            slug=slug,
            title=slug,
            seats=1,
            term_months=12,
            nominations_open=start,
            nominations_close=start + 10 * days,
            voting_open=start + 15 * days,
            voting_close=start + 25 * days,
        )

    nominating = election("nominating", -1)
    voting = election("voting", -20)
    closed = election("closed", -30)
    # Not `member`: a candidate's person is kept (PROTECT), and the admin deletes `member`.
    candidate = PersonFactory(handle="candidate")
    for open_election in (voting, closed):
        Candidate.objects.create(election=open_election, person=candidate)
    asking = ExceptionRequest.objects.create(
        election=nominating, person=PersonFactory(handle="asker"), reason="I triage."
    )
    objects = {
        "group": group,
        "other": other,
        "spare_group": GroupFactory(slug="sig-spare", name="SIG Spare"),
        "person": member,
        "role": RoleFactory(person=member, group=group, kind=RoleKind.MEMBER),
        "subproject": Subproject.objects.create(group=group, name="kubelet"),
        "channel": Channel.objects.create(
            group=group, kind="slack", name="#sig-a", url="https://slack.example/sig-a"
        ),
        "committee_group": committee_group,
        "committee_meeting": committee_meeting,
        "committee_schedule": committee_schedule,
        "committee": Committee.objects.create(group=committee_group, purpose="steering"),
        "uncharted_committee": GroupFactory(
            slug="code-of-conduct", name="Code of Conduct", kind=GroupKind.COMMITTEE
        ),
        "meeting": meeting,
        "schedule": schedule,
        "unconfirmed": unconfirmed,
        "occurrence": Occurrence.objects.get(schedule=schedule),
        "area": area,
        "spare_area": ProjectAreaFactory(slug="spare", name="Spare"),
        "project": project,
        "spare_project": ProjectFactory(slug="spare", name="Spare", area=area),
        "release": release,
        "feature": FeatureFactory(project=project),
        "nominating": nominating,
        "voting": voting,
        "voting_candidate": voting.candidates.get(),
        "closed": closed,
        "asking": asking,
        "subscription": SubscriptionFactory(meeting=meeting),
        "waiting_subscription": SubscriptionFactory(group=group, confirmed_at=None),
        "proposal": ProposalFactory(
            project=project, number=4242, owning_group=group, flags=["No status given."]
        ),
    }
    category, _ = project_services.category_set(slug="cluster", name="Cluster")
    objects["category"] = category
    objects["spare_category"] = project_services.category_create(slug="spare", name="Spare")
    objects["evaluation"] = project_services.evaluation_create(
        slug="kargo",
        title="kargo",
        category=category,
        project=project,
        evaluated_on=datetime.date(2017, 4, 26),
    )
    objects["spare_evaluation"] = project_services.evaluation_create(
        slug="kops", title="kops", category=category, kind="undated"
    )
    objects["to_evaluate"] = project_services.evaluation_request_create(project=project)
    objects["future_work"] = project_services.future_work_create(
        slug="azure-ingress", title="Azure ingress controller"
    )
    clients = {"anonymous": APIClient()}
    for kind, user in users.items():
        clients[kind] = APIClient()
        clients[kind].force_login(user)
    return Community(objects=objects, clients=clients)


@pytest.fixture(scope="module")
def community(django_db_setup, django_db_blocker):
    """The community, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        built.state = database_state()
        yield built
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# The writes


@dataclass(frozen=True)
class Write:
    """One write anyone can try: how to make it, and who may."""

    name: str
    writers: frozenset[str]
    send: Callable[[Community, APIClient], object]

    def __str__(self):
        return self.name


def api_routes() -> list[tuple[Route, str]]:
    """(route, HTTP method) of every write the API offers."""
    found = []
    for route in routes(get_resolver().url_patterns):
        actions = getattr(route.callback, "actions", None)
        if route.name.startswith("api:") and actions and "format" not in route.parameters:
            offered = set(actions) & set(route.callback.cls.http_method_names)
            found += [(route, method) for method in WRITE_METHODS if method in offered]
    return found


def admin_actions() -> list[tuple[type, str]]:
    """(model, action name) of every action of the apps' admins."""
    return [
        (model, name)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
        for _, name, _ in model_admin._get_base_actions()
    ]


# The row each route's detail writes aim at, by router basename.
TARGETS = {
    "people": lambda c: c.person,
    "group": lambda c: c.group,
    "role": lambda c: c.role,
    "subproject": lambda c: c.subproject,
    "channel": lambda c: c.channel,
    "committee": lambda c: c.committee,
    "meeting": lambda c: c.meeting,
    "schedule": lambda c: c.schedule,
    "occurrence": lambda c: c.occurrence,
    "project-area": lambda c: c.area,
    "project": lambda c: c.project,
    "release": lambda c: c.release,
    "proposal": lambda c: c.proposal,
    "evaluation": lambda c: c.evaluation,
    "evaluation-request": lambda c: c.to_evaluate,
    "future-work": lambda c: c.future_work,
}
# What a DELETE removes where the row above is still referred to (the API refuses that), by
# basename.
DELETE_TARGETS = {
    **TARGETS,
    "project-area": lambda c: c.spare_area,
    "project": lambda c: c.spare_project,
}
# What a PUT or PATCH changes, by basename.
CHANGES = {
    "people": {"name": "Renamed"},
    "group": {"mission": "Covers other things."},
    "role": {"end": "2030-01-01"},
    "subproject": {"description": "Changed."},
    "channel": {"name": "#sig-a-renamed"},
    "committee": {"seats": 7},
    "meeting": {"title": "Renamed"},
    "schedule": {"start_time": "16:00:00"},
    "occurrence": {"status": "cancelled", "reason": "Holiday"},
    "project-area": {"name": "Renamed"},
    "project": {"goal": "Builds other things."},
    "release": {"code_freeze": "2026-03-01"},
    "proposal": {"title": "Renamed"},
    "evaluation": {"version": "v2.7.0"},
    "evaluation-request": {"priority": 1},
    "future-work": {"status": "done"},
}
# What a POST to a list route creates, by basename.
CREATES = {
    "people": lambda c: {"handle": "newcomer", "name": "New Comer"},
    "group": lambda c: {"kind": "sig", "slug": "sig-new", "name": "SIG New", "mission": "New."},
    "role": lambda c: {"person": "member", "group": "sig-b", "kind": "member"},
    "subproject": lambda c: {"group": "sig-a", "name": "new-subproject"},
    "channel": lambda c: {
        "group": "sig-a",
        "kind": "forum",
        "name": "SIG A forum",
        "url": "https://forum.example/sig-a",
    },
    "committee": lambda c: {"group": "code-of-conduct", "purpose": "code_of_conduct"},
    "meeting": lambda c: {"slug": "sig-a-office-hours", "title": "Office hours", "group": "sig-a"},
    "schedule": lambda c: {
        "meeting": "sig-a-weekly",
        "time_zone": "Europe/Berlin",
        "first_date": "2026-02-05",
        "start_time": "15:00",
        "duration_minutes": 30,
        "frequency": "weekly",
    },
    "occurrence": lambda c: {
        "schedule": str(c.schedule.uid),
        "original_date": NEXT_MONDAY.isoformat(),
        "status": "cancelled",
        "reason": "Holiday",
    },
    "project-area": lambda c: {"slug": "new-area", "name": "New area"},
    "project": lambda c: {"slug": "new-project", "name": "New project", "area": "runtime"},
    "release": lambda c: {"project": "kubelet", "version": "v1.31"},
    "proposal": lambda c: {
        "project": "kubelet",
        "number": 4243,
        "title": "New proposal",
        "owning_group": "sig-a",
    },
    "evaluation": lambda c: {
        "slug": "kubespray",
        "title": "kubespray",
        "category": "cluster",
        "evaluated_on": "2018-11-07",
    },
    "evaluation-request": lambda c: {"project": "spare", "depth": "deep", "priority": 0},
    "future-work": lambda c: {"slug": "vmss", "title": "VMSS support", "owning_group": "sig-a"},
}
# Bodies of the detail actions, by route name.
ACTIONS = {
    "api:role-end": lambda c: {"on": "2030-01-01"},
    "api:occurrence-agenda": lambda c: {
        "version": c.occurrence.version,
        "items": [{"title": "Release planning"}],
        "minutes": "Decided.",
    },
}


def _api_write(route: Route, method: str) -> Write | None:
    route_name = route.name
    basename, _, kind = route_name.removeprefix("api:").rpartition("-")
    writers = LEAD_WRITERS if basename in LEADS_WRITE else STAFF_WRITERS
    if method in WITHIN_MEETING.get(route_name, ()):
        writers = MEETING_WRITERS
    if kind == "list":
        if basename not in CREATES:
            return None
        body = CREATES[basename]
    elif route_name in ACTIONS:
        body = ACTIONS[route_name]
    elif kind == "detail" and basename in CHANGES:
        body = {
            "delete": lambda c: None,
            "patch": lambda c: CHANGES[basename],
            "put": lambda c: {**_read_back(c, route, basename), **CHANGES[basename]},
        }[method]
    else:
        return None

    def send(c: Community, client: APIClient):
        url = _api_url(c, route, basename, DELETE_TARGETS if method == "delete" else TARGETS)
        return getattr(client, method)(url, body(c), format="json")

    return Write(f"{method.upper()} {route_name}", writers, send)


def _api_url(c: Community, route: Route, basename: str, targets=TARGETS) -> str:
    if not route.parameters:
        return reverse(route.name)
    return reverse(route.name, kwargs=lookup_kwargs(route.callback.cls, targets[basename](c)))


def _read_back(c: Community, route: Route, basename: str) -> dict:
    """The target as a GET shows it to a superuser: a PUT sends it all back."""
    return c.clients["superuser"].get(_api_url(c, route, basename)).json()


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


# The row each model's admin actions aim at; by default its API target, else the spares.
ADMIN_TARGETS = {
    Person: lambda c: c.person,
    Group: lambda c: c.spare_group,
    Role: lambda c: c.role,
    Subproject: lambda c: c.subproject,
    Channel: lambda c: c.channel,
    Committee: lambda c: c.committee,
    Meeting: lambda c: c.meeting,
    Schedule: lambda c: c.unconfirmed,
    Occurrence: lambda c: c.occurrence,
    ProjectArea: lambda c: c.spare_area,
    Project: lambda c: c.spare_project,
    Feature: lambda c: c.feature,
    Release: lambda c: c.release,
    Proposal: lambda c: c.proposal,
    Election: lambda c: c.nominating,
    Subscription: lambda c: c.subscription,
    LandscapeCategory: lambda c: c.spare_category,
    Evaluation: lambda c: c.spare_evaluation,
    EvaluationRequest: lambda c: c.to_evaluate,
    FutureWork: lambda c: c.future_work,
}
# The rest of each action's form, filled in as the person running it would.
ADMIN_ACTION_DATA = {
    "delete_selected": lambda c: {"post": "yes"},
    "cancel_occurrence": lambda c: {
        "apply": "1",
        "schedule": c.schedule.pk,
        "original_date": NEXT_MONDAY.isoformat(),
        "reason": "Holiday",
    },
    "confirm_first_date": lambda c: {
        "confirm": "1",
        f"schedule-{c.unconfirmed.pk}-other_date": "2026-01-08",
    },
    "clear_flags": lambda c: {},
}


def _admin_write(model, name: str) -> Write | None:
    if model not in ADMIN_TARGETS or name not in ADMIN_ACTION_DATA:
        return None

    def send(c: Community, client: APIClient):
        data = {
            "action": name,
            "index": "0",
            ACTION_CHECKBOX_NAME: [ADMIN_TARGETS[model](c).pk],
            **ADMIN_ACTION_DATA[name](c),
        }
        return client.post(_changelist(model), data)

    return Write(f"admin {model._meta.label} {name}", STAFF_WRITERS, send)


def admin_models() -> list[type]:
    """The apps' models with an admin, whose change and delete forms are writes too."""
    return [model for model in admin.site._registry if model._meta.app_label in APPS]


def _admin_url(model, view: str, row) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=[row.pk])


def _admin_form_writes(model) -> list[Write]:
    """Saving the change form as it stands (the admin logs the save) and deleting the row."""
    if model not in ADMIN_TARGETS:
        return []
    target = ADMIN_TARGETS[model]

    def change(c: Community, client: APIClient):
        url = _admin_url(model, "change", target(c))
        return client.post(url, {**form_data(c.clients["superuser"].get(url)), "_save": "Save"})

    def delete(c: Community, client: APIClient):
        return client.post(_admin_url(model, "delete", target(c)), {"post": "yes"})

    label = model._meta.label
    return [
        Write(f"admin {label} change form", STAFF_WRITERS, change),
        Write(f"admin {label} delete form", STAFF_WRITERS, delete),
    ]


# What a list with editable columns changes in its first row, by model.
CHANGELIST_EDITS = {ProjectArea: ("position", 99)}


def _changelist_write(model) -> Write | None:
    if model not in CHANGELIST_EDITS:
        return None
    name, value = CHANGELIST_EDITS[model]

    def send(c: Community, client: APIClient):
        data = changelist_data(c.clients["superuser"].get(_changelist(model)))
        return client.post(_changelist(model), {**data, f"form-0-{name}": value})

    return Write(f"admin {model._meta.label} editable list", STAFF_WRITERS, send)


def _agenda_form(meeting: str, schedule: str):
    def send(c: Community, client: APIClient):
        url = reverse("meetings:agenda-edit", args=[getattr(c, meeting).slug, RECORDED])
        record = Occurrence.objects.filter(schedule=getattr(c, schedule), original_date=RECORDED)
        version = record.first().version if record else meeting_services.UNSAVED_VERSION
        return client.post(
            url,
            {
                "version": version,
                "minutes": "Decided.",
                "recording_url": "",
                "items-TOTAL_FORMS": "1",
                "items-INITIAL_FORMS": "0",
                "items-0-title": "Release planning",
            },
        )

    return send


# The people of the community whose persons vote in its elections (a current role), and those
# with a person but no current role, who may ask for an exception.
VOTERS = frozenset(
    {"lead", "other_lead", "liaison_emeritus", "liaison", "committee_member", "group_organiser"}
)
ASKERS = frozenset({"organiser", "emeritus"})


def _election_post(name: str, election: str, data: Callable[[Community], dict]):
    def send(c: Community, client: APIClient):
        url = reverse(f"governance:elections:{name}", args=[getattr(c, election).slug])
        return client.post(url, data(c))

    return send


def _meeting_form(meeting: str):
    def send(c: Community, client: APIClient):
        row = getattr(c, meeting)
        return client.post(
            reverse("meetings:meeting-edit", args=[row.slug]),
            {
                "version": row.version,
                "title": "Renamed",
                "description": "Now with a description.",
                "join_url": "https://zoom.example.org/j/1",
                "display_zones": ["Asia/Kolkata"],
                "organiser_handles": " ".join(f"@{p.handle}" for p in row.organisers.all()),
                "organising_groups": [group.pk for group in row.organising_groups.all()],
            },
        )

    return send


def _schedule_form(*, new: bool):
    def send(c: Community, client: APIClient):
        url = reverse("meetings:schedule-edit", args=[c.meeting.slug])
        timing = {
            "time_zone": "Europe/Berlin",
            "first_date": "2026-02-05",
            "start_time": "15:00",
            "duration_minutes": 30,
            "frequency": "once",
            "interval": 1,
        }
        if not new:
            url += f"?schedule={c.schedule.uid}"
            timing = {**timing, "time_zone": "America/Los_Angeles", "first_date": "2026-01-05"}
            timing.update(frequency="weekly", start_time="16:00")
        data = {**timing, "version": c.meeting.version, "confirm_moves": "on", "save": "1"}
        return client.post(url, data)

    return send


def _token_url(name: str, subscription: Subscription) -> str:
    return reverse(f"notifications:{name}", args=[subscription_token(subscription)])


def _subscribe_form(c: Community, client: APIClient):
    return client.post(
        reverse("notifications:subscribe"),
        {"email": "new@example.net", "meeting": c.meeting.slug, "time_zone": "UTC"},
    )


def _subscription_form(c: Community, client: APIClient):
    return client.post(
        _token_url("subscription", c.subscription), {"time_zone": "Asia/Tokyo", "changes": "on"}
    )


def _occurrence_form(action: str, day: datetime.date, **data):
    def send(c: Community, client: APIClient):
        url = reverse("meetings:occurrence-change", args=[c.meeting.slug, day])
        return client.post(url, {"action": action, **data})

    return send


def _group_form(group: str):
    def send(c: Community, client: APIClient):
        row = getattr(c, group)
        channels = list(row.channels.filter(is_private=False))
        data = {
            "version": row.version,
            "mission": "Covers other things.",
            "charter_url": "https://example.org/charter",
            "channels-TOTAL_FORMS": str(len(channels) + 1),
            "channels-INITIAL_FORMS": str(len(channels)),
            "subprojects-TOTAL_FORMS": "1",
            "subprojects-INITIAL_FORMS": "0",
            "subprojects-0-name": "new-subproject",
        }
        for index, channel in enumerate(channels):
            data.update(
                {
                    f"channels-{index}-id": channel.pk,
                    f"channels-{index}-kind": channel.kind,
                    f"channels-{index}-name": channel.name,
                    f"channels-{index}-url": channel.url,
                }
            )
        return client.post(reverse("governance:group-edit", args=[row.slug]), data)

    return send


def _member_form(c: Community, client: APIClient):
    url = reverse("governance:group-edit", args=[c.group.slug])
    return client.post(url, {"add_member": "1", "handle": "newcomer"})


# The site's forms that post, by template, each with the writes it makes; [] for one that
# writes no community record.
SITE_FORMS = {
    "meetings/agenda_form.html": [
        Write("site agenda form", MEETING_WRITERS, _agenda_form("meeting", "schedule")),
        Write(
            "site agenda form of a committee's meeting",
            COMMITTEE_WRITERS,
            _agenda_form("committee_meeting", "committee_schedule"),
        ),
    ],
    "meetings/meeting_form.html": [
        Write("site meeting form", MEETING_WRITERS, _meeting_form("meeting")),
        Write(
            "site meeting form of a committee's meeting",
            COMMITTEE_WRITERS,
            _meeting_form("committee_meeting"),
        ),
    ],
    "meetings/schedule_form.html": [
        Write("site schedule form", MEETING_WRITERS, _schedule_form(new=False)),
        Write("site schedule form: a one-off", MEETING_WRITERS, _schedule_form(new=True)),
    ],
    "meetings/occurrence_form.html": [
        Write(
            "site occurrence cancel",
            MEETING_WRITERS,
            _occurrence_form("cancel", NEXT_MONDAY, reason="Holiday"),
        ),
        Write(
            "site occurrence move",
            MEETING_WRITERS,
            _occurrence_form("move", NEXT_MONDAY, date="2026-01-20", time="09:00"),
        ),
        Write("site occurrence restore", MEETING_WRITERS, _occurrence_form("restore", RECORDED)),
    ],
    "governance/group_form.html": [
        Write("site group form", LEAD_WRITERS, _group_form("group")),
        Write("site group form of a committee", COMMITTEE_WRITERS, _group_form("committee_group")),
        Write("site group form: add a member", LEAD_WRITERS, _member_form),
    ],
    "registration/login.html": [],
    "socialaccount/login.html": [],
    "governance/elections/_nomination_form.html": [
        Write(
            "site election nomination",
            VOTERS,
            _election_post("nominate", "nominating", lambda c: {"statement": "I stand."}),
        ),
    ],
    "governance/elections/_exception_form.html": [
        Write(
            "site election exception request",
            ASKERS,
            _election_post("ask-exception", "nominating", lambda c: {"reason": "I triage."}),
        ),
    ],
    "governance/elections/_decision_form.html": [
        Write(
            "site election exception decision",
            STAFF_WRITERS,
            _election_post(
                "decide-exception",
                "nominating",
                lambda c: {"request": c.asking.pk, "decision": "grant", "reason": "Triage counts."},
            ),
        ),
    ],
    "governance/elections/vote.html": [
        Write(
            "site election ballot",
            VOTERS,
            _election_post("vote", "voting", lambda c: {f"rank-{c.voting_candidate.pk}": "1"}),
        ),
    ],
    "governance/elections/_certify_form.html": [
        Write(
            "site election certification",
            STAFF_WRITERS,
            _election_post("certify", "closed", lambda c: {}),
        ),
    ],
    # Checking a receipt reads a ballot, writes nothing.
    "governance/elections/check_receipt.html": [],
    "notifications/subscribe.html": [Write("site subscribe form", EVERYONE, _subscribe_form)],
    "notifications/subscription.html": [
        Write("site subscription choices", EVERYONE, _subscription_form),
    ],
    "notifications/confirm.html": [
        Write(
            "site subscription confirm",
            EVERYONE,
            lambda c, client: client.post(_token_url("confirm", c.waiting_subscription)),
        ),
    ],
    "notifications/unsubscribe.html": [
        Write(
            "site unsubscribe (one click)",
            EVERYONE,
            lambda c, client: client.post(_token_url("unsubscribe", c.subscription)),
        ),
    ],
    # Its buttons post to the unsubscribe link, tried above.
    "notifications/my_subscriptions.html": [],
    # Signing out, in every page's header.
    "base.html": [],
    # The admin actions' own forms, tried above.
    "admin/meetings/cancel_occurrence.html": [],
    "meetings/admin/confirm_first_date.html": [],
}

# Writes the discovery does not give on its own: a lead moving a record into another group.
EXTRA_WRITES = [
    Write(
        "PATCH api:meeting-detail into another group",
        STAFF_WRITERS,
        lambda c, client: client.patch(
            reverse("api:meeting-detail", args=[c.meeting.slug]), {"group": "sig-b"}, format="json"
        ),
    ),
]


def posting_templates() -> list[str]:
    """The templates of the site and its apps with a form that posts."""
    found = set()
    for app in apps.get_app_configs():
        if app.name in ("config", *APPS):
            directory = Path(app.path) / "templates"
            for path in directory.rglob("*.html"):
                if 'method="post"' in path.read_text():
                    found.add(str(path.relative_to(directory)))
    return sorted(found)


def writes() -> list[Write]:
    found = [_api_write(*route) for route in api_routes()]
    found += [_admin_write(*action) for action in admin_actions()]
    found += [write for model in admin_models() for write in _admin_form_writes(model)]
    found += [
        _changelist_write(model)
        for model in admin_models()
        if admin.site._registry[model].list_editable
    ]
    found += [write for site_writes in SITE_FORMS.values() for write in site_writes]
    return [write for write in found if write] + EXTRA_WRITES


WRITES = writes()
ATTEMPTS = [(write, user) for write in WRITES for user in USERS]


def test_every_write_has_a_request():
    missing = [f"{m.upper()} {r.name}" for r, m in api_routes() if _api_write(r, m) is None]
    missing += [
        f"admin {model._meta.label} {name}"
        for model, name in admin_actions()
        if _admin_write(model, name) is None
    ]
    missing += [model._meta.label for model in admin_models() if model not in ADMIN_TARGETS]
    missing += [
        f"{model._meta.label} editable list"
        for model in admin_models()
        if admin.site._registry[model].list_editable and model not in CHANGELIST_EDITS
    ]
    missing += [template for template in posting_templates() if template not in SITE_FORMS]
    assert missing == [], "give these writes a request in tests/test_write_matrix.py"


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    # The admin and the agenda editor send those who are not signed in (as staff) to sign in.
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse("admin:login")) or location.startswith(reverse("login"))
    )


@pytest.mark.parametrize(("write", "user"), ATTEMPTS, ids=[f"{w}-{u}" for w, u in ATTEMPTS])
def test_write_matrix(community, db, write, user):
    response = write.send(community, community.clients[user])
    if user in write.writers:
        assert 200 <= response.status_code < 400 and not _refused(response), (
            response.status_code,
            response.content[:500],
        )
        assert changed_tables(community.state), "allowed, but nothing was written"
    else:
        assert _refused(response), (response.status_code, response.content[:300])
        assert changed_tables(community.state) == []


def _write(name: str) -> Write:
    return next(write for write in WRITES if write.name == name)


# The three writes the audit of issue 13 found let through.


def test_staff_without_model_permissions_cannot_move_a_meeting_into_another_group(community, db):
    response = _write("PATCH api:meeting-detail into another group").send(
        community, community.clients["staff_bare"]
    )
    assert response.status_code == 403
    assert Meeting.objects.get(slug="sig-a-weekly").group.slug == "sig-a"
    # Staff allowed to change meetings may.
    response = _write("PATCH api:meeting-detail into another group").send(
        community, community.clients["staff_permitted"]
    )
    assert response.status_code == 200
    assert Meeting.objects.get(slug="sig-a-weekly").group.slug == "sig-b"


def test_view_only_staff_cannot_cancel_an_occurrence(community, db):
    client = community.clients["staff_view"]
    changelist = client.get(_changelist(Meeting))
    assert changelist.status_code == 200 and "SIG A weekly" in changelist.content.decode()
    assert "cancel_occurrence" not in changelist.content.decode(), "offered, though refused"
    response = _write("admin meetings.Meeting cancel_occurrence").send(community, client)
    assert response.status_code == 403
    assert not Occurrence.objects.filter(original_date=NEXT_MONDAY).exists()


def test_view_only_staff_cannot_confirm_a_first_date(community, db):
    client = community.clients["staff_view"]
    changelist = client.get(_changelist(Schedule))
    assert changelist.status_code == 200
    assert "confirm_first_date" not in changelist.content.decode(), "offered, though refused"
    response = _write("admin meetings.Schedule confirm_first_date").send(community, client)
    assert response.status_code == 403
    assert not Schedule.objects.get(pk=community.unconfirmed.pk).is_confirmed


def test_the_site_offers_the_agenda_editor_only_to_those_who_may_save_it(community, db):
    page = reverse("meetings:occurrence-detail", args=[community.meeting.slug, RECORDED])
    editor = reverse("meetings:agenda-edit", args=[community.meeting.slug, RECORDED])
    for user in ("lead", "staff_permitted"):
        assert editor in community.clients[user].get(page).content.decode(), user
    for user in ("staff_view", "other_lead", "liaison_emeritus"):
        assert editor not in community.clients[user].get(page).content.decode(), user
    refused = community.clients["staff_view"].get(editor)
    assert refused.status_code == 403
    assert "if you are staff, ask for that permission" in refused.content.decode()


@pytest.mark.parametrize(
    ("user", "why"),
    [
        ("liaison", "You are signed in as @liaison, who holds no current chair, technical lead"),
        ("emeritus", "You are signed in as @emeritus, who holds no current chair, technical lead"),
        ("stranger", "You are signed in as stranger, who is not in Agora's roster."),
    ],
)
def test_every_site_form_refuses_with_why_and_who_may(community, db, user, why):
    """Every form of a group's leads (elections and subscriptions have rules of their own,
    tested with them)."""
    for write in [
        write
        for template, site_writes in SITE_FORMS.items()
        if not template.startswith(("governance/elections/", "notifications/"))
        for write in site_writes
    ]:
        response = write.send(community, community.clients[user])
        page = response.content.decode()
        assert response.status_code == 403, write
        assert why in page, write
        assert "edited by the current chairs, technical leads and leads of" in page, write
        assert "A liaison or an emeritus lead edits nothing." in page, write
