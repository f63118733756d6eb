"""Writes to governance records: validated, atomic, the one place each rule is applied.

Every change of fields goes through `common.services.model_update`, so a name that is not a
field is an error. Importers (governance.importers) call these; nothing here knows a file format.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.services import model_set_related, model_update, version_require
from governance.models import (
    Channel,
    ChannelKind,
    Committee,
    Group,
    GroupStatus,
    Person,
    PersonLink,
    Role,
    RoleKind,
    Subproject,
)


@transaction.atomic
def person_create(*, handle: str, **fields: Any) -> Person:
    person = Person(handle=handle)
    model_update(instance=person, fields=fields)
    return person


@transaction.atomic
def person_link_user(*, user, handle: str) -> Person | None:
    """Link `user` to the person whose handle is `handle` (in any case), unless that person
    already has a login or `user` already is someone; the person `user` now is, or None."""
    linked = Person.objects.filter(user=user).first()
    if linked is not None or not handle:
        return linked
    person = (
        Person.objects.select_for_update().filter(handle__iexact=handle, user__isnull=True).first()
    )
    if person is not None:
        model_update(instance=person, fields={"user": user})
    return person


@transaction.atomic
def person_update(*, person: Person, **fields: Any) -> list[str]:
    return model_update(instance=person, fields=fields)


@transaction.atomic
def group_create(
    *,
    slug: str,
    name: str,
    kind: str,
    stakeholder_groups: Iterable[Group] = (),
    **fields: Any,
) -> Group:
    group = Group(slug=slug, name=name, kind=kind)
    model_update(instance=group, fields=fields)
    model_set_related(instance=group, name="stakeholder_groups", values=stakeholder_groups)
    return group


@transaction.atomic
def group_update(
    *, group: Group, stakeholder_groups: Iterable[Group] | None = None, **fields: Any
) -> list[str]:
    """Change `fields` and, when given, the stakeholder groups; returns the names that changed."""
    return model_update(instance=group, fields=fields) + model_set_related(
        instance=group, name="stakeholder_groups", values=stakeholder_groups
    )


@transaction.atomic
def committee_set(*, group: Group, **fields: Any) -> Committee:
    """Create or change the committee charter of a committee group."""
    committee = Committee.objects.filter(group=group).first() or Committee(group=group)
    model_update(instance=committee, fields=fields)
    return committee


@transaction.atomic
def committee_update(*, committee: Committee, **fields: Any) -> list[str]:
    return model_update(instance=committee, fields=fields)


@transaction.atomic
def role_create(
    *,
    person: Person,
    group: Group,
    kind: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    end_unknown: bool = False,
) -> Role:
    role = Role(person=person, group=group, kind=kind)
    model_update(instance=role, fields={"start": start, "end": end, "end_unknown": end_unknown})
    return role


@transaction.atomic
def role_end(*, role: Role, on: datetime.date | None = None) -> Role:
    """End a role's term: from `on` (default today) the person is past, emeritus if a lead."""
    model_update(instance=role, fields={"end": on or timezone.localdate()})
    return role


@transaction.atomic
def role_update(*, role: Role, **fields: Any) -> list[str]:
    return model_update(instance=role, fields=fields)


def channel_new(
    *, group: Group, kind: str, name: str, is_private: bool | None = None, **fields: Any
) -> Channel:
    """A new channel, not saved yet; unless told otherwise, private exactly when it is a
    private mailing list."""
    if is_private is None:
        is_private = kind == ChannelKind.PRIVATE_MAILING_LIST
    return Channel(group=group, kind=kind, name=name, is_private=is_private, **fields)


@transaction.atomic
def channel_create(*, group: Group, kind: str, name: str, **fields: Any) -> Channel:
    channel = channel_new(group=group, kind=kind, name=name)
    model_update(instance=channel, fields=fields)
    return channel


@transaction.atomic
def channel_update(*, channel: Channel, **fields: Any) -> list[str]:
    return model_update(instance=channel, fields=fields)


@transaction.atomic
def subproject_create(
    *, group: Group, name: str, leads: Iterable[Person] = (), **fields: Any
) -> Subproject:
    subproject = Subproject(group=group, name=name)
    model_update(instance=subproject, fields=fields)
    model_set_related(instance=subproject, name="leads", values=leads)
    return subproject


@transaction.atomic
def subproject_update(
    *, subproject: Subproject, leads: Iterable[Person] | None = None, **fields: Any
) -> list[str]:
    """Change `fields` and, when given, the leads; returns the names that changed."""
    return model_update(instance=subproject, fields=fields) + model_set_related(
        instance=subproject, name="leads", values=leads
    )


def _outcome(created: bool, changed: list[str]) -> str:
    if created:
        return "created"
    return "updated" if changed else "unchanged"


@transaction.atomic
def person_upsert(*, handle: str, **fields: Any) -> tuple[Person, str]:
    """Create the person with this handle (in any case) or bring their fields up to date."""
    person = Person.objects.filter(handle__iexact=handle).first()
    if person is None:
        return person_create(handle=handle, **fields), "created"
    return person, _outcome(
        False, model_update(instance=person, fields={"handle": handle, **fields})
    )


