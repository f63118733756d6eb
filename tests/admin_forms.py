"""What the admin's forms post."""

import datetime

from django.forms import MultiWidget


def form_data(response) -> dict:
    """The POST data of an admin change form as the browser would send it unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return fields_data(forms)


def changelist_data(response) -> dict:
    """The POST data of an admin changelist's editable rows as the browser would send it."""
    formset = response.context["cl"].formset
    return {**fields_data([formset.management_form, *formset.forms]), "_save": "Save"}


def fields_data(forms) -> dict:
    """What `forms` post with their current values."""
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, datetime.datetime) and not isinstance(
                field.field.widget, MultiWidget
            ):
                data[field.html_name] = field.field.widget.format_value(value)
            elif isinstance(value, datetime.datetime):
                data[f"{field.html_name}_0"] = value.date().isoformat()
                data[f"{field.html_name}_1"] = value.time().isoformat()
            else:
                data[field.html_name] = "on" if value is True else value
    return data
