"""The subscribe form and the form that changes what a subscription receives."""

from django import forms

from governance.models import Group
from governance.timezones import TIME_ZONE_CHOICES
from meetings.models import Meeting
from notifications.models import DEFAULT_REMINDERS, REMINDER_CHOICES


class ChoicesForm(forms.Form):
    """What a subscriber receives, and the zone their mail shows times in."""

    reminders = forms.TypedMultipleChoiceField(
        choices=REMINDER_CHOICES,
        coerce=int,
        required=False,
        initial=DEFAULT_REMINDERS,
        widget=forms.CheckboxSelectMultiple,
        label="Reminders before each meeting",
    )
    changes = forms.BooleanField(required=False, initial=True, label="Cancellations and moves")
    agendas = forms.BooleanField(required=False, initial=True, label="Agendas posted or changed")
    minutes = forms.BooleanField(required=False, initial=True, label="Minutes published")
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, label="Your time zone")

    def clean_reminders(self) -> list[int]:
        return sorted(set(self.cleaned_data["reminders"]), reverse=True)


class SubscribeForm(ChoicesForm):
    """Subscribe an address to one meeting, one group's meetings or every meeting."""

    email = forms.EmailField(label="Your e-mail address")
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.order_by("title"),
        required=False,
        to_field_name="slug",
        empty_label="—",
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="—",
        help_text="Leave both empty for every meeting.",
    )

    field_order = ["email", "meeting", "group"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting") and cleaned.get("group"):
            self.add_error("group", "Choose a meeting or a group, not both.")
        return cleaned
