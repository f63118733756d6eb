"""Writing many records of one model at once, as an import does.

Each record is validated as `common.services.validate_and_save` validates one (its fields and
`clean()`; the database checks the unique and check constraints), and all of them are written
in a few statements, each with its django-simple-history entry. When the database refuses the
batch, the records are written one by one in savepoints, so the ones it refuses are named (with
the model's messages) and the others are written; a change run `optimistically` writes each
batch without a savepoint, and runs again with them should the database refuse one.

Bulk writes send no post_save or post_delete: `bulk_written` is sent instead, once per write
(and once for each other model a deletion cascaded to), for the caches that follow the data (a
receiver connects in its AppConfig.ready()).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import AutoField, Field, Model
from django.db.models.deletion import Collector
from django.db.models.sql import DeleteQuery
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_model_for_model

from common.services import changed_fields, check_fields, validate_and_save, validate_fields

T = TypeVar("T")
# Whether a batch is written without a savepoint of its own (`optimistically`).
_unguarded: ContextVar[bool] = ContextVar("common.bulk.unguarded", default=False)


class BatchRefused(Exception):
    """The database refused a batch written without a savepoint: the transaction is broken."""


def optimistically(change: Callable[[], T]) -> T:
    """Run `change`, which makes its writes in one transaction of its own, with each batch
    written without a savepoint; should the database refuse one (validation catches what it
    would refuse: rarely), the transaction is rolled back and `change` runs again with a
    savepoint around each batch, so that the records it refuses are named and the others
    written. A savepoint costs two statements a batch."""
    token = _unguarded.set(True)
    try:
        return change()
    except BatchRefused:
        pass
    finally:
        _unguarded.reset(token)
    return change()


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
    deleted: dict[Any, M] = field(default_factory=dict)  # by primary key
    fields: set[str] = field(default_factory=set)
    # name -> {id(instance): (instance, the records it is to be related to)}
    related: dict[str, dict[int, tuple[M, list[Model]]]] = field(default_factory=dict)
    # The checks of each record, and the one-by-one save when the database refuses the batch:
    # by default those of validate_and_save; a model with its own (an imported record kept
    # with its broken rules as flags) gives them, and an import that applied the model's
    # clean() rules in memory, where clean() would query, checks the fields alone
    # (`partial(validate_fields, clean=False)`).
    validate: Callable[[Any], None] = validate_fields
    save: Callable[[Any], None] = validate_and_save

    def create(self, instance: M) -> M:
        """Validate a new record (ValidationError, naming the fields) and write it later."""
        self.validate(instance)
        self.created.append(instance)
        return instance

    def update(self, instance: M, fields: Mapping[str, Any]) -> list[str]:
        """Set `fields` on a stored record as `model_update` does (an unknown name is a
        TypeError; when validation fails the instance keeps its values) and write it later if
        something changed; returns the names that changed."""
        changed = changed_fields(instance, fields)
        before = {name: getattr(instance, name) for name in changed}
        if not changed:
            return []
        for name in changed:
            setattr(instance, name, fields[name])
        try:
            self.validate(instance)
        except ValidationError:
            for name in changed:
                setattr(instance, name, before[name])
            raise
        self.updated[instance.pk] = instance
        self.fields.update(changed)
        return changed

    def changed(self, instance: M, names: Iterable[str]) -> None:
        """Write later a stored record whose fields `names` the caller set (validated as
        `update` validates; the caller keeps the values should it fail)."""
        names = list(names)
        check_fields(instance, names)
        self.validate(instance)
        self.updated[instance.pk] = instance
        self.fields.update(names)

    def delete(self, instances: Iterable[M]) -> None:
        self.deleted.update((instance.pk, instance) for instance in instances)

    def relate(self, instance: M, name: str, targets: Iterable[Model]) -> None:
        """Replace the many-to-many `name` of a new or stored record with `targets` when it is
        written (the caller found that it changed). A stored record whose history keeps `name`
        is written again, so that its history has an entry for the change."""
        self.related.setdefault(name, {})[id(instance)] = (instance, list(targets))
        if instance.pk is not None and name in _history_m2m_fields(self.model):
            self.updated.setdefault(instance.pk, instance)

    def write(self) -> list[tuple[M, ValidationError]]:
        """Write what was collected; the records the database refused, each with its error
        (they are not written; the others are)."""
        updated = list(self.updated.values())
        self._stamp(self.created, adding=True)
        self._stamp(updated, adding=False)
        refused = self._each(self.created, self._insert) + self._each(updated, self._update)
        deleted = self._delete() if self.deleted else {}
        refused_ids = {id(instance) for instance, _ in refused}
        created = [instance for instance in self.created if id(instance) not in refused_ids]
        updated = [instance for instance in updated if id(instance) not in refused_ids]
        self._relate(created, updated, refused_ids)
        own = deleted.pop(self.model, set())
        if created or updated or own:
            bulk_written.send(sender=self.model, created=created, updated=updated, deleted=own)
        for model, keys in deleted.items():
            bulk_written.send(sender=model, created=[], updated=[], deleted=keys)
        return refused

    def write_all(self) -> None:
        """Write what was collected as one change: a record the database refuses refuses it
        all (its ValidationError is raised; the caller's transaction takes back the rest)."""
        refused = self.write()
        if refused:
            raise refused[0][1]

    def _insert(self, instances: list[M]) -> None:
        """bulk_create's insert of new records (the keys of related records they hold taken,
        each field's `pre_save` value, or the instant `_stamp` gave it, the keys given set)."""
        opts = self.model._meta
        db = connections[router.db_for_write(self.model)]
        for instance in instances:
            instance._prepare_related_fields_for_save(  # type: ignore[attr-defined]
                operation_name="bulk_create"
            )
        stamped = _stamped_fields(self.model, True)
        values = {}
        for each in opts.concrete_fields:
            if isinstance(each, AutoField) or each.generated:
                continue
            if each in stamped:
                column = [getattr(instance, each.attname) for instance in instances]
            else:
                column = [each.pre_save(instance, True) for instance in instances]
            values[each] = _prepared(db, each, column)
        copies = _history_copies(self.model, instances, "+")
        chained = _chained(db, copies)
        keys = _insert_columns(db, self.model, values, returning=opts.pk, copy=chained)
        for instance, key in zip(instances, keys, strict=True):
            instance.pk = key
            instance._state.adding = False
            instance._state.db = db.alias
        if chained is None:
            _copy_rows(db, self.model, copies)

    def _update(self, instances: list[M]) -> None:
        """bulk_update's write of the changed fields (the keys of related records they hold
        taken), as columns of prepared values."""
        opts = self.model._meta
        db = connections[router.db_for_write(self.model)]
        fields = [
            each
            for each in opts.concrete_fields
            if each.name in self.fields or each.attname in self.fields
        ]
        copies = _history_copies(self.model, instances, "~")
        # (a record written again for the history of its links alone changes no column)
        chained = None
        if fields:
            for instance in instances:
                instance._prepare_related_fields_for_save(  # type: ignore[attr-defined]
                    operation_name="bulk_update", fields=fields
                )
            values = {
                each: _prepared(
                    db, each, [getattr(instance, each.attname) for instance in instances]
                )
                for each in fields
            }
            keys = _prepared(db, opts.pk, [instance.pk for instance in instances])
            chained = _chained(db, copies)
            _update_columns(db, self.model, values, keys, copy=chained)
        if chained is None:
            _copy_rows(db, self.model, copies)

    def _delete(self) -> dict[type[Model], set[Any]]:
        """Delete the records as QuerySet.delete() does (Django's Collector: its refusals, what
        they cascade to, the links it sets to null), each model's history entries ("-", as
        django-simple-history's post_delete makes them, in the same order) written at once,
        without pre_delete or post_delete; the keys deleted, by model (a link table's
        excepted). A deleted record's entry keeps no many-to-many links: they went first.
        The records are collected as the caller holds them, as Model.delete() collects one."""
        db = router.db_for_write(self.model)
        records = list(self.deleted.values())
        collector = Collector(using=db)
        collector.collect(records)
        collector.sort()
        # Collector.delete() sends the signals of the rows it read (collector.data): they are
        # deleted here, after what it deletes without reading and the links it sets to null.
        read, collector.data = collector.data, {}
        deleted: dict[type[Model], set[Any]] = {}
        with transaction.atomic(using=db, savepoint=False):
            collector.delete()
            for model, instances in read.items():
                # Each model's rows as Collector.delete() deletes them: by key, descending.
                ordered = sorted(instances, key=attrgetter("pk"), reverse=True)
                DeleteQuery(model).delete_batch([each.pk for each in ordered], db)
                if not model._meta.auto_created:
                    _write_deleted_history(model, ordered)
                    deleted[model] = {each.pk for each in ordered}
        return deleted

    def _stamp(self, instances: list[M], *, adding: bool) -> None:
        """Set the records' `auto_now` fields (and, new ones, their `auto_now_add` fields) as
        save() would, to one instant for the write, which is then prepared for the database
        once: an update written in bulk does not set them, and bulk_create asks the clock for
        each record."""
        now = timezone.now()
        for model_field in _stamped_fields(self.model, adding):
            for instance in instances:
                setattr(instance, model_field.attname, now)
            if not adding:
                self.fields.add(model_field.name)

    def _each(self, instances: list[M], write) -> list[tuple[M, ValidationError]]:
        if not instances:
            return []
        if _unguarded.get():
            try:
                write(instances)
            except IntegrityError as error:
                raise BatchRefused from error
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
                self.save(instance)
            except ValidationError as error:
                refused.append((instance, error))
        return refused

    def _relate(self, created: list[M], updated: list[M], refused: set[int]) -> None:
        """Write the many-to-many links `relate` collected, then the links each history entry
        of this write keeps (as django-simple-history does on a save)."""
        db = connections[router.db_for_write(self.model)]
        quote = db.ops.quote_name
        new = {id(instance) for instance in created}
        for name, entries in self.related.items():
            relation = self.model._meta.get_field(name)
            through = relation.remote_field.through  # type: ignore[union-attr]
            source = relation.m2m_field_name()  # type: ignore[union-attr]
            target = relation.m2m_reverse_field_name()  # type: ignore[union-attr]
            written = [each for key, each in entries.items() if key not in refused]
            stored = [instance.pk for instance, _ in written if id(instance) not in new]
            # The stored records' links go first (their table has no history of its own).
            column = quote(through._meta.get_field(source).column)
            _execute_keyed(
                db,
                f"DELETE FROM {quote(through._meta.db_table)} WHERE {column} {{keys}}",
                [],
                stored,
                self.model._meta.pk,
            )
            links = [(instance.pk, each.pk) for instance, targets in written for each in targets]
            _insert_values(
                through,
                {
                    f"{source}_id": [key for key, _ in links],
                    f"{target}_id": [key for _, key in links],
                },
            )
        written_pks = [instance.pk for instance in created + updated]
        for relation in _history_m2m_fields(self.model).values() if written_pks else ():
            _copy_links(db, self.model, relation, written_pks)


def _copy_links(
    db: BaseDatabaseWrapper, model: type[Model], relation: Any, keys: list[Any]
) -> None:
    """Give the latest history entry of each record of `model` whose primary key is in `keys`
    the links it has (the rows of the many-to-many `relation`'s table), as django-simple-history
    keeps them, in place of any it was given (a record saved one by one, when the database
    refused the batch, has its snapshot of the links before): copied by the database."""
    quote = db.ops.quote_name
    snapshot = quote(HistoricalRecords.m2m_models[relation]._meta.db_table)
    through = relation.remote_field.through
    links = quote(through._meta.db_table)
    source = quote(through._meta.get_field(relation.m2m_field_name()).column)
    columns = [quote(each.column) for each in through._meta.concrete_fields]
    key = quote(model._meta.pk.column)
    latest = (
        f"SELECT {key} AS record, MAX(history_id) AS entry "
        f"FROM {quote(_history(model)._meta.db_table)} WHERE {key} {{keys}} GROUP BY {key}"
    )
    for statement in (
        f"DELETE FROM {snapshot} WHERE history_id IN (SELECT entry FROM ({latest}) latest)",
        f"INSERT INTO {snapshot} ({', '.join(columns)}, history_id) "
        f"SELECT {', '.join(f'{links}.{each}' for each in columns)}, latest.entry "
        f"FROM {links} INNER JOIN ({latest}) latest ON {links}.{source} = latest.record "
        f"ORDER BY latest.entry, {links}.{quote(through._meta.pk.column)}",
    ):
        _execute_keyed(db, statement, [], keys, model._meta.pk)


@dataclass
class _Copy:
    """History entries that the database copies from written rows: each row's `tracked` columns
    with the values `added` (the entry's date, user, change reason and type), the same for all."""

    history: type[Model]
    tracked: list[Field]
    added: dict[Field, Any]

    def insert(self, db: BaseDatabaseWrapper, model: type[Model], source: str) -> tuple[str, list]:
        """`INSERT INTO <history> … SELECT … FROM <source>` (`model`'s rows: its table, or a
        WITH query of them, named so in the statement), and its parameters."""
        quote = db.ops.quote_name
        columns = {each.name: each.column for each in model._meta.concrete_fields}
        names = ", ".join(quote(each.column) for each in [*self.tracked, *self.added])
        # (on PostgreSQL, bound apart from the text, each value is cast to its column's type)
        placeholders = [
            f"%s::{_sizeless_type(db, each)}" if db.vendor == "postgresql" else "%s"
            for each in self.added
        ]
        row = ", ".join(
            [*(f"{source}.{quote(columns[each.name])}" for each in self.tracked), *placeholders]
        )
        table = quote(self.history._meta.db_table)
        return (
            f"INSERT INTO {table} ({names}) SELECT {row} FROM {source}",
            [each.get_db_prep_save(value, db) for each, value in self.added.items()],
        )


def _entries(
    model: type[Model], instances: list[M], history_type: str
) -> tuple[Any, list[Field], dict[Field, list[Any]]] | None:
    """The history entries of `instances`, each as django-simple-history's bulk_history_create
    makes it (its user, date and change reason, one date for the write, the history model's
    other fields at their defaults): the history model, the fields it tracks, and each of its
    other fields' values, by record; None when history is not kept (or nothing is written).
    Building a historical instance apiece, and compiling it, cost more than the write."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not instances:
        return None
    if not _has_history(model):
        return None  # (a model a deletion cascaded to may keep none)
    history = _history(model)
    date = timezone.now()
    tracked_names = {each.name for each in history.tracked_fields}
    tracked: list[Field] = []
    own: dict[Field, list[Any]] = {}
    for each in history._meta.concrete_fields:
        if each.name in tracked_names:
            tracked.append(each)
        elif each.name == "history_date":
            own[each] = [getattr(instance, "_history_date", date) for instance in instances]
        elif each.name == "history_user":
            own[each] = _history_users(history, instances)
        elif each.name == "history_change_reason":
            own[each] = [getattr(record, "_change_reason", None) or None for record in instances]
        elif each.name == "history_type":
            own[each] = [history_type] * len(instances)
        elif not isinstance(each, AutoField):
            own[each] = [each.get_default()] * len(instances)
    return history, tracked, own


def _history_copies(
    model: type[Model], instances: list[M], history_type: str
) -> list[tuple[_Copy, list[M]]]:
    """The entries of written or changed records, as copies of their rows (so that their values
    are not sent a second time), each with the records whose entries add the same values (one
    copy, usually)."""
    entries = _entries(model, instances, history_type)
    if entries is None:
        return []
    history, tracked, own = entries
    alike: dict[tuple, list[M]] = defaultdict(list)
    for index, instance in enumerate(instances):
        alike[tuple(column[index] for column in own.values())].append(instance)
    return [
        (_Copy(history, tracked, dict(zip(own, added, strict=True))), records)
        for added, records in alike.items()
    ]


def _chained(db: BaseDatabaseWrapper, copies: list[tuple[_Copy, list[M]]]) -> _Copy | None:
    """The copy that PostgreSQL makes in the statement that writes the rows (one WITH query
    for both): when there is one."""
    return copies[0][0] if db.vendor == "postgresql" and len(copies) == 1 else None


def _write_deleted_history(model: type[Model], instances: list[M]) -> None:
    """The "-" entries of deleted records, inserted from the instances' values (their rows are
    gone)."""
    entries = _entries(model, instances, "-")
    if entries is None:
        return
    history, tracked, own = entries
    db = connections[router.db_for_write(history)]
    columns = {
        each: [getattr(instance, each.attname) for instance in instances] for each in tracked
    }
    values = {each: _prepared(db, each, column) for each, column in (columns | own).items()}
    _insert_columns(db, history, values)


def _history_users(history: Any, instances: list[M]) -> list[Any]:
    """The key of each entry's user: the one a record was given (`_history_user`), else the
    request's, as django-simple-history's get_history_user finds them (asked once: it is the
    same for every record without one)."""
    keys: list[Any] = []
    default: list[Any] = []
    for instance in instances:
        if hasattr(instance, "_history_user"):
            user = instance._history_user
        elif default:
            user = default[0]
        else:
            user = history.get_default_history_user(instance)
            default.append(user)
        keys.append(None if user is None else user.pk)
    return keys


def _copy_rows(
    db: BaseDatabaseWrapper, model: type[Model], copies: list[tuple[_Copy, list[M]]]
) -> None:
    """Make each copy of the rows of its records, from `model`'s table (by key, as the rows
    were inserted)."""
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    pk = f"{table}.{quote(model._meta.pk.column)}"
    for copy, records in copies:
        insert, params = copy.insert(db, model, table)
        _execute_keyed(
            db,
            f"{insert} WHERE {pk} {{keys}} ORDER BY {pk}",
            params,
            [each.pk for each in records],
            model._meta.pk,
        )


def _execute_keyed(
    db: BaseDatabaseWrapper, statement: str, params: list[Any], keys: list[Any], field: Field
) -> None:
    """Run `statement` (its parameters `params`, then the keys) for the values `keys` of
    `field`, which go where it says `{keys}`: on PostgreSQL as one array (`= ANY(…)`, not a
    parameter apiece for psycopg to quote into the text), elsewhere as `IN (…)`, in as few
    statements as the database takes parameters for. Nothing is run without keys."""
    if not keys:
        return
    if db.vendor == "postgresql":
        with _binding_cursor(db) as cursor:
            cursor.execute(
                statement.format(keys=f"= ANY(%b::{_sizeless_type(db, field)}[])"),
                [*params, _prepared(db, field, keys)],
            )
        return
    limit = db.features.max_query_params
    size = limit - len(params) if limit else len(keys)
    with db.cursor() as cursor:
        for start in range(0, len(keys), size):
            batch = _prepared(db, field, keys[start : start + size])
            cursor.execute(
                statement.format(keys=f"IN ({', '.join(['%s'] * len(batch))})"), params + batch
            )


def _insert_values(model: type[Model], columns: dict[str, Sequence[Any]]) -> None:
    """Insert rows into `model`'s table given the values of each field, by attname."""
    db = connections[router.db_for_write(model)]
    fields = {each.attname: each for each in model._meta.concrete_fields}
    if any(columns.values()):
        _insert_columns(
            db,
            model,
            {fields[name]: _prepared(db, fields[name], column) for name, column in columns.items()},
        )


