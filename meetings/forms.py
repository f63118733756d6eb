"""Forms of the meeting pages: the list's filters, the calendar builder, the agenda editor,
the find-a-time form and the editors of a meeting, its schedules and its occurrences."""

import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models.functions import Lower

from common.query import QueryFormField, parse_date, parse_month
from governance.models import Person
from governance.timezones import TIME_ZONE_CHOICES
from meetings import fairness, recurrence, selectors, services
from meetings.models import AgendaItem, Meeting, MeetingKind, Occurrence, Schedule
from meetings.recurrence import MAX_DURATION_MINUTES

WEEKS_CHOICES = [(1, "1 week"), (2, "2 weeks"), (4, "4 weeks"), (8, "8 weeks")]
DEFAULT_WEEKS = 2


# Alarms a built calendar offers, in minutes before each meeting (?alarm= takes any).
ALARM_CHOICES = [(5, "5 minutes"), (15, "15 minutes"), (30, "30 minutes"), (60, "1 hour")]


def day_zone_choices() -> list:
    """The zones a reader may have the list's days in: the site's display zones, then all."""
    site = list(dict.fromkeys(settings.AGORA_DISPLAY_ZONES))
    return [
        ("Site zones", [(zone, zone.replace("_", " ")) for zone in site]),
        ("All zones", [choice for choice in TIME_ZONE_CHOICES if choice[0] not in site]),
    ]


class CalendarBuilderForm(forms.Form):
    """The GET form of "build your calendar": the groups and meetings a feed holds, and its
    alarms."""

    groups = forms.ModelMultipleChoiceField(
        queryset=None, required=False, to_field_name="slug", help_text="All their meetings."
    )
    meetings = forms.ModelMultipleChoiceField(queryset=None, required=False, to_field_name="slug")
    alarm = forms.TypedMultipleChoiceField(
        choices=ALARM_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Alarms before each meeting",
    )

    def __init__(self, *args, meetings=None, **kwargs):
        """`meetings`: the meetings offered (the meetings list offers those it shows)."""
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = selectors.filter_groups()
        # Only meetings whose dates are known: those are in the feeds.
        meetings = Meeting.objects.all() if meetings is None else meetings
        dated = meetings.filter(schedules__in=Schedule.objects.confirmed()).distinct()
        self.fields["meetings"].queryset = dated.order_by("title")

    def feed_query(self) -> str:
        """The feed's query string, "" when nothing is chosen."""
        data = self.cleaned_data
        if not (data["groups"] or data["meetings"]):
            return ""
        wanted = {
            "groups": ",".join(group.slug for group in data["groups"]),
            "meetings": ",".join(meeting.slug for meeting in data["meetings"]),
        }
        pairs = [(name, value) for name, value in wanted.items() if value]
        return urlencode([*pairs, *(("alarm", minutes) for minutes in data["alarm"])])


