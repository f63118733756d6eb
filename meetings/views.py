"""Meeting pages: the list and month view, a meeting, one occurrence; the editors of an
agenda, a meeting, a schedule and an occurrence."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from common.history import last_saved
from common.services import EditConflict
from governance import permissions as rules
from governance.views import refuse
from meetings import privacy, selectors, services, zones
from meetings.forms import (
    AgendaForm,
    AgendaItemFormSet,
    CalendarBuilderForm,
    CancelForm,
    MeetingFilterForm,
    MeetingForm,
    MoveForm,
    ScheduleForm,
    agenda_initial,
)
from meetings.models import Meeting, Occurrence, Schedule

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
    today = timezone.now().astimezone(zone).date()
    start = max(form.cleaned_data["start"] or today, today)
    slots = selectors.upcoming_slots(zone=zone, start=start, weeks=weeks, **filters)
    window = datetime.timedelta(weeks=weeks)
    earlier = start - window
    context |= {
        "weeks": weeks,
        "start": start if start > today else None,
        "days": selectors.by_day(slots, zone),
        # The list is a window of weeks; these page through them.
        "later_query": _window_query(request, start + window),
        "earlier_query": _window_query(request, earlier if earlier > today else None)
        if start > today
        else None,
    }
    return render(request, "meetings/meeting_list.html", context)


def _window_query(request, start: datetime.date | None) -> str:
    """The list's query string with its window starting on `start` (today when None)."""
    query = request.GET.copy()
    query.pop("start", None)
    if start is not None:
        query["start"] = start.isoformat()
    return query.urlencode()


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


SCHEDULE_EDIT = rules.model_permissions(Schedule, "add", "change")
OCCURRENCE_EDIT = rules.model_permissions(Occurrence, "add", "change")


def _edits(user, meeting, permissions=services.AGENDA_PERMISSIONS) -> bool:
    """Whether `user` may make a write within `meeting` that needs `permissions`: its group's
    leads, its organisers and staff allowed to (governance.permissions.may_write)."""
    return rules.may_write(user, permissions, groups=[meeting.group_id], meeting=meeting.pk)


def _refuse(request, meeting, what: str):
    return refuse(
        request,
        what=what,
        group=meeting.group,
        meeting=meeting,
        organisers=[f"@{person.handle}" for person in meeting.organisers.all()]
        + [group.name for group in meeting.organising_groups.all()],
        back=meeting.get_absolute_url(),
    )


def _meeting_context(request, detail, change) -> dict:
    """A meeting page's context: whether the reader edits it and sees its private parts, and
    its last change (`change`, a history entry)."""
    meeting = detail.meeting
    return {
        "change": change,
        "detail": detail,
        "meeting": meeting,
        "can_edit": _edits(request.user, meeting),
        "edits_in_admin": rules.has_model_permissions(request.user, MEETING_CHANGE),
        "show_private": privacy.shows_details(request.user, meeting),
        "extra_sections": settings.AGORA_MEETING_PAGE_SECTIONS,
    }


@require_safe
def meeting_detail(request, slug):
    if (detail := selectors.meeting_detail(slug=slug)) is None:
        raise Http404(f"No meeting {slug!r}.")
    context = _meeting_context(request, detail, last_saved(detail.meeting))
    return render(request, "meetings/meeting_detail.html", context)


@require_safe
def occurrence_detail(request, slug, day):
    detail = _occurrence_detail(slug, day)
    records = [slot.record for slot in [*detail.slots, *detail.moved_away] if slot.record]
    change = last_saved(max(records, key=lambda record: record.updated_at)) if records else None
    return render(
        request,
        "meetings/occurrence_detail.html",
        _meeting_context(request, detail, change),
        # A date the schedules do not give: the page names the nearby ones.
        status=200 if detail.slots or detail.moved_away else 404,
    )


def _occurrence_detail(slug: str, day: datetime.date) -> selectors.OccurrenceDetail:
    if (detail := selectors.occurrence_detail(slug=slug, day=day)) is None:
        raise Http404(f"No meeting {slug!r}.")
    return detail


def _addressed_slot(request, detail):
    """The one occurrence a page of a date addresses (`?schedule=` picks among several)."""
    uid = request.GET.get("schedule")
    slots = [slot for slot in detail.addressed if uid is None or str(slot.schedule.uid) == uid]
    if len(slots) != 1:
        raise Http404("No single occurrence of this meeting on this date.")
    return slots[0]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def agenda_edit(request, slug, day: datetime.date):
    detail = _occurrence_detail(slug, day)
    meeting = detail.meeting
    if not _edits(request.user, meeting):
        return _refuse(request, meeting, f"the agendas of {meeting.title}")
    slot = _addressed_slot(request, detail)
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
                context["conflict_saved"] = last_saved(conflict.current)
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