def _insert_columns(
    db: BaseDatabaseWrapper,
    model: type[Model],
    values: dict[Field, list[Any]],
    returning: Field | None = None,
    copy: _Copy | None = None,
) -> list[Any]:
    """Insert rows into `model`'s table given the database values of each field, and return
    each row's `returning` field: on PostgreSQL in one statement, an array per column (as
    Django's bulk_create does) and one value for a column that holds it throughout, which
    makes the history `copy` of the rows too; elsewhere the statement of a row run for each,
    or, to return a field, in batches of rows as bulk_create makes them."""
    quote = db.ops.quote_name
    names = ", ".join(quote(each.column) for each in values)
    insert = f"INSERT INTO {quote(model._meta.db_table)} ({names})"
    back = f" RETURNING {quote(returning.column)}" if returning else ""
    if db.vendor == "postgresql":
        select, (rows_sql, arrays) = _unnest(db, values)
        statement = f"{insert} SELECT {', '.join(sql for sql, _ in select)} FROM {rows_sql}"
        params = [value for _, scalar in select for value in scalar] + arrays
        if copy is None:
            statement += back
        else:
            statement, params = _with_copy(db, model, statement, params, copy, returning)
        with _binding_cursor(db) as cursor:
            cursor.execute(statement, params)
            return [row[0] for row in cursor.fetchall()] if returning else []
    with db.cursor() as cursor:
        rows = list(zip(*values.values(), strict=True))
        row = f"({', '.join(['%s'] * len(values))})"
        if not returning:
            cursor.executemany(f"{insert} VALUES {row}", rows)
            return []
        size = max(db.ops.bulk_batch_size(list(values), rows), 1)
        keys = []
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                f"{insert} VALUES {', '.join([row] * len(batch))}{back}",
                [value for each in batch for value in each],
            )
            keys += [each[0] for each in cursor.fetchall()]
        return keys


