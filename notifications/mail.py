"""What the mails say: each notice and each confirmation request, in plain text and HTML, to its
one recipient (no mail names another subscriber), with the headers that let a mail program
unsubscribe in one click (RFC 8058). Private details follow meetings.privacy: a private
meeting's join link and agenda reach only a subscriber whose account may see them."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import privacy, recurrence, zones
from meetings import selectors as meeting_selectors
from meetings.models import OccurrenceStatus
from meetings.recurrence import Slot
from notifications.models import Notice, NoticeKind, Subscription
from notifications.tokens import subscription_token

# The occurrence's status a notice of each kind tells of; sent only while it still holds.
KIND_STATUS = {
    NoticeKind.CANCELLED: OccurrenceStatus.CANCELLED,
    NoticeKind.MOVED: OccurrenceStatus.MOVED,
    NoticeKind.RESTORED: OccurrenceStatus.SCHEDULED,
}
DETAIL_KINDS = {NoticeKind.AGENDA, NoticeKind.MINUTES}


def site_url(path: str) -> str:
    return settings.AGORA_SITE_URL + path


def day(moment: datetime.datetime) -> str:
    """ "Tue 8 Dec" """
    return f"{moment:%a} {moment.day} {moment:%b}"


def _lead(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return "in 24 hours" if days == 1 else f"in {days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"in {hours} hour{'s' if hours > 1 else ''}"
    return f"in {minutes} minutes"


def times(
    start: datetime.datetime, end: datetime.datetime, home: str, own: str
) -> list[tuple[str, str]]:
    """(zone, "Tue 8 Dec 2026, 5-6 PM PST") in the home zone, the subscriber's and UTC."""
    lines = []
    for name in dict.fromkeys([home, own, "UTC"]):
        zone = ZoneInfo(name)
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        text = (
            f"{day(local_start)} {local_start.year}, {zones.format_range(local_start, local_end)}"
        )
        lines.append((name, text))
    return lines


def _links(subscription: Subscription) -> dict[str, str]:
    token = subscription_token(subscription)
    return {
        "manage_url": site_url(reverse("notifications:subscription", args=[token])),
        "unsubscribe_url": site_url(reverse("notifications:unsubscribe", args=[token])),
    }


def _message(
    subject: str, template: str, context: dict, to: str, headers: dict[str, str]
) -> EmailMultiAlternatives:
    context = {**context, "site_name": settings.AGORA_SITE_NAME}
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"notifications/mail/{template}.txt", context),
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **headers},
    )
    message.attach_alternative(
        render_to_string(f"notifications/mail/{template}.html", context), "text/html"
    )
    return message


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    """The double opt-in: nothing else is sent until its link is followed."""
    token = subscription_token(subscription)
    context = {
        "subscription": subscription,
        "confirm_url": site_url(reverse("notifications:confirm", args=[token])),
    }
    return _message(
        f"Confirm: mail about {subscription.target_name}",
        "confirm",
        context,
        subscription.email,
        {},
    )


def _still_true(notice: Notice, slot: Slot, now: datetime.datetime, shows: bool) -> bool:
    """Whether what the notice tells of still holds when it is sent."""
    kind = notice.kind
    if kind in KIND_STATUS:
        return slot.status == KIND_STATUS[NoticeKind(kind)]
    if kind == NoticeKind.REMINDER:
        return not slot.is_cancelled and slot.start > now
    if kind == NoticeKind.AGENDA:
        return shows and slot.record is not None and slot.record.agenda_items.exists()
    return shows and slot.record is not None and bool(slot.record.minutes.strip())


def notice_message(notice: Notice, *, now: datetime.datetime) -> EmailMultiAlternatives | None:
    """The mail of `notice` as things stand now, or None when there is nothing to tell any more
    (a cancellation undone, a meeting that has started, a subscription disabled)."""
    subscription = notice.subscription
    schedule = notice.schedule
    meeting = schedule.meeting
    slot = recurrence.slot_on(schedule, notice.original_date)
    shows = privacy.shows_details(subscription.user, meeting)
    if slot is None or not subscription.is_active or not _still_true(notice, slot, now, shows):
        return None
    record = slot.record
    planned = meeting_selectors.planned_lines(slot)[0].start  # where the schedule has it
    kind = NoticeKind(notice.kind)
    label = kind.label
    if kind == NoticeKind.REMINDER:
        label = f"Reminder, {_lead(notice.lead_minutes)}"
    context = {
        "kind": kind.value,
        "label": label,
        "meeting": meeting,
        "slot": slot,
        "reason": record.reason if record and slot.status != OccurrenceStatus.SCHEDULED else "",
        "times": times(slot.start, slot.end, schedule.time_zone, subscription.time_zone),
        "planned_times": (
            times(planned, planned + schedule.duration, schedule.time_zone, subscription.time_zone)
            if slot.is_moved
            else []
        ),
        "join_url": meeting.join_url if shows and not slot.is_cancelled else "",
        "agenda_url": meeting.agenda_url if shows else "",
        "agenda": list(record.agenda_items.all()) if shows and record else [],
        "minutes": record.minutes if shows and record and kind == NoticeKind.MINUTES else "",
        "occurrence_url": site_url(
            reverse("meetings:occurrence-detail", args=[meeting.slug, slot.local_date])
        ),
        "subscription": subscription,
        **_links(subscription),
    }
    subject_day = day(planned.astimezone(slot.zone))
    if slot.is_moved and slot.local_date != slot.original_date:
        subject_day += f" to {day(slot.local_start)}"
    subject_label = "Reminder" if kind == NoticeKind.REMINDER else kind.label
    return _message(
        f"{subject_label}: {meeting.title}, {subject_day}",
        "notice",
        context,
        subscription.email,
        {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
