"""Writing many records of one model at once, as an import does.

Each record is validated as `common.services.validate_and_save` validates one (its fields and
`clean()`; the database checks the unique and check constraints), and all of them are written
in a few statements, each with its django-simple-history entry. When the database refuses the
batch, the records are written one by one in savepoints, so the ones it refuses are named (with
the model's messages) and the others are written.

Bulk writes send no post_save or post_delete: `bulk_written` is sent instead, once per write,
for the caches that follow the data (a receiver connects in its AppConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.dispatch import Signal
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.services import changed_fields, validate_and_save, validate_fields

# Sent with sender=<the model> after a BulkWrite wrote (inside the write's transaction), with:
#   created - the records it inserted
#   updated - the records it updated
#   deleted - the primary keys of the records it deleted
bulk_written = Signal()

M = TypeVar("M", bound=Model)


@dataclass
class BulkWrite(Generic[M]):
    """The new and changed records of one model, collected, then written by `write()`."""

    model: type[M]
    created: list[M] = field(default_factory=list)
    updated: dict[Any, M] = field(default_factory=dict)
    deleted: set[Any] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    # Many-to-many field name -> [(record, the primary keys it is to hold)].
    related: dict[str, list[tuple[M, set[Any]]]] = field(default_factory=dict)

    def create(self, instance: M, *, clean: bool = True) -> M:
        """Validate a new record (ValidationError, naming the fields) and write it later.
        Without `clean`, its fields only: the caller has applied the model's clean() rules
        (e.g. with what it holds in memory, where clean() would query)."""
        validate_fields(instance, clean=clean)
        self.created.append(instance)
        return instance

    def update(self, instance: M, fields: Mapping[str, Any], *, clean: bool = True) -> list[str]:
        """Set `fields` on a stored record as `model_update` does (an unknown name is a
        TypeError; when validation fails the instance keeps its values) and write it later if
        something changed; returns the names that changed. `clean` as for create()."""
        changed = changed_fields(instance, fields)
        before = {name: getattr(instance, name) for name in changed}
        if not changed:
            return []
        for name in changed:
            setattr(instance, name, fields[name])
        try:
            validate_fields(instance, clean=clean)
        except ValidationError:
            for name in changed:
                setattr(instance, name, before[name])
            raise
        self.updated[instance.pk] = instance
        self.fields.update(changed)
        return changed

    def set_related(self, instance: M, name: str, values: Iterable[Model]) -> None:
        """Make the many-to-many field `name` of a record (created here, or stored) hold
        exactly `values` once written, with the history entry model_set_related gives it; for
        a list the caller knows changed."""
        if not self.model._meta.get_field(name).many_to_many:
            raise TypeError(f"{self.model.__name__}.{name} is not a many-to-many field")
        self.related.setdefault(name, []).append((instance, {value.pk for value in values}))

    def delete(self, instances: Iterable[M]) -> None:
        self.deleted.update(instance.pk for instance in instances)

    def write(self) -> list[tuple[M, ValidationError]]:
        """Write what was collected; the records the database refused, each with its error
        (they are not written; the others are)."""
        updated = list(self.updated.values())
        self._stamp(updated)
        refused = self._each(self.created, self._insert) + self._each(updated, self._update)
        if self.deleted:
            self.model._default_manager.filter(pk__in=self.deleted).delete()
        refused_ids = {id(instance) for instance, _ in refused}
        for name, lists in self.related.items():
            self._set_related(name, [entry for entry in lists if id(entry[0]) not in refused_ids])
        created = [instance for instance in self.created if id(instance) not in refused_ids]
        updated = [instance for instance in updated if id(instance) not in refused_ids]
        if created or updated or self.deleted:
            bulk_written.send(
                sender=self.model, created=created, updated=updated, deleted=set(self.deleted)
            )
        return refused

    def _insert(self, instances: list[M]) -> None:
        bulk_create_with_history(instances, self.model, default_date=timezone.now())

    def _update(self, instances: list[M]) -> None:
        bulk_update_with_history(
            instances, self.model, sorted(self.fields), default_date=timezone.now()
        )

    def _set_related(self, name: str, lists: list[tuple[M, set[Any]]]) -> None:
        """Replace the rows of many-to-many `name` of each record; each record gets a history
        entry ("~") holding its new rows, as simple_history's m2m tracking writes one."""
        if not lists:
            return
        relation: Any = self.model._meta.get_field(name)
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        records = [record for record, _ in lists]
        through._default_manager.filter(**{f"{source}__in": records}).delete()
        rows = through._default_manager.bulk_create(
            [
                through(**{f"{source}_id": record.pk, f"{target}_id": pk})
                for record, pks in lists
                for pk in sorted(pks)
            ]
        )
        history: str | None = getattr(self.model._meta, "simple_history_manager_attribute", None)
        if history is None:
            return
        historical = getattr(self.model, history).model
        if relation not in historical._history_m2m_fields:
            return
        entries = getattr(self.model, history).bulk_history_create(
            records, update=True, default_date=timezone.now()
        )
        rows_of: dict[Any, list[Model]] = {}
        for row in rows:
            rows_of.setdefault(getattr(row, f"{source}_id"), []).append(row)
        m2m_history = next(
            rel.related_model
            for rel in historical._meta.related_objects
            if rel.related_model.__name__ == f"Historical{through.__name__}"
        )
        m2m_history._default_manager.bulk_create(
            [
                m2m_history(
                    history=entry,
                    **{
                        "id": row.pk,
                        f"{source}_id": getattr(row, f"{source}_id"),
                        f"{target}_id": getattr(row, f"{target}_id"),
                    },
                )
                for entry, record in zip(entries, records, strict=True)
                for row in rows_of.get(record.pk, [])
            ]
        )

    def _stamp(self, instances: list[M]) -> None:
        """bulk_update does not set `auto_now` fields: set them, as save() would."""
        now = timezone.now()
        for model_field in self.model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False):
                for instance in instances:
                    setattr(instance, model_field.attname, now)
                self.fields.add(model_field.name)

    def _each(self, instances: list[M], write) -> list[tuple[M, ValidationError]]:
        if not instances:
            return []
        try:
            with transaction.atomic():
                write(instances)
            return []
        except IntegrityError:
            pass
        refused = []
        for instance in instances:
            try:
                validate_and_save(instance)
            except ValidationError as error:
                refused.append((instance, error))
        return refused
