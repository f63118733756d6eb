"""The one way every app's services change a stored record's fields."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model


def model_update(*, instance: Model, fields: Mapping[str, Any]) -> list[str]:
    """Set `fields` on `instance`, validate it with its model's messages and save it when it is
    new or something changed; returns the names that changed.

    A name that is not a concrete field of the model is a TypeError (a misspelt field must never
    be a silent no-op); many-to-many fields are set by the caller after the save. When
    validation fails the instance keeps the values it had, as stored.
    """
    unknown = [name for name in fields if not _is_settable(instance, name)]
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no field {', '.join(map(repr, unknown))}")
    before = {name: getattr(instance, name) for name in fields}
    changed = [name for name, value in fields.items() if before[name] != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed or instance.pk is None:
        try:
            full_clean(instance)
        except ValidationError:
            for name in changed:
                setattr(instance, name, before[name])
            raise
        instance.save()
    return changed


def full_clean(instance: Model) -> None:
    """`instance.full_clean()`, without looking up again a row a foreign key holds: a related
    instance that is saved (and that no `limit_choices_to` narrows) is known to exist, and the
    database's foreign key stands behind it. Errors are gathered as full_clean gathers them."""
    held = {
        field.name
        for field in instance._meta.concrete_fields
        if field.many_to_one
        and not field.remote_field.limit_choices_to
        and field.is_cached(instance)
        and getattr(instance, field.name) is not None
        and getattr(instance, field.name).pk == getattr(instance, field.attname)
    }
    errors: dict = {}
    try:
        instance.full_clean(exclude=held, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = {name for name in errors if name != NON_FIELD_ERRORS}
    for validate in (instance.validate_unique, instance.validate_constraints):
        try:
            validate(exclude=failed)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def model_set_related(*, instance: Model, name: str, values: Iterable[Model] | None) -> list[str]:
    """Set the many-to-many field `name` of a saved `instance` to `values` (None leaves it as it
    is); returns [name] when it changed. What already holds `values` is not written again."""
    if values is None:
        return []
    if not instance._meta.get_field(name).many_to_many:
        raise TypeError(f"{type(instance).__name__}.{name} is not a many-to-many field")
    wanted = set(values)
    related = getattr(instance, name)
    if wanted == set(related.all()):
        return []
    related.set(wanted)
    return [name]


def _is_settable(instance: Model, name: str) -> bool:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        # A foreign key may be given by its id, `group_id` for `group`.
        return any(f.concrete and f.attname == name for f in instance._meta.fields)
    return field.concrete and not field.many_to_many