def _update_columns(
    db: BaseDatabaseWrapper,
    model: type[Model],
    values: dict[Field, list[Any]],
    keys: list[Any],
    copy: _Copy | None = None,
) -> None:
    """Set the fields of `model`'s rows with the database keys `keys` to the database values of
    each field: on PostgreSQL in one statement (the rows as `_insert_columns` sends them),
    which makes the history `copy` of the rows too; elsewhere the statement of a row run for
    each."""
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    key = f"{table}.{quote(model._meta.pk.column)}"
    if db.vendor == "postgresql":
        columns, (rows_sql, arrays) = _unnest(db, {**values, model._meta.pk: keys})
        *sets, (on, scalar) = columns
        assigned = ", ".join(
            f"{quote(each.column)} = {sql}" for each, (sql, _) in zip(values, sets, strict=True)
        )
        statement = f"UPDATE {table} SET {assigned} FROM {rows_sql} WHERE {key} = {on}"
        params = [value for _, each in sets for value in each] + arrays + scalar
        if copy is not None:
            statement, params = _with_copy(db, model, statement, params, copy)
        with _binding_cursor(db) as cursor:
            cursor.execute(statement, params)
        return
    with db.cursor() as cursor:
        assigned = ", ".join(f"{quote(each.column)} = %s" for each in values)
        cursor.executemany(
            f"UPDATE {table} SET {assigned} WHERE {key} = %s",
            list(zip(*values.values(), keys, strict=True)),
        )


