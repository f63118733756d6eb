"""Writes to governance records: validated, atomic, the one place each rule is applied."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from governance.models import Committee, Group, Person, Role


def _apply(instance, fields: dict[str, Any]):
    """Set `fields` on `instance`, validate it and save it; returns the names that changed."""
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed or instance.pk is None:
        instance.full_clean()
        instance.save()
    return changed


@transaction.atomic
def person_create(*, handle: str, **fields: Any) -> Person:
    person = Person(handle=handle)
    _apply(person, fields)
    return person


@transaction.atomic
def person_update(*, person: Person, **fields: Any) -> list[str]:
    return _apply(person, fields)


@transaction.atomic
def group_create(*, slug: str, name: str, kind: str, **fields: Any) -> Group:
    group = Group(slug=slug, name=name, kind=kind)
    _apply(group, fields)
    return group


@transaction.atomic
def group_update(*, group: Group, **fields: Any) -> list[str]:
    return _apply(group, fields)


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