@transaction.atomic
def group_upsert(*, slug: str, **fields: Any) -> tuple[Group, str]:
    group = Group.objects.filter(slug=slug).first()
    if group is None:
        return group_create(slug=slug, **fields), "created"
    return group, _outcome(False, group_update(group=group, **fields))


@transaction.atomic
def group_archive(*, group: Group, reason: str, on: datetime.date | None = None) -> int:
    """Archive a group and end its current roles; returns how many roles ended."""
    on = on or timezone.localdate()
    roles = list(group.roles.current(on).select_related("person", "group"))
    for role in roles:
        role_end(role=role, on=on)
    model_update(instance=group, fields=archived_fields(reason=reason, on=on))
    return len(roles)


def archived_fields(*, reason: str, on: datetime.date) -> dict[str, Any]:
    """What archiving a group sets (group_archive; an import archives many at once)."""
    return {"status": GroupStatus.ARCHIVED, "status_since": on, "status_reason": reason}


@transaction.atomic
def channel_upsert(
    *, group: Group, subproject: Subproject | None = None, kind: str, name: str, **fields: Any
) -> tuple[Channel, str]:
    """Create or update the channel `kind`/`name` of a group (or of one of its subprojects)."""
    channel = Channel.objects.filter(
        group=group, subproject=subproject, kind=kind, name=name
    ).first()
    if channel is None:
        return channel_create(
            group=group, subproject=subproject, kind=kind, name=name, **fields
        ), "created"
    return channel, _outcome(False, channel_update(channel=channel, **fields))


@transaction.atomic
def person_delete(*, person: Person) -> None:
    person.delete()


@transaction.atomic
def person_link_create(*, person: Person, **fields: Any) -> PersonLink:
    link = PersonLink(person=person)
    model_update(instance=link, fields=fields)
    return link


@transaction.atomic
def person_link_update(*, link: PersonLink, **fields: Any) -> list[str]:
    return model_update(instance=link, fields=fields)


@transaction.atomic
def person_link_delete(*, link: PersonLink) -> None:
    link.delete()


@transaction.atomic
def group_delete(*, group: Group) -> None:
    """Remove a group with its roles, channels and subprojects (archiving keeps them)."""
    group.delete()


@transaction.atomic
def committee_delete(*, committee: Committee) -> None:
    committee.delete()


@transaction.atomic
def role_delete(*, role: Role) -> None:
    """Remove a role as if never held (ending it keeps the term in the record)."""
    role.delete()


@transaction.atomic
def channel_delete(*, channel: Channel) -> None:
    channel.delete()


@transaction.atomic
def subproject_upsert(
    *, group: Group, name: str, leads: list[Person] | None = None, **fields: Any
) -> tuple[Subproject, str]:
    """Create or update a group's subproject; `leads`, when given, become its only leads."""
    subproject = Subproject.objects.filter(group=group, name=name).first()
    if subproject is None:
        return subproject_create(group=group, name=name, leads=leads or (), **fields), "created"
    return subproject, _outcome(
        False, subproject_update(subproject=subproject, leads=leads, **fields)
    )


@transaction.atomic
def subproject_delete(*, subproject: Subproject) -> None:
    subproject.delete()


@transaction.atomic
def group_page_save(
    *,
    group: Group,
    expected_version: int,
    fields: Mapping[str, Any],
    channels: Sequence[Mapping[str, Any]] = (),
    subprojects: Sequence[Mapping[str, Any]] = (),
) -> list[str]:
    """Save a group's page as its leads edit it on the site: `fields` of the group, and its
    public channels and subprojects, each a mapping with `id` (None for a new one), `delete`
    and the fields to set; all or nothing, and only if nobody saved the page since the editor
    loaded `expected_version` (else EditConflict). The names that changed."""
    version_require(instance=group, expected=expected_version)
    changed = group_update(group=group, **fields)
    for entry in channels:
        changed += _page_row(
            group.channels.public(),
            entry,
            create=lambda values: channel_create(group=group, **values),
            update=lambda row, values: channel_update(channel=row, **values),
            delete=lambda row: channel_delete(channel=row),
            name="channels",
        )
    for entry in subprojects:
        changed += _page_row(
            group.subprojects.all(),
            entry,
            create=lambda values: subproject_create(group=group, **values),
            update=lambda row, values: subproject_update(subproject=row, **values),
            delete=lambda row: subproject_delete(subproject=row),
            name="subprojects",
        )
    return list(dict.fromkeys(changed))


def _page_row(rows, entry: Mapping[str, Any], *, create, update, delete, name: str) -> list[str]:
    """Create, change or delete one row of a group page's list; [name] when it changed."""
    values = {key: value for key, value in entry.items() if key not in ("id", "delete")}
    if entry.get("id") is None:
        if entry.get("delete"):
            return []
        create(values)
        return [name]
    row = rows.get(pk=entry["id"])
    if entry.get("delete"):
        delete(row)
        return [name]
    return [name] if update(row, values) else []


@transaction.atomic
def member_add(*, group: Group, handle: str) -> Role:
    """Add a member to a group whose charter lets its leads do so (Group.leads_add_members),
    adding the person to the roster if they are not in it yet."""
    if not group.leads_add_members:
        raise ValidationError({"handle": f"Members of {group} are added by the admins."})
    person, _ = person_upsert(handle=handle)
    return role_create(person=person, group=group, kind=RoleKind.MEMBER)