def _with_copy(
    db: BaseDatabaseWrapper,
    model: type[Model],
    write: str,
    params: list[Any],
    copy: _Copy,
    returning: Field | None = None,
) -> tuple[str, list[Any]]:
    """PostgreSQL's statement that makes `write` (an INSERT or UPDATE of `model`'s rows) and
    the history `copy` of the rows it wrote, by key, and returns their `returning` field."""
    quote = db.ops.quote_name
    insert, added = copy.insert(db, model, "written")
    written = f"WITH written AS ({write} RETURNING {quote(model._meta.db_table)}.*)"
    copied = f"{insert} ORDER BY written.{quote(model._meta.pk.column)}"
    if returning is None:
        return f"{written} {copied}", params + added
    back = f"SELECT written.{quote(returning.column)} FROM written"
    return f"{written}, copied AS ({copied}) {back}", params + added


def _unnest(
    db: BaseDatabaseWrapper, values: dict[Field, list[Any]]
) -> tuple[list[tuple[str, list[Any]]], tuple[str, list[Any]]]:
    """PostgreSQL's rows of the database values of each field, as Django's bulk_create sends
    them (an array per column, cast to its type without its size: varchar[], not
    varchar(50)[]) in psycopg's binary format (`%b`: its text format quotes each value in
    Python), a column that holds one value throughout sent once, not as an array: each
    column's SQL with its parameter, and the FROM item of the rows, `UNNEST(…) AS u(…)`,
    with its parameters (to run in `_binding_cursor`)."""
    columns: list[tuple[str, list[Any]]] = []
    arrays: list[str] = []
    params: list[Any] = []
    for each, column in values.items():
        kind = _sizeless_type(db, each)
        # (one array at least: the rows are those of the arrays)
        if (arrays or len(values) > len(columns) + 1) and _constant(column):
            columns.append((f"%s::{kind}", [column[0]]))
        else:
            columns.append((f"u.c{len(arrays)}", []))
            arrays.append(f"%b::{kind}[]")
            params.append(column)
    names = ", ".join(f"c{n}" for n in range(len(arrays)))
    return columns, (f"UNNEST({', '.join(arrays)}) AS u({names})", params)


