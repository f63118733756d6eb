"""The find-a-time page: slot candidates for a group's members, ranked by who meets at night."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from governance.models import Group
from meetings import selectors
from meetings.forms import FindTimeForm


@require_safe
def find_a_time(request, slug):
    group = get_object_or_404(Group, slug=slug)
    form = FindTimeForm(request.GET, default_zone=selectors.default_search_zone(group))
    context = {"group": group, "form": form}
    if not form.is_valid():
        return render(request, "meetings/find_a_time.html", context, status=400)
    data = form.cleaned_data
    context["search"] = selectors.slot_search(
        group,
        zone=data["zone"],
        weekday=data["day"],
        minutes=data["minutes"],
        weeks=data["weeks"],
    )
    return render(request, "meetings/find_a_time.html", context)
