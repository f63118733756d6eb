"""Subscriptions of e-mail addresses to a meeting, a group or everything, and the notices
queued for them (one row per subscription, occurrence and kind: a mail is sent once)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from governance.models import Group, TimeStamped
from governance.timezones import validate_time_zone
from meetings.models import Meeting, Schedule

# Reminder leads offered, in minutes before the start; the default is a day and an hour.
REMINDER_CHOICES = [
    (10, "10 minutes"),
    (15, "15 minutes"),
    (30, "30 minutes"),
    (60, "1 hour"),
    (120, "2 hours"),
    (1440, "24 hours"),
    (2880, "2 days"),
    (10080, "1 week"),
]
DEFAULT_REMINDERS = [1440, 60]
LONGEST_REMINDER = max(minutes for minutes, _ in REMINDER_CHOICES)


def default_reminders() -> list[int]:
    return list(DEFAULT_REMINDERS)


def validate_reminders(value) -> None:
    """A list of the offered reminder leads (minutes before the start)."""
    offered = {minutes for minutes, _ in REMINDER_CHOICES}
    if not isinstance(value, list) or not all(
        isinstance(minutes, int) and minutes in offered for minutes in value
    ):
        choices = ", ".join(str(minutes) for minutes in sorted(offered))
        raise ValidationError(f"Reminders are minutes before the start, among {choices}.")


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not disabled: these receive mail."""
        return self.filter(confirmed_at__isnull=False, disabled_at__isnull=True)

    def hearing_of(self, meetings: Iterable[Meeting]):
        """Those that cover any of `meetings`: subscribed to one, to its group or to everything
        (Subscription.covers tells which)."""
        meetings = list(meetings)
        return self.filter(
            Q(meeting__in=meetings)
            | Q(group_id__in={meeting.group_id for meeting in meetings})
            | Q(meeting__isnull=True, group__isnull=True)
        )


class Subscription(TimeStamped):
    """An e-mail address hearing of one meeting, one group's meetings or every meeting."""

    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscriptions",
        help_text="The signed-in account whose address this is: its mail shows what it may see.",
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    time_zone = models.CharField(
        max_length=64, validators=[validate_time_zone], help_text="The subscriber's own zone."
    )
    reminders = models.JSONField(
        default=default_reminders,
        blank=True,
        validators=[validate_reminders],
        help_text="Minutes before each occurrence to send a reminder.",
    )
    changes = models.BooleanField(default=True, help_text="Cancellations and moves.")
    agendas = models.BooleanField(default=True, help_text="Agendas posted or changed.")
    minutes = models.BooleanField(default=True, help_text="Minutes published.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(
        null=True, blank=True, help_text="Set after repeated delivery failures; no mail is sent."
    )
    failures = models.PositiveSmallIntegerField(default=0, help_text="Deliveries refused in a row.")

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) | Q(group__isnull=True),
                name="subscription_one_target",
                violation_error_message="Subscribe to a meeting, a group or everything.",
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.target_name}"

    @property
    def target_name(self) -> str:
        if self.meeting_id:
            return str(self.meeting)
        if self.group_id:
            return f"{self.group}'s meetings"
        return "every meeting"

    def covers(self, meeting: Meeting) -> bool:
        """Whether it hears of `meeting`: it is subscribed to it, to its group or to everything."""
        return self.meeting_id == meeting.pk or (
            self.meeting_id is None and self.group_id in (None, meeting.group_id)
        )

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.disabled_at is None

    def get_absolute_url(self):
        """The subscriber's own page of this subscription, addressed by its signed token."""
        from notifications.tokens import subscription_token  # which imports this module

        return reverse("notifications:subscription", args=[subscription_token(self)])


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    CANCELLED = "cancelled", "Cancelled"
    MOVED = "moved", "Moved"
    RESTORED = "restored", "Back on"
    AGENDA = "agenda", "Agenda"
    MINUTES = "minutes", "Minutes"


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    DROPPED = "dropped", "Dropped (the change was undone)"
    FAILED = "failed", "Failed"


class Notice(TimeStamped):
    """One mail to one subscriber about one occurrence: queued, being sent, sent or dropped."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="notices")
    original_date = models.DateField(help_text="The occurrence, by its schedule's local date.")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    lead_minutes = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(LONGEST_REMINDER)], help_text="Reminders only."
    )
    status = models.CharField(
        max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED
    )
    due_at = models.DateTimeField(help_text="Not sent before this instant.")
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "schedule", "original_date", "kind", "lead_minutes"],
                name="notice_once_per_occurrence_and_kind",
                violation_error_message="This subscriber already has this notice.",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="notice_due")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.schedule.meeting} on {self.original_date}"
