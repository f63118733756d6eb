"""Admin: meetings with their schedules, occurrence records with agendas; every save goes
through meetings.services so the SEQUENCE and agenda-version rules hold here too."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from governance import permissions as rules
from governance.admin import HistoryAdmin, ServiceAdmin, Writes
from meetings import recurrence, selectors, services
from meetings.importers.apply import schedule_confirm_first_date
from meetings.importers.sigs_yaml import Reading, read_source_text
from meetings.models import AgendaItem, Meeting, Occurrence, Schedule
from meetings.recurrence import Frequency, WeekOfMonth, week_of_month

SCHEDULE_FIELDS = [*services.TIMING_FIELDS, "source_text"]
AGENDA_ITEM_FIELDS = ["title", "presenter", "presenter_name", "minutes_allotted", "link"]
PREVIEW_COUNT = 6
# The occurrence form's cancel-or-move fields: the new start as a home-zone date and time.
MOVE_FIELDS = ("status", "reason", "moved_on", "moved_at", "moved_duration_minutes")


def _stored(schedule: Schedule) -> Schedule | None:
    """The schedule as saved: a form that failed validation may have put bad values on it."""
    return Schedule.objects.filter(pk=schedule.pk).first() if schedule.pk else None


@admin.display(description="In words")
def described(schedule: Schedule) -> str:
    stored = _stored(schedule)
    return stored.describe() if stored else "-"


@admin.display(description="Daylight saving notes")
def dst_notes(schedule: Schedule) -> str:
    """The RFC 5545 reading of start times that fall in a DST gap or overlap."""
    stored = _stored(schedule)
    if stored is None:
        return "-"
    notes = recurrence.dst_notes(stored)
    if not notes:
        return "No occurrence in the next two years starts in a DST gap or overlap."
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((n,) for n in notes)))


@admin.display(description="Who meets at night")
def night_burden(schedule: Schedule) -> str:
    """The saved schedule's coming occurrences on the clocks of its group's member zones, and
    the group's find-a-time page."""
    stored = _stored(schedule)
    if stored is None or not stored.is_confirmed:
        return "-"
    group = stored.meeting.group
    weeks = settings.AGORA_BURDEN_WEEKS
    burden = selectors.meeting_times(group, [stored], weeks=weeks).burden
    burdened = [zone for zone in burden.zones if zone.burdened]
    summary = (
        "; ".join(f"{zone.zone}: {zone.burdened} of {zone.occurrences}" for zone in burdened)
        or "Nobody's night or weekend"
    )
    return format_html(
        "Next {} weeks, at night or on a weekend for: {} ({} member zones; {} members without "
        'a zone). <a href="{}">Find a time for {}</a>',
        weeks,
        summary,
        len(burden.zones),
        burden.unknown,
        reverse("meetings:find-a-time", args=[group.slug]),
        group.name,
    )


class ScheduleInline(admin.StackedInline):
    model = Schedule
    extra = 0
    fields = [*SCHEDULE_FIELDS, described, dst_notes, night_burden, "sequence", "uid"]
    readonly_fields = [described, dst_notes, night_burden, "sequence", "uid"]


# The admin of meetings and schedules writes through these services (the SEQUENCE rule).
WRITES = {
    Meeting: Writes(
        "meeting", services.meeting_create, services.meeting_update, services.meeting_delete
    ),
    Schedule: Writes(
        "schedule", services.schedule_create, services.schedule_update, services.schedule_delete
    ),
}


