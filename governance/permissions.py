"""Who may see and write what: the one rule the API, the site's editing pages and the admin
apply, whatever app the record belongs to.

- Staff see private fields. They write a model's records only while they hold its Django model
  permissions (add, change, delete), as DRF's DjangoModelPermissions and the admin read them; a
  superuser holds them all.
- An election is run by its officers (their people's logins) and by staff holding the change
  permission of elections: they decide exception requests and certify the results.
- The current chairs, technical leads and leads of a group also write the records of their own
  group where an app lets leads edit (meetings, schedules, occurrences and agendas): every group
  a write touches, the record's own and any it would move to, must be one they lead.
"""

from collections.abc import Collection, Iterable
from functools import cached_property

from django.contrib.auth import get_permission_codename
from django.db.models import Model
from rest_framework import permissions
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied

from governance.models import Election, Role


def is_staff(user) -> bool:
    """Whether `user` is staff: sees private fields and signs in to the admin."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def groups_led_by(user) -> frozenset[int]:
    """Ids of the groups in which `user`'s person holds a current chair or lead role."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(
        Role.objects.current()
        .leadership()
        .filter(person__user=user)
        .values_list("group_id", flat=True)
    )


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
    led_groups: Collection[int] | None = None,
) -> bool:
    """Whether `user` may make a write that needs `permissions`.

    Staff holding them may; so may a lead of every one of `groups`, the ids of the groups the
    write touches. `groups` is None where leads have no say (governance and project records).
    """
    if has_model_permissions(user, permissions):
        return True
    return groups is not None and leads(user, groups, led_groups=led_groups)


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
        # A lead's write is checked against its record's group (and the group it goes to).
        return isinstance(view, GroupRecordsMixin) and bool(view.led_groups)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        groups = [view.group_of(obj)] if isinstance(view, GroupRecordsMixin) else None
        return may_write(
            request.user,
            write_permissions(request, view),
            groups=groups,
            led_groups=getattr(view, "led_groups", None),
        )


class GroupRecordsMixin:
    """A viewset whose records belong to a group, whose current leads write them as staff do.

    `group_of(record)` names a record's group (id); a create or a move calls `require_write`
    with the group the record goes to.
    """

    def group_of(self, record) -> int | None:
        raise NotImplementedError

    @cached_property
    def led_groups(self) -> frozenset[int]:
        return groups_led_by(self.request.user)

    def require_write(self, group) -> None:
        """Refuse (403) a write into `group` that the user may not make."""
        if not may_write(
            self.request.user,
            write_permissions(self.request, self),
            groups=[group.pk],
            led_groups=self.led_groups,
        ):
            raise PermissionDenied(
                f"Only the leads of {group}, and staff allowed to, write its records."
            )
