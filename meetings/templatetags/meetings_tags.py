"""Template filters and tags of the meeting pages and of the includes other pages use."""

import datetime

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from common.markdown import sanitised_html
from meetings import ical, selectors
from meetings.recurrence import Slot
from meetings.zones import ZoneLine

register = template.Library()


@register.filter
def minutes_html(text: str) -> SafeString:
    """Markdown minutes as HTML, sanitised (common.markdown)."""
    return sanitised_html(text)


@register.filter
def zone_lines(slot: Slot, lead: str = ""):
    """The slot's zone lines, the `lead` zone's first when given."""
    return selectors.slot_lines(slot, lead)


@register.filter
def unbroken(line: ZoneLine) -> SafeString:
    """A zone line whose time range a narrow screen never breaks ("5-6 PM" stays whole): it
    may wrap only before the weekday."""
    text = str(line)
    weekday = f" ({line.start:%A})" if line.other_day else ""
    return format_html('<span class="time-range">{}</span>{}', text.removesuffix(weekday), weekday)


@register.filter
def planned_lines(slot: Slot):
    return selectors.planned_lines(slot)


@register.filter
def utc_iso(moment: datetime.datetime) -> str:
    """An instant as an ISO 8601 UTC string, for <time datetime> and scripts."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@register.simple_tag
def group_meetings(group):
    return selectors.group_meetings(group)


@register.simple_tag
def person_meetings(person):
    return selectors.person_meetings(person)


@register.simple_tag(takes_context=True)
def agenda_items_linking(context, targets):
    """The agenda items linking to one of `targets`, a list of addresses (a path is a page of
    this site), that the page's reader may see."""
    return selectors.agenda_items_linking(targets=targets, user=context["request"].user)


@register.simple_tag(takes_context=True)
def add_event_links(context, slot: Slot):
    """Google Calendar's and Outlook's add-event links of `slot`, with the join link only for a
    reader who may see it (context show_private)."""
    request = context["request"]
    meeting = slot.meeting
    page = request.build_absolute_uri(
        reverse("meetings:occurrence-detail", args=[meeting.slug, slot.local_date])
    )
    join = meeting.join_url if context.get("show_private") and not slot.is_cancelled else ""
    return ical.add_event_links(slot, page_url=page, join_url=join)