def _save_edit(request, form, save, *, done: str, back):
    """Run `save()`: then say `done` and go `back`; or, when someone saved since the editor
    loaded the form (EditConflict), None, the form keeping what the editor typed, from the
    version they have now seen, with why."""
    try:
        save()
    except EditConflict as conflict:
        form.data = form.data.copy()
        form.data["version"] = conflict.version
        form.add_error(
            None,
            "Someone saved this meeting after you opened it; nothing of yours was saved. Your "
            "changes are still in the form: check the page for theirs, then save again.",
        )
        return None
    messages.success(request, done)
    return redirect(back)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def meeting_edit(request, slug):
    """A meeting's title, description, links, display zones and organisers."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("group").prefetch_related("organisers"), slug=slug
    )
    if not _edits(request.user, meeting, MEETING_CHANGE):
        return _refuse(request, meeting, meeting.title)
    form = MeetingForm(request.POST or None, instance=meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            saved = _save_edit(
                request,
                form,
                lambda: services.meeting_edit(meeting=meeting, **form.edit()),
                done=f"{meeting.title} is saved.",
                back=meeting,
            )
            if saved:
                return saved
            status = 409
    context = {
        "meeting": meeting,
        "form": form,
        "schedules": meeting.schedules.all(),
        "change": last_saved(meeting),
    }
    return render(request, "meetings/meeting_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def schedule_edit(request, slug):
    """A schedule's timing (`?schedule=<uid>`; without it a new schedule or a one-off),
    previewed before it is saved: the next occurrences in every display zone, and those with
    an agenda it would move."""
    meeting = get_object_or_404(Meeting.objects.select_related("group"), slug=slug)
    uid = request.GET.get("schedule")
    if uid is None:
        schedule = Schedule(meeting=meeting, time_zone=_home_zone(meeting))
    else:
        named = [row for row in meeting.schedules.all() if str(row.uid) == uid]
        if not named:
            raise Http404("This meeting has no such schedule.")
        schedule = named[0]
    if not _edits(request.user, meeting, SCHEDULE_EDIT):
        return _refuse(request, meeting, f"the schedules of {meeting.title}")
    form = ScheduleForm(request.POST or None, instance=schedule, meeting=meeting)
    preview = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            preview = selectors.schedule_preview(schedule=form.instance)
            if "save" in request.POST and preview.moved and not form.cleaned_data["confirm_moves"]:
                form.add_error("confirm_moves", "This change moves occurrences with an agenda.")
            elif "save" in request.POST:
                saved = _save_edit(
                    request,
                    form,
                    lambda: services.schedule_edit(**form.edit()),
                    done=f"The schedule of {meeting.title} is saved.",
                    back=meeting,
                )
                if saved:
                    return saved
                status = 409
            else:
                status = 200
    context = {
        "meeting": meeting,
        "schedule": schedule if uid else None,
        "form": form,
        "preview": preview,
        "change": last_saved(schedule),
    }
    return render(request, "meetings/schedule_form.html", context, status=status)


def _home_zone(meeting: Meeting) -> str:
    """The zone a new schedule of `meeting` starts in: its first schedule's, else the site's."""
    first = meeting.schedules.first()
    return first.time_zone if first else selectors.listing_zone().key


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def occurrence_change(request, slug, day: datetime.date):
    """Cancel an occurrence with a reason, move it to a date and time in its home zone (the
    other zones shown before saving), or restore it."""
    detail = _occurrence_detail(slug, day)
    meeting = detail.meeting
    if not _edits(request.user, meeting, OCCURRENCE_EDIT):
        return _refuse(request, meeting, f"the occurrences of {meeting.title}")
    slot = _addressed_slot(request, detail)
    zone = slot.schedule.time_zone
    action = request.POST.get("action", "")
    cancel = CancelForm(request.POST if action == "cancel" else None)
    move = MoveForm(
        request.POST if action in ("move", "preview") else None,
        zone=zone,
        initial={
            "date": slot.local_date,
            "time": slot.local_start.time(),
            "reason": slot.reason,
        },
    )
    status = 200
    preview = None
    if request.method == "POST":
        address = {"schedule": slot.schedule, "original_date": slot.original_date}
        try:
            if action == "cancel" and cancel.is_valid():
                services.occurrence_cancel(**address, reason=cancel.cleaned_data["reason"])
                return _changed(request, meeting, slot.original_date, "cancelled")
            if action == "restore":
                services.occurrence_restore(**address)
                return _changed(request, meeting, slot.original_date, "restored")
            if action in ("move", "preview") and move.is_valid():
                start = move.start()
                minutes = move.cleaned_data["duration_minutes"]
                end = start + datetime.timedelta(minutes=minutes or slot.schedule.duration_minutes)
                preview = zones.zone_lines(start, end, zone, meeting.display_zones)
                if action == "move":
                    services.occurrence_move(
                        **address,
                        start=start,
                        duration_minutes=minutes,
                        reason=move.cleaned_data["reason"],
                    )
                    day = start.astimezone(slot.zone).date()
                    return _changed(request, meeting, day, "moved")
        except ValidationError as error:
            # The record's messages name its own fields (moved_start): shown above the form.
            (cancel if action == "cancel" else move).add_error(None, error.messages)
        if cancel.errors or move.errors or action not in ("cancel", "move", "preview"):
            status = 400
    context = {
        "meeting": meeting,
        "slot": slot,
        "cancel": cancel,
        "move": move,
        "preview": preview,
        "change": last_saved(slot.record) if slot.record else None,
    }
    return render(request, "meetings/occurrence_form.html", context, status=status)


def _changed(request, meeting: Meeting, day: datetime.date, done: str):
    messages.success(request, f"The meeting is {done}.")
    return redirect("meetings:occurrence-detail", slug=meeting.slug, day=day)
