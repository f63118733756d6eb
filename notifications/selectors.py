"""Reads of subscriptions and of the occurrences they are due to hear of."""

import datetime
from collections import defaultdict

from django.db.models import Q, QuerySet

from meetings import selectors as meeting_selectors
from meetings.models import Meeting
from notifications.models import Notice, NoticeKind, Subscription


def subscriptions_of(user) -> QuerySet[Subscription]:
    """The subscriptions a signed-in account owns, with what each covers."""
    return Subscription.objects.filter(user=user).select_related("meeting", "group")


def due_reminders(*, now: datetime.datetime) -> list[Notice]:
    """The reminders due now (not stored): for each active subscription and each occurrence it
    covers that has not started and is not cancelled, the shortest lead whose time has come
    (after a sender outage, the 1 h reminder goes out rather than the day-old 24 h one)."""
    subscriptions = [row for row in Subscription.objects.active() if row.reminders]
    if not subscriptions:
        return []
    horizon = now + datetime.timedelta(minutes=max(max(row.reminders) for row in subscriptions))
    everything = any(row.meeting_id is None and row.group_id is None for row in subscriptions)
    chosen: list[Meeting] = []
    if not everything:
        chosen = list(
            Meeting.objects.filter(
                Q(pk__in={row.meeting_id for row in subscriptions if row.meeting_id})
                | Q(group__in={row.group_id for row in subscriptions if row.group_id})
            )
        )
        if not chosen:
            return []
    slots = meeting_selectors.slots_in_range(start=now, end=horizon, meeting=chosen)
    by_target: dict[tuple[str, int | None], list[Subscription]] = defaultdict(list)
    for row in subscriptions:
        key = ("meeting", row.meeting_id) if row.meeting_id else ("group", row.group_id)
        by_target[key].append(row)
    due = []
    for slot in slots:
        if slot.is_cancelled or slot.start <= now:
            continue
        covering = (
            by_target[("meeting", slot.meeting.pk)]
            + by_target[("group", slot.meeting.group_id)]
            + by_target[("group", None)]
        )
        for subscription in covering:
            leads = [
                lead
                for lead in subscription.reminders
                if slot.start - datetime.timedelta(minutes=lead) <= now
            ]
            if leads:
                due.append(
                    Notice(
                        subscription=subscription,
                        schedule=slot.schedule,
                        original_date=slot.original_date,
                        kind=NoticeKind.REMINDER,
                        lead_minutes=min(leads),
                        due_at=slot.start - datetime.timedelta(minutes=min(leads)),
                    )
                )
    return due
