"""The one way every app's services change a stored record's fields."""

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ForeignKey, Model, QuerySet


def model_update(*, instance: Model, fields: Mapping[str, Any]) -> list[str]:
    """Set `fields` on `instance`, validate it with its model's messages and save it when it is
    new or something changed (`validate_and_save`); returns the names that changed.

    A name that is not a concrete field of the model is a TypeError (a misspelt field must never
    be a silent no-op); many-to-many fields are set by the caller after the save. When
    validation fails the instance keeps the values it had, as stored.
    """
    changed = changed_fields(instance, fields)
    before = {name: getattr(instance, name) for name in changed}
    for name in changed:
        setattr(instance, name, fields[name])
    if changed or instance.pk is None:
        try:
            validate_and_save(instance)
        except ValidationError:
            for name in changed:
                setattr(instance, name, before[name])
            raise
    return changed


def changed_fields(instance: Model, fields: Mapping[str, Any]) -> list[str]:
    """The names in `fields` whose values are not the instance's (an unknown name is a
    TypeError, as in model_update)."""
    check_fields(instance, fields)
    return [name for name, value in fields.items() if getattr(instance, name) != value]


def validate_and_save(instance: Model) -> None:
    """Validate `instance` as `full_clean()` does and save it, with the database's help.

    Its fields and `clean()` are checked first. The unique and check constraints, which the
    database enforces, are checked by the save itself (in a savepoint); only when a check or the
    database refuses does `full_clean()` run every check, to say at once, with the model's own
    messages, all that is wrong (a ValidationError naming the fields), and nothing is written.
    A related row the instance holds, saved and not narrowed by `limit_choices_to`, is not
    looked up again: the foreign key stands behind it. So a valid save costs its writes, not a
    query per rule.
    """
    try:
        validate_fields(instance)
        with transaction.atomic():
            instance.save()
    except (ValidationError, IntegrityError):
        instance.full_clean()
        raise


def validate_fields(instance: Model, *, clean: bool = True, exclude: Iterable[str] = ()) -> None:
    """The checks `validate_and_save` makes before writing: `full_clean()` without the unique
    and check constraints, which the write leaves to the database, and without looking up
    again a related row the instance holds (saved, not narrowed by `limit_choices_to`).
    Without `clean`, the fields only: the caller applies the model's clean() rules itself.
    `exclude`: fields whose values the caller's reader has already checked as the model would."""
    held = [
        field.name
        for field in _plain_foreign_keys(type(instance))
        if field.is_cached(instance)
        and (related := field.get_cached_value(instance)) is not None
        and related.pk == getattr(instance, field.attname)
    ]
    held += exclude
    if clean:
        instance.full_clean(exclude=held, validate_unique=False, validate_constraints=False)
    else:
        instance.clean_fields(exclude=held)


@cache
def _plain_foreign_keys(model: type[Model]) -> list[ForeignKey]:
    """The model's foreign keys not narrowed by `limit_choices_to`."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey) and not field.remote_field.limit_choices_to
    ]


def check_fields(instance: Model, fields: Iterable[str]) -> None:
    """A TypeError unless each name is a concrete field of the instance's model (or a foreign
    key's id): a misspelt field must never be a silent no-op."""
    unknown = [name for name in fields if not _is_settable(instance, name)]
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no field {', '.join(map(repr, unknown))}")


def refusal_text(error: Exception) -> str:
    """Why a write was refused, as one line for an import's report: each field at fault named
    with its messages ("name: message; ..."), the model's own messages (clean(), constraints)
    as they are."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(
            " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


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


class EditConflict(Exception):
    """Someone else saved the record after the editor loaded it; nothing was written."""

    def __init__(self, current: Model, version: int):
        self.current = current
        self.version = version
        super().__init__(f"{current} was saved by someone else (now version {version}).")


def version_claim(*, rows: QuerySet, expected: int) -> bool:
    """Raise the `version` of the stored row `rows` selects if it still is `expected`; whether
    this save claimed it. The UPDATE locks the row until commit, so of two saves from the same
    version exactly one claims it and the other finds nothing to update."""
    return bool(rows.filter(version=expected).update(version=F("version") + 1))


def version_require(*, instance: Model, expected: int) -> None:
    """Claim the save of stored `instance` from version `expected` (version_claim), or raise
    EditConflict with the version someone else saved; `instance` then reads the new version."""
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if not version_claim(rows=rows, expected=expected):
        raise EditConflict(instance, rows.values_list("version", flat=True).get())
    instance.refresh_from_db(fields=["version"])