@cache  # (asked for each column of each statement; db_type() formats it each time)
def _sizeless_type(db: BaseDatabaseWrapper, field: Field) -> str:
    """The field's column type without its size, to cast to: varchar, not varchar(50)."""
    return str(field.db_type(db)).split("(")[0]


def _binding_cursor(db: BaseDatabaseWrapper):
    """A cursor of Django's on PostgreSQL that sends its parameters apart from the statement
    (psycopg's server-side binding) where Django's own binds them into its text: the only one
    that takes arrays in the binary format. Wrapped as Django wraps its cursors, so that the
    statement is logged and counted as theirs are."""
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]  # psycopg 3
        ServerBindingCursor,
    )

    db.ensure_connection()
    cursor = ServerBindingCursor(db.connection)
    return db.make_debug_cursor(cursor) if db.queries_logged else db.make_cursor(cursor)


def _prepared(db: BaseDatabaseWrapper, field: Field, column: Sequence[Any]) -> list[Any]:
    """The database's values of `column`, each value prepared once: one the column holds
    throughout (the write's date, type and user), and each of those a column repeats (kinds,
    keys, empty values); a value that cannot be a key (a JSON field's list) each time."""
    if _constant(column):
        return [field.get_db_prep_save(column[0], db)] * len(column)
    done: dict[tuple[type, Any], Any] = {}

    def prepared(value: Any) -> Any:
        key = (type(value), value)
        try:
            return done[key]
        except KeyError:
            done[key] = result = field.get_db_prep_save(value, db)
            return result
        except TypeError:
            return field.get_db_prep_save(value, db)

    return [prepared(value) for value in column]


def _constant(column: Sequence[Any]) -> bool:
    """Whether `column` holds one value (one object) throughout."""
    return all(value is column[0] for value in column)


def _has_history(model: type[Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


@cache  # a model's history is made once; reaching it makes a manager class each time
def _history(model: type[Model]) -> Any:
    return get_history_model_for_model(model)


@cache
def _stamped_fields(model: type[Model], adding: bool) -> tuple[Field, ...]:
    """The fields that save() sets to the instant of the write (`adding`: of a new record)."""
    return tuple(
        each
        for each in model._meta.concrete_fields
        if getattr(each, "auto_now", False) or (adding and getattr(each, "auto_now_add", False))
    )


@cache
def _history_m2m_fields(model: type[Model]) -> dict[str, Any]:
    """The many-to-many fields whose links `model`'s history keeps with each entry, by name."""
    return {each.name: each for each in getattr(_history(model), "_history_m2m_fields", [])}
