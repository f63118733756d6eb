"""Meeting pages: the list and month view, a meeting, one occurrence, the agenda editor."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from governance import permissions as rules
from meetings import privacy, selectors, services
from meetings.forms import (
    AgendaForm,
    AgendaItemFormSet,
    CalendarBuilderForm,
    MeetingFilterForm,
    agenda_initial,
)
from meetings.models import Meeting

MEETING_CHANGE = rules.model_permissions(Meeting, "change")


def _feed_path(group, kind: str) -> str:
    """The feed of exactly the meetings a filtered list shows."""
    wanted = {"groups": group.slug if group else "", "kind": kind}
    query = urlencode({name: value for name, value in wanted.items() if value})
    return reverse("meetings:calendar-feed") + (f"?{query}" if query else "")


@require_safe
def meeting_list(request):
    form = MeetingFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "meetings/meeting_list.html", {"form": form}, status=400)
    filters = {"group": form.cleaned_data["group"], "kind": form.cleaned_data["kind"]}
    zone = form.cleaned_data["zone"]
    context = {
        "form": form,
        "filters": filters,
        "zone": zone,
        # Switching between list and month keeps the chosen group, kind and zone.
        "filter_query": urlencode(
            {name: request.GET[name] for name in ("group", "kind", "zone") if request.GET.get(name)}
        ),
        "feed_path": _feed_path(**filters),
        # Build your calendar from the groups, and the meetings this list shows.
        "builder": CalendarBuilderForm(meetings=selectors.filtered_meetings(**filters)),
    }
    if form.cleaned_data["view"] == "month":
        month = form.cleaned_data["month"] or timezone.now().astimezone(zone).date()
        context["grid"] = selectors.month_grid(month=month, zone=zone, **filters)
        return render(request, "meetings/meeting_month.html", context)
    weeks = form.cleaned_data["weeks"]
    context["weeks"] = weeks
    context["days"] = selectors.by_day(selectors.upcoming_slots(weeks=weeks, **filters), zone)
    return render(request, "meetings/meeting_list.html", context)


@require_safe
def calendar_builder(request):
    """Build your calendar: the chosen groups and meetings as one feed, with alarms."""
    form = CalendarBuilderForm(request.GET or None)
    query = form.feed_query() if form.is_valid() else ""
    feed_path = reverse("meetings:calendar-feed") + f"?{query}" if query else ""
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "meetings/calendar_builder.html",
        {"builder": form, "feed_path": feed_path},
        status=status,
    )


def _edits_agenda(user, meeting) -> bool:
    return rules.may_write(user, services.AGENDA_PERMISSIONS, groups=[meeting.group_id])


def _meeting_context(request, detail) -> dict:
    """A meeting page's context: whether the reader edits it and sees its private parts."""
    meeting = detail.meeting
    return {
        "detail": detail,
        "meeting": meeting,
        "can_edit": _edits_agenda(request.user, meeting),
        "edits_in_admin": rules.has_model_permissions(request.user, MEETING_CHANGE),
        "show_private": privacy.shows_details(request.user, meeting),
        "extra_sections": settings.AGORA_MEETING_PAGE_SECTIONS,
    }


@require_safe
def meeting_detail(request, slug):
    detail = selectors.meeting_detail(slug=slug)
    return render(request, "meetings/meeting_detail.html", _meeting_context(request, detail))


@require_safe
def occurrence_detail(request, slug, day):
    detail = selectors.occurrence_detail(slug=slug, day=day)
    return render(
        request,
        "meetings/occurrence_detail.html",
        _meeting_context(request, detail),
        # A date the schedules do not give: the page names the nearby ones.
        status=200 if detail.slots or detail.moved_away else 404,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def agenda_edit(request, slug, day: datetime.date):
    detail = selectors.occurrence_detail(slug=slug, day=day)
    meeting = detail.meeting
    if not _edits_agenda(request.user, meeting):
        return render(request, "meetings/forbidden.html", {"meeting": meeting}, status=403)
    uid = request.GET.get("schedule")
    slots = [slot for slot in detail.addressed if uid is None or str(slot.schedule.uid) == uid]
    if len(slots) != 1:
        raise Http404("No single occurrence of this meeting on this date.")
    slot = slots[0]
    record = slot.record
    context = {"meeting": meeting, "slot": slot, "detail": detail}
    if request.method == "POST":
        form = AgendaForm(request.POST)
        formset = AgendaItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            try:
                services.agenda_save(
                    schedule=slot.schedule,
                    original_date=slot.original_date,
                    items=formset.items(),
                    minutes=form.cleaned_data["minutes"],
                    recording_url=form.cleaned_data["recording_url"],
                    expected_version=form.cleaned_data["version"],
                )
            except services.AgendaConflict as conflict:
                # Keep the editor's text, but from the version they have now seen.
                data = request.POST.copy()
                data["version"] = conflict.current.version
                form = AgendaForm(data)
                context["conflict"] = conflict.current
                context["conflict_saved"] = selectors.last_saved(conflict.current)
                status = 409
            else:
                messages.success(request, "The agenda and minutes are saved.")
                # Back to the page of the day it takes place, which a move may have changed.
                return redirect(
                    "meetings:occurrence-detail", slug=meeting.slug, day=slot.local_date
                )
        else:
            status = 400
    else:
        form = AgendaForm(
            initial={
                "version": record.version if record else services.UNSAVED_VERSION,
                "minutes": record.minutes if record else "",
                "recording_url": record.recording_url if record else "",
            }
        )
        formset = AgendaItemFormSet(initial=agenda_initial(record), prefix="items")
        status = 200
    context.update(form=form, formset=formset)
    return render(request, "meetings/agenda_form.html", context, status=status)
