"""Forms of the public governance pages."""

from django import forms

from governance import selectors
from governance.models import Group


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
