"""Subscriptions for tests, and the private data they hold for the privacy walker."""

import datetime

import factory
from django.utils import timezone

from notifications.models import Notice, NoticeKind, Subscription
from tests.factories import GroupFactory
from tests.meetings.factories import MeetingFactory, ScheduleFactory


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"subscriber-{n}@example.net")
    time_zone = "Europe/Berlin"
    confirmed_at = factory.LazyFunction(timezone.now)


def private_subscription_secrets() -> list[str]:
    """Subscribers of a private meeting (one confirmed with a notice sent, one waiting, one to
    the meeting's group): their addresses and the meeting's join link are never public."""
    meeting = MeetingFactory(
        group=GroupFactory(slug="sig-hidden", name="SIG Hidden"),
        slug="hidden-sync",
        title="Hidden sync",
        is_private=True,
        join_url="https://zoom.example.org/j/hidden-sync-secret",
    )
    schedule = ScheduleFactory(meeting=meeting, first_date=datetime.date(2026, 10, 5))
    confirmed = SubscriptionFactory(email="confirmed-secret@example.net", meeting=meeting)
    SubscriptionFactory(email="waiting-secret@example.net", meeting=meeting, confirmed_at=None)
    SubscriptionFactory(email="group-secret@example.net", group=meeting.group)
    Notice.objects.create(
        subscription=confirmed,
        schedule=schedule,
        original_date=datetime.date(2026, 10, 12),
        kind=NoticeKind.REMINDER,
        lead_minutes=60,
        due_at=timezone.now(),
    )
    return [
        "confirmed-secret@example.net",
        "waiting-secret@example.net",
        "group-secret@example.net",
        meeting.join_url,
    ]
