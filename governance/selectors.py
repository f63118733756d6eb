"""Reads shared by governance pages and the API, with a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from governance import models, privacy

PEOPLE_PER_PAGE = 50
# The channels the group list shows; a group's page shows them all.
LIST_CHANNELS = (models.ChannelKind.SLACK, models.ChannelKind.MAILING_LIST)


def _current_roles(*kinds: str) -> Prefetch:
    """Prefetches a group's current roles of `kinds` (all kinds when none) as `current_roles`."""
    roles = models.Role.objects.current().select_related("person").order_by(Lower("person__handle"))
    if kinds:
        roles = roles.filter(kind__in=kinds)
    return Prefetch("roles", queryset=roles, to_attr="current_roles")


def _group_channels(*, include_private: bool) -> Prefetch:
    """Prefetches the group's own channels (not its subprojects') as `visible_channels`."""
    channels = models.Channel.objects.filter(subproject__isnull=True)
    return Prefetch(
        "channels",
        queryset=privacy.visible_channels(channels, include_private=include_private),
        to_attr="visible_channels",
    )


def _first_role_each(roles: list[models.Role]) -> list[models.Role]:
    """The first of `roles` for each person."""
    first: dict[int, models.Role] = {}
    for role in roles:
        first.setdefault(role.person_id, role)
    return list(first.values())


def _people_of(roles: list[models.Role], *kinds: str) -> list[models.Person]:
    """The distinct people holding one of `kinds` among `roles`, in the roles' order."""
    return [role.person for role in _first_role_each([r for r in roles if r.kind in kinds])]


def group_queryset(*, include_private: bool = False) -> QuerySet[models.Group]:
    """Groups with their current leads and channels; private channels only when asked."""
    return models.Group.objects.prefetch_related(
        _current_roles(*models.LEADERSHIP_KINDS),
        _group_channels(include_private=include_private),
        Prefetch("stakeholder_groups", queryset=models.Group.objects.only("slug", "name", "kind")),
    )


@dataclass(frozen=True)
class GroupSummary:
    """A row of the group list: the group, who runs it, how to reach it."""

    group: models.Group
    leaders: list[models.Person]
    tech_leads: list[models.Person]
    channels: list[models.Channel]


@dataclass(frozen=True)
class KindSection:
    """The groups of one kind, as listed on the group list."""

    kind: str
    label: str
    leaders_label: str
    show_tech_leads: bool
    summaries: list[GroupSummary]


# Who runs a group, by kind, as the group list names them: a committee's seat holders,
# everyone else's chairs (some groups call them leads).
LEADERS = {
    models.GroupKind.COMMITTEE: ("Members", models.SEAT_KINDS),
    models.GroupKind.USER_GROUP: ("Leads", (models.RoleKind.CHAIR, models.RoleKind.LEAD)),
}
CHAIRS = ("Chairs", (models.RoleKind.CHAIR, models.RoleKind.LEAD))


def groups_by_kind() -> list[KindSection]:
    """Every group, by kind in the order GroupKind names them, with leads and public contacts."""
    groups = models.Group.objects.order_by("name").prefetch_related(
        _current_roles(*models.LEADERSHIP_KINDS, models.RoleKind.MEMBER),
        _group_channels(include_private=False),
    )
    by_kind: dict[str, list[GroupSummary]] = {kind: [] for kind in models.GroupKind.values}
    for group in groups:
        leader_kinds = LEADERS.get(group.kind, CHAIRS)[1]
        by_kind[group.kind].append(
            GroupSummary(
                group=group,
                leaders=_people_of(group.current_roles, *leader_kinds),
                tech_leads=_people_of(group.current_roles, models.RoleKind.TECH_LEAD),
                channels=[
                    channel for channel in group.visible_channels if channel.kind in LIST_CHANNELS
                ],
            )
        )
    return [
        KindSection(
            kind=kind,
            label=models.GroupKind(kind).label,
            leaders_label=LEADERS.get(kind, CHAIRS)[0],
            show_tech_leads=kind == models.GroupKind.SIG or any(s.tech_leads for s in summaries),
            summaries=summaries,
        )
        for kind, summaries in by_kind.items()
        if summaries
    ]


