"""Who may see and write what: the one rule the API, the site's editing pages and the admin
apply, whatever app the record belongs to.

- Staff see private fields. They write a model's records only while they hold its Django model
  permissions (add, change, delete), as DRF's DjangoModelPermissions and the admin read them; a
  superuser holds them all.
- An election is run by its officers (their people's logins) and by staff holding the change
  permission of elections: they decide exception requests and certify the results.
- The current chairs, technical leads and leads of a group also write the records of their own
  group where an app lets leads edit (its page, meetings, schedules, occurrences and agendas):
  every group a write touches, the record's own and any it would move to, must be one they lead.
  A committee is led by everyone holding one of its seats (its chairs, leads and members).
- A meeting may name organisers, people or whole groups (everyone holding a current role in
  one, liaisons aside): they write that meeting, its schedules, occurrences and agendas, and
  nothing else (not its group, not another meeting, not a move into another group).
- A liaison, an emeritus lead (a lead whose term ended) and a login the roster does not know
  write nothing.
"""

from collections.abc import Collection, Iterable
from functools import cached_property

from django.contrib.auth import get_permission_codename
from django.db.models import Model, Q
from rest_framework import permissions
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied

from governance.models import (
    LEADERSHIP_KINDS,
    SEAT_KINDS,
    Election,
    Group,
    GroupKind,
    Person,
    Role,
    RoleKind,
)


def is_staff(user) -> bool:
    """Whether `user` is staff: sees private fields and signs in to the admin."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def groups_led_by(user) -> frozenset[int]:
    """Ids of the groups `user`'s person leads now: a current chair, technical lead or lead
    role, or a seat (chair, lead, member) of a committee."""
    if not _signed_in(user):
        return frozenset()
    return frozenset(
        Role.objects.current()
        .filter(person__user=user)
        .filter(
            Q(kind__in=LEADERSHIP_KINDS) | Q(kind__in=SEAT_KINDS, group__kind=GroupKind.COMMITTEE)
        )
        .values_list("group_id", flat=True)
    )


def meetings_organised_by(user) -> frozenset[int]:
    """Ids of the meetings naming `user`'s person as an organiser, or naming a group in which
    the person holds a current role other than liaison."""
    if not _signed_in(user):
        return frozenset()
    roles = Role.objects.current().filter(person__user=user).exclude(kind=RoleKind.LIAISON)
    named = Person.objects.filter(user=user).values_list("organised_meetings", flat=True)
    by_group = Group.objects.filter(roles__in=roles).values_list("organised_meetings", flat=True)
    return frozenset(pk for pk in [*named, *by_group] if pk is not None)


def model_permissions(model: type[Model], *actions: str) -> tuple[str, ...]:
    """The names of the Django permissions to `actions` ("add", "change", "delete") `model`'s
    records, e.g. "meetings.change_meeting"."""
    opts = model._meta
    return tuple(f"{opts.app_label}.{get_permission_codename(action, opts)}" for action in actions)


def has_model_permissions(user, permissions: Iterable[str]) -> bool:
    """Whether `user` is staff holding every one of `permissions`."""
    return is_staff(user) and user.has_perms(list(permissions))


def leads(user, groups: Iterable[int | None], *, led_groups: Collection[int] | None = None) -> bool:
    """Whether `user` leads every one of `groups` (ids) now; a record of no group is nobody's.

    `led_groups` spares a query when the caller already has `groups_led_by(user)`."""
    wanted = set(groups)
    if not wanted or None in wanted:
        return False
    if led_groups is None:
        led_groups = groups_led_by(user)
    return wanted <= set(led_groups)


def may_write(
    user,
    permissions: Iterable[str],
    *,
    groups: Iterable[int | None] | None = None,
    meeting: int | None = None,
    led_groups: Collection[int] | None = None,
    organised: Collection[int] | None = None,
) -> bool:
    """Whether `user` may make a write that needs `permissions`.

    Staff holding them may; so may a lead of every one of `groups`, the ids of the groups the
    write touches. `groups` is None where leads have no say (governance and project records).
    `meeting` is the id of the meeting a write stays within (it moves nothing into another
    group): its organisers may make it too. `led_groups` and `organised` spare the queries
    when the caller has `groups_led_by(user)` and `meetings_organised_by(user)`.
    """
    if has_model_permissions(user, permissions):
        return True
    if groups is None:
        return False
    if leads(user, groups, led_groups=led_groups):
        return True
    if meeting is None:
        return False
    return meeting in (meetings_organised_by(user) if organised is None else organised)


def sees_private(user, group: int | None, *, led_groups: Collection[int] | None = None) -> bool:
    """Whether `user` sees the private details of a group's record (a private meeting's links,
    agenda and minutes): staff, and the leads of the group."""
    return is_staff(user) or leads(user, [group], led_groups=led_groups)


def runs_election(user, election: Election) -> bool:
    """Whether `user` administers `election`: one of its officers, or staff allowed to change
    elections."""
    if has_model_permissions(user, model_permissions(Election, "change")):
        return True
    return bool(
        user is not None and user.is_authenticated and election.officers.filter(user=user).exists()
    )


# The rule as the API applies it: the default permission class of every viewset.

# What a write needs of the model it writes, by method (DRF's DjangoModelPermissions).
METHOD_ACTIONS = {"POST": ("add",), "PUT": ("change",), "PATCH": ("change",), "DELETE": ("delete",)}


def write_permissions(request, view) -> tuple[str, ...]:
    """The Django permissions the request's write needs: the view's `write_permissions` for
    its action (an action that writes more than its own model), else its model's for the method."""
    if request.method not in METHOD_ACTIONS:
        raise MethodNotAllowed(request.method)
    declared = getattr(view, "write_permissions", {})
    action = getattr(view, "action", None)
    if action in declared:
        return declared[action]
    return model_permissions(view.get_queryset().model, *METHOD_ACTIONS[request.method])


