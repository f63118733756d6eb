"""Who changed a record last, from its django-simple-history entries: the pages' "changed by"."""

from django.db.models import Model


def last_saved(record: Model):
    """The latest history entry of a stored `record` (who saved it, when, with the person of
    that login), or None for a record never saved or without history."""
    if record.pk is None:
        return None
    return record.history.select_related("history_user__person").first()  # type: ignore[attr-defined]