def group_counts_by_kind() -> list[tuple[str, str, int]]:
    """(kind, label, number of groups not archived) for each kind that has any."""
    counts = dict(
        models.Group.objects.active().values_list("kind").annotate(count=Count("pk")).order_by()
    )
    return [
        (kind, models.GroupKind(kind).label, counts[kind])
        for kind in models.GroupKind.values
        if kind in counts
    ]


@dataclass(frozen=True)
class EmeritusLead:
    """Someone who once led a group and leads it no longer, with the terms they served."""

    person: models.Person
    roles: list[models.Role]

    @property
    def last_day(self) -> datetime.date | None:
        """The day their last term ended; None when it ended on a day nobody recorded."""
        if any(role.end_unknown for role in self.roles):
            return None
        return max(role.end for role in self.roles if role.end)

    @property
    def years(self) -> str:
        """The span of their terms, "2018-2022", or "until 2022" when the start is unknown,
        "until an unknown date" when the end is."""
        if self.last_day is None:
            return "until an unknown date"
        starts = [role.start.year for role in self.roles if role.start]
        end = self.last_day.year
        if not starts:
            return f"until {end}"
        start = min(starts)
        return str(end) if start == end else f"{start}\N{EN DASH}{end}"


def emeritus_leads(roles: list[models.Role]) -> list[EmeritusLead]:
    """Leads of a group whose terms ended, leaving out anyone who leads the group now.

    `roles` are all the group's roles, with their person selected.
    """
    leading_now = {
        role.person_id for role in roles if role.is_current and role.kind in models.LEADERSHIP_KINDS
    }
    past: dict[int, list[models.Role]] = {}
    for role in roles:
        if role.is_emeritus and role.person_id not in leading_now:
            past.setdefault(role.person_id, []).append(role)
    leads = [EmeritusLead(person=terms[0].person, roles=terms) for terms in past.values()]
    # Most recently retired first; those whose end nobody recorded last.
    return sorted(
        leads,
        key=lambda lead: (
            -(lead.last_day.toordinal() if lead.last_day else 0),
            lead.person.handle.lower(),
        ),
    )


@dataclass(frozen=True)
class GroupDetail:
    """Everything the page of one group shows."""

    group: models.Group
    chairs: list[models.Person]
    tech_leads: list[models.Person]
    leads: list[models.Person]
    members: list[models.Person]
    liaisons: list[models.Person]
    secretaries: list[models.Person]
    emeritus: list[EmeritusLead]
    channels: list[models.Channel]
    subprojects: list[models.Subproject]
    stakeholder_groups: list[models.Group]
    stakeholder_of: list[models.Group]
    committee: models.Committee | None


def group_detail(*, slug: str) -> GroupDetail | None:
    """The page of the group `slug`, with public channels only; None when unknown."""
    groups = models.Group.objects.select_related("committee").prefetch_related(
        Prefetch(
            "roles",
            queryset=models.Role.objects.select_related("person").order_by(
                Lower("person__handle"), "start", "kind"
            ),
            to_attr="all_roles",
        ),
        _group_channels(include_private=False),
        Prefetch(
            "subprojects",
            queryset=models.Subproject.objects.order_by("name").prefetch_related(
                "leads",
                Prefetch(
                    "channels", queryset=models.Channel.objects.public(), to_attr="public_channels"
                ),
            ),
        ),
        Prefetch("stakeholder_groups", queryset=models.Group.objects.order_by("name")),
        Prefetch("stakeholder_of", queryset=models.Group.objects.order_by("name")),
    )
    group = groups.filter(slug=slug).first()
    if group is None:
        return None
    current = [role for role in group.all_roles if role.is_current]
    try:
        committee = group.committee
    except models.Committee.DoesNotExist:
        committee = None
    return GroupDetail(
        group=group,
        chairs=_people_of(current, models.RoleKind.CHAIR),
        tech_leads=_people_of(current, models.RoleKind.TECH_LEAD),
        leads=_people_of(current, models.RoleKind.LEAD),
        members=_people_of(current, models.RoleKind.MEMBER),
        liaisons=_people_of(current, models.RoleKind.LIAISON),
        secretaries=_people_of(current, models.RoleKind.SECRETARY),
        emeritus=emeritus_leads(group.all_roles),
        channels=group.visible_channels,
        subprojects=list(group.subprojects.all()),
        stakeholder_groups=list(group.stakeholder_groups.all()),
        stakeholder_of=list(group.stakeholder_of.all()),
        committee=committee,
    )