class MeetingFilterForm(forms.Form):
    """The GET form of /meetings/: which group and kind, list or month view, from which day
    (today when not given) how many weeks ahead, and the zone whose days the occurrences are
    listed on."""

    group = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="slug", empty_label="All groups"
    )
    kind = forms.ChoiceField(choices=[("", "All kinds"), *MeetingKind.choices], required=False)
    weeks = forms.TypedChoiceField(choices=WEEKS_CHOICES, coerce=int, label="Ahead")
    zone = forms.ChoiceField(choices=day_zone_choices, required=False, label="Days in")
    view = forms.ChoiceField(
        choices=[("list", "List"), ("month", "Month")], required=False, widget=forms.HiddenInput
    )
    month = QueryFormField(parse=parse_month, widget=forms.HiddenInput)
    start = QueryFormField(parse=parse_date, widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("weeks"):
            # The select then shows the default that the list uses.
            data = data.copy()
            data["weeks"] = str(DEFAULT_WEEKS)
        super().__init__(data, **kwargs)
        self.fields["group"].queryset = selectors.filter_groups()

    def clean_view(self):
        return self.cleaned_data["view"] or "list"

    def clean_zone(self) -> ZoneInfo:
        return (
            ZoneInfo(self.cleaned_data["zone"])
            if self.cleaned_data["zone"]
            else selectors.listing_zone()
        )


class AgendaForm(forms.Form):
    """An occurrence's minutes and recording, with the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text="Markdown. Links and formatting are kept; scripts and styles are removed.",
    )
    recording_url = forms.URLField(
        max_length=Occurrence._meta.get_field("recording_url").max_length,
        required=False,
        label="Recording link",
    )


class AgendaItemForm(forms.Form):
    """One agenda item; the presenter is a community member's handle or any name."""

    title = forms.CharField(max_length=AgendaItem._meta.get_field("title").max_length)
    presenter = forms.CharField(
        max_length=200, required=False, help_text="GitHub handle (@jane) or a name."
    )
    minutes_allotted = forms.IntegerField(
        min_value=1, max_value=MAX_DURATION_MINUTES, required=False, label="Minutes"
    )
    link = forms.URLField(max_length=500, required=False)


class BaseAgendaItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        handles = {
            form.cleaned_data["presenter"].lstrip("@").lower()
            for form in self.ordered_forms
            if form.cleaned_data.get("presenter")
        }
        self.people = {
            person.handle.lower(): person
            for person in Person.objects.annotate(key=Lower("handle")).filter(key__in=handles)
        }

    def items(self) -> list[dict]:
        """The agenda items in their chosen order, as agenda_save takes them."""
        items = []
        # ordered_forms leaves out deleted rows and untouched blank ones.
        for form in self.ordered_forms:
            data = form.cleaned_data
            presenter_text = data.get("presenter", "").strip()
            person = self.people.get(presenter_text.lstrip("@").lower())
            items.append(
                {
                    "title": data["title"],
                    "presenter": person,
                    "presenter_name": "" if person else presenter_text,
                    "minutes_allotted": data.get("minutes_allotted"),
                    "link": data.get("link", ""),
                }
            )
        return items


AgendaItemFormSet = forms.formset_factory(
    AgendaItemForm,
    formset=BaseAgendaItemFormSet,
    extra=3,
    can_order=True,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


def agenda_initial(record: Occurrence | None) -> list[dict]:
    """The formset's initial rows from a stored agenda."""
    if record is None:
        return []
    return [
        {
            "title": item.title,
            "presenter": f"@{item.presenter.handle}" if item.presenter else item.presenter_name,
            "minutes_allotted": item.minutes_allotted,
            "link": item.link,
            "ORDER": position,
        }
        for position, item in enumerate(record.agenda_items.all(), start=1)
    ]


class FindTimeForm(forms.Form):
    """The GET form of a group's find-a-time page: which weekday, on which zone's clock, how
    long, over how many weeks. A blank or missing field takes its default."""

    day = forms.TypedChoiceField(
        choices=[(str(number), name.title()) for number, name in enumerate(fairness.WEEKDAYS)],
        coerce=int,
        label="Weekday",
    )
    zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, label="Clock of")
    minutes = forms.TypedChoiceField(
        choices=[(str(minutes), f"{minutes} minutes") for minutes in (30, 45, 60, 90, 120)],
        coerce=int,
        label="Length",
    )
    weeks = forms.TypedChoiceField(
        choices=lambda: [
            (str(weeks), f"{weeks} weeks")
            for weeks in sorted({4, 8, 12, 26, settings.AGORA_BURDEN_WEEKS})
        ],
        coerce=int,
        label="Over",
    )

    def __init__(self, data, *, default_zone: str, **kwargs):
        weeks = str(settings.AGORA_BURDEN_WEEKS)
        defaults = {"day": "0", "zone": default_zone, "minutes": "60", "weeks": weeks}
        # Filled in, so that the selects show the values the ranking uses.
        data = {name: data.get(name) or value for name, value in defaults.items()}
        super().__init__(data, **kwargs)


# ---- The leads' editing forms (issue 7): meeting, schedule, occurrence ----


class MeetingForm(forms.ModelForm):
    """What a meeting's leads and organisers change on the site, with the version they loaded
    (meetings.services.meeting_edit refuses a save from a version someone saved past)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    display_zones = forms.MultipleChoiceField(
        choices=TIME_ZONE_CHOICES,
        required=False,
        help_text="Zones shown besides the site's defaults; hold Ctrl (⌘) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    organiser_handles = forms.CharField(
        required=False,
        label="Organisers",
        help_text="GitHub handles of people in the roster, separated by commas or spaces: they "
        "edit this meeting (and only it).",
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "description",
            "join_url",
            "agenda_url",
            "notes_url",
            "recordings_url",
            "display_zones",
            "organising_groups",
        ]
        widgets = {"organising_groups": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {
            "organising_groups": "Groups whose people edit this meeting (and only it), "
            "liaisons aside."
        }

    # The fields meeting_edit sets on the meeting; the rest are its organisers.
    MEETING_FIELDS = ("title", "description", "join_url", "agenda_url", "notes_url")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["organiser_handles"] = " ".join(
                f"@{person.handle}" for person in self.instance.organisers.all()
            )

    def clean_organiser_handles(self) -> list[Person]:
        handles = [
            word.lstrip("@")
            for word in self.cleaned_data["organiser_handles"].replace(",", " ").split()
        ]
        people = {
            person.handle.lower(): person
            for person in Person.objects.annotate(key=Lower("handle")).filter(
                key__in=[handle.lower() for handle in handles]
            )
        }
        unknown = [handle for handle in handles if handle.lower() not in people]
        if unknown:
            raise forms.ValidationError(
                f"Not in the roster: {', '.join('@' + handle for handle in unknown)}."
            )
        return list({handle.lower(): people[handle.lower()] for handle in handles}.values())

    def edit(self) -> dict:
        """meetings.services.meeting_edit's arguments from the valid form."""
        data = self.cleaned_data
        names = (*self.MEETING_FIELDS, "recordings_url", "display_zones")
        return {
            "expected_version": data["version"],
            "fields": {name: data[name] for name in names},
            "organisers": data["organiser_handles"],
            "organising_groups": data["organising_groups"],
        }


class ScheduleForm(forms.ModelForm):
    """A schedule's timing as its meeting's editors change it, with the meeting's version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, label="Home zone")
    confirm_moves = forms.BooleanField(
        required=False,
        label="Move them anyway",
        help_text="The occurrences listed above keep their agendas at their new times.",
    )

    class Meta:
        model = Schedule
        fields = list(services.TIMING_FIELDS)
        widgets = {
            "first_date": forms.DateInput(attrs={"type": "date"}),
            "last_date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"start_time": "Start time (in the home zone)"}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        if not self.is_bound:
            self.initial["version"] = meeting.version

    def edit(self) -> dict:
        """meetings.services.schedule_edit's arguments from the valid form."""
        return {
            "schedule": self.instance,
            "expected_version": self.cleaned_data["version"],
            "fields": {name: self.cleaned_data[name] for name in services.TIMING_FIELDS},
        }


class CancelForm(forms.Form):
    """Cancel one occurrence: readers see the reason."""

    reason = forms.CharField(max_length=Occurrence._meta.get_field("reason").max_length)


class MoveForm(forms.Form):
    """Move one occurrence to a date and time typed in its meeting's home zone (never UTC)."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="New date")
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="New start time")
    duration_minutes = forms.IntegerField(
        min_value=1, max_value=MAX_DURATION_MINUTES, required=False, label="Minutes (if changed)"
    )
    reason = forms.CharField(
        max_length=Occurrence._meta.get_field("reason").max_length, required=False
    )

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["time"].label = f"New start time ({zone.replace('_', ' ')})"

    def start(self) -> datetime.datetime:
        """The new start instant: the date and time read in the home zone (RFC 5545 for a
        time that does not exist or exists twice)."""
        local = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return recurrence.to_instant(local, ZoneInfo(self.zone))
