"""Forms of the governance pages: the people directory's filters and a group's page editor."""

from django import forms

from governance import selectors
from governance.models import Channel, ChannelKind, Group, Subproject, handle_validator

# Private channels are staff's alone (governance.privacy): a lead's page editor leaves them out.
PRIVATE_KINDS = (ChannelKind.PRIVATE_MAILING_LIST,)


class PersonFilterForm(forms.Form):
    """The people directory's filters, read from the query string."""

    q = forms.CharField(label="Name or handle", required=False, max_length=100)
    group = forms.ChoiceField(label="Group", required=False)
    affiliation = forms.ChoiceField(label="Affiliation", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", "Any group"),
            *Group.objects.order_by("name").values_list("slug", "name"),
        ]
        self.fields["affiliation"].choices = [
            ("", "Any affiliation"),
            *((name, name) for name in selectors.affiliations()),
        ]

    @property
    def filters(self) -> dict[str, str]:
        """The valid filters, for `selectors.person_list`; an invalid one is left out."""
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in self.fields}


# ---- A group's page as its leads edit it (issue 7) ----


class GroupPageForm(forms.Form):
    """A group's mission and charter link, with the version the editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    mission = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    charter_url = forms.URLField(
        max_length=Group._meta.get_field("charter_url").max_length,
        required=False,
        label="Charter link",
    )


class ChannelForm(forms.Form):
    """One public channel of the group: Slack, mailing list, GitHub team, forum."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        choices=[choice for choice in ChannelKind.choices if choice[0] not in PRIVATE_KINDS]
    )
    name = forms.CharField(max_length=Channel._meta.get_field("name").max_length)
    url = forms.URLField(max_length=500, required=False, label="Link")
    description = forms.CharField(max_length=300, required=False)


class SubprojectForm(forms.Form):
    """One subproject of the group."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(max_length=Subproject._meta.get_field("name").max_length)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PageRowFormSet(forms.BaseFormSet):
    """Rows of a group page's list: the services' entries (id, delete, fields)."""

    def entries(self) -> list[dict]:
        rows = []
        for form in self.forms:
            data = dict(form.cleaned_data)
            if not data or (data.get("id") is None and not form.has_changed()):
                continue
            data["delete"] = data.pop("DELETE", False)
            rows.append(data)
        return rows


ChannelFormSet = forms.formset_factory(
    ChannelForm, formset=PageRowFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)
SubprojectFormSet = forms.formset_factory(
    SubprojectForm, formset=PageRowFormSet, extra=1, can_delete=True, max_num=200, validate_max=True
)


class MemberForm(forms.Form):
    """A member added by a group's leads, where its charter lets them."""

    handle = forms.CharField(
        max_length=39, validators=[handle_validator], help_text="Their GitHub login, without @."
    )