class WriteRule(permissions.BasePermission):
    """Anyone reads; a write follows governance.permissions.may_write.

    Staff need the Django model permissions of what they write. In a view of records that
    belong to a group (a GroupRecordsMixin), the group's leads write them too.
    """

    message = "Writing this needs its model permission (staff), or leading its group (meetings)."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if has_model_permissions(request.user, write_permissions(request, view)):
            return True
        # A lead's write is checked against its record's group (and the group it goes to),
        # an organiser's against its meeting.
        return isinstance(view, GroupRecordsMixin) and bool(
            view.led_groups or view.organised_meetings
        )

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not isinstance(view, GroupRecordsMixin):
            return may_write(request.user, write_permissions(request, view))
        return may_write(
            request.user,
            write_permissions(request, view),
            groups=[view.group_of(obj)],
            meeting=view.meeting_id_of(obj),
            led_groups=view.led_groups,
            organised=view.organised_meetings,
        )


class GroupRecordsMixin:
    """A viewset whose records belong to a group, whose current leads write them as staff do,
    and to a meeting, whose organisers write them too.

    `group_of(record)` names a record's group (id), `meeting_id_of(record)` its meeting's (None
    for none); a create or a move calls `require_write` with the group the record goes to, and
    the meeting when it stays within one.
    """

    def group_of(self, record) -> int | None:
        raise NotImplementedError

    def meeting_id_of(self, record) -> int | None:
        return None

    @cached_property
    def led_groups(self) -> frozenset[int]:
        return groups_led_by(self.request.user)

    @cached_property
    def organised_meetings(self) -> frozenset[int]:
        return meetings_organised_by(self.request.user)

    def require_write(self, group, *, meeting: int | None = None) -> None:
        """Refuse (403) a write into `group` (within `meeting`) that the user may not make."""
        if not may_write(
            self.request.user,
            write_permissions(self.request, self),
            groups=[group.pk],
            meeting=meeting,
            led_groups=self.led_groups,
            organised=self.organised_meetings,
        ):
            raise PermissionDenied(
                f"Only the leads of {group}, the meeting's organisers, and staff allowed to, "
                "write its records."
            )
