"""Meetings, their schedules in wall-clock time of a home zone, and per-occurrence records."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from governance.models import URL_MAX_LENGTH, Group, Person, Subproject, TimeStamped
from governance.timezones import validate_time_zone
from meetings import recurrence
from meetings.recurrence import MAX_DURATION_MINUTES, Frequency, OccurrenceStatus, WeekOfMonth


def validate_zone_list(value):
    """A list of IANA zone names."""
    if not isinstance(value, list) or not all(isinstance(zone, str) for zone in value):
        raise ValidationError("Enter a list of IANA time zone names.")
    for zone in value:
        validate_time_zone(zone)


class MeetingKind(models.TextChoices):
    COMMUNITY_FORUM = "community_forum", "Community forum"
    ARCHITECTURE_FORUM = "architecture_forum", "Architecture forum"
    GROUP_MEETING = "group_meeting", "Group meeting"
    OFFICE_HOURS = "office_hours", "Office hours"
    OTHER = "other", "Other"


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_private=False)


class Meeting(TimeStamped):
    """A recurring (or one-off) meeting owned by a group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    subproject = models.ForeignKey(
        Subproject, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=24, choices=MeetingKind.choices, default=MeetingKind.GROUP_MEETING
    )
    description = models.TextField(blank=True)
    join_url = models.URLField(max_length=URL_MAX_LENGTH, blank=True)
    agenda_url = models.URLField(
        max_length=URL_MAX_LENGTH, blank=True, help_text="Agenda document."
    )
    notes_url = models.URLField(max_length=URL_MAX_LENGTH, blank=True)
    recordings_url = models.URLField(max_length=URL_MAX_LENGTH, blank=True)
    display_zones = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_zone_list],
        help_text='Zones shown besides the site\'s defaults, e.g. ["Asia/Kolkata"].',
    )
    is_private = models.BooleanField(
        default=False,
        help_text="The time is public; the join link, agenda and minutes are not.",
    )
    organisers = models.ManyToManyField(
        Person,
        blank=True,
        related_name="organised_meetings",
        help_text="People who edit this meeting (and only it) besides its group's leads.",
    )
    organising_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="organised_meetings",
        help_text="Groups whose people edit this meeting (and only it), liaisons aside.",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised on each save of the meeting or its schedules on the site.",
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.subproject_id and self.group_id and self.subproject.group_id != self.group_id:
            raise ValidationError({"subproject": "The subproject belongs to another group."})


class ScheduleQuerySet(models.QuerySet):
    def confirmed(self):
        """Schedules whose dates are known: these are in the feeds."""
        return self.filter(first_date__isnull=False, start_time__isnull=False)

    def unconfirmed(self):
        return self.filter(Q(first_date__isnull=True) | Q(start_time__isnull=True))


class Schedule(TimeStamped):
    """When a meeting happens: wall-clock time in a home zone, repeating over local dates."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="schedules")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    first_date = models.DateField(
        null=True,
        blank=True,
        help_text="Local date of the first occurrence; empty until confirmed.",
    )
    start_time = models.TimeField(null=True, blank=True, help_text="Local start time.")
    duration_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="Every N weeks (weekly) or N months (monthly).",
    )
    week_of_month = models.SmallIntegerField(
        choices=WeekOfMonth.choices, null=True, blank=True, help_text="For monthly schedules."
    )
    rrule = models.CharField(
        max_length=500, blank=True, help_text="RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2TU."
    )
    last_date = models.DateField(null=True, blank=True, help_text="No occurrence after this date.")
    source_text = models.TextField(
        blank=True, help_text="The free text this schedule was read from, when imported."
    )
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="iCalendar SEQUENCE: raised on each change."
    )

    objects = ScheduleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "first_date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1)
                & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="schedule_duration_within_a_day",
                violation_error_message="A meeting lasts between one minute and one day.",
            ),
            models.CheckConstraint(
                condition=~Q(frequency=Frequency.MONTHLY) | Q(week_of_month__isnull=False),
                name="schedule_monthly_has_week",
                violation_error_message="A monthly schedule names the week of the month.",
            ),
            models.CheckConstraint(
                condition=~Q(frequency=Frequency.RRULE) | ~Q(rrule=""),
                name="schedule_custom_has_rrule",
                violation_error_message="A custom schedule needs an RRULE.",
            ),
            models.CheckConstraint(
                condition=Q(last_date__isnull=True)
                | Q(first_date__isnull=True)
                | Q(last_date__gte=models.F("first_date")),
                name="schedule_last_after_first",
                violation_error_message="The last date cannot be before the first date.",
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.describe()}"

    @property
    def is_confirmed(self) -> bool:
        return self.first_date is not None and self.start_time is not None

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)

    def describe(self) -> str:
        return recurrence.describe(self)

    def clean(self):
        super().clean()
        recurrence.validate_schedule(self)


class Occurrence(TimeStamped):
    """What is stored about one occurrence: a cancellation or move, its agenda, minutes, recording.

    Addressed by its schedule and original local date; occurrences without a record are computed.
    """

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="occurrences")
    original_date = models.DateField(help_text="Local date the schedule gives this occurrence.")
    status = models.CharField(
        max_length=10, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED
    )
    reason = models.CharField(max_length=300, blank=True, help_text="Shown to readers.")
    moved_start = models.DateTimeField(null=True, blank=True, help_text="New start (instant).")
    moved_duration_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    minutes = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")
    recording_url = models.URLField(max_length=500, blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised on each agenda or minutes save."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "original_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "original_date"],
                name="occurrence_one_per_date",
                violation_error_message="This occurrence already has a record.",
            ),
            models.CheckConstraint(
                condition=~Q(status=OccurrenceStatus.MOVED)
                | Q(moved_start__isnull=False)
                | Q(moved_duration_minutes__isnull=False),
                name="occurrence_moved_has_change",
                violation_error_message="A moved occurrence needs a new start or duration.",
            ),
        ]

    def __str__(self):
        return f"{self.schedule.meeting} on {self.original_date}"

    def get_absolute_url(self):
        return reverse(
            "meetings:occurrence-detail", args=[self.schedule.meeting.slug, self.original_date]
        )

    @property
    def is_cancelled_or_moved(self) -> bool:
        return self.status != OccurrenceStatus.SCHEDULED

    def clean(self):
        super().clean()
        recurrence.validate_occurrence(self)


class AgendaItem(models.Model):
    """One item on an occurrence's agenda."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    presenter = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    presenter_name = models.CharField(
        max_length=200, blank=True, help_text="When the presenter is not a known person."
    )
    minutes_allotted = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    link = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["occurrence", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def presenter_display(self) -> str:
        return self.presenter.display_name if self.presenter else self.presenter_name
