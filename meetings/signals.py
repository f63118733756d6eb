"""Cached feeds are invalidated once any change to what they show is committed (saved, deleted
or written in bulk by common.bulk.BulkWrite); other apps hear of an occurrence's changes through
the signals below.

meetings.services sends them inside the change's transaction, after the change is written: a
receiver's writes commit or roll back with it, and an exception in a receiver undoes the change.
A receiver connects in its AppConfig.ready() (notifications queues its mail notices there).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from common.bulk import bulk_written
from governance.models import Group, Person, Role
from meetings.feeds import invalidate_feeds
from meetings.models import AgendaItem, Meeting, Occurrence, Schedule

FEED_MODELS = (Meeting, Schedule, Occurrence, AgendaItem, Group, Role, Person)


def data_changed(sender, using=None, **kwargs) -> None:
    # After commit: a feed rendered meanwhile from the old data must not be stored as current.
    # Robust: the change is committed, so a failing invalidation is logged, never a 500.
    transaction.on_commit(invalidate_feeds, using=using, robust=True)


for model in FEED_MODELS:
    for signal in (post_save, post_delete, bulk_written):
        signal.connect(data_changed, sender=model, dispatch_uid=f"feeds:{model._meta.label}")


# Sent with sender=Occurrence when an occurrence is cancelled, moved or restored (by
# occurrence_set_status or occurrence_delete), with:
#   record   - the Occurrence as it now is (unsaved, status scheduled, when it was deleted)
#   previous - its status before the change ("scheduled" when it had no record)
occurrence_status_changed = Signal()

# Sent with sender=Occurrence when agenda_save changed an occurrence's agenda or minutes, with:
#   record          - the saved Occurrence
#   agenda_changed  - whether its agenda items are now other than they were
#   minutes_changed - whether its minutes are now other (and not empty)
occurrence_agenda_saved = Signal()
