"""Admin for meetings: schedules, and confirming the first date of imported ones."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from meetings.importers.sigs_yaml import Reading, read_source_text, week_of_month
from meetings.models import Schedule
from meetings.recurrence import Frequency, WeekOfMonth
from meetings.services import schedule_confirm_first_date

# --- Confirming the first date of a schedule imported with "dates to be confirmed" ---


class ConfirmFirstDateForm(forms.Form):
    """One schedule's first date: one of the candidates its text allows, or another date."""

    candidate = forms.TypedChoiceField(
        coerce=datetime.date.fromisoformat,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        label="Next dates it may start on",
    )
    other_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Or another date",
        help_text="Any past or future date of the meeting, e.g. its first one.",
    )

    def __init__(self, *args, schedule: Schedule, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = schedule
        self.reading = read_source_text(schedule.source_text, on=today)
        self.fields["candidate"].choices = [
            (day.isoformat(), self._label(day)) for day in self.reading.candidates
        ]

    def _label(self, day: datetime.date) -> str:
        label = f"{day:%A %d %B %Y}"
        if self.reading.frequency == Frequency.MONTHLY:
            return f"{label} ({WeekOfMonth(week_of_month(day)).label.lower()} {day:%A})"
        return label

    def clean(self):
        data = super().clean()
        chosen = [day for day in (data.get("candidate"), data.get("other_date")) if day]
        if len(chosen) != 1:
            raise ValidationError("Choose one of the dates, or give another date.")
        data["first_date"] = chosen[0]
        return data


@admin.action(description="Confirm the first date of schedules with dates to be confirmed")
def confirm_first_date(modeladmin, request, queryset):
    """Offer each selected unconfirmed schedule's candidate first dates, then confirm them."""
    today = timezone.localdate()
    schedules = list(queryset.select_related("meeting__group").order_by("meeting__title", "pk"))
    confirmed = [schedule for schedule in schedules if schedule.is_confirmed]
    if confirmed:
        names = ", ".join(str(schedule.meeting) for schedule in confirmed)
        modeladmin.message_user(
            request, f"Already confirmed, left as they are: {names}.", messages.WARNING
        )
    pending = [schedule for schedule in schedules if not schedule.is_confirmed]
    if not pending:
        return None
    submitted = "confirm" in request.POST
    forms_by_schedule = [
        (
            schedule,
            ConfirmFirstDateForm(
                request.POST if submitted else None,
                schedule=schedule,
                today=today,
                prefix=f"schedule-{schedule.pk}",
            ),
        )
        for schedule in pending
    ]
    readable = [
        (schedule, form)
        for schedule, form in forms_by_schedule
        if form.reading.status != Reading.UNREADABLE or not schedule.source_text
    ]
    valid = submitted and readable and all(form.is_valid() for _, form in readable)
    if valid and _confirm_all(readable):
        modeladmin.message_user(
            request,
            f"Confirmed the first date of {len(readable)} schedule(s): they are in the feeds now.",
            messages.SUCCESS,
        )
        return None
    return TemplateResponse(
        request,
        "meetings/admin/confirm_first_date.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Confirm first dates",
            "opts": modeladmin.model._meta,
            "forms": forms_by_schedule,
            "can_confirm": bool(readable),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _confirm_all(readable: list[tuple[Schedule, ConfirmFirstDateForm]]) -> bool:
    """Confirm every schedule's chosen date, or none: errors go on the forms."""
    with transaction.atomic():
        for schedule, form in readable:
            try:
                schedule_confirm_first_date(
                    schedule=schedule, first_date=form.cleaned_data["first_date"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
        if not any(form.errors for _, form in readable):
            return True
        transaction.set_rollback(True)
    for schedule, _ in readable:
        schedule.refresh_from_db()
    return False


# --- Schedules ---


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["meeting", "describe", "is_confirmed"]
    list_filter = ["frequency", "time_zone"]
    list_select_related = ["meeting"]
    search_fields = ["meeting__title", "meeting__slug", "source_text"]
    readonly_fields = ["uid", "sequence", "source_text"]
    actions = [confirm_first_date]

    @admin.display(boolean=True, description="Dates confirmed")
    def is_confirmed(self, schedule: Schedule) -> bool:
        return schedule.is_confirmed