def person_queryset() -> QuerySet[models.Person]:
    """People with their public links and their current roles (group selected)."""
    return models.Person.objects.prefetch_related(
        "links",
        Prefetch(
            "roles",
            queryset=models.Role.objects.current()
            .select_related("group")
            .order_by("group__name", "kind"),
            to_attr="current_roles",
        ),
    )


def filter_people(
    people: QuerySet[models.Person], *, group: str = "", affiliation: str = "", q: str = ""
) -> QuerySet[models.Person]:
    """Those of `people` holding a role in the group `group` now, of `affiliation`, matching `q`."""
    if group:
        people = people.filter(
            Exists(models.Role.objects.current().filter(person=OuterRef("pk"), group__slug=group))
        )
    if affiliation:
        people = people.filter(affiliation__iexact=affiliation)
    if q:
        people = people.filter(Q(handle__icontains=q) | Q(name__icontains=q))
    return people


def person_list(
    *, group: str = "", affiliation: str = "", q: str = "", page: int | str = 1
) -> Page:
    """One page of the people directory, filtered as `filter_people` does."""
    people = filter_people(person_queryset(), group=group, affiliation=affiliation, q=q)
    return Paginator(people, PEOPLE_PER_PAGE).get_page(page)


def affiliations() -> list[str]:
    """Every affiliation someone has, once each, for choosing in a filter."""
    names = models.Person.objects.exclude(affiliation="").values_list("affiliation", flat=True)
    return sorted(set(names), key=str.casefold)


@dataclass(frozen=True)
class PersonDetail:
    """Everything the page of one person shows."""

    person: models.Person
    current_roles: list[models.Role]
    past_roles: list[models.Role]
    subprojects_led: list[models.Subproject]


def person_detail(*, handle: str) -> PersonDetail | None:
    """The page of the person `handle`, whatever its case; None when unknown."""
    people = models.Person.objects.prefetch_related(
        "links",
        Prefetch(
            "roles",
            queryset=models.Role.objects.select_related("group").order_by(
                F("start").desc(nulls_last=True), "group__name", "kind"
            ),
            to_attr="all_roles",
        ),
        Prefetch("subprojects_led", queryset=models.Subproject.objects.select_related("group")),
    )
    person = people.filter(handle__iexact=handle).first()
    if person is None:
        return None
    return PersonDetail(
        person=person,
        # Upcoming terms (elected, not yet started) are listed with the current ones.
        current_roles=[role for role in person.all_roles if not role.has_ended],
        past_roles=[role for role in person.all_roles if role.has_ended],
        subprojects_led=list(person.subprojects_led.all()),
    )


def committee_queryset() -> QuerySet[models.Committee]:
    """Committees with their group, its current seat holders and its current liaisons."""
    current = models.Role.objects.current().select_related("person")
    return models.Committee.objects.select_related("group").prefetch_related(
        Prefetch(
            "group__roles",
            # Chairs first, then leads and members.
            queryset=current.filter(kind__in=models.SEAT_KINDS).order_by(
                "kind", Lower("person__handle")
            ),
            to_attr="seat_roles",
        ),
        Prefetch(
            "group__roles",
            queryset=current.filter(kind=models.RoleKind.LIAISON).order_by(Lower("person__handle")),
            to_attr="liaison_roles",
        ),
    )


def role_queryset() -> QuerySet[models.Role]:
    return models.Role.objects.select_related("person", "group")


def subproject_queryset(*, include_private: bool = False) -> QuerySet[models.Subproject]:
    """Subprojects with their group, leads and channels; private channels only when asked."""
    channels = privacy.visible_channels(
        models.Channel.objects.all(), include_private=include_private
    )
    return models.Subproject.objects.select_related("group").prefetch_related(
        "leads", Prefetch("channels", queryset=channels, to_attr="visible_channels")
    )


def channel_queryset(*, include_private: bool = False) -> QuerySet[models.Channel]:
    channels = models.Channel.objects.select_related("group")
    return privacy.visible_channels(channels, include_private=include_private)


@dataclass(frozen=True)
class CommitteeSummary:
    """A committee on the governance page: its charter, its group and who sits on it now."""

    committee: models.Committee
    members: list[models.Role]
    liaisons: list[models.Person]

    @property
    def group(self) -> models.Group:
        return self.committee.group