class CancelOccurrenceForm(forms.Form):
    """The cancel action's intermediate form: which occurrence, and why."""

    schedule = forms.ModelChoiceField(queryset=Schedule.objects.none(), empty_label=None)
    original_date = forms.DateField(
        label="Date", help_text="The occurrence's date in the schedule's home zone (YYYY-MM-DD)."
    )
    reason = forms.CharField(max_length=300, help_text="Shown to readers and in the feeds.")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = meeting.schedules.confirmed()
        self.fields["schedule"].label_from_instance = lambda schedule: schedule.describe()


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    model_writes = WRITES
    list_display = ["title", "group", "kind", "is_private"]
    list_filter = ["kind", "is_private", "group__kind", "group"]
    search_fields = ["title", "slug", "group__name", "group__slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["group", "subproject"]
    list_select_related = ["group"]
    inlines = [ScheduleInline]
    actions = ["cancel_occurrence"]
    readonly_fields = ["next_occurrences"]
    fieldsets = [
        (None, {"fields": ["group", "subproject", "title", "slug", "kind", "description"]}),
        ("Links", {"fields": ["join_url", "agenda_url", "notes_url", "recordings_url"]}),
        ("Display", {"fields": ["display_zones", "is_private"]}),
        ("Next occurrences", {"fields": ["next_occurrences"]}),
    ]

    @admin.display(description="Next occurrences")
    def next_occurrences(self, meeting: Meeting) -> str:
        """The coming occurrences as readers see them, in every display zone."""
        if not meeting.pk:
            return "Save the meeting with a schedule to see its occurrences."
        detail = selectors.meeting_detail(slug=meeting.slug, upcoming_count=PREVIEW_COUNT)
        slots = detail.upcoming if detail else []
        if not slots:
            return "No coming occurrence."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    slot.original_date.strftime("%a %Y-%m-%d"),
                    slot.record.get_status_display() if slot.record else "Scheduled",
                    " / ".join(str(line) for line in selectors.slot_lines(slot)),
                )
                for slot in slots
            ),
        )
        return format_html(
            "<table><thead><tr><th>Date</th><th>Status</th><th>Times</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        notes = [
            note
            for schedule in form.instance.schedules.all()
            for note in recurrence.dst_notes(schedule)
        ]
        for note in notes:
            messages.warning(request, note)

    def has_cancel_occurrence_permission(self, request) -> bool:
        """Cancelling writes an occurrence record, created if there was none."""
        return rules.has_model_permissions(
            request.user, rules.model_permissions(Occurrence, "add", "change")
        )

    @admin.action(
        description="Cancel one occurrence of the selected meeting",
        permissions=["cancel_occurrence"],
    )
    def cancel_occurrence(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Choose exactly one meeting to cancel an occurrence of.", messages.ERROR
            )
            return None
        meeting = queryset.get()
        form = CancelOccurrenceForm(
            request.POST if "apply" in request.POST else None, meeting=meeting
        )
        if form.is_valid():
            try:
                services.occurrence_cancel(
                    schedule=form.cleaned_data["schedule"],
                    original_date=form.cleaned_data["original_date"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(
                    request,
                    f"{meeting} on {form.cleaned_data['original_date']:%a %Y-%m-%d} is cancelled.",
                    messages.SUCCESS,
                )
                return None
        return render(
            request,
            "admin/meetings/cancel_occurrence.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Cancel an occurrence of {meeting}",
                "meeting": meeting,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


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


@admin.action(
    description="Confirm the first date of schedules with dates to be confirmed",
    permissions=["change"],
)
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


@admin.register(Schedule)
class ScheduleAdmin(ServiceAdmin):
    model_writes = WRITES
    list_display = ["meeting", "__str__", "time_zone", "is_confirmed", "sequence"]
    list_filter = ["frequency", "meeting__group"]
    actions = [confirm_first_date]
    search_fields = ["meeting__title", "meeting__slug", "source_text"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]
    fields = ["meeting", *SCHEDULE_FIELDS, dst_notes, night_burden, "sequence", "uid"]
    readonly_fields = [dst_notes, night_burden, "sequence", "uid"]

    @admin.display(boolean=True, description="Dates confirmed")
    def is_confirmed(self, schedule: Schedule) -> bool:
        return schedule.is_confirmed


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1
    fields = ["order", *AGENDA_ITEM_FIELDS]
    autocomplete_fields = ["presenter"]


class OccurrenceAdminForm(forms.ModelForm):
    """An occurrence record, with the agenda version the editor started from; a move is typed
    as a date and time in the meeting's home zone, never as a UTC instant."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    moved_on = forms.DateField(
        required=False, label="Moved to date", widget=forms.DateInput(attrs={"type": "date"})
    )
    moved_at = forms.TimeField(
        required=False,
        label="Moved to time",
        help_text="In the meeting's home zone.",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    class Meta:
        model = Occurrence
        fields = [
            "schedule",
            "original_date",
            "status",
            "reason",
            "moved_duration_minutes",
            "minutes",
            "recording_url",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = (
            self.instance.version if self.instance.pk else services.UNSAVED_VERSION
        )
        if self.instance.moved_start:
            zone = ZoneInfo(self.instance.schedule.time_zone)
            local = self.instance.moved_start.astimezone(zone)
            self.fields["moved_on"].initial = local.date()
            self.fields["moved_at"].initial = local.time()
            self.fields["moved_at"].help_text = f"In {self.instance.schedule.time_zone}."

    def clean(self):
        data = super().clean()
        schedule = data.get("schedule") or (self.instance.pk and self.instance.schedule)
        day, time = data.get("moved_on"), data.get("moved_at")
        if (day is None) != (time is None):
            raise ValidationError({"moved_at": "Give the new date and the new time, or neither."})
        data["moved_start"] = (
            recurrence.to_instant(
                datetime.datetime.combine(day, time), ZoneInfo(schedule.time_zone)
            )
            if day and schedule
            else None
        )
        self.instance.moved_start = data["moved_start"]
        return data

    def _update_errors(self, errors):
        # The model names the instant it checks; the form shows it as the time typed.
        if hasattr(errors, "error_dict") and "moved_start" in errors.error_dict:
            errors.error_dict["moved_at"] = errors.error_dict.pop("moved_start")
        super()._update_errors(errors)

    def clean_expected_version(self):
        version = self.cleaned_data["expected_version"]
        if self.instance.pk:
            # Locked until the admin's transaction ends, so no save slips in before ours.
            stored = Occurrence.objects.select_for_update().filter(pk=self.instance.pk)
            if stored.values_list("version", flat=True).first() != version:
                raise ValidationError(
                    "Someone saved this occurrence's agenda or minutes after you opened it. "
                    "Open it again to see their changes, then make yours."
                )
        return version


@admin.register(Occurrence)
class OccurrenceAdmin(HistoryAdmin):
    form = OccurrenceAdminForm
    list_display = ["__str__", "original_date", "status", "reason"]
    list_filter = ["status", "schedule__meeting__group"]
    search_fields = ["schedule__meeting__title", "schedule__meeting__slug", "reason"]
    list_select_related = ["schedule__meeting"]
    autocomplete_fields = ["schedule"]
    date_hierarchy = "original_date"
    inlines = [AgendaItemInline]
    fieldsets = [
        (None, {"fields": ["schedule", "original_date", "expected_version"]}),
        ("Cancel or move", {"fields": MOVE_FIELDS}),
        ("Record", {"fields": ["minutes", "recording_url", "version"]}),
    ]

    def view_on_site(self, record: Occurrence) -> str:
        return reverse(
            "meetings:occurrence-detail",
            args=[record.schedule.meeting.slug, record.original_date],
        )

    def delete_model(self, request, obj):
        services.occurrence_delete(record=obj)

    def delete_queryset(self, request, queryset):
        for record in queryset.select_related("schedule"):
            services.occurrence_delete(record=record)

    def get_readonly_fields(self, request, obj=None):
        # An occurrence is addressed by its schedule and date: those never change.
        return ["version", "schedule", "original_date"] if obj else ["version"]

    def save_model(self, request, obj, form, change):
        if change and not set(MOVE_FIELDS) & set(form.changed_data):
            return  # Agenda and minutes only: save_formset saves them.
        record = services.occurrence_set_status(
            schedule=obj.schedule,
            original_date=obj.original_date,
            **{name: form.cleaned_data[name] for name in services.STATUS_FIELDS},
        )
        obj.pk = record.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # fills the lists the change message reads
        if not (formset.has_changed() or {"minutes", "recording_url"} & set(form.changed_data)):
            return
        kept = [
            item_form.cleaned_data
            for item_form in formset.forms
            if item_form.cleaned_data
            and not item_form.cleaned_data.get("DELETE")
            and (item_form.instance.pk or item_form.has_changed())
        ]
        kept.sort(key=lambda data: data["order"])
        occurrence = form.instance
        services.agenda_save(
            schedule=occurrence.schedule,
            original_date=occurrence.original_date,
            items=[{name: data[name] for name in AGENDA_ITEM_FIELDS} for data in kept],
            minutes=form.cleaned_data["minutes"],
            recording_url=form.cleaned_data["recording_url"],
            expected_version=form.cleaned_data["expected_version"],
        )
