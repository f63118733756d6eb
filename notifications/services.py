"""Writes to subscriptions and the notice queue: subscribing with double opt-in, queuing a notice
in the transaction of the change it tells of, and claiming and settling notices as they are sent.

The queue is safe for several senders at once and after a crash: a notice is claimed by a
conditional UPDATE (of its status and claim instant), so exactly one sender wins it, and on
PostgreSQL the candidates are read with SELECT ... FOR UPDATE SKIP LOCKED so that senders do
not wait on each other. A claim older than CLAIM_LEASE is taken to be a crashed sender's.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from common.services import model_update
from governance.models import Group
from meetings import recurrence
from meetings import selectors as meeting_selectors
from meetings.models import Meeting, Occurrence, OccurrenceStatus
from notifications.models import Notice, NoticeKind, NoticeStatus, Subscription

# A confirmation mail is sent again for the same subscription at most this often.
CONFIRMATION_RESEND = datetime.timedelta(minutes=10)
# Agendas and minutes are often saved several times in a row: one mail tells of the last save.
SETTLE = datetime.timedelta(minutes=5)
# A sender that claimed a notice this long ago and did not settle it has crashed.
CLAIM_LEASE = datetime.timedelta(minutes=15)
# Attempts of one notice before it is given up, waiting BACKOFF * 2**(attempt - 1) in between.
MAX_ATTEMPTS = 5
BACKOFF = datetime.timedelta(minutes=5)
# Deliveries refused in a row (the server refused the address) before an address is disabled.
DISABLE_AFTER = 3
# The notice each status gives, and the kinds that tell of a status.
STATUS_NOTICES = {
    OccurrenceStatus.CANCELLED: NoticeKind.CANCELLED,
    OccurrenceStatus.MOVED: NoticeKind.MOVED,
    OccurrenceStatus.SCHEDULED: NoticeKind.RESTORED,
}
# Who hears of each kind of notice: the subscription's choice.
CHOICE_OF_KIND: dict[str, str] = {
    NoticeKind.CANCELLED: "changes",
    NoticeKind.MOVED: "changes",
    NoticeKind.AGENDA: "agendas",
    NoticeKind.MINUTES: "minutes",
}
CHOICE_FIELDS = ("time_zone", "reminders", "changes", "agendas", "minutes")


@transaction.atomic
def subscription_request(
    *,
    email: str,
    meeting: Meeting | None,
    group: Group | None,
    user=None,
    now: datetime.datetime | None = None,
    **choices,
) -> Subscription | None:
    """Ask to subscribe `email`; the subscription whose confirmation link is to be mailed now,
    or None when no mail is due (it was mailed a moment ago, or the address is subscribed).

    Nothing a stranger types changes a confirmed subscription: its address manages it through
    the links it was mailed. `user` owns the subscription (its mail shows what `user` may see)
    only when `email` is the account's own address.
    """
    now = now or timezone.now()
    email = BaseUserManager.normalize_email(email.strip())
    existing = Subscription.objects.filter(email__iexact=email, meeting=meeting, group=group)
    subscription = existing.select_for_update().first() or Subscription(
        email=email, meeting=meeting, group=group
    )
    if subscription.confirmed_at is not None:
        return None
    owner = user if user is not None and _owns(user, email) else None
    sent = subscription.confirmation_sent_at
    due = sent is None or now - sent >= CONFIRMATION_RESEND
    fields = {**choices, "user": owner}
    if due:
        fields["confirmation_sent_at"] = now
    model_update(instance=subscription, fields=fields)
    return subscription if due else None


def _owns(user, email: str) -> bool:
    return bool(user.is_authenticated and user.email and user.email.lower() == email.lower())


@transaction.atomic
def subscription_confirm(
    *, subscription: Subscription, now: datetime.datetime | None = None
) -> Subscription:
    """The address confirmed it wants the mail (double opt-in); confirming again changes nothing."""
    if subscription.confirmed_at is None:
        model_update(
            instance=subscription, fields={"confirmed_at": now or timezone.now(), "failures": 0}
        )
    return subscription


@transaction.atomic
def subscription_update(*, subscription: Subscription, **choices) -> list[str]:
    """Change what a subscription receives (CHOICE_FIELDS); the names that changed."""
    unknown = set(choices) - set(CHOICE_FIELDS)
    if unknown:
        raise TypeError(f"a subscriber does not choose {', '.join(sorted(unknown))}")
    return model_update(instance=subscription, fields=choices)


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """Unsubscribe: the subscription and its queue are forgotten."""
    subscription.delete()


def _to_come(record: Occurrence, now: datetime.datetime) -> bool:
    """Whether the occurrence, where its schedule had it or where it is now, is still to come."""
    schedule = record.schedule
    slot = (
        recurrence.slot_on(schedule, record.original_date, record)
        if schedule.is_confirmed
        else None
    )
    if slot is None:
        return False
    planned = meeting_selectors.planned_lines(slot)[0]
    return max(slot.end, planned.end) > now


def _notices(
    subscriptions: Iterable[int], record: Occurrence, kind: str, due: datetime.datetime
) -> list[Notice]:
    return [
        Notice(
            subscription_id=pk,
            schedule=record.schedule,
            original_date=record.original_date,
            kind=kind,
            due_at=due,
        )
        for pk in subscriptions
    ]


def _queue(notices: list[Notice]) -> None:
    """Queue the notices (or queue them again, with their attempts reset), in one statement."""
    Notice.objects.bulk_create(
        notices,
        update_conflicts=True,
        unique_fields=["subscription", "schedule", "original_date", "kind", "lead_minutes"],
        update_fields=["status", "due_at", "attempts", "claimed_at", "last_error", "updated_at"],
    )


def _subscribers(meetings: Iterable[Meeting], kind: str) -> dict[int, list[int]]:
    """The subscriptions that hear of `kind` about each of `meetings` (by pk), read at once."""
    by_pk = {meeting.pk: meeting for meeting in meetings}
    covering = list(
        Subscription.objects.active()
        .hearing_of(by_pk.values())
        .filter(**{CHOICE_OF_KIND[kind]: True})
        .only("pk", "meeting_id", "group_id")
    )
    return {
        key: [each.pk for each in covering if each.covers(meeting)]
        for key, meeting in by_pk.items()
    }


def _occurrences(records: Iterable[Occurrence]) -> Q:
    """The notices of these occurrences."""
    which = Q(pk__in=[])
    for record in records:
        which |= Q(schedule=record.schedule, original_date=record.original_date)
    return which


def notices_for_statuses(
    *, changes: Iterable[tuple[Occurrence, str]], now: datetime.datetime | None = None
) -> None:
    """Occurrences were cancelled, moved or restored (each given with its status before): tell
    their subscribers, in the change's transaction, in statements that do not grow with the
    occurrences. A notice of the state an occurrence left that is not sent yet is dropped (a
    cancellation undone before the sender ran tells nobody); those who were told of it hear it
    is back on."""
    now = now or timezone.now()
    kinds = [
        (record, previous, STATUS_NOTICES[OccurrenceStatus(record.status)])
        for record, previous in changes
    ]
    if not kinds:
        return
    status_kinds = set(STATUS_NOTICES.values())
    left = Q(pk__in=[])
    for record, _, kind in kinds:
        left |= Q(
            schedule=record.schedule,
            original_date=record.original_date,
            kind__in=status_kinds - {kind},
        )
    Notice.objects.filter(left, status=NoticeStatus.QUEUED).update(
        status=NoticeStatus.DROPPED, updated_at=now
    )
    telling = [
        (record, kind)
        for record, previous, kind in kinds
        if (previous != record.status or kind == NoticeKind.MOVED) and _to_come(record, now)
    ]
    restored = [record for record, kind in telling if kind == NoticeKind.RESTORED]
    hearing: dict[tuple, list[int]] = defaultdict(list)
    if restored:
        for schedule_id, original_date, subscription_id in (
            Notice.objects.filter(
                _occurrences(restored), kind__in=status_kinds, status=NoticeStatus.SENT
            )
            .exclude(kind=NoticeKind.RESTORED)
            .values_list("schedule_id", "original_date", "subscription_id")
            .distinct()
        ):
            hearing[NoticeKind.RESTORED, schedule_id, original_date].append(subscription_id)
    for kind in {kind for _, kind in telling} - {NoticeKind.RESTORED}:
        meetings = [record.schedule.meeting for record, each in telling if each == kind]
        for meeting_id, subscriptions in _subscribers(meetings, kind).items():
            hearing[kind, meeting_id] = subscriptions
    notices = []
    for record, kind in telling:
        if kind == NoticeKind.RESTORED:
            key: tuple = (kind, record.schedule_id, record.original_date)
        else:
            key = (kind, record.schedule.meeting_id)
        notices += _notices(hearing[key], record, kind, now)
    _queue(notices)


def notices_for_agenda(
    *,
    record: Occurrence,
    agenda_changed: bool,
    minutes_changed: bool,
    now: datetime.datetime | None = None,
) -> None:
    """An occurrence's agenda was posted or changed, or its minutes published: tell the
    subscribers who chose to hear of it once the editing has settled."""
    now = now or timezone.now()
    meeting = record.schedule.meeting
    notices = []
    for kind, changed in (
        (NoticeKind.AGENDA, agenda_changed and _to_come(record, now)),
        (NoticeKind.MINUTES, minutes_changed),
    ):
        if changed:
            hearing = _subscribers([meeting], kind)[meeting.pk]
            notices += _notices(hearing, record, kind, now + SETTLE)
    _queue(notices)


def reminders_queue(*, due: Iterable[Notice]) -> int:
    """Queue the reminders that are due (selectors.due_reminders); how many were new. One
    already queued or sent is left as it is: a reminder is sent once."""
    rows = Notice.objects.bulk_create(list(due), ignore_conflicts=True)
    return len(rows)


def notices_claim(*, now: datetime.datetime, limit: int = 100) -> list[Notice]:
    """Claim up to `limit` notices that are due (or whose sender crashed) for this sender."""
    stale = now - CLAIM_LEASE
    with transaction.atomic():
        candidates = list(
            Notice.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=NoticeStatus.QUEUED, due_at__lte=now)
                | Q(status=NoticeStatus.SENDING, claimed_at__lt=stale)
            )
            .order_by("due_at", "pk")
            .values_list("pk", "status", "claimed_at")[:limit]
        )
        claimed = [
            pk
            for pk, status, claimed_at in candidates
            if Notice.objects.filter(pk=pk, status=status, claimed_at=claimed_at).update(
                status=NoticeStatus.SENDING,
                claimed_at=now,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
        ]
    return list(
        Notice.objects.filter(pk__in=claimed)
        .select_related("subscription__user", "schedule__meeting__group")
        .order_by("due_at", "pk")
    )


def _settle(notice: Notice, now: datetime.datetime, **fields) -> bool:
    """Record what became of a claimed notice, unless a change queued it again meanwhile."""
    return bool(
        Notice.objects.filter(
            pk=notice.pk, status=NoticeStatus.SENDING, claimed_at=notice.claimed_at
        ).update(updated_at=now, **fields)
    )


@transaction.atomic
def notice_sent(*, notice: Notice, now: datetime.datetime) -> None:
    _settle(notice, now, status=NoticeStatus.SENT, sent_at=now, last_error="")
    Subscription.objects.filter(pk=notice.subscription_id, failures__gt=0).update(failures=0)


@transaction.atomic
def notice_drop(*, notice: Notice, now: datetime.datetime) -> None:
    """Nothing to tell any more (the change was undone, the meeting is over, the subscriber may
    not read the agenda): the notice is not sent."""
    _settle(notice, now, status=NoticeStatus.DROPPED)


@transaction.atomic
def notice_failed(*, notice: Notice, now: datetime.datetime, error: str, refused: bool) -> bool:
    """A send failed: tried again after a backoff, given up after MAX_ATTEMPTS. `refused`: the
    server refused the address, which is disabled after DISABLE_AFTER refusals in a row.
    Whether the notice was given up."""
    given_up = notice.attempts >= MAX_ATTEMPTS
    retry_at = now + BACKOFF * 2 ** (notice.attempts - 1)
    _settle(
        notice,
        now,
        status=NoticeStatus.FAILED if given_up else NoticeStatus.QUEUED,
        due_at=notice.due_at if given_up else retry_at,
        last_error=error[:2000],
    )
    if refused:
        subscription = Subscription.objects.select_for_update().get(pk=notice.subscription_id)
        failures = subscription.failures + 1
        fields: dict = {"failures": failures}
        if failures >= DISABLE_AFTER and subscription.disabled_at is None:
            fields["disabled_at"] = now
        model_update(instance=subscription, fields=fields)
    return given_up
