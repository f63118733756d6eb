"""Writes to governance records: validated, atomic, the one place each rule is applied."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from governance.models import Channel, Committee, Group, Person, Role, Subproject


def _apply(instance, fields: dict[str, Any]):
    """Set `fields` on `instance`, validate it and save it; returns the names that changed."""
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed or instance.pk is None:
        instance.full_clean()
        instance.save()
    return changed


def _set_related(instance, name: str, values: Iterable | None) -> list[str]:
    """Set the many-to-many `name` of `instance` to `values` (None: leave it); [name] if changed."""
    if values is None:
        return []
    values = set(values)
    related = getattr(instance, name)
    if values == set(related.all()):
        return []
    related.set(values)
    return [name]


@transaction.atomic
def person_create(*, handle: str, **fields: Any) -> Person:
    person = Person(handle=handle)
    _apply(person, fields)
    return person


@transaction.atomic
def person_update(*, person: Person, **fields: Any) -> list[str]:
    return _apply(person, fields)


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
    _apply(group, fields)
    _set_related(group, "stakeholder_groups", stakeholder_groups)
    return group


@transaction.atomic
def group_update(
    *, group: Group, stakeholder_groups: Iterable[Group] | None = None, **fields: Any
) -> list[str]:
    """Change `fields` and, when given, the stakeholder groups; returns the names that changed."""
    return _apply(group, fields) + _set_related(group, "stakeholder_groups", stakeholder_groups)


@transaction.atomic
def committee_set(*, group: Group, **fields: Any) -> Committee:
    """Create or change the committee charter of a committee group."""
    committee = Committee.objects.filter(group=group).first() or Committee(group=group)
    _apply(committee, fields)
    return committee


@transaction.atomic
def role_create(
    *,
    person: Person,
    group: Group,
    kind: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Role:
    role = Role(person=person, group=group, kind=kind, start=start, end=end)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def role_end(*, role: Role, on: datetime.date | None = None) -> Role:
    """End a role's term: from `on` (default today) the person is past, emeritus if a lead."""
    role.end = on or timezone.localdate()
    role.full_clean()
    role.save(update_fields=["end", "updated_at"])
    return role


@transaction.atomic
def role_update(*, role: Role, **fields: Any) -> list[str]:
    return _apply(role, fields)


@transaction.atomic
def channel_create(*, group: Group, kind: str, name: str, **fields: Any) -> Channel:
    channel = Channel(group=group, kind=kind, name=name)
    _apply(channel, fields)
    return channel


@transaction.atomic
def channel_update(*, channel: Channel, **fields: Any) -> list[str]:
    return _apply(channel, fields)


@transaction.atomic
def subproject_create(
    *, group: Group, name: str, leads: Iterable[Person] = (), **fields: Any
) -> Subproject:
    subproject = Subproject(group=group, name=name)
    _apply(subproject, fields)
    _set_related(subproject, "leads", leads)
    return subproject


@transaction.atomic
def subproject_update(
    *, subproject: Subproject, leads: Iterable[Person] | None = None, **fields: Any
) -> list[str]:
    """Change `fields` and, when given, the leads; returns the names that changed."""
    return _apply(subproject, fields) + _set_related(subproject, "leads", leads)
