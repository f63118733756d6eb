"""The forms of the election pages, and the admin's form of an election's timeline."""

import datetime
import zoneinfo

from django import forms

from governance.elections.models import TIMELINE, Candidate, Election, instant
from governance.timezones import validate_time_zone


class NominationForm(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text="Why you stand and what you would do: Markdown.",
    )
    affiliation = forms.CharField(
        max_length=200, required=False, help_text="Your employer or sponsor, for the seat cap."
    )


class ExceptionRequestForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        help_text="What you contributed that the voter rule does not see.",
    )


class DecisionForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("grant", "Grant"), ("refuse", "Refuse")])
    reason = forms.CharField(max_length=2_000, help_text="The requester reads this.")


class BallotForm(forms.Form):
    """A rank for each candidate (1 is your first choice; equal numbers are a tie; leave out
    anyone you would rank last), and, to replace a ballot, its receipt code."""

    receipt = forms.CharField(
        max_length=64,
        required=False,
        help_text="Voted already? Give your receipt code: this ballot replaces that one.",
    )

    def __init__(self, *args, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "not ranked")] + [(str(n), str(n)) for n in range(1, len(candidates) + 1)]
        self.candidates = candidates
        for candidate in candidates:
            self.fields[f"rank-{candidate.pk}"] = forms.TypedChoiceField(
                label=candidate.person.display_name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def ranks(self) -> dict[int, int]:
        """{candidate id: rank} of the candidates ranked."""
        ranks = {c.pk: self.cleaned_data[f"rank-{c.pk}"] for c in self.candidates}
        return {pk: rank for pk, rank in ranks.items() if rank is not None}

    def rank_fields(self):
        return [(c, self[f"rank-{c.pk}"]) for c in self.candidates]


class ReceiptForm(forms.Form):
    receipt = forms.CharField(max_length=64)


class WallClockField(forms.DateTimeField):
    """A date and time as typed, without a zone: the form places it in the election's zone."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment else moment

    def prepare_value(self, value):
        return value


def _wall_clock() -> WallClockField:
    return WallClockField(help_text="Wall-clock time in the election's zone.")


class ElectionAdminForm(forms.ModelForm):
    """An election with its timeline typed as wall-clock times in the election's zone (never
    in UTC): "2026-11-05 23:59" in AoE is stored as 11:59 UTC on the 6th."""

    nominations_open = _wall_clock()
    nominations_close = _wall_clock()
    voting_open = _wall_clock()
    voting_close = _wall_clock()

    class Meta:
        model = Election
        fields = [
            "group",
            "slug",
            "title",
            "seats",
            "term_months",
            "eligibility",
            "officers",
            "zone",
            *TIMELINE,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            zone = zoneinfo.ZoneInfo(self.instance.zone)
            for name in TIMELINE:
                moment: datetime.datetime = getattr(self.instance, name)
                self.initial[name] = moment.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        zone = data.get("zone")
        try:
            validate_time_zone(zone or "")
        except forms.ValidationError:
            return data
        for name in TIMELINE:
            if data.get(name):
                data[name] = instant(data[name], zone)
        return data