@dataclass(frozen=True)
class CommitteeSection:
    """A section of the governance page: a standing committee, or a note that none is recorded."""

    anchor: str
    title: str
    summary: CommitteeSummary | None


# The standing committees, in the order the governance page shows them.
STANDING_COMMITTEES = [
    (models.CommitteePurpose.STEERING, "steering", "Steering committee"),
    (models.CommitteePurpose.CODE_OF_CONDUCT, "code-of-conduct", "Code of conduct committee"),
    (models.CommitteePurpose.SECURITY_RESPONSE, "security-response", "Security response committee"),
]


def governance_overview() -> dict:
    """The standing committees (steering, code of conduct, security response), then the others.

    Returns `sections` (one CommitteeSection each) and the `code_of_conduct` and
    `security_response` summaries, whose reporting addresses the page puts first.
    """
    summaries = [
        CommitteeSummary(
            committee=committee,
            members=_first_role_each(committee.group.seat_roles),
            liaisons=[role.person for role in committee.group.liaison_roles],
        )
        for committee in committee_queryset().order_by("group__name")
    ]
    by_purpose = {summary.committee.purpose: summary for summary in summaries}
    sections = [
        CommitteeSection(anchor=anchor, title=title, summary=by_purpose.get(purpose))
        for purpose, anchor, title in STANDING_COMMITTEES
    ]
    sections += [
        CommitteeSection(anchor=summary.group.slug, title=summary.group.name, summary=summary)
        for summary in summaries
        if summary.committee.purpose == models.CommitteePurpose.OTHER
    ]
    return {
        "sections": sections,
        "elections_due": elections_due(),
        "code_of_conduct": by_purpose.get(models.CommitteePurpose.CODE_OF_CONDUCT),
        "security_response": by_purpose.get(models.CommitteePurpose.SECURITY_RESPONSE),
    }


@dataclass(frozen=True)
class ElectionDue:
    """A group whose leads' or members' terms end soon: the first end and the terms ending."""

    group: models.Group
    ends: datetime.date
    roles: list[models.Role]


@dataclass(frozen=True)
class ElectionsDue:
    """The groups whose terms end within `weeks`, soonest first."""

    weeks: int
    groups: list[ElectionDue]


def elections_due(*, weeks: int | None = None) -> ElectionsDue:
    """Groups with a lead's or seat holder's term ending within `weeks` (default
    AGORA_ELECTION_DUE_WEEKS), soonest first."""
    weeks = settings.AGORA_ELECTION_DUE_WEEKS if weeks is None else weeks
    ending = (
        models.Role.objects.ending_within(weeks * 7)
        .filter(kind__in={*models.LEADERSHIP_KINDS, *models.SEAT_KINDS})
        .select_related("person", "group")
        .order_by("end", "group__name", Lower("person__handle"))
    )
    by_group: dict[int, list[models.Role]] = {}
    for role in ending:
        by_group.setdefault(role.group_id, []).append(role)
    groups = [
        ElectionDue(group=roles[0].group, ends=roles[0].end, roles=roles)
        for roles in by_group.values()
        if roles[0].end
    ]
    return ElectionsDue(weeks=weeks, groups=groups)


def person_count() -> int:
    return models.Person.objects.count()


def person_of(user) -> models.Person | None:
    """The person a signed-in `user` is in the roster, or None."""
    return models.Person.objects.filter(user=user).first() if user.is_authenticated else None


@dataclass(frozen=True)
class Membership:
    """A group a person belongs to now, with the roles they hold in it."""

    group: models.Group
    roles: list[models.Role]


def groups_of(person: models.Person) -> list[Membership]:
    """The groups in which `person` holds a current role, by name, each with those roles."""
    roles = (
        models.Role.objects.current()
        .filter(person=person)
        .select_related("group")
        .order_by("group__name", "kind")
    )
    by_group: dict[int, Membership] = {}
    for role in roles:
        by_group.setdefault(role.group_id, Membership(role.group, [])).roles.append(role)
    return list(by_group.values())


def steering_group() -> models.Group | None:
    """The steering committee's group, who adds people to the roster, or None."""
    committee = (
        models.Committee.objects.filter(purpose=models.CommitteePurpose.STEERING)
        .select_related("group")
        .first()
    )
    return committee.group if committee else None
