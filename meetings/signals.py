"""Cached feeds are invalidated once any change to what they show is committed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from governance.models import Group, Person, Role
from meetings.feeds import invalidate_feeds
from meetings.models import AgendaItem, Meeting, Occurrence, Schedule

FEED_MODELS = (Meeting, Schedule, Occurrence, AgendaItem, Group, Role, Person)


def data_changed(sender, using=None, **kwargs) -> None:
    # After commit: a feed rendered meanwhile from the old data must not be stored as current.
    # Robust: the change is committed, so a failing invalidation is logged, never a 500.
    transaction.on_commit(invalidate_feeds, using=using, robust=True)


for model in FEED_MODELS:
    for signal in (post_save, post_delete):
        signal.connect(data_changed, sender=model, dispatch_uid=f"feeds:{model._meta.label}")
